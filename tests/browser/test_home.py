"""A visitor reads the home page in Indonesian, switches to English with the header's
language select, and a staff member logs in to the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.browser.conftest import pass_second_factor, screenshot


@pytest.mark.django_db(transaction=True)
def test_home_language_switch_and_admin_login(page: Page, live_server, console_errors, axe):
    User.objects.create_user("admin", password="s3cret-admin-pw", is_staff=True, is_superuser=True)

    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Evaluasi Gerakan Menuju 100 Smart City"
    )
    expect(page.get_by_role("link", name="Beranda").first).to_be_visible()
    # The select submits itself; the no-JavaScript fallback button is hidden.
    expect(page.get_by_role("button", name="Ganti")).to_be_hidden()
    screenshot(page, "home_1_indonesian")
    assert axe() == []

    page.get_by_label("Bahasa").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Movement Towards 100 Smart Cities evaluation"
    )
    expect(page.get_by_role("link", name="Home").first).to_be_visible()
    expect(page.get_by_text("No evaluation results have been published yet.")).to_be_visible()
    assert page.url == f"{live_server.url}/"
    screenshot(page, "home_2_english")

    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to the portal")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("s3cret-admin-pw")
    screenshot(page, "home_3_login")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    # Admin access needs a second factor: the first sign-in enrols an authenticator.
    expect(page.get_by_role("heading", name="Turn on two-step verification")).to_be_visible()
    pass_second_factor(page, "admin")
    # A staff member without a region or reviewer role lands on "no workspace" and finds the
    # admin link in the header.
    page.get_by_role("link", name="Admin", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Reference data and evaluation rounds")).to_be_visible()
    expect(page.get_by_role("link", name="Smart City Evaluation Portal admin")).to_be_visible()
    screenshot(page, "home_4_admin_index")
    assert console_errors == []
