"""The map in Chromium on the demo (25 regions of the 2017 cohort, many of them on Java):
a tap or click at the centre of every marker opens the region its label names, every target
is at least 24 px on a 390 px phone, clusters zoom in, and the keyboard zooms and pans."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.demo.build import build_demo
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# For every target (marker or cluster): its href, its label, its size on screen, and the link
# the browser finds at its centre (what a tap there opens).
PROBE = """() => [...document.querySelectorAll('svg.chart-map a')].map((a) => {
  const box = a.querySelector('.map-hit').getBoundingClientRect();
  // "instant": Bootstrap makes scrolling smooth, which would measure before it arrives.
  window.scrollTo({top: window.scrollY + box.top - window.innerHeight / 2, behavior: 'instant'});
  const hit = a.querySelector('.map-hit').getBoundingClientRect();
  const x = hit.left + hit.width / 2, y = hit.top + hit.height / 2;
  const top = document.elementFromPoint(x, y);
  const link = top && top.closest('a');
  return {href: a.getAttribute('href'), label: a.querySelector('title').textContent,
          region: a.dataset.region || null, width: hit.width, height: hit.height,
          atCentre: link ? link.getAttribute('href') : null,
          top: top ? top.tagName + '.' + top.getAttribute('class') : null, x, y};
})"""


@pytest.fixture
def demo():
    cache.clear()
    call_command("load_reference", verbosity=0)
    build_demo(today=timezone.localdate())
    yield
    cache.clear()


def check_targets(page: Page, names: dict[str, str]) -> list[dict]:
    targets = page.evaluate(PROBE)
    assert targets
    for t in targets:
        assert t["atCentre"] == t["href"], repr(t)  # nothing on top of it
        assert min(t["width"], t["height"]) >= 24, t
        if t["region"]:
            assert t["href"] == f"/regions/{t['region']}/"
            assert t["label"].startswith(names[t["region"]] + ","), t
    return targets


def walk(page: Page, live_server, names: dict[str, str], start: str) -> set[str]:
    """Every view reachable from ``start`` through clusters; the regions seen as markers."""
    seen: set[str] = set()
    todo, done = [start], set()
    while todo:
        url = todo.pop()
        if url in done:
            continue
        done.add(url)
        page.goto(live_server.url + url)
        for t in check_targets(page, names):
            if t["region"]:
                seen.add(t["region"])
            else:
                todo.append(t["href"])
    return seen


@pytest.mark.parametrize("width", [390, 1366])
def test_every_marker_opens_the_region_it_shows(page: Page, live_server, demo, width) -> None:
    from regions.models import Region

    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 768})
    page.goto(live_server.url + "/map/")
    names = {r.slug: r.name for r in Region.objects.all()}
    listed = page.locator("table a[href^='/regions/']").evaluate_all(
        "els => els.map((a) => a.getAttribute('href').split('/')[2])"
    )
    assert len(listed) == 25
    screenshot(page, f"map_{width}")
    assert walk(page, live_server, names, "/map/") == set(listed)
    # And a real click on Kota Bekasi's marker opens Kota Bekasi.
    page.goto(live_server.url + "/map/?region=kota-bekasi")
    screenshot(page, f"map_bekasi_{width}")
    page.locator("a.map-point[data-region='kota-bekasi'] .map-hit").click()
    expect(page).to_have_url(re.compile(r"/regions/kota-bekasi/$"))
    expect(page.locator("h1")).to_contain_text("Kota Bekasi")


SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
# Where the keyboard is at the very moment each new map is in the page: a listener on the
# document runs after the page's own (on <body>) for the same htmx:afterSwap event.
WATCH_SWAPS = """() => {
  window.focusAtSwap = [];
  document.addEventListener("htmx:afterSwap", () => {
    const a = document.activeElement;
    window.focusAtSwap.push(a ? (a.id || a.tagName) : null);
  });
}"""


def press_in_map(
    page: Page, key: str, *, focused: str, level: str | None = None, url: str | None = None
) -> None:
    """Press ``key``: the map it asks for is swapped in once, the keyboard is on the control
    ``focused`` (its id) in the very step that swaps it in, whatever the timing, and still
    there once htmx has settled the map. The page itself puts it back; the test never
    moves the focus."""
    before = page.url
    page.keyboard.press(key)
    page.wait_for_function("u => location.href !== u", arg=before)
    page.wait_for_function(SETTLED)
    if level is not None:
        expect(page.locator(".map-zoom-level")).to_have_text(f"Perbesaran {level} dari 5")
    if url is not None:
        expect(page).to_have_url(re.compile(url))
    at_swap = page.evaluate("() => window.focusAtSwap.splice(0)")
    assert at_swap == [focused], f"after {key!r} the keyboard was on {at_swap} at the swap"
    active = keyboard_on(page)
    assert active == focused, f"settled after {key!r}, the keyboard is on {active!r}"


def keyboard_on(page: Page) -> str | None:
    """The focused element: its id, else its tag and classes."""
    return page.evaluate(
        "() => { const a = document.activeElement;"
        " return a ? (a.id || a.tagName + '.' + (a.getAttribute('class') || '')) : null; }"
    )


def view_x(page: Page) -> int:
    return int(re.search(r"[?&]x=(-?\d+)", page.url).group(1))


@pytest.mark.parametrize("width", [390, 1366])
def test_keyboard_zooms_and_pans_in_place(
    page: Page, live_server, demo, console_errors, width
) -> None:
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 768})
    page.goto(live_server.url + "/map/")
    page.evaluate(WATCH_SWAPS)
    page.locator("#map-zoom-in").focus()
    press_in_map(page, "Enter", focused="map-zoom-in", level="2", url=r"/map/\?z=1&x=0&y=0$")
    press_in_map(page, "+", focused="map-zoom-in", level="3")
    # A key pressed on one control follows another control's link; the keyboard stays where
    # it was.
    press_in_map(page, "ArrowLeft", focused="map-zoom-in", url=r"/map/\?z=2&x=-\d+&y=0$")
    # On "Barat" the arrow pans west until the west edge, where "Barat" is gone and the
    # keyboard goes to the first control of the map (never back to the top of the page).
    page.locator("#map-west").focus()
    for _ in range(10):
        x = view_x(page)
        before = page.url
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("u => location.href !== u", arg=before)
        page.wait_for_function(SETTLED)
        assert view_x(page) < x
        edge = page.locator("#map-west").count() == 0
        expected = "map-zoom-in" if edge else "map-west"
        assert page.evaluate("() => window.focusAtSwap.splice(0)") == [expected]
        assert keyboard_on(page) == expected
        if edge:
            break
    else:
        pytest.fail("ten steps west never reached the edge of the map")
    press_in_map(page, "ArrowRight", focused="map-zoom-in", url=r"/map/\?z=2&x=-?\d+&y=0$")
    page.locator("#map-zoom-out").focus()
    press_in_map(page, "-", focused="map-zoom-out", level="2")
    # "Perkecil" is gone on the whole map: the keyboard goes to "Perbesar".
    press_in_map(page, "-", focused="map-zoom-in", level="1", url=r"/map/$")
    press_in_map(page, "+", focused="map-zoom-in", level="2")
    press_in_map(page, "0", focused="map-zoom-in", level="1", url=r"/map/$")
    # A cluster is a link the keyboard opens too; the new map has no such cluster, so the
    # keyboard goes to the first control.
    page.locator("a.map-cluster").first.focus()
    press_in_map(page, "Enter", focused="map-zoom-in", level="2")
    screenshot(page, f"map_keyboard_{width}")  # the focus ring on "Perbesar"
    assert keyboard_on(page) == "map-zoom-in"

    assert console_errors == []
