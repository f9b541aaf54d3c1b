"""Two-factor sign-in: required for managers and reviewers (admin included), optional for
city staff; enrolment on first sign-in; recovery codes; a manager resets a lost device."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcity.people.models import AuditAction, AuditEntry
from tests import factories
from tests.conftest import login
from tests.people.conftest import with_email

pytestmark = pytest.mark.django_db


def _sign_in(client, username: str) -> Any:
    return client.post(
        reverse("login"),
        {"username": username, "password": factories.PASSWORD},
        REMOTE_ADDR="127.0.0.9",
    )


def _wait_out_throttle(user) -> None:
    """django-otp delays the next try after a wrong code (1 s, then doubling)."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, t0=device.t0, step=device.step, drift=drift):06d}"


def test_a_reviewer_enrols_on_first_sign_in_and_then_reaches_the_workspace(client, reviewer):
    response = _sign_in(client, "reviewer")
    assert response.status_code == 302
    # Every workspace page, and the admin, holds at the code step.
    for url in (reverse("reviewer:assignments"), reverse("admin:index"), reverse("dashboard")):
        held = client.get(url)
        assert held.status_code == 302, url
        assert held["Location"].startswith(reverse("people:two_factor_verify"))
    verify = client.get(reverse("people:two_factor_verify") + "?next=/review/")
    assert verify["Location"] == reverse("people:two_factor_setup") + "?next=/review/"
    setup = client.get(verify["Location"])
    assert setup.status_code == 200
    html = setup.content.decode()
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", html).group(1)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    import base64

    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key

    wrong = client.post(reverse("people:two_factor_setup"), {"code": "000000", "next": "/review/"})
    assert wrong.status_code == 200
    assert "Kode tidak cocok" in wrong.content.decode()
    # Straight after a wrong code even the right one is refused (throttled)...
    throttled = client.post(reverse("people:two_factor_setup"), {"code": _code(device)})
    assert throttled.status_code == 200
    _wait_out_throttle(reviewer)

    done = client.post(
        reverse("people:two_factor_setup") + "?next=/review/", {"code": _code(device)}
    )
    assert done["Location"] == reverse("people:recovery_codes") + "?next=/review/"
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<code>([0-9a-f-]{14})</code>", codes_page.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=reviewer).count() == 10
    # Shown once only.
    assert client.get(reverse("people:recovery_codes"))["Location"] == reverse("people:security")
    assert client.get(reverse("reviewer:assignments")).status_code == 200


def test_next_sign_in_asks_for_a_code_and_accepts_a_recovery_code_once(client, reviewer):
    device = TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    from smartcity.people.second_factor import new_recovery_codes

    codes = new_recovery_codes(reviewer)
    _sign_in(client, "reviewer")
    page = client.get(reverse("people:two_factor_verify"))
    assert page.status_code == 200
    bad = client.post(reverse("people:two_factor_verify"), {"code": "123456"})
    assert "Kode salah" in bad.content.decode()
    _wait_out_throttle(reviewer)
    assert client.get(reverse("reviewer:assignments")).status_code == 302
    ok = client.post(reverse("people:two_factor_verify"), {"code": codes[0].upper()})
    assert ok.status_code == 302
    assert client.get(reverse("reviewer:assignments")).status_code == 200
    assert StaticToken.objects.filter(device__user=reviewer).count() == 9

    client.logout()
    _sign_in(client, "reviewer")
    reused = client.post(reverse("people:two_factor_verify"), {"code": codes[0]})
    assert reused.status_code == 200  # used up
    device.refresh_from_db()
    assert client.post(reverse("people:two_factor_verify"), {"code": "000000"}).status_code == 200


def test_a_totp_code_passes_and_cannot_be_replayed(client, manager):
    device = TOTPDevice.objects.create(user=manager, name="authenticator", confirmed=True)
    _sign_in(client, "manager")
    code = _code(device)
    response = client.post(
        reverse("people:two_factor_verify") + "?next=/review/rounds/", {"code": code}
    )
    assert response["Location"] == "/review/rounds/"
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    _sign_in(client, "manager")
    again = client.post(reverse("people:two_factor_verify"), {"code": code})
    assert again.status_code == 200


