// Reviewer workspace enhancements. Every page works without this file: forms post
// normally and the server redirects back to the indicator.
document.addEventListener("DOMContentLoaded", () => {
  // "Print" buttons on the minutes page.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});

// After htmx swaps in a saved indicator card or panel row, keep keyboard users where they
// were: the old node (which had focus) is gone, so focus the chosen level of the new one.
// htmx:load fires on the new content itself (the request's own events fire on the removed
// form and never reach the document).
document.addEventListener("htmx:load", (event) => {
  const fresh = event.detail.elt;
  if (!fresh || !fresh.classList || !fresh.classList.contains("just-saved")) return;
  // One selector at a time: a selector list would return the first match in document
  // order, i.e. the hidden CSRF input.
  const focusable = fresh.querySelector("input[type=radio]:checked") ||
    fresh.querySelector("select, textarea, input:not([type=hidden]), button");
  if (focusable) focusable.focus({ preventScroll: true });
});
