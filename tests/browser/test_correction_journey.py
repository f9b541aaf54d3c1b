"""A published round corrected in public, in Chromium, on the demo (issue 15):

``manager`` re-opens "Evaluasi 2024 Tahap I (DEMO)" with a reason → an anonymous reader
sees the round with the "under correction since …" notice and the reason; Kota Bekasi's
levels are corrected (what the lead's verification page writes) and ``manager`` finalises
and republishes → the round's revisions page lists both revisions with what changed, and
the next round (2025 Tahap I) shows a revision of its own with Kota Bekasi's updated
improvement.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.demo.build import build_demo
from evaluations.models import Result, Round
from tests.browser.conftest import screenshot
from tests.browser.test_reviewer_journey import assert_accessible, login, logout

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "Evaluasi 2024 Tahap I (DEMO)"
NEXT = "Evaluasi 2025 Tahap I (DEMO)"


@pytest.fixture
def demo():
    call_command("load_reference", verbosity=0)
    build_demo(today=timezone.localdate())
    return Round.objects.get(name=FIRST), Round.objects.get(name=NEXT)


def test_manager_corrects_a_published_round_in_public(page: Page, live_server, demo, axe):
    first, later = demo
    page.on("dialog", lambda dialog: dialog.accept())
    bekasi_before = Result.objects.get(
        participation__round=later, participation__region__name="Kota Bekasi"
    )

    # 1. The manager re-opens the published round with a reason.
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/{first.slug}/")
    page.locator("#id_reason").fill("Level Kota Bekasi salah input")
    page.get_by_role("button", name="Buka kembali untuk penilaian").click()
    expect(page.get_by_text("Putaran dibuka kembali untuk penilaian.")).to_be_visible()
    logout(page)

    # 2. An anonymous reader still sees the round, with the notice and the reason.
    page.goto(f"{live_server.url}/rounds/{first.slug}/")
    notice = page.locator('[data-notice="correction"]')
    expect(notice).to_contain_text("Dalam koreksi sejak")
    expect(notice).to_contain_text("Level Kota Bekasi salah input")
    expect(page.locator("table").first).to_contain_text("Kota Bekasi")
    assert_accessible(axe)
    screenshot(page, "trust-01-under-correction")

    # 3. Kota Bekasi's verified levels are corrected to 1 (the lead's page writes this).
    first.participations.get(region__name="Kota Bekasi").verified_scores.update(level=1)

    # 4. The manager finalises and republishes.
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/{first.slug}/")
    page.get_by_role("button", name="Finalisasi dan hitung hasil").click()
    expect(page.get_by_text("Putaran difinalisasi dan hasil dihitung.")).to_be_visible()
    page.get_by_label("Catatan publikasi (opsional)").fill("Koreksi level Kota Bekasi")
    page.get_by_role("button", name="Publikasikan hasil").click()
    expect(page.get_by_text("Hasil dipublikasikan.")).to_be_visible()
    logout(page)

    # 5. The round's page lists both revisions and what changed for Kota Bekasi.
    page.goto(f"{live_server.url}/rounds/{first.slug}/")
    expect(page.locator('[data-notice="correction"]')).to_have_count(0)
    page.get_by_role("link", name="Semua revisi dan perubahannya").click()
    expect(page.locator("[data-revision]")).to_have_count(2)
    latest = page.locator('[data-revision="2"]')
    expect(latest).to_contain_text("Koreksi level Kota Bekasi")
    expect(latest.locator("tr", has_text="Kota Bekasi").first).to_be_visible()
    assert_accessible(axe)
    screenshot(page, "trust-02-revisions")

    # 6. The next round's improvement figures were revised in the same step.
    bekasi_after = Result.objects.get(pk=bekasi_before.pk)
    assert bekasi_after.index_change != bekasi_before.index_change
    page.goto(f"{live_server.url}/rounds/{later.slug}/revisions/")
    expect(page.locator('[data-revision="2"]')).to_contain_text(f"Revisi dari {FIRST}")
    expect(
        page.locator('[data-revision="2"]').locator("tr", has_text="Kota Bekasi").first
    ).to_be_visible()
    screenshot(page, "trust-03-next-round-revised")
    page.goto(f"{live_server.url}/rounds/{later.slug}/")
    expect(page.locator(".round-status")).to_contain_text("Revisi 2")
