"""Kota Bekasi's operator picks evidence by searching and previews it, submits the
self-assessment and gets a receipt and a "what happens next" panel on the page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from evaluations.models import (
    Evidence,
    RoundStatus,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
)
from tests import factories, pdfs
from tests.browser.conftest import login_as, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 160), (25, 135, 84)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def bekasi_drafting():
    province = factories.make_province("32", "Jawa Barat")
    region = factories.make_region("32.75", "Kota Bekasi", province=province)
    factories.make_operator(region, "bekasi", first_name="Sari", last_name="Operator")
    instrument = factories.make_instrument(indicators_per_component=1)
    today = timezone.localdate()
    round_ = factories.make_round(
        instrument=instrument,
        year=2026,
        phase=2,
        status=RoundStatus.SELF_ASSESSMENT,
        name="Evaluasi 2026 Tahap II",
        slug="evaluasi-2026-tahap-2",
        self_assessment_opens=today - timedelta(days=14),
        self_assessment_closes=today + timedelta(days=30),
        review_ends=today + timedelta(days=90),
    )
    participation = factories.make_participation(
        round_, region, self_assessment_status=SelfAssessmentStatus.DRAFT
    )
    photo = Evidence(region=region, title="Foto ruang command center")
    photo.original_name = "command-center.png"
    photo.content_type = "image/png"
    photo.file.save("command-center.png", ContentFile(png_bytes()), save=True)
    for title in ("Perwal Smart City 2024", "SK Dewan Smart City", "Laporan Mal Pelayanan"):
        Evidence.objects.create(region=region, title=title, url="https://example.org/bukti")
    for indicator in instrument.indicators.all():
        answer = SelfAssessmentAnswer.objects.create(
            participation=participation,
            indicator=indicator,
            claimed_level=2,
            narrative=f"Narasi {indicator.code}",
        )
        answer.evidence.add(photo)
    return participation


def test_evidence_is_found_by_search_and_previewed(page: Page, live_server, bekasi_drafting):
    participation = bekasi_drafting
    page.set_viewport_size({"width": 1366, "height": 768})
    login_as(page, live_server, "bekasi")
    page.goto(
        f"{live_server.url}/city/kota-bekasi/putaran/{participation.round.slug}/penilaian-mandiri/"
    )
    page.locator(".sa-sections a").first.click()
    card = page.locator("section.indicator-card").first
    card.locator(".evidence-chooser summary").click()
    options = card.locator("[data-evidence-option]")
    expect(options).to_have_count(4)
    search = card.get_by_role("searchbox")
    search.fill("smart city")  # case and word order do not matter
    expect(options.locator("visible=true")).to_have_count(2)
    expect(card.get_by_label("Perwal Smart City 2024 (tautan)")).to_be_visible()
    expect(card.get_by_label("Foto ruang command center (command-center.png)")).to_be_hidden()
    search.fill("kantor pos")
    expect(card.get_by_text("Tidak ada bukti dukung yang cocok.")).to_be_visible()
    search.fill("command")
    expect(options.locator("visible=true")).to_have_count(1)
    search.press("Enter")  # does not submit the section
    expect(search).to_have_value("command")
    screenshot(page, "city-evidence-picker-1366")
    # The image opens in its own sandboxed preview, the same file as the download.
    with page.context.expect_page() as opened:
        card.get_by_role("link", name=re.compile("^Pratinjau")).click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator("img")).to_be_visible()
    assert "preview=1" in preview.url
    preview.close()


def test_a_pdf_in_the_picker_opens_as_images_of_its_pages(page: Page, live_server, bekasi_drafting):
    participation = bekasi_drafting
    errors: list[str] = []  # of every tab, the new one included (CSP violations too)
    page.context.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pdf = Evidence(region=participation.region, title="Perwal Smart City (PDF)")
    pdf.original_name = "perwal.pdf"
    pdf.content_type = "application/pdf"
    pdf.file.save("perwal.pdf", ContentFile(pdfs.with_pages(2)), save=True)
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(page, live_server, "bekasi")
    page.goto(
        f"{live_server.url}/city/kota-bekasi/putaran/{participation.round.slug}/penilaian-mandiri/"
    )
    page.locator(".sa-sections a").first.click()
    card = page.locator("section.indicator-card").first
    card.locator(".evidence-chooser summary").click()
    option = card.locator("[data-evidence-option]", has_text="Perwal Smart City (PDF)")
    with page.context.expect_page() as opened:
        option.get_by_role("link", name=re.compile("^Pratinjau")).click()
    preview = opened.value
    preview.set_viewport_size({"width": 390, "height": 844})  # a new tab has the default size
    preview.wait_for_load_state()
    expect(preview.get_by_role("img", name="Halaman 1 dari 2")).to_be_visible()
    assert preview.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(preview, "city-evidence-pdf-pages-390")
    preview.close()
    assert errors == []


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_after_submitting_a_receipt_and_next_steps_show(
    page: Page, live_server, bekasi_drafting, viewport
):
    participation = bekasi_drafting
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, live_server, "bekasi")
    page.goto(
        f"{live_server.url}/city/kota-bekasi/putaran/{participation.round.slug}/penilaian-mandiri/"
    )
    expect(page.get_by_role("heading", name="Tanda terima")).to_have_count(0)
    page.get_by_role("button", name="Kirim penilaian mandiri").click()
    receipt = page.locator("section.receipt")
    expect(receipt).to_be_visible()
    participation.refresh_from_db()
    reference = f"PM-{participation.pk}-{timezone.localtime(participation.submitted_at):%Y%m%d%H%M}"
    expect(receipt).to_contain_text(reference)
    expect(receipt).to_contain_text("Sari Operator")
    answers = participation.answers.count()
    expect(receipt.locator("dd").nth(3)).to_have_text(str(answers))
    expect(receipt.locator("dd").nth(4)).to_have_text(str(answers))
    steps = page.locator("section.next-steps")
    expect(steps.get_by_role("heading", name="Apa yang terjadi selanjutnya")).to_be_visible()
    expect(steps.locator("li")).to_have_count(4)
    expect(steps.get_by_role("link", name="Tinjauan lapangan")).to_have_attribute(
        "href", "/city/kota-bekasi/tinjauan-lapangan/"
    )
    receipt.scroll_into_view_if_needed()
    page.screenshot(path=f"test-artifacts/screenshots/city-receipt-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
