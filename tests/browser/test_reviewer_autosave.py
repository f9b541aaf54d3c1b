"""A reviewer's drafts are never lost: "Simpan semua" saves every changed card at once,
a card saves itself when a level is chosen, and what is still unsaved when the reviewer
leaves the page is sent on the way out. None of it logs a console error (CSP included)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Score
from tests.browser.conftest import login_as, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_scores(count: int, timeout: float = 5.0) -> dict[str, tuple[int, str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scores = {s.indicator.code: (s.level, s.comment) for s in Score.objects.all()}
        if len(scores) >= count:
            return scores
        time.sleep(0.1)
    return {s.indicator.code: (s.level, s.comment) for s in Score.objects.all()}


def test_save_all_saves_every_changed_card_without_console_errors(
    page: Page, live_server, bekasi_under_review, console_errors
):
    participation = bekasi_under_review
    indicators = list(participation.round.instrument.indicators.order_by("order")[:3])
    login_as(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/participations/{participation.pk}/")
    save_all = page.get_by_role("button", name="Simpan semua")
    expect(save_all).to_be_visible()
    # Comments typed into three cards (a comment alone waits for a pause before it saves),
    # then levels picked with the keyboard; "Simpan semua" sends them all at once.
    for level, indicator in enumerate(indicators, start=2):
        card = page.locator(f"#ind-{indicator.pk}")
        card.get_by_label("Catatan").fill(f"Catatan {indicator.code}")
        card.get_by_role("radio", name=str(level), exact=True).check()
    save_all.click()
    expect(page.locator("[data-save-all-status]")).to_have_text("Semua perubahan tersimpan.")
    assert wait_for_scores(3) == {
        ind.code: (level, f"Catatan {ind.code}") for level, ind in enumerate(indicators, start=2)
    }
    expect(page.locator("#my-progress")).to_contain_text("3/10")
    for level, indicator in enumerate(indicators, start=2):
        expect(page.locator(f"#ind-{indicator.pk}").get_by_role("status")).to_contain_text(
            f"Tersimpan (level {level})"
        )
        expect(page.locator(f'.indicator-index-link[href="#ind-{indicator.pk}"]')).to_have_class(
            "indicator-index-link is-scored"
        )
    # A second round of changes on the same cards is not taken for a conflict: the page
    # carries each card's new version.
    first = page.locator(f"#ind-{indicators[0].pk}")
    first.get_by_role("radio", name="5", exact=True).check()
    first.get_by_label("Catatan").fill("Diubah lagi")
    save_all.click()
    expect(page.locator("[data-save-all-status]")).to_have_text("Semua perubahan tersimpan.")
    score = Score.objects.get(indicator=indicators[0])
    assert (score.level, score.comment) == (5, "Diubah lagi")
    screenshot(page, "reviewer-save-all-1366")
    assert console_errors == []


def test_a_chosen_level_saves_itself_and_nothing_is_lost_on_leaving(
    page: Page, live_server, bekasi_under_review, console_errors
):
    participation = bekasi_under_review
    first, second = participation.round.instrument.indicators.order_by("order")[:2]
    login_as(page, live_server, "reviewer")
    url = f"{live_server.url}/review/participations/{participation.pk}/"
    page.goto(url)
    # Autosave: a level chosen is saved without pressing any button.
    page.locator(f"#ind-{first.pk}").get_by_role("radio", name="4", exact=True).check()
    expect(page.locator(f"#ind-{first.pk}").get_by_role("status")).to_contain_text(
        "Tersimpan (level 4)"
    )
    assert Score.objects.get(indicator=first).level == 4
    # A level and a comment, then straight to another page before any pause: sent on leaving.
    card = page.locator(f"#ind-{second.pk}")
    card.get_by_label("Catatan").fill("Ditulis tepat sebelum pindah halaman")
    card.get_by_role("radio", name="1", exact=True).check()
    page.get_by_role("link", name="Penugasan saya").first.click()
    page.wait_for_load_state()
    scores = wait_for_scores(2)
    assert scores[second.code] == (1, "Ditulis tepat sebelum pindah halaman")
    # Back on the page, the draft is there.
    page.goto(url)
    again = page.locator(f"#ind-{second.pk}")
    expect(again.get_by_role("radio", name="1", exact=True)).to_be_checked()
    expect(again.get_by_label("Catatan")).to_have_value("Ditulis tepat sebelum pindah halaman")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(f"#ind-{second.pk}").scroll_into_view_if_needed()
    screenshot(page, "reviewer-autosave-390")
    assert console_errors == []
