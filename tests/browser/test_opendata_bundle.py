"""An open-data bundle in the browser: an anonymous reader asks for the ZIP of every
published round on the open-data page, watches it wait in the queue and finish without a
reload (htmx polls the status fragment) once a worker has run it, and downloads it; the page
is accessible and fits a phone."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import screenshot
from tests.public.scene import make_scene

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_asks_for_the_zip_watches_it_and_downloads_it(
    page: Page, live_server, kota_bekasi, kota_bandung, task_queue, axe, console_errors
):
    instrument = factories.make_instrument(code="instrumen-2024", is_default=True)
    scene = make_scene(instrument, kota_bekasi, kota_bandung)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/data/")
    screenshot(page, "bundle-00-opendata-phone")
    violations = axe()
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    page.get_by_role("button", name="Buat ZIP seluruh putaran").click()

    expect(page.get_by_role("status")).to_contain_text("Menunggu")
    screenshot(page, "bundle-01-queued-phone")
    violations = axe()
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    page.evaluate("document.body.dataset.sameDocument = 'yes'")

    call_command("worker", batch=True, verbosity=0)

    expect(page.get_by_text("Paket siap.")).to_be_visible(timeout=10_000)
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    expect(page.get_by_text("11 dari 11 berkas")).to_be_visible()
    screenshot(page, "bundle-02-done-phone")
    violations = axe()
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh smartcity-data-all.zip").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        package = json.loads(archive.read("datapackage.json"))
        assert {r["path"] for r in package["resources"]} <= set(archive.namelist())
        rounds = {r["round"] for r in json.loads(archive.read("results.json"))["results"]}
    assert rounds == {scene.round_2023.slug, scene.round_2024.slug}
    assert console_errors == []
