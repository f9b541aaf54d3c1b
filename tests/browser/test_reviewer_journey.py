"""The reviewer workspace end to end, in Chromium, on the demo dataset (``load_demo``) with
the demo users:

``manager`` opens the draft round "Evaluasi 2027 Tahap I (DEMO)" and seats ``reviewer`` as
lead of Kota Bekasi's panel; ``reviewer`` scores every indicator and completes the review,
then, as lead, verifies the levels (raising one by hand); ``manager`` fills in the other
participants' levels through the XLSX template, finalises and publishes; an anonymous
reader then sees the published round and Kota Bekasi's result.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from evaluations.demo.build import build_demo
from evaluations.models import Publication, Result, Round, RoundStatus
from evaluations.services.scores_io import COLUMNS
from tests.browser.conftest import pass_second_factor, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ROUND_NAME = "Evaluasi 2027 Tahap I (DEMO)"


@pytest.fixture
def demo():
    call_command("load_reference", verbosity=0)
    build_demo(today=timezone.localdate())
    return Round.objects.get(name=ROUND_NAME)


def login(page: Page, live_server, username: str) -> None:
    """Like the harness's ``login_as``, but finds the fields by id: Django's Indonesian
    catalogue labels the password "Sandi", where ``login_as`` looks for "Kata sandi"."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo12345")
    page.get_by_role("button", name="Masuk").last.click()
    page.wait_for_load_state()
    pass_second_factor(page, username)


def logout(page: Page) -> None:
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_load_state()


def assert_accessible(axe) -> None:
    violations = axe()
    assert violations == [], [
        (v["id"], [(n["target"], n.get("failureSummary", "")[:200]) for n in v["nodes"][:3]])
        for v in violations
    ]


def fill_template(path: Path) -> Path:
    """The manager's offline work: a level for every row the template left empty."""
    workbook = load_workbook(path)
    sheet = workbook["nilai"]
    level_col = COLUMNS.index("level") + 1
    for i, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        cell = row[level_col - 1]
        if cell.value is None:
            cell.value = 1 + (i * 7) % 5  # 1–5, varied so the ranking has some spread
    filled = path.with_name("nilai-terisi.xlsx")
    workbook.save(filled)
    return filled


