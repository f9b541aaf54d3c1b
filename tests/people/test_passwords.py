"""Password reset by e-mail (no account enumeration, rate limited) and password change
(other sessions end)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from smartcity.people.models import NotificationKind, Profile
from tests import factories
from tests.conftest import login
from tests.people.conftest import with_email

pytestmark = pytest.mark.django_db

NEW = "Bekasi-Cerdas-2026!"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def _ask(client, email: str, capture, addr: str = "127.0.0.5"):
    with capture(execute=True):
        return client.post(reverse("people:password_reset"), {"email": email}, REMOTE_ADDR=addr)


def test_reset_end_to_end(client, bekasi, django_capture_on_commit_callbacks):
    with_email(bekasi)
    page = client.get(reverse("people:password_reset"))
    assert page.status_code == 200
    response = _ask(client, "BEKASI@example.id", django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("people:password_reset_done")
    assert len(mail.outbox) == 1
    link = RESET_LINK.search(str(mail.outbox[0].body)).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("people:password_reset_complete")
    bekasi.refresh_from_db()
    assert bekasi.check_password(NEW)
    # The link is used up.
    again = client.get(link, follow=True)
    assert "tidak berlaku lagi" in again.content.decode()


def test_reset_in_english_for_an_english_reader(client, bekasi, django_capture_on_commit_callbacks):
    with_email(bekasi)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("people:password_reset"))
    assert "Forgot your password" in page.content.decode()
    _ask(client, bekasi.email, django_capture_on_commit_callbacks)
    assert "New password" in mail.outbox[0].subject


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, bekasi, django_capture_on_commit_callbacks
):
    with_email(bekasi)
    known = _ask(client, bekasi.email, django_capture_on_commit_callbacks, addr="127.0.0.6")
    unknown = _ask(client, "nobody@example.id", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[bekasi.email]]


def test_reset_requests_are_rate_limited(client, settings, django_capture_on_commit_callbacks):
    settings.RATELIMIT_PASSWORD_RESET = "3/h"
    for _ in range(3):
        assert _ask(client, "x@example.id", django_capture_on_commit_callbacks).status_code == 302
    limited = _ask(client, "x@example.id", django_capture_on_commit_callbacks)
    assert limited.status_code == 429
    assert limited["Retry-After"]
    # The same address from elsewhere is limited too (per address, not only per client).
    other = _ask(client, "x@example.id", django_capture_on_commit_callbacks, addr="10.0.0.1")
    assert other.status_code == 429


def test_a_bad_address_is_a_form_error_not_a_crash(client):
    response = client.post(reverse("people:password_reset"), {"email": "a" * 5000})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_changing_the_password_ends_other_sessions_only(
    bekasi, kota_bekasi, django_capture_on_commit_callbacks
):
    with_email(bekasi)
    # Even someone who switched every kind off gets security mail.
    Profile.objects.create(user=bekasi, muted_kinds=[k.value for k in NotificationKind])
    here, elsewhere = Client(), Client()
    login(here, bekasi)
    login(elsewhere, bekasi)
    dashboard = reverse("city:dashboard", args=[kota_bekasi.slug])
    assert elsewhere.get(dashboard).status_code == 200
    wrong = here.post(
        reverse("people:password_change"),
        {"old_password": "salah", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            reverse("people:password_change"),
            {"old_password": factories.PASSWORD, "new_password1": NEW, "new_password2": NEW},
        )
    assert response["Location"] == reverse("people:security")
    assert here.get(dashboard).status_code == 200
    assert elsewhere.get(dashboard).status_code == 302  # signed out
    assert [m.to for m in mail.outbox] == [[bekasi.email]]
    assert "diganti" in mail.outbox[0].subject
