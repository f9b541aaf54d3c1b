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

// Scoring page: every indicator's draft saves itself (a level chosen, a comment left, the
// page left), and "Simpan semua" saves every changed card at once. Saves go through fetch
// in the background and only update the card's version, marks and status, so nothing the
// reviewer is typing is replaced. Without this file each card's button posts normally.
(function () {
  "use strict";
  const bar = document.querySelector("[data-save-all-bar]");
  if (!bar) return;
  const forms = () => Array.from(document.querySelectorAll("form[data-autosave]"));
  const msg = (key) => bar.dataset[key] || "";
  const barStatus = bar.querySelector("[data-save-all-status]");
  const timers = new WeakMap();
  bar.classList.remove("d-none");

  function cardStatus(form, text, failed) {
    const status = form.querySelector(".saved-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", !!failed);
  }

  // Copies the server's answer into the page: the new version (so the next save is not
  // taken for a conflict), the level marks, the status, the progress and the index mark.
  function apply(form, html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const card = form.closest("article");
    const fresh = card && doc.getElementById(card.id);
    if (!fresh) return false;
    const freshForm = fresh.querySelector("form");
    if (!freshForm || fresh.querySelector(".alert-danger, .is-invalid")) {
      // Refused (a conflict, a missing level): show the server's card with its message.
      card.replaceWith(document.importNode(fresh, true));
      return false;
    }
    const version = form.querySelector("input[type=hidden][name$=version]");
    const freshVersion = freshForm.querySelector("input[type=hidden][name$=version]");
    if (version && freshVersion) version.value = freshVersion.value;
    [".level-descriptors", ".saved-status"].forEach((selector) => {
      const old = card.querySelector(selector);
      const next = fresh.querySelector(selector);
      if (old && next) old.replaceWith(document.importNode(next, true));
    });
    const progress = doc.getElementById("my-progress");
    const oldProgress = document.getElementById("my-progress");
    if (progress && oldProgress) oldProgress.replaceWith(document.importNode(progress, true));
    const link = document.querySelector(`.indicator-index-link[href="#${card.id}"]`);
    if (link) link.classList.add("is-scored");
    card.classList.add("just-saved");
    return true;
  }

  // One save at a time per card: a change made while a save is on its way is saved next.
  function save(form, keepalive) {
    clearTimeout(timers.get(form));
    if (!form.isConnected || !form.querySelector("input[type=radio]:checked")) {
      return Promise.resolve(true); // nothing to save yet: a level is required
    }
    if (form.saving) {
      form.again = true;
      return form.saving;
    }
    delete form.dataset.dirty;
    cardStatus(form, msg("msgCardSaving"));
    form.saving = fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
      keepalive: !!keepalive,
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => apply(form, html))
      .catch(() => {
        form.dataset.dirty = "1";
        cardStatus(form, msg("msgCardFailed"), true);
        return false;
      })
      .then((ok) => {
        form.saving = null;
        if (form.again) {
          form.again = false;
          return save(form);
        }
        return ok;
      });
    return form.saving;
  }

  function schedule(form, delay) {
    form.dataset.dirty = "1";
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(() => save(form), delay));
  }

  document.addEventListener("change", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) schedule(form, 300);
  });
  document.addEventListener("input", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) schedule(form, 2000);
  });
  // A card's own button saves that card in the background too (focus stays where it is).
  document.addEventListener("submit", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    if (!form) return;
    event.preventDefault();
    save(form);
  });

  bar.querySelector("[data-save-all]").addEventListener("click", () => {
    barStatus.textContent = msg("msgSaving");
    const dirty = forms().filter((form) => form.dataset.dirty || form.saving);
    // One after another: the server answers each card in its own transaction.
    dirty
      .reduce((chain, form) => chain.then((all) => save(form).then((ok) => all && ok)),
        Promise.resolve(true))
      .then((all) => { barStatus.textContent = all ? msg("msgSaved") : msg("msgFailed"); });
  });

  // Leaving the page (a link, the back button, closing the tab): send what is still unsaved.
  function flush() {
    forms().filter((form) => form.dataset.dirty).forEach((form) => save(form, true));
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
})();

// Editable tables (agenda, attendees, findings): "Tambah baris" adds a blank row in place
// from the formset's empty row, with everything typed kept. Without this file the same
// button posts the table and the server answers it with three more blank rows.
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("button[data-formset-add]");
  if (!button) return;
  const form = button.form;
  const template = form.querySelector("template[data-formset-empty-row]");
  const body = form.querySelector("[data-formset-body]");
  const total = form.querySelector(`input[name="${button.dataset.prefix}-TOTAL_FORMS"]`);
  if (!template || !body || !total) return;
  event.preventDefault();
  const index = parseInt(total.value, 10) || 0;
  const row = template.content.firstElementChild.cloneNode(true);
  row.querySelectorAll("[name], [id], label[for]").forEach((el) => {
    ["name", "id", "for"].forEach((attr) => {
      const value = el.getAttribute(attr);
      if (value) el.setAttribute(attr, value.replace(/__prefix__/g, String(index)));
    });
  });
  body.appendChild(row);
  total.value = String(index + 1);
  const first = row.querySelector("input:not([type=hidden]), select, textarea");
  if (first) first.focus();
});
