// City workspace enhancements. Every page works without this file; it only narrows the
// element list to the chosen dimension, formats rupiah input and warns before leaving a
// form with unsaved changes.
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

  document.addEventListener("DOMContentLoaded", () => {
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
