// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Language switch: submit on change, hide the fallback button.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
    select.form.querySelectorAll(".js-hide").forEach((el) => el.classList.add("d-none"));
  });
  // Wide tables: where a table box really scrolls sideways, mark it (CSS keeps the first
  // column in view) and say so above it, in the page's language (base.html's data attribute).
  const cue = document.body.dataset.scrollCue;
  const markScrollable = () => {
    document.querySelectorAll(".table-responsive").forEach((box) => {
      const wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-scrollable", wide);
      const hint = box.previousElementSibling;
      const hasHint = hint && hint.classList.contains("scroll-cue");
      if (wide && !hasHint && cue) {
        const p = document.createElement("p");
        p.className = "scroll-cue";
        p.textContent = cue;
        box.before(p);
      } else if (!wide && hasHint) {
        hint.remove();
      }
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);
  document.body.addEventListener("htmx:afterSettle", markScrollable);
  // Forms that confirm before a destructive or irreversible action.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
