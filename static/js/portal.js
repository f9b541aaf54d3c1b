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
  // All widths are read first, then the marks written: one layout for the whole page, not
  // one per table (each write would make the next read lay the page out again). A box that
  // is not rendered yet is left alone: in a folded <details>, or in a section the browser
  // skips until it nears the screen (content-visibility: auto, public.css .render-later).
  // Measuring it would lay out that hidden content anew on every read; it is measured when
  // it shows (the ResizeObserver and the skipped-state listener below).
  const rendered = (box) => !box.closest("details:not([open])") &&
    (!box.checkVisibility || box.checkVisibility({ contentVisibilityAuto: true }));
  const markScrollable = (boxes) => {
    const shown = boxes.filter(rendered);
    const wide = shown.map((box) => box.scrollWidth > box.clientWidth + 1);
    shown.forEach((box, i) => {
      box.classList.toggle("is-scrollable", wide[i]);
      // A box that scrolls must be reachable from the keyboard (arrow keys scroll it).
      if (wide[i]) {
        if (box.tabIndex !== 0) box.tabIndex = 0;
        if (cue && box.dataset.scrollCue !== cue) box.dataset.scrollCue = cue;  // shown by CSS (portal.css)
      } else if (box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
      }
    });
  };
  const allBoxes = () => Array.from(document.querySelectorAll(".table-responsive"));
  markScrollable(allBoxes());
  window.addEventListener("resize", () => markScrollable(allBoxes()));
  // Tables also widen after the page has loaded (fonts, a folded section opened): only the
  // boxes whose table changed size are measured again.
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver((entries) => {
      markScrollable(Array.from(new Set(entries.map((entry) => entry.target.parentElement))));
    });
    document.querySelectorAll(".table-responsive > *").forEach((el) => observer.observe(el));
  }
  document.querySelectorAll(".render-later").forEach((section) => {
    section.addEventListener("contentvisibilityautostatechange", (event) => {
      if (!event.skipped) markScrollable(Array.from(section.querySelectorAll(".table-responsive")));
    });
  });
  document.body.addEventListener("htmx:afterSettle", () => markScrollable(allBoxes()));
  // Forms that confirm before a destructive or irreversible action.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
