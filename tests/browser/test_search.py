"""Finding a region from any public page, in Chromium: the header search, its results page,
and the compare picker's typeahead (a native datalist, so no script is needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import screenshot
from tests.public.scene import Scene, make_scene

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(transactional_db, kota_bekasi, kota_bandung) -> Iterator[Scene]:
    cache.clear()
    instrument = factories.make_instrument(code="instrumen-2024", is_default=True)
    yield make_scene(instrument, kota_bekasi, kota_bandung)
    cache.clear()


def test_header_search_finds_a_region_despite_a_typo(
    page: Page, live_server, published, axe, console_errors
) -> None:
    page.goto(live_server.url + "/map/")
    box = page.get_by_role("searchbox", name="Cari wilayah (nama atau kode)")
    box.fill("Kab. Bandng")  # a typo, and the wrong kind: there is only Kota Bandung
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Kab\.\+Bandng$"))
    expect(page.locator("h2[role=status]")).to_contain_text("1 wilayah")
    page.get_by_label("Nama atau kode Kemendagri kabupaten/kota").fill("bandng")
    page.locator("#main").get_by_role("button", name="Cari").click()
    expect(page.locator(".search-results a")).to_have_text(["Kota Bandung"])
    screenshot(page, "search_results")
    assert axe() == []
    page.locator(".search-results a").first.click()
    expect(page).to_have_url(re.compile(r"/regions/kota-bandung/$"))
    # By code, without the dot.
    page.get_by_role("searchbox", name="Cari wilayah (nama atau kode)").fill("3275")
    page.keyboard.press("Enter")
    expect(page.locator(".search-results a")).to_have_text(["Kota Bekasi"])
    assert console_errors == []


def test_compare_typeahead_without_javascript(browser, live_server, published) -> None:
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/regions/kota-bekasi/")
        page.get_by_role("link", name="Bandingkan dengan wilayah lain").click()
        expect(page.locator(".alert-danger")).to_have_count(0)
        expect(page.locator("#compare-regions option")).to_have_count(4)
        page.get_by_label("Wilayah 2").fill("Kota Bandung (32.73)")
        screenshot(page, "compare_picker_no_js")
        page.get_by_role("button", name="Bandingkan", exact=True).click()
        expect(page).to_have_url(
            re.compile(r"/compare/\?regions=kota-bekasi&regions=kota-bandung$")
        )
        expect(page.locator("table.compare-table thead")).to_contain_text("Kota Bandung")
    finally:
        context.close()
