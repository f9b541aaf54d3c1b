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
  // After htmx swapped the map in place, keep the keyboard where it was: on the same control
  // of the new map, else on its first control, so a keyboard user never falls back to the
  // top of the page. What to focus is noted per request when it starts (the focused control
  // of the map, else the link that asked: its id, or the region of a marker), so it does not
  // depend on how long the request takes, on other requests, or on the old element, which
  // the swap replaces. It is put back as soon as the new map is in the page (afterSwap) and
  // again once htmx has settled it (afterSettle), in case anything moved it in between.
  const mapFocus = new WeakMap();
  const mapPlace = (el) => {
    if (!el || !el.closest || !el.closest("#map-view")) return null;
    if (el.id) return { id: el.id };
    if (el.dataset && el.dataset.region) return { region: el.dataset.region };
    return {};  // a cluster: the new map has no such place, its first control stands in
  };
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const { elt, xhr } = event.detail;
    const place = mapPlace(document.activeElement) || mapPlace(elt);
    if (place && xhr) mapFocus.set(xhr, place);
  });
  const restoreMapFocus = (event) => {
    const place = event.detail.xhr && mapFocus.get(event.detail.xhr);
    const view = document.getElementById("map-view");
    if (!place || !view) return;
    const target = (place.id && view.querySelector(`#${CSS.escape(place.id)}`)) ||
      (place.region && view.querySelector(`a[data-region="${CSS.escape(place.region)}"]`)) ||
      view.querySelector(".map-controls a");
    if (target && document.activeElement !== target) target.focus();
    if (event.type === "htmx:afterSettle") mapFocus.delete(event.detail.xhr);
  };
  document.body.addEventListener("htmx:afterSwap", restoreMapFocus);
  document.body.addEventListener("htmx:afterSettle", restoreMapFocus);
});
