// Public pages: small enhancements only; every page works without this file.
// (The ranking filters' live update is plain htmx attributes; the count above the table is a
// role="status" region, so screen readers hear the new count without focus moving.)
document.addEventListener("DOMContentLoaded", () => {
  // Printing opens the collapsed indicator descriptions and findings so the paper copy is
  // complete; they close again afterwards.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details.indicator, details.findings").forEach((el) => {
      if (!el.open) {
        el.dataset.printOpened = "1";
        el.open = true;
      }
    });
  });
  window.addEventListener("afterprint", () => {
    document.querySelectorAll("details[data-print-opened]").forEach((el) => {
      el.open = false;
      delete el.dataset.printOpened;
    });
  });
});
