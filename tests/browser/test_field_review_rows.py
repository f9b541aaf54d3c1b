"""A reviewer fills the attendance list and adds rows in place ("Tambah baris"), without a
reload and without losing what was typed, then saves them all at once."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Attendee
from evaluations.services import field_reviews
from tests.browser.conftest import login_as

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bekasi_field_review(bekasi_under_review):
    participation = bekasi_under_review
    reviewer = participation.panel.get().reviewer
    field_reviews.field_review_schedule(
        participation=participation,
        by=reviewer,
        mode="on_site",
        start_date=date(2024, 5, 14),
        end_date=date(2024, 5, 15),
    )
    return participation


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_rows_are_added_in_place_and_saved_together(
    page: Page, live_server, bekasi_field_review, console_errors, viewport
):
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    login_as(page, live_server, "reviewer")
    page.goto(
        f"{live_server.url}/review/participations/{bekasi_field_review.pk}/field-review/attendees/"
    )
    rows = page.locator("[data-formset-body] tr")
    expect(rows).to_have_count(3)
    names = [f"Peserta {i}" for i in range(1, 6)]
    for i in range(3):
        rows.nth(i).locator("input[name$='-name']").fill(names[i])
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    add = page.get_by_role("button", name="Tambah baris")
    add.click()
    add.click()
    expect(rows).to_have_count(5)
    assert page.evaluate("window.__sameDocument") is True
    # The new row took the focus, with fields numbered after the existing ones.
    assert page.evaluate("document.activeElement.name").endswith("-4-name")
    rows.nth(3).locator("input[name$='-name']").fill(names[3])
    rows.nth(4).locator("input[name$='-name']").fill(names[4])
    rows.nth(4).locator("select[name$='-side']").select_option("reviewer")
    expect(rows.nth(0).locator("input[name$='-name']")).to_have_value(names[0])
    page.screenshot(path=f"test-artifacts/screenshots/field-review-rows-{width}.png")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Perubahan tersimpan.")).to_be_visible()
    assert sorted(Attendee.objects.values_list("name", flat=True)) == names
    assert Attendee.objects.get(name="Peserta 5").side == "reviewer"
    assert console_errors == []
