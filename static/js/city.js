// City workspace enhancements. Every page works without this file; it only narrows the
// element list to the chosen dimension, formats rupiah input and warns before leaving a
// form with unsaved changes, and lets the evidence picker be searched.
(function () {
  "use strict";

  // Element choices follow the chosen dimension (the server checks this too).
  function narrowElements(form) {
    const dimension = form.querySelector("select[data-dimension-select]");
    const element = form.querySelector("select[data-element-select]");
    if (!dimension || !element) return;
    const all = Array.from(element.options).map((o) => o.cloneNode(true));
    function update() {
      const chosen = dimension.value;
      const current = element.value;
      element.replaceChildren();
      all.forEach((option) => {
        if (!option.value || !chosen || option.dataset.dimension === chosen) {
          element.appendChild(option.cloneNode(true));
        }
      });
      const stillThere = Array.from(element.options).some((o) => o.value === current);
      element.value = stillThere ? current : "";
    }
    dimension.addEventListener("change", update);
    update();
  }

  // "1250000000" → "1.250.000.000" when leaving the field.
  function formatRupiah(input) {
    input.addEventListener("blur", () => {
      const digits = input.value.replace(/^\s*rp\.?\s*/i, "").replace(/\./g, "").trim();
      if (/^\d+$/.test(digits)) {
        input.value = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
      }
    });
  }

  // Ask before leaving a form with changes that were not saved.
  function guardUnsaved(form) {
    let dirty = false;
    let submitting = false;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("change", () => { dirty = true; });
    form.addEventListener("submit", () => { submitting = true; });
    window.addEventListener("beforeunload", (event) => {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  // The evidence picker: a search box narrows the region's evidence by title or file name
  // (accents and case ignored). Without this file the whole list shows, as before.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function evidenceSearch(input) {
    const chooser = input.closest(".evidence-chooser");
    const options = Array.from(chooser.querySelectorAll("[data-evidence-option]"));
    const none = chooser.querySelector("[data-evidence-none]");
    input.hidden = false;
    input.addEventListener("input", () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      options.forEach((option) => {
        const text = fold(option.querySelector("label").textContent);
        const match = words.every((word) => text.includes(word));
        option.classList.toggle("d-none", !match);
        if (match) shown += 1;
      });
      if (none) none.hidden = shown > 0;
    });
    // Enter in the search box must not submit the whole section.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-evidence-search]").forEach(evidenceSearch);
    document.querySelectorAll("form").forEach(narrowElements);
    document.querySelectorAll("input[data-rupiah]").forEach(formatRupiah);
    document.querySelectorAll("form[data-keep-draft]").forEach(guardUnsaved);
    // After a refused save, bring the first problem into view.
    const invalid = document.querySelector("form .is-invalid, form .conflict");
    if (invalid) {
      invalid.scrollIntoView({ block: "center" });
      if (invalid.focus) invalid.focus({ preventScroll: true });
    }
  });
})();
