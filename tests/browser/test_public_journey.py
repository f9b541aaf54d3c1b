"""An anonymous reader's journey through the public portal, in Chromium.

Home → latest rankings → filter by province → a region profile → compare two regions →
download the CSV; a screenshot of every page, the charts present, and axe-core finding no
serious or critical accessibility violation on any of them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import screenshot
from tests.documents.conftest import pdf_text
from tests.public.scene import PUBLIC_FINDING, Scene, make_scene

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(transactional_db, kota_bekasi, kota_bandung) -> Iterator[Scene]:
    cache.clear()
    instrument = factories.make_instrument(code="instrumen-2024", is_default=True)
    yield make_scene(instrument, kota_bekasi, kota_bandung)
    cache.clear()


def _assert_accessible(axe, page: Page, name: str) -> None:
    violations = axe()
    summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert violations == [], f"{name}: {summary}"


def test_reader_journey(page: Page, live_server, published, axe, console_errors) -> None:
    scene = published
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("Smart City")
    expect(page.locator("svg.chart-map")).to_be_visible()
    # Four participants: markers, or numbered clusters of close ones (Java).
    expect(
        page.locator("svg.chart-map a[data-region], svg.chart-map a.map-cluster")
    ).not_to_have_count(0)
    screenshot(page, "public_home")
    _assert_accessible(axe, page, "home")

    # The navigation's "Peringkat" shows the newest published round at /rankings/ (no
    # redirect); its filters lead to the round's own URL.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Peringkat"
    ).click()
    expect(page).to_have_url(re.compile(r"/rankings/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(scene.round_2024.name)
    expect(page.locator("table.ranking-table tbody tr")).to_have_count(4)
    screenshot(page, "public_rankings")
    _assert_accessible(axe, page, "rankings")

    # Filter by province: htmx applies it on change; the button works as well.
    page.get_by_label("Provinsi").select_option(label="Jawa Barat")
    page.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"province=jawa-barat"))
    rows = page.locator("table.ranking-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table.ranking-table")).not_to_contain_text("Surabaya")
    screenshot(page, "public_rankings_filtered")
    _assert_accessible(axe, page, "rankings filtered")

    # A region profile, with its charts.
    page.locator("table.ranking-table").get_by_role("link", name="Kota Bekasi").click()
    expect(page).to_have_url(re.compile(r"/regions/kota-bekasi/$"))
    expect(page.locator("h1")).to_have_text("Kota Bekasi")
    for chart in ("chart-history", "chart-radar", "chart-components"):
        expect(page.locator(f"svg[aria-labelledby^='{chart}-title']")).to_be_visible()
    expect(page.get_by_text(PUBLIC_FINDING)).to_be_visible()
    expect(page.get_by_text("TEMUAN-RAHASIA")).to_have_count(0)
    screenshot(page, "public_region")
    _assert_accessible(axe, page, "region profile")

    # Compare with Kota Bandung through the form (no JavaScript needed for it).
    page.get_by_role("link", name="Bandingkan dengan wilayah lain").click()
    expect(page.get_by_label("Wilayah 1")).to_have_value("Kota Bekasi (32.75)")
    expect(page.get_by_role("alert")).to_have_count(0)  # no error before the reader acts
    page.get_by_label("Wilayah 2").fill("kota bandng")  # a typo, as typed on a phone
    page.get_by_role("button", name="Bandingkan", exact=True).click()
    expect(page).to_have_url(re.compile(r"/compare/\?regions=kota-bekasi&regions=kota-bandung$"))
    expect(page.locator("table.compare-table thead")).to_contain_text("Kota Bandung")
    for chart in ("chart-compare-radar", "chart-compare-components", "chart-compare-history"):
        expect(page.locator(f"svg[aria-labelledby^='{chart}-title']")).to_be_visible()
    screenshot(page, "public_compare")
    _assert_accessible(axe, page, "compare")

    # Back to the rankings, download the CSV.
    page.goto(live_server.url + scene.round_2024.get_absolute_url())
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh CSV").click()
    download = info.value
    assert download.suggested_filename == f"smartcity-results-{scene.round_2024.slug}.csv"
    with open(download.path(), encoding="utf-8") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert [r["region_name"] for r in csv_rows][:1] == [
        scene.results_2024[0].participation.region.name
    ]
    assert len(csv_rows) == 4
    assert console_errors == []


def test_other_public_pages_are_accessible(page: Page, live_server, published, axe) -> None:
    scene = published
    pages = {
        "public_map": "/map/",
        "public_methodology": scene.instrument.get_absolute_url(),
        "public_opendata": "/data/",
        "public_provinces": f"/rounds/{scene.round_2024.slug}/provinces/",
        "public_metrics": f"/rounds/{scene.round_2024.slug}/scores/",
        "public_metric": f"/rounds/{scene.round_2024.slug}/scores/governance/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        screenshot(page, name)
        _assert_accessible(axe, page, name)


def test_printed_profile_keeps_the_charts(page: Page, live_server, published) -> None:
    page.goto(live_server.url + "/regions/kota-bekasi/")
    page.emulate_media(media="print")
    expect(page.locator("header.portal-header")).to_be_hidden()
    expect(page.locator("svg[aria-labelledby^='chart-radar-title']")).to_be_visible()
    screenshot(page, "public_region_print")


def test_printed_methodology_has_every_section_and_level(
    page: Page, live_server, published, tmp_path
) -> None:
    """On screen the sections below the first screen wait to be rendered (content-visibility)
    and the level descriptions are folded; on paper all of it is there."""
    instrument = published.instrument
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + instrument.get_absolute_url())
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('#indicators')).contentVisibility"
        )
        == "auto"
    )
    expect(page.locator("details.indicator[open]")).to_have_count(0)
    pdf = tmp_path / "methodology.pdf"
    page.pdf(path=str(pdf))
    printed = pdf_text(pdf)
    for indicator in instrument.indicators.all():
        assert indicator.code in printed
        for _level, description in indicator.descriptors:
            if description:
                assert " ".join(description.split()) in printed, (indicator.code, description)
    page.emulate_media(media="print")
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('#indicators')).contentVisibility"
        )
        == "visible"
    )


def test_language_switch_and_keyboard_use_of_the_map(page: Page, live_server, published) -> None:
    page.goto(live_server.url + "/map/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Bahasa").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/map/$"))
    # A map marker is a link a keyboard reaches and opens (the list below centres the map on
    # a region, so that its own marker is shown).
    page.goto(live_server.url + "/map/?region=kota-bandung")
    marker = page.locator("svg.chart-map a.map-point[href='/regions/kota-bandung/']")
    marker.focus()
    expect(marker).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/regions/kota-bandung/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
