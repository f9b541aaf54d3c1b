// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Language switch: submit on change, hide the fallback button.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
    select.form.querySelectorAll(".js-hide").forEach((el) => el.classList.add("d-none"));
  });
  // Wide tables: where a table box really scrolls sideways, mark it (CSS keeps the first
  // column in view and, on phones, says so above the table in the page's language, from
  // base.html's data attribute).
  const cue = document.body.dataset.scrollCue;
  const markScrollable = () => {
    document.querySelectorAll(".table-responsive").forEach((box) => {
      const wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-scrollable", wide);
      // A box that scrolls must be reachable from the keyboard (arrow keys scroll it).
      if (wide) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
      if (wide && cue) box.dataset.scrollCue = cue;  // shown by CSS (portal.css)
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);
  // Tables also widen after the page has loaded (fonts, a folded section opened).
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver(markScrollable);
    document.querySelectorAll(".table-responsive > *").forEach((el) => observer.observe(el));
  }
  document.body.addEventListener("htmx:afterSettle", markScrollable);
  // Forms that confirm before a destructive or irreversible action.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
