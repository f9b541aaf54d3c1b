// Reviewer workspace enhancements. Every page works without this file: forms post
// normally and the server redirects back to the indicator.
document.addEventListener("DOMContentLoaded", () => {
  // "Print" buttons on the minutes page.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});

// After htmx swaps a saved indicator card or panel row, keep keyboard users where they
// were: focus the first control of the new content (the swapped node replaced the one
// that had focus) and announce the result through its role="status" element.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const id = target && target.id;
  const fresh = id ? document.getElementById(id) : null;
  if (!fresh) return;
  const focusable = fresh.querySelector("[data-focus-after-save]") ||
    fresh.querySelector("input:checked, select, input, textarea, button");
  if (focusable) focusable.focus({ preventScroll: true });
});
