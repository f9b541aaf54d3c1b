"""On the long scoring page, the index of indicators stays in view while the reviewer
scrolls, marks what they have scored, and each entry jumps to its card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Score
from tests.browser.conftest import screenshot
from tests.browser.test_reviewer_journey import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_indicator_index_stays_in_view(page: Page, live_server, bekasi_under_review) -> None:
    participation = bekasi_under_review
    reviewer = participation.panel.get().reviewer
    first = participation.round.instrument.indicators.order_by("order", "code").first()
    Score.objects.create(participation=participation, indicator=first, reviewer=reviewer, level=3)
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/participations/{participation.pk}/")
    index = page.locator(".section-nav")
    links = page.locator(".indicator-index-link")
    total = participation.round.instrument.indicators.count()
    expect(links).to_have_count(total)
    expect(page.locator(".indicator-index-link.is-scored")).to_have_count(1)
    page.evaluate("window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'})")
    box = index.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 768  # still on screen at the bottom
    screenshot(page, "scoring_index_sticky")
    last = links.last
    last.click()
    expect(page).to_have_url(re.compile(r"#ind-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    card = page.locator(f"#{anchor}").bounding_box()
    assert card is not None
    assert -5 <= card["y"] < 768
