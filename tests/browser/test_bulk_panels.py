"""A manager seats the demo reviewers on every panel of the draft demo round in one form."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.demo.build import build_demo
from evaluations.models import ReviewerAssignment, Round
from tests.browser.conftest import screenshot
from tests.browser.test_reviewer_journey import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft_round():
    call_command("load_reference", verbosity=0)
    build_demo(today=timezone.localdate())
    return Round.objects.get(name="Evaluasi 2027 Tahap I (DEMO)")


def test_manager_fills_every_panel_at_once(
    page: Page, live_server, draft_round, axe, console_errors
) -> None:
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/{draft_round.slug}/")
    page.get_by_role("link", name="Atur panel sekaligus").click()
    expect(page.locator("h1")).to_have_text("Atur panel sekaligus")
    expect(page.get_by_label(re.compile(r"^manager\b"))).to_have_count(0)
    for name in ("reviewer", "reviewer2", "reviewer3"):
        page.get_by_label(re.compile(rf"\({name}\)")).check()
    page.get_by_label("Ukuran panel").fill("2")
    screenshot(page, "panels_bulk")
    assert_accessible(axe)
    page.get_by_role("button", name="Terapkan ke panel").click()
    expect(page.locator(".alert-success")).to_contain_text("kursi panel diisi")
    screenshot(page, "panels_bulk_done")
    total = draft_round.participations.filter(excluded=False).count()
    assert ReviewerAssignment.objects.filter(participation__round=draft_round).count() == 2 * total
    assert console_errors == []
