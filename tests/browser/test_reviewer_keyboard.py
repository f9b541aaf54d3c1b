"""A reviewer scores and verifies with the keyboard alone: arrow keys pick a level, Tab moves
on, Enter saves, and focus stays in the indicator just saved (the card is swapped by htmx)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from evaluations.models import Score, VerifiedScore
from tests.browser.conftest import current_totp, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def focused_inside(page: Page, selector: str) -> bool:
    """Waits (up to 2 s: htmx settles the swap after a short delay) for focus in ``selector``."""
    try:
        page.wait_for_function(
            "(sel) => { const el = document.querySelector(sel); "
            "return !!el && el.contains(document.activeElement); }",
            arg=selector,
            timeout=2000,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def test_score_and_verify_without_a_mouse(page: Page, live_server, bekasi_under_review):
    participation = bekasi_under_review
    first = participation.round.instrument.indicators.order_by("order").first()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("reviewer")
    page.locator("#id_password").fill("demo12345")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The second factor, typed too: the code field has the focus on arrival.
    page.goto(f"{live_server.url}/accounts/two-factor/verify/")
    page.keyboard.type(current_totp("reviewer"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.goto(f"{live_server.url}/review/participations/{participation.pk}/")
    card = f"#ind-{first.pk}"
    # Into the level radios of the first indicator; arrows move the choice 0 → 3.
    page.locator(card).get_by_role("radio", name="0", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type("Dinilai dengan papan ketik")
    page.keyboard.press("Tab")  # the save button
    page.keyboard.press("Enter")
    expect(page.locator(card).get_by_role("status")).to_contain_text("Tersimpan (level 3)")
    # The card was replaced; focus is inside the new one, not lost to the page top.
    assert focused_inside(page, card)
    expect(page.locator("#my-progress")).to_contain_text("1/10")
    score = Score.objects.get()
    assert (score.indicator, score.level, score.comment) == (first, 3, "Dinilai dengan papan ketik")
    screenshot(page, "reviewer-keyboard-1-scored")

    # The lead's panel: the select takes arrow keys, Tab reaches the comment and the button.
    page.goto(f"{live_server.url}/review/participations/{participation.pk}/panel/")
    select = page.get_by_label(f"Level terverifikasi {first.code}")
    select.focus()
    page.keyboard.press("ArrowDown")  # "3" was suggested by the panel: 3 → 4
    page.keyboard.press("Tab")
    page.keyboard.type("Naik satu level")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    row = f"#ind-{first.pk}"
    expect(page.locator(row).get_by_role("status")).to_contain_text("Tersimpan: level 4")
    assert focused_inside(page, row)
    verified = VerifiedScore.objects.get()
    assert (verified.level, verified.comment) == (4, "Naik satu level")
