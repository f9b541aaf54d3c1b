"""axe-core finds no violation of any impact (minor included) on 33 pages across every kind
of user, on a desktop (1366×768) and on a phone (390×844) (issue 16, "Show it": 30 pages,
plus Django's own round changelist and change form and a frozen instrument version's page).

The pages: public pages as an anonymous reader, Kota Bekasi's workspace as its operator, the
reviewer workspace as the panel's lead, round management and the admin as the manager. They
come from the URL walk (tests/security/urlwalk.py) in the security tests' world.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import AXE_JS
from tests.browser.pages import make_world, page_urls, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# How many pages of each role's walk (in walk order, pages already taken skipped).
TAKE = {"anonymous": 12, "bekasi": 7, "reviewer": 4, "manager": 4}


def chosen_pages(world) -> list[tuple[str, str]]:
    taken: list[tuple[str, str]] = []
    seen: set[str] = set()
    for who, count in TAKE.items():
        urls = [u for u in page_urls(world, who) if u not in seen]
        # Spread the pick over the walk, so each area of the role's workspace is in it.
        step = max(1, len(urls) // count)
        for url in urls[::step][:count]:
            taken.append((who, url))
            seen.add(url)
    taken += [
        ("manager", "/admin/"),
        ("manager", "/admin/regions/agency/"),
        ("manager", f"/admin/regions/agency/{world.agency.pk}/change/"),
        # Django's own round pages: changelist filters, date shortcuts, inline tables
        # (templates/admin/, static/css/admin.css, locale/id/LC_MESSAGES/djangojs.po).
        ("manager", "/admin/evaluations/round/"),
        ("manager", f"/admin/evaluations/round/{world.review.pk}/change/"),
        # A frozen instrument version: only its English texts are inputs, in inline rows too.
        ("manager", f"/admin/evaluations/instrument/{world.published.instrument_id}/change/"),
    ]
    return taken


def violations(page) -> list[dict]:
    # Injected through the DevTools protocol, which the page's CSP does not govern.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
    )
    return result["violations"]


def test_thirty_three_pages_have_no_axe_violation_at_any_size(browser, live_server):
    world = make_world()
    pages = chosen_pages(world)
    assert len(pages) == 33
    assert {who for who, _url in pages} == set(TAKE)
    found = []
    for size, viewport in SIZES.items():
        for who in TAKE:
            with signed_in(browser, live_server, world, who, viewport=viewport) as page:
                for _who, url in (p for p in pages if p[0] == who):
                    response = page.goto(live_server.url + url)
                    assert response is not None
                    assert response.status == 200, (who, url)
                    for v in violations(page):
                        targets = [n["target"] for n in v["nodes"][:3]]
                        found.append((size, who, url, v["id"], v["impact"], targets))
    assert found == [], "\n".join(map(str, found))
