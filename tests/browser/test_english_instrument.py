"""A reviewer who reads English gets the instrument in English on the scoring page
(indicator names, level descriptors, dimensions and elements), switches with a language
menu that names each language in itself, and gets the Indonesian back on switching."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from evaluations.models import Instrument
from regions.models import Region
from tests import factories
from tests.browser.conftest import login_as
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bekasi_on_the_default_instrument():
    call_command("load_reference", verbosity=0)
    region = Region.objects.get(code="32.75")
    reviewer = factories.make_reviewer("reviewer")
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    round_ = rf.make_review_round([region], instrument=Instrument.objects.default())
    participation = round_.participations.get()
    factories.assign(participation, reviewer, lead=True)
    return participation


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_the_scoring_page_in_english(
    page: Page, live_server, bekasi_on_the_default_instrument, console_errors, viewport
):
    participation = bekasi_on_the_default_instrument
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    login_as(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/participations/{participation.pk}/?group=dimension")
    switch = page.get_by_label("Bahasa")
    expect(switch.locator("option")).to_have_text(["Bahasa Indonesia", "English"])
    card = page.locator("article.indicator-card", has_text="OC-01")
    expect(card).to_contain_text("Layanan publik terpadu dan digital")
    with page.expect_navigation():
        switch.select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Language").locator("option")).to_have_text(
        ["Bahasa Indonesia", "English"]
    )
    card = page.locator("article.indicator-card", has_text="OC-01")
    expect(card.get_by_role("heading", level=3)).to_have_text(
        "OC-01 Integrated, digital public services"
    )
    expect(card).to_contain_text("Public service")  # the element
    expect(card).to_contain_text(
        "The main services (licensing, civil registration) can be requested online"
    )
    expect(card).not_to_contain_text("Layanan publik terpadu")
    expect(page.get_by_role("heading", name="Smart Governance", level=2)).to_be_visible()
    expect(page.get_by_role("button", name="Save all")).to_be_visible()
    card.scroll_into_view_if_needed()
    page.screenshot(path=f"test-artifacts/screenshots/scoring-english-{width}.png")
    assert console_errors == []