def test_verify_never_redirects_off_site(client, manager):
    device = TOTPDevice.objects.create(user=manager, name="authenticator", confirmed=True)
    _sign_in(client, "manager")
    response = client.post(
        reverse("people:two_factor_verify") + "?next=https://evil.example/",
        {"code": _code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard")


def test_admin_login_also_needs_the_second_factor(client, manager):
    client.post(
        reverse("admin:login"),
        {"username": "manager", "password": factories.PASSWORD},
        REMOTE_ADDR="127.0.0.9",
    )
    held = client.get(reverse("admin:index"))
    assert held.status_code == 302
    assert held["Location"].startswith(reverse("people:two_factor_verify"))


def test_city_staff_need_no_second_factor_but_may_enrol_one(client, bekasi, kota_bekasi):
    _sign_in(client, "bekasi")
    assert client.get(reverse("city:dashboard", args=[kota_bekasi.slug])).status_code == 200
    security = client.get(reverse("people:security"))
    assert "Tidak wajib" in security.content.decode()
    setup = client.get(reverse("people:two_factor_setup"))
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=bekasi)
    client.post(reverse("people:two_factor_setup"), {"code": _code(device)})
    assert TOTPDevice.objects.get(user=bekasi).confirmed
    client.logout()
    # Once enrolled, their next sign-in asks for the code as well.
    _sign_in(client, "bekasi")
    held = client.get(reverse("city:dashboard", args=[kota_bekasi.slug]))
    assert held["Location"].startswith(reverse("people:two_factor_verify"))


def test_an_unverified_session_reaches_no_workspace_json_or_download(client, reviewer):
    login(client, reviewer, second_factor=False)
    for url in ("/review/", "/review/rounds/", "/accounts/inbox/", "/accounts/invitations/"):
        assert client.get(url).status_code == 302, url
    # Public pages and signing out stay open... through the code page for the former.
    assert client.post(reverse("logout")).status_code == 302


def test_manager_resets_a_lost_device_and_it_is_recorded(
    client, manager, reviewer, django_capture_on_commit_callbacks
):
    with_email(reviewer)
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    from smartcity.people.second_factor import new_recovery_codes

    new_recovery_codes(reviewer)
    login(client, manager)
    page = client.get(reverse("people:people"))
    assert "reviewer" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:person_action", args=[reviewer.pk, "reset-2fa"]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticToken.objects.filter(device__user=reviewer).exists()
    entry = AuditEntry.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert (entry.actor, entry.subject_user) == (manager, reviewer)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    audit = client.get(reverse("people:audit"))
    assert "Faktor kedua diatur ulang" in audit.content.decode()
    # The reviewer's next sign-in enrols a new device.
    client.logout()
    _sign_in(client, "reviewer")
    verify = client.get(reverse("people:two_factor_verify"))
    assert verify["Location"].startswith(reverse("people:two_factor_setup"))


def test_only_managers_reset_devices_or_see_the_audit(client, reviewer, outsider_reviewer):
    login(client, reviewer)
    assert client.get(reverse("people:people")).status_code == 403
    assert client.get(reverse("people:audit")).status_code == 403
    response = client.post(
        reverse("people:person_action", args=[outsider_reviewer.pk, "reset-2fa"])
    )
    assert response.status_code == 403


def test_manager_changes_roles_and_deactivates_and_both_are_audited(
    client, manager, reviewer, django_assert_max_num_queries
):
    login(client, manager)
    client.post(reverse("people:person_action", args=[reviewer.pk, "role"]), {"role": "manager"})
    from evaluations.roles import is_manager

    reviewer.refresh_from_db()
    assert is_manager(reviewer)
    client.post(reverse("people:person_action", args=[reviewer.pk, "deactivate"]))
    reviewer.refresh_from_db()
    assert not reviewer.is_active
    bad = client.post(
        reverse("people:person_action", args=[reviewer.pk, "role"]), {"role": "mayor"}, follow=True
    )
    assert "Pilih peran" in bad.content.decode()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditAction.ROLE_CHANGED,
        AuditAction.DEACTIVATED,
    ]
    for n in range(5):
        factories.make_reviewer(f"r{n}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("people:people")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("people:audit")).status_code == 200
