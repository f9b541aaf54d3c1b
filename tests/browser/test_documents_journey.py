"""Official documents end to end: a manager sets the letterhead, issues the letters and
downloads them all as one ZIP through a background job; the city downloads its own letter;
anyone verifies it from the address printed under its QR code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from evaluations.documents.models import Document
from evaluations.models import Attendee, AttendeeSide
from evaluations.services import rounds as round_svc
from tests import factories
from tests.browser.conftest import login_as, screenshot
from tests.documents.conftest import LETTERHEAD
from tests.reviewer import factories as rf
from tests.reviewer.test_field_reviews import schedule


@pytest.fixture
def published_round(transactional_db):
    province = factories.make_province("32", "Jawa Barat")
    bekasi = factories.make_region("32.75", "Kota Bekasi", province=province)
    bandung = factories.make_region("32.73", "Kota Bandung", province=province)
    manager = factories.make_manager("manager")
    reviewer = factories.make_reviewer("reviewer")
    factories.make_operator(bekasi, "bekasi")
    scenario = rf.make_scenario(bekasi, bandung, reviewer)
    factories.ensure_dimensions()
    rf.verify(scenario.bekasi, manager, level=4)
    rf.verify(scenario.bandung, manager, level=3)
    review = schedule(scenario.bekasi, reviewer)
    Attendee.objects.create(
        field_review=review,
        name="Drs. Reny Hendrawati",
        position="Sekretaris Daerah",
        side=AttendeeSide.REGION,
    )
    round_svc.round_finalise(round=scenario.round, by=manager)
    round_svc.round_publish(round=scenario.round, by=manager, note="Hasil resmi")
    return scenario.round


def assert_accessible(axe) -> None:
    violations = axe()
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_letters_from_letterhead_to_verification(page: Page, live_server, published_round, axe):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # 1. The manager fills the letterhead and issues the letters.
    login_as(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/{published_round.slug}/")
    page.get_by_role("link", name="Dokumen resmi").click()
    expect(page.get_by_role("heading", name=re.compile("Dokumen resmi"))).to_be_visible()
    expect(page.get_by_role("button", name="Terbitkan 2 surat hasil")).to_be_disabled()
    for name, value in LETTERHEAD.items():
        page.locator(f"[name={name}]").fill(value)
    page.get_by_role("button", name="Simpan kop surat").click()
    expect(page.get_by_text("Kop surat tersimpan sebagai versi baru.")).to_be_visible()
    page.get_by_role("button", name="Terbitkan 2 surat hasil").click()
    expect(page.get_by_text("2 surat hasil diterbitkan.")).to_be_visible()
    first = Document.objects.get(sequence=1)
    assert first.number.startswith("001/DJAI/SC/")
    expect(page.get_by_role("rowheader", name=first.number)).to_be_visible()
    screenshot(page, "documents-01-manager-page")
    assert_accessible(axe)

    # 2. Every letter in one ZIP, from a job with a progress page.
    page.get_by_role("button", name="Unduh semua surat hasil (ZIP)").click()
    expect(page).to_have_url(re.compile(r"/jobs/"))
    expect(page.get_by_text("2 surat hasil dikemas dalam satu berkas ZIP.")).to_be_visible()
    screenshot(page, "documents-02-zip-job")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh")).first.click()
    assert download.value.suggested_filename == f"surat-hasil-{published_round.slug}.zip"
    page.context.clear_cookies()

    # 3. Kota Bekasi's operator finds the letter in the workspace.
    login_as(page, live_server, "bekasi")
    page.goto(f"{live_server.url}/city/kota-bekasi/")
    page.get_by_role("link", name="Dokumen", exact=True).click()
    letter = Document.objects.get(participation__region__slug="kota-bekasi")
    expect(page.get_by_role("cell", name=letter.number, exact=True)).to_be_visible()
    screenshot(page, "documents-03-city-documents")
    assert_accessible(axe)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    assert download.value.suggested_filename == letter.filename
    page.context.clear_cookies()

    # 4. Anyone, on a phone, checks the letter at its printed address.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/verify/{letter.code}/")
    expect(page.get_by_text("Dokumen ini asli dan berlaku.")).to_be_visible()
    expect(page.get_by_text(letter.number, exact=True)).to_be_visible()
    screenshot(page, "documents-04-verify-phone")
    assert_accessible(axe)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []  # no CSP violation, no failed resource on the way
    # An unknown code: a clear page (answered 404, which the console reports).
    page.goto(f"{live_server.url}/verify/bukan-kode-asli/")
    expect(page.get_by_text("Tidak ada dokumen dengan kode verifikasi ini.")).to_be_visible()
    screenshot(page, "documents-05-verify-unknown")
