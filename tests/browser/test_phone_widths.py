"""On a phone (390×844) no page is wider than the screen: every public and workspace page
that the URL walk finds, for a reader, Kota Bekasi's operator, a panel reviewer and a
manager (issue 16). Wide tables scroll inside their own box, which shows that it scrolls;
the workspace tabs wrap; the rankings show their first rows on the first screen.

Screenshots of the first screen of every page: test-artifacts/screenshots/phone/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import ROLES, make_world, page_urls, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SHOTS = ARTIFACTS / "screenshots" / "phone"

# What a page measures: its width, and whether the page hides its own overflow (which would
# pass the width check while cutting content off).
MEASURE = """() => ({
  width: document.documentElement.scrollWidth,
  hidden: [document.documentElement, document.body].some(
    (e) => ['hidden', 'clip'].includes(getComputedStyle(e).overflowX)),
})"""

# The outermost elements that reach past the right edge, to name in a failure.
CULPRITS = """(limit) => {
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const past = (e) => e.getBoundingClientRect().right > limit + 0.5 && !clipped(e);
  return [...document.querySelectorAll('body *')]
    .filter((e) => past(e) && !(e.parentElement && past(e.parentElement)))
    .slice(0, 3)
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`
      + ` (${Math.round(e.getBoundingClientRect().right)} px)`);
}"""


def shot_name(who: str, url: str) -> str:
    return f"{who}{re.sub(r'[^a-z0-9]+', '-', url.split('?')[0].lower()).rstrip('-')}"


def test_no_page_is_wider_than_a_phone(browser, live_server):
    world = make_world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: list[tuple[str, str, int, list[str]]] = []
    walked = 0
    for who in ROLES:
        urls = page_urls(world, who)
        assert len(urls) >= (18 if who == "anonymous" else 8), (who, urls)
        with signed_in(browser, live_server, world, who, viewport=PHONE) as page:
            for url in urls:
                response = page.goto(live_server.url + url)
                assert response is not None
                assert response.status == 200, (who, url)
                measured = page.evaluate(MEASURE)
                assert not measured["hidden"], (who, url, "hides its sideways overflow")
                if measured["width"] > PHONE["width"]:
                    culprits = page.evaluate(CULPRITS, PHONE["width"])
                    too_wide.append((who, url, measured["width"], culprits))
                page.screenshot(path=str(SHOTS / f"{shot_name(who, url)}.png"))
                walked += 1
    assert walked >= 60
    assert too_wide == [], "\n".join(map(str, too_wide))


def first_row_top(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None
    return box["y"]


def test_rankings_show_rows_on_the_first_screen(browser, live_server):
    world = make_world()
    with signed_in(browser, live_server, world, "anonymous", viewport=PHONE) as page:
        page.goto(f"{live_server.url}{world.published.get_absolute_url()}")
        page.screenshot(path=str(SHOTS / "rankings-first-screen.png"))
        first = page.locator("#results tbody tr").first
        assert "Kota B" in first.inner_text()
        # The whole first row (rank, region, index, band) is on the first screen.
        box = first.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= PHONE["height"], box


def test_wide_tables_scroll_in_their_box_with_a_cue(browser, live_server):
    """A table wider than the phone scrolls inside its box, which says so above it (in a line
    kept free before it is known, so nothing shifts), and its first column stays in view
    while the rest scrolls; on a desktop, where the table fits, there is no cue."""
    world = make_world()
    url = f"{live_server.url}/city/{world.kota_bekasi.slug}/putaran/"
    with signed_in(browser, live_server, world, "bekasi", viewport=PHONE) as page:
        page.goto(url)
        box = page.locator(".table-responsive").first
        assert box.evaluate("(e) => e.scrollWidth > e.clientWidth")
        assert "is-scrollable" in (box.get_attribute("class") or "")
        cue = box.evaluate("(e) => getComputedStyle(e, '::before').content")
        assert cue == '"Geser tabel ke samping untuk kolom lainnya →"'
        first_cell = box.locator("tbody th").first
        last_cell = box.locator("tbody tr").first.locator("td").last
        before = first_cell.bounding_box()
        box.evaluate("(e) => { e.scrollLeft = e.scrollWidth; }")
        after = first_cell.bounding_box()
        assert before is not None
        assert after is not None
        assert after["x"] == before["x"]  # the round's name stays in view
        last = last_cell.bounding_box()
        assert last is not None
        assert last["x"] + last["width"] <= PHONE["width"] + 1
        page.screenshot(path=str(SHOTS / "scrolled-table.png"))
    with signed_in(
        browser, live_server, world, "bekasi", viewport={"width": 1366, "height": 768}
    ) as page:
        page.goto(url)
        box = page.locator(".table-responsive").first
        assert box.evaluate("(e) => getComputedStyle(e, '::before').content") == "none"
