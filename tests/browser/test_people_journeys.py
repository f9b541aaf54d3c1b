"""People journeys in Chromium: an invitation to a reviewer's workspace with a second
factor; a password reset end to end; a submission told to the panel, returned by the lead
and told to the city, with the inbox counts on the way."""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from evaluations.models import RoundStatus, SelfAssessmentStatus
from tests import factories
from tests.browser.conftest import login_as, screenshot
from tests.city import factories as city_factories
from tests.people.conftest import LINK, with_email

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Kota-Cerdas-2026!"


def logout(page: Page) -> None:
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_load_state()


def badge(page: Page) -> str | None:
    """The unread count in the header ("" when none), once the script has fetched it."""
    page.wait_for_load_state("networkidle")
    count = page.locator("#inbox-badge [data-unread-count]")
    return count.get_attribute("data-unread-count") if count.count() else ""


def test_invite_accept_enrol_and_land_in_the_reviewer_workspace(page: Page, live_server, axe):
    manager = factories.make_manager("manager")
    TOTPDevice.objects.create(user=manager, name="authenticator", confirmed=True)
    login_as(page, live_server, "manager", factories.PASSWORD)
    page.goto(f"{live_server.url}/accounts/security/")
    page.get_by_role("link", name="Undangan", exact=True).click()
    page.get_by_role("link", name="Undang satu orang").click()
    page.locator("#id_full_name").fill("Ani Lestari")
    page.locator("#id_email").fill("ani@kominfo.go.id")
    page.locator("#id_role").select_option("reviewer")
    page.get_by_role("button", name="Kirim undangan").click()
    expect(page.get_by_text("Undangan untuk ani@kominfo.go.id dikirim.")).to_be_visible()
    expect(page.locator("tr[data-invitation='ani@kominfo.go.id']")).to_contain_text("Menunggu")
    screenshot(page, "people-invitations")
    assert axe() == []
    logout(page)

    link = LINK.search(str(mail.outbox[-1].body)).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_role("heading", name=re.compile("Ani Lestari"))).to_be_visible()
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Buat akun").click()
    # The reviewer must enrol an authenticator before anything else.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    qr = page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the QR code really renders
    screenshot(page, "people-two-factor-setup")
    assert axe() == []
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    page.locator("#id_code").fill(f"{totp(base64.b32decode(secret)):06d}")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", name="Kode pemulihan")).to_be_visible()
    assert page.locator(".recovery-codes code").count() == 10
    screenshot(page, "people-recovery-codes")
    page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    # Used once: the link now says so.
    logout(page)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_text("sudah dipakai")).to_be_visible()


def test_password_reset_end_to_end(page: Page, live_server, kota_bekasi, axe):
    bekasi = with_email(factories.make_operator(kota_bekasi, "bekasi"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.locator("#id_email").fill(bekasi.email)
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.get_by_role("heading", name="Periksa e-mail Anda")).to_be_visible()
    screenshot(page, "people-password-reset-sent")
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", str(mail.outbox[-1].body)).group(0)
    page.goto(re.sub(r"^http://[^/]+", live_server.url, link))
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("heading", name="Kata sandi diganti")).to_be_visible()
    assert axe() == []
    login_as(page, live_server, "bekasi", PASSWORD)
    expect(page).to_have_url(re.compile(r"/city/kota-bekasi/$"))


@pytest.fixture
def submitted_scene(kota_bekasi):
    """Kota Bekasi in an open round, every answer filled with evidence; ``reviewer`` leads
    its panel (with an authenticator); ``bekasi`` is the region's coordinator."""
    bekasi = with_email(factories.make_operator(kota_bekasi, "bekasi", role="coordinator"))
    reviewer = with_email(factories.make_reviewer("reviewer"))
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    round_ = factories.make_round(year=2099, status=RoundStatus.SELF_ASSESSMENT)
    participation = factories.make_participation(round_, kota_bekasi)
    factories.assign(participation, reviewer, lead=True)
    evidence = city_factories.make_link_evidence(kota_bekasi)
    for indicator in round_.instrument.indicators.all():
        city_factories.make_answer(participation, indicator, evidence=[evidence])
    return participation, bekasi, reviewer


def test_submission_is_told_to_the_panel_and_the_return_to_the_city(
    page: Page, live_server, submitted_scene, axe
):
    participation, _bekasi, _reviewer = submitted_scene
    round_ = participation.round
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, live_server, "bekasi", factories.PASSWORD)
    assert badge(page) == ""
    page.goto(f"{live_server.url}/city/kota-bekasi/putaran/{round_.slug}/penilaian-mandiri/")
    page.get_by_role("button", name="Kirim penilaian mandiri").click()
    expect(page.get_by_text("Penilaian mandiri terkirim")).to_be_visible()
    assert badge(page) == "1"  # the receipt
    logout(page)

    login_as(page, live_server, "reviewer", factories.PASSWORD)
    assert badge(page) == "1"
    page.get_by_role("link", name=re.compile("Kotak masuk")).click()
    expect(page.locator("#main").get_by_text("1 belum dibaca", exact=True)).to_be_visible()
    page.get_by_role("link", name=re.compile("Kota Bekasi mengirim penilaian mandiri")).click()
    page.get_by_role("button", name="Buka", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/review/participations/{participation.pk}/$"))
    assert badge(page) == ""
    page.get_by_text("Kembalikan penilaian mandiri untuk perbaikan").click()
    page.locator("textarea[name=comment]").fill(
        "Lampirkan Perwal Smart City yang sudah diundangkan."
    )
    page.get_by_role("button", name="Kembalikan ke wilayah").click()
    page.wait_for_load_state()
    logout(page)

    login_as(page, live_server, "bekasi", factories.PASSWORD)
    assert badge(page) == "2"  # the receipt, still unread, and the return
    page.get_by_role("link", name=re.compile("Kotak masuk")).click()
    expect(page.locator("#main").get_by_text("2 belum dibaca", exact=True)).to_be_visible()
    screenshot(page, "people-inbox")
    assert axe() == []
    page.get_by_role("link", name=re.compile("dikembalikan untuk perbaikan")).click()
    expect(page.get_by_text("Lampirkan Perwal Smart City yang sudah diundangkan.")).to_be_visible()
    screenshot(page, "people-notification")
    assert badge(page) == "2"  # reading marks nothing: only the buttons (POST) do
    page.get_by_role("button", name="Tandai sudah dibaca").click()
    expect(page.locator("#main").get_by_text("1 belum dibaca", exact=True)).to_be_visible()
    assert badge(page) == "1"
    participation.refresh_from_db()
    assert participation.self_assessment_status == SelfAssessmentStatus.RETURNED
    subjects = [m.subject for m in mail.outbox]
    assert "Kota Bekasi mengirim penilaian mandiri" in subjects
    assert any("dikembalikan" in s for s in subjects)
