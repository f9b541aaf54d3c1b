"""End to end, as Kota Bekasi's Diskominfo operator: add a programme with a file, fill and
submit the open round's self-assessment, and find it locked. On the way, a validation
error on each form must keep everything that was typed, and so must a session that ends
while the operator types."""

from __future__ import annotations

import importlib.util
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.models import (
    ComponentCode,
    Indicator,
    Participation,
    Programme,
    RoundStatus,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
)
from tests import factories
from tests.browser.conftest import login_as, screenshot
from tests.city import files

DEMO_READY = (
    importlib.util.find_spec("evaluations.services.rounds") is not None
    and "load_reference" in get_commands()
)


@pytest.fixture
def open_demo_round(transactional_db):
    """The open demo round, from ``load_demo`` once its prerequisites are on main, else
    the same cast built with factories (``bekasi`` operating Kota Bekasi 32.75)."""
    if DEMO_READY:
        call_command("load_reference", verbosity=0)
        call_command("load_demo", verbosity=0)
        return Participation.objects.get(
            region__code="32.75", round__status=RoundStatus.SELF_ASSESSMENT
        ).round
    province = factories.make_province("32", "Jawa Barat")
    region = factories.make_region("32.75", "Kota Bekasi", province=province)
    factories.make_operator(region, "bekasi")
    factories.make_agency(region, "Dinas Perhubungan")
    instrument = factories.make_instrument(indicators_per_component=1)
    Indicator.objects.create(
        instrument=instrument,
        code="BL-99",
        name="Peningkatan sejak evaluasi sebelumnya",
        component=ComponentCode.BASELINE,
        order=99,
        **{f"level_{lv}": f"Deskripsi level {lv}" for lv in range(6)},
    )
    today = timezone.localdate()
    round_ = factories.make_round(
        instrument=instrument,
        year=2026,
        phase=2,
        status=RoundStatus.SELF_ASSESSMENT,
        name="Evaluasi 2026 Tahap II (DEMO)",
        slug="demo-evaluasi-2026-tahap-2",
        self_assessment_opens=today - timedelta(days=14),
        self_assessment_closes=today + timedelta(days=30),
        review_ends=today + timedelta(days=90),
    )
    factories.make_participation(round_, region)
    return round_


def _fill_cards(page: Page, evidence_label: str, narrative: str) -> int:
    cards = page.locator("section.indicator-card")
    for index in range(cards.count()):
        card = cards.nth(index)
        card.get_by_text("Level 3", exact=True).click()
        card.locator("textarea").fill(f"{narrative} {index + 1}")
        card.locator("details summary").click()
        card.get_by_label(re.compile(re.escape(evidence_label))).check()
    return cards.count()