def test_round_from_draft_to_published_result(page: Page, live_server, demo, axe, tmp_path):
    round_ = demo
    page.on("dialog", lambda dialog: dialog.accept())
    errors: list[tuple[str, str]] = []
    page.on(
        "console",
        lambda msg: errors.append((page.url, msg.text)) if msg.type == "error" else None,
    )

    # 1. The manager opens the round, closes the self-assessment early (with a reason, so
    #    that the test needs no waiting) and seats the reviewer as lead of Kota Bekasi.
    login(page, live_server, "manager")
    page.get_by_role("link", name="Kelola putaran", exact=True).click()
    page.get_by_role("link", name=ROUND_NAME).click()
    page.get_by_role("button", name="Buka penilaian mandiri").click()
    expect(page.get_by_text("Penilaian mandiri dibuka.").first).to_be_visible()
    page.get_by_label("Alasan menutup penilaian mandiri lebih awal").fill(
        "Uji alur penilaian (demo)"
    )
    page.get_by_role("button", name="Mulai tahap penilaian").click()
    expect(page.get_by_text("Tahap penilaian dimulai")).to_be_visible()

    page.get_by_role("link", name="Kota Bekasi", exact=True).click()
    page.get_by_role("combobox", name="Penilai").select_option(label="Rudi Penilai (reviewer)")
    page.get_by_label("Jadikan ketua panel").check()
    page.get_by_role("button", name="Simpan panel").click()
    expect(page.get_by_text("Panel penilai diperbarui.")).to_be_visible()
    screenshot(page, "reviewer-01-panel-assigned")
    logout(page)

    # 2. The reviewer scores every indicator as a draft, then completes the review.
    login(page, live_server, "reviewer")
    expect(page).to_have_url(re.compile(r"/review/$"))
    screenshot(page, "reviewer-02-my-assignments")
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("2027")))
    section.get_by_role("link", name="Nilai Kota Bekasi").click()
    cards = page.locator("article.indicator-card")
    total = round_.instrument.indicators.count()
    # to_have_count waits for the whole page; count() alone can read a half-parsed one.
    expect(cards).to_have_count(total)
    assert_accessible(axe)
    for i in range(total):
        card = cards.nth(i)
        card.get_by_role("radio", name="3", exact=True).check()
        if i == 0:
            card.get_by_label("Catatan").fill("Perwal terbit, implementasi belum merata.")
        card.get_by_role("button", name=re.compile("^Simpan draf")).click()
        expect(cards.nth(i).get_by_role("status")).to_contain_text("Tersimpan")
    expect(page.locator("#my-progress")).to_contain_text(f"{total}/{total}")
    screenshot(page, "reviewer-03-scored")
    page.get_by_role("button", name="Tandai penilaian selesai").click()
    expect(page.get_by_text("Penilaian Anda ditandai selesai.")).to_be_visible()

    # 3. As panel lead: take the levels the panel agrees on, then raise one by hand.
    page.get_by_role("link", name="Panel dan level terverifikasi").click()
    page.get_by_role("button", name="Tetapkan level yang disepakati panel").click()
    expect(page.get_by_text(f"{total} level terverifikasi diambil")).to_be_visible()
    row = page.locator("tr", has_text="BL-01")
    row.get_by_label("Level terverifikasi BL-01").select_option("4")
    row.get_by_label("Catatan verifikasi BL-01").fill("Bukti tambahan saat tinjauan lapangan")
    row.get_by_role("button", name="Simpan BL-01").click()
    expect(page.locator("tr", has_text="BL-01").get_by_role("status")).to_contain_text(
        "Tersimpan: level 4"
    )
    assert_accessible(axe)
    screenshot(page, "reviewer-04-panel")
    logout(page)

    # 4. The manager fills in the other participants through the XLSX template, finalises
    #    and publishes.
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/{round_.slug}/")
    # The template and the upload are background jobs: each has a page that says when it is
    # done and offers the file or the way back to the round.
    page.get_by_role("button", name="Templat nilai XLSX").click()
    expect(page.get_by_text("Pekerjaan selesai.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Unduh nilai-.*\.xlsx")).click()
    template = tmp_path / "nilai.xlsx"
    download.value.save_as(template)
    page.get_by_role("link", name="Lanjutkan").click()
    page.get_by_role("link", name="Unggah nilai").click()
    page.get_by_label("Berkas nilai (XLSX atau CSV)").set_input_files(fill_template(template))
    page.get_by_role("button", name="Periksa dan pratinjau").click()
    # Every row is checked by a background job (a national file has 30,000); its page
    # leads to the preview (issue 12): what would change, nothing saved yet.
    expect(page.get_by_text("Belum ada yang disimpan: buka pratinjau")).to_be_visible()
    page.get_by_role("link", name="Lanjutkan").click()
    expect(page.get_by_text("Belum ada yang disimpan")).to_be_visible()
    assert_accessible(axe)
    screenshot(page, "reviewer-04b-upload-preview")
    page.get_by_role("button", name="Terapkan unggahan").click()
    expect(page.get_by_text("Unggahan tersimpan")).to_be_visible()
    page.get_by_role("link", name="Lanjutkan").click()

    page.get_by_role("button", name="Finalisasi dan hitung hasil").click()
    expect(page.get_by_text("Putaran difinalisasi dan hasil dihitung.")).to_be_visible()
    page.get_by_role("link", name="Hasil", exact=True).click()
    # Kota Bekasi: Baseline (4, 3, 3, 3) = 3.25, every other component 3.00; weights
    # 10/20/30/30/10: (32.5 + 270) / 100 = 3.025, rounded half-up: 3.03 (written 3,03).
    bekasi_row = page.locator("tr", has_text="Kota Bekasi")
    expect(bekasi_row).to_contain_text("3,03")
    assert_accessible(axe)
    screenshot(page, "reviewer-05-results")
    page.get_by_role("link", name=ROUND_NAME).click()
    page.get_by_label("Catatan publikasi (opsional)").fill("Pengumuman hasil evaluasi (demo)")
    page.get_by_role("button", name="Publikasikan hasil").click()
    expect(page.get_by_text("Hasil dipublikasikan.")).to_be_visible()
    assert_accessible(axe)
    screenshot(page, "reviewer-06-published")
    logout(page)

    # 5. An anonymous reader sees the published round and Kota Bekasi's result.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text(ROUND_NAME).first).to_be_visible()
    try:
        rankings = reverse("public:rankings", kwargs={"round_slug": round_.slug})
    except NoReverseMatch:  # the public pages land separately; the home page lists the round
        rankings = None
    if rankings:
        page.goto(f"{live_server.url}{rankings}")
        expect(page.locator("tr", has_text="Kota Bekasi").first).to_contain_text("3,03")
        screenshot(page, "reviewer-07-public-rankings")

    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    bekasi = Result.objects.published().get(
        participation__round=round_, participation__region__name="Kota Bekasi"
    )
    assert str(bekasi.index) == "3.03"
    snapshot = Publication.objects.get(round=round_).snapshot
    assert {"region": "Kota Bekasi", "index": "3.03"}.items() <= next(
        r for r in snapshot if r["region"] == "Kota Bekasi"
    ).items()
    assert len(snapshot) == round_.participations.count()
    assert [e for e in errors if "/review/" in e[0]] == []
