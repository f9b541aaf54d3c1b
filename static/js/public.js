// Public pages: small enhancements only; every page works without this file.
// (The ranking filters' live update is plain htmx attributes; the count above the table is a
// role="status" region, so screen readers hear the new count without focus moving.)
document.addEventListener("DOMContentLoaded", () => {
  // The rankings' filters are folded on phones (the first rows come first) and open on
  // wider screens.
  if (window.matchMedia("(min-width: 768px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach((el) => { el.open = true; });
  }
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

  // The map: keys + and - zoom, the arrow keys pan and 0 shows the whole country, while the
  // focus is in the map (each key follows the control link that carries it in data-map-key).
  document.addEventListener("keydown", (event) => {
    const figure = event.target.closest && event.target.closest(".map-figure");
    if (!figure || event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key === "=" ? "+" : event.key;
    const control = figure.querySelector(`[data-map-key="${CSS.escape(key)}"]`);
    if (control) {
      event.preventDefault();
      control.click();
    }
  });
  // After htmx swapped the map in place, keep the keyboard where it was: on the same control,
  // else on the first control, so a keyboard user never falls back to the top of the page.
  let mapFocus = null;
  document.body.addEventListener("htmx:beforeRequest", () => {
    const active = document.activeElement;
    mapFocus = active && active.closest(".map-figure") ? active.id || "" : null;
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    if (mapFocus === null) return;
    const view = document.getElementById("map-view");
    const target = (mapFocus && document.getElementById(mapFocus)) ||
      (view && view.querySelector(".map-controls a"));
    if (target) target.focus();
    mapFocus = null;
  });
});