@pytest.mark.django_db(transaction=True)
def test_bekasi_adds_a_programme_and_submits_the_self_assessment(
    page: Page, live_server, open_demo_round, tmp_path, console_errors, axe
):
    page.on("dialog", lambda dialog: dialog.accept())
    pdf = tmp_path / "sk-smart-parking.pdf"
    pdf.write_bytes(files.PDF)

    login_as(page, live_server, "bekasi")
    expect(page).to_have_url(re.compile(r"/city/kota-bekasi/$"))
    expect(page.get_by_role("heading", name="Dasbor ruang kerja")).to_be_visible()
    screenshot(page, "city-dashboard")
    assert axe() == []

    # --- A programme with a file; a mistake first ---
    page.get_by_role("link", name="Program", exact=True).click()
    page.get_by_role("link", name="Tambah program").first.click()
    page.get_by_label("Nama program").fill("Smart Parking Kota Bekasi")
    page.get_by_label("Dimensi").select_option(label="Smart Living")
    elements = page.locator("select[data-element-select] option")
    expect(elements).to_have_count(4)  # the empty choice and Smart Living's three elements
    page.get_by_label("Elemen").select_option(index=3)
    page.get_by_label("Status").select_option(label="Berjalan")
    page.get_by_label("Tahun mulai").fill("2024")
    page.get_by_label("Tahun selesai").fill("2021")
    page.get_by_label("Anggaran (Rp)").fill("2500000000")
    page.get_by_label("Deskripsi").fill("Parkir pintar dengan sensor\ndan pembayaran nontunai.")
    page.get_by_label("Unggah bukti dukung").set_input_files(str(pdf))
    page.get_by_role("button", name="Simpan program").click()

    expect(page.get_by_text("Tahun selesai tidak boleh sebelum tahun mulai.")).to_be_visible()
    expect(page.get_by_label("Nama program")).to_have_value("Smart Parking Kota Bekasi")
    expect(page.get_by_label("Deskripsi")).to_have_value(
        "Parkir pintar dengan sensor\ndan pembayaran nontunai."
    )
    expect(page.get_by_label("Anggaran (Rp)")).to_have_value("2.500.000.000")
    expect(page.get_by_text("tidak perlu diunggah ulang")).to_be_visible()
    screenshot(page, "city-programme-error")
    page.get_by_label("Tahun selesai").fill("2027")
    page.get_by_role("button", name="Simpan program").click()

    expect(page.get_by_role("heading", name="Smart Parking Kota Bekasi")).to_be_visible()
    expect(page.get_by_text("Rp 2.500.000.000")).to_be_visible()
    expect(page.get_by_role("link", name="sk-smart-parking")).to_be_visible()
    screenshot(page, "city-programme-detail")
    programme = Programme.objects.get(title="Smart Parking Kota Bekasi")
    assert programme.region.code == "32.75"
    assert [e.original_name for e in programme.evidence.all()] == ["sk-smart-parking.pdf"]

    # --- The self-assessment of the open round ---
    page.get_by_role("link", name="Dasbor", exact=True).click()
    page.get_by_role("link", name="Isi penilaian mandiri").first.click()
    expect(page.get_by_role("heading", name=re.compile("Penilaian mandiri"))).to_be_visible()
    page.locator(".sa-sections a").first.click()

    evidence_label = "Smart Parking Kota Bekasi › sk-smart-parking"
    filled = _fill_cards(page, evidence_label, "Narasi capaian yang diketik dengan teliti")
    first = page.locator("section.indicator-card").first
    first.get_by_label("atau tambahkan tautan").fill("bukan-sebuah-tautan")
    page.get_by_role("button", name="Simpan draf").click()

    expect(page.get_by_text("Draf belum disimpan")).to_be_visible()
    first = page.locator("section.indicator-card").first
    expect(first.locator("textarea")).to_have_value("Narasi capaian yang diketik dengan teliti 1")
    expect(first.get_by_label(re.compile("^Level 3"))).to_be_checked()
    expect(first.get_by_label(re.compile(re.escape(evidence_label)))).to_be_checked()
    expect(first.get_by_label("atau tambahkan tautan")).to_have_value("bukan-sebuah-tautan")
    screenshot(page, "city-self-assessment-error")
    assert axe() == []
    first.get_by_label("atau tambahkan tautan").fill("")
    page.get_by_role("button", name=re.compile("^Simpan dan")).click()

    while "/penilaian-mandiri/" in page.url and page.locator("section.indicator-card").count():
        filled += _fill_cards(page, evidence_label, "Narasi capaian")
        page.get_by_role("button", name=re.compile("^Simpan dan")).click()
        expect(page.get_by_text("Draf disimpan")).to_be_visible()
    total = open_demo_round.instrument.indicators.count()
    assert filled == total

    # Back on the overview: nothing missing, submit.
    expect(page.get_by_text("Semua indikator sudah terjawab dan berbukti")).to_be_visible()
    page.get_by_role("button", name="Kirim penilaian mandiri").click()
    expect(page.get_by_text("Penilaian mandiri terkirim")).to_be_visible()
    expect(page.locator(".sa-locked")).to_contain_text("Jawaban terkunci")
    expect(page.get_by_role("button", name="Kirim penilaian mandiri")).to_have_count(0)
    screenshot(page, "city-self-assessment-submitted")

    page.locator(".sa-sections a").first.click()
    expect(page.locator("input[type=radio]")).to_have_count(0)
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_text("Narasi capaian yang diketik dengan teliti 1")).to_be_visible()
    screenshot(page, "city-self-assessment-locked")

    participation = Participation.objects.get(round=open_demo_round, region__code="32.75")
    assert participation.self_assessment_status == SelfAssessmentStatus.SUBMITTED
    answers = participation.answers.all()
    assert answers.count() == total
    assert {a.claimed_level for a in answers} == {3}
    assert all(programme.evidence.first() in a.evidence.all() for a in answers)
    assert console_errors == [], "\n".join(console_errors)


@pytest.mark.django_db(transaction=True)
def test_typed_narrative_survives_an_expired_session(
    page: Page, live_server, open_demo_round, console_errors
):
    login_as(page, live_server, "bekasi")
    page.get_by_role("link", name="Isi penilaian mandiri").first.click()
    page.locator(".sa-sections a").first.click()
    card = page.locator("section.indicator-card").first
    card.get_by_text("Level 2", exact=True).click()
    card.locator("textarea").fill("Satu jam mengetik narasi ini")

    # The session ends (idle timeout, logout in another tab); the CSRF cookie stays.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_role("button", name="Simpan draf").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_text("Sesi Anda sudah berakhir")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("bekasi")
    page.get_by_label(re.compile("sandi", re.IGNORECASE)).fill("demo12345")
    page.get_by_role("button", name="Masuk").last.click()

    card = page.locator("section.indicator-card").first
    expect(card.locator("textarea")).to_have_value("Satu jam mengetik narasi ini")
    expect(card.get_by_label(re.compile("^Level 2"))).to_be_checked()
    expect(page.get_by_text("ditampilkan kembali")).to_be_visible()
    screenshot(page, "city-session-restored")
    assert not SelfAssessmentAnswer.objects.filter(narrative__startswith="Satu jam").exists()

    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf disimpan")).to_be_visible()
    assert SelfAssessmentAnswer.objects.filter(narrative="Satu jam mengetik narasi ini").exists()
    assert console_errors == [], "\n".join(console_errors)
