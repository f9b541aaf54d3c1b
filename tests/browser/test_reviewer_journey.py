"""The reviewer workspace end to end, in Chromium, as the demo users would walk it:

``manager`` opens the round and seats ``reviewer`` as panel lead of Kota Bekasi;
``reviewer`` scores every indicator and completes the review, then (as lead) verifies the
levels; ``manager`` finalises and publishes; an anonymous reader then sees the result.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Result, RoundStatus
from tests import factories
from tests.browser.conftest import screenshot
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def journey(settings):
    """The demo cast and a draft round with Kota Bekasi (submitted) and Kota Bandung."""
    jabar = factories.make_province("32", "Jawa Barat")
    bekasi_region = factories.make_region("32.75", "Kota Bekasi", province=jabar)
    bandung_region = factories.make_region("32.73", "Kota Bandung", province=jabar)
    manager = factories.make_manager("manager")
    reviewer = factories.make_reviewer("reviewer")
    factories.make_operator(bekasi_region, "bekasi")
    factories.make_operator(bandung_region, "bandung")
    round_ = rf.make_review_round([bekasi_region, bandung_region], status=RoundStatus.DRAFT)
    bekasi = round_.participations.get(region=bekasi_region)
    bekasi.self_assessment_status = "submitted"
    bekasi.save()
    rf.add_answers(bekasi)
    return {"round": round_, "manager": manager, "reviewer": reviewer, "bekasi": bekasi}


def login(page: Page, live_server, username: str) -> None:
    """Like the harness's ``login_as``, but finds the fields by id: Django's Indonesian
    catalogue labels the password "Sandi", not "Kata sandi" as ``login_as`` expects."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo12345")
    page.get_by_role("button", name="Masuk").last.click()
    page.wait_for_load_state()


def assert_accessible(axe) -> None:
    violations = axe()
    assert violations == [], [
        (v["id"], [(n["target"], n.get("failureSummary", "")[:200]) for n in v["nodes"][:3]])
        for v in violations
    ]


def logout(page: Page) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def test_round_from_draft_to_published_result(
    page: Page, live_server, journey, axe, console_errors
):
    round_ = journey["round"]
    page.on("dialog", lambda dialog: dialog.accept())
    # Console errors (CSP violations included) on the pages of this area. The login page and
    # the public home page are not ours: base.html lets htmx inject its indicator <style>
    # there, which the CSP blocks; our layout turns that off with the htmx-config meta.
    errors: list[tuple[str, str]] = []
    page.on(
        "console",
        lambda msg: errors.append((page.url, msg.text)) if msg.type == "error" else None,
    )

    # 1. The manager opens the round, starts the review and seats the reviewer as lead.
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/")
    page.get_by_role("link", name=round_.name).click()
    page.get_by_role("button", name="Buka penilaian mandiri").click()
    expect(page.get_by_text("Penilaian mandiri dibuka.").first).to_be_visible()
    page.get_by_role("button", name="Mulai tahap penilaian").click()
    expect(page.get_by_text("Tahap penilaian dimulai")).to_be_visible()

    page.get_by_role("link", name="Kota Bekasi").click()
    page.get_by_role("combobox", name="Penilai").select_option(label="reviewer")
    page.get_by_label("Jadikan ketua panel").check()
    page.get_by_role("button", name="Simpan panel").click()
    expect(page.get_by_text("Panel penilai diperbarui.")).to_be_visible()

    # Kota Bandung never submitted: excluded with a reason, so the round can be finalised.
    page.get_by_role("link", name=round_.name).click()
    page.get_by_role("link", name="Kota Bandung").click()
    page.get_by_label("Alasan").fill("Tidak mengirim penilaian mandiri")
    page.get_by_role("button", name="Kecualikan dari penilaian").click()
    expect(page.get_by_text("Peserta dikecualikan dari penilaian.")).to_be_visible()
    screenshot(page, "reviewer-01-participant-excluded")
    logout(page)

    # 2. The reviewer scores every indicator (drafts), then completes the review.
    login(page, live_server, "reviewer")
    expect(page).to_have_url(re.compile(r"/review/$"))
    screenshot(page, "reviewer-02-my-assignments")
    page.get_by_role("link", name="Nilai Kota Bekasi").click()
    cards = page.locator("article.indicator-card")
    expect(cards).to_have_count(10)
    assert_accessible(axe)
    for i in range(10):
        card = cards.nth(i)
        card.get_by_role("radio", name="3", exact=True).check()
        if i == 0:
            card.get_by_label("Catatan").fill("Perwal terbit, implementasi belum merata.")
        card.get_by_role("button", name=re.compile("^Simpan draf")).click()
        expect(cards.nth(i).get_by_role("status")).to_contain_text("Tersimpan")
    screenshot(page, "reviewer-03-scored")
    page.get_by_role("button", name="Tandai penilaian selesai").click()
    expect(page.get_by_text("Penilaian Anda ditandai selesai.")).to_be_visible()

    # 3. As panel lead: take the levels the panel agrees on, then raise one by hand.
    page.get_by_role("link", name="Panel dan level terverifikasi").click()
    page.get_by_role("button", name="Tetapkan level yang disepakati panel").click()
    expect(page.get_by_text("10 level terverifikasi diambil")).to_be_visible()
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

    # 4. The manager finalises and publishes.
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/{round_.slug}/")
    page.get_by_role("button", name="Finalisasi dan hitung hasil").click()
    expect(page.get_by_text("Putaran difinalisasi dan hasil dihitung.")).to_be_visible()
    page.get_by_role("link", name="Hasil").first.click()
    # Baseline (3 and 4) = 3.50; every other component 3.00; weights 10/20/30/30/10:
    # (35 + 60 + 90 + 90 + 30) / 100 = 3.05, written 3,05 in Indonesian.
    expect(page.locator("tr", has_text="Kota Bekasi")).to_contain_text("3,05")
    screenshot(page, "reviewer-05-results")
    page.get_by_role("link", name=round_.name).click()
    page.get_by_label("Catatan publikasi (opsional)").fill("Pengumuman hasil evaluasi")
    page.get_by_role("button", name="Publikasikan hasil").click()
    expect(page.get_by_text("Hasil dipublikasikan.")).to_be_visible()
    assert_accessible(axe)
    screenshot(page, "reviewer-06-published")
    logout(page)

    # 5. An anonymous reader sees the published round and its result.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text(round_.name)).to_be_visible()
    result = Result.objects.published().get()
    assert str(result.index) == "3.05"
    assert result.participation.region.name == "Kota Bekasi"
    assert [e for e in errors if "/review/" in e[0]] == []
