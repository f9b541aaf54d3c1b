// The unread count beside "Kotak masuk" in the header: fetched after the page, so that no
// page pays a query for it (people.views.inbox_badge renders the badge).
document.addEventListener("DOMContentLoaded", () => {
  const badge = document.getElementById("inbox-badge");
  if (!badge || !badge.dataset.url) return;
  fetch(badge.dataset.url, { credentials: "same-origin" })
    .then((response) => (response.ok && !response.redirected ? response.text() : ""))
    .then((html) => {
      badge.innerHTML = html;
    })
    .catch(() => {});
});
