"""A login ends after ``SESSION_COOKIE_AGE`` seconds without a request (idle timeout), and
lasts as long as its user keeps working; the expiry is written at most once a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from regions.models import RegionMembership
from smartcity import security
from tests import factories

pytestmark = pytest.mark.django_db


class Clock:
    """Moves Django's clock (sessions) and the wall clock (the refresh throttle) together."""

    def __init__(self, monkeypatch) -> None:
        self.offset = timedelta()
        real_now = timezone.now
        real_time = security.time.time
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)
        monkeypatch.setattr(
            security.time, "time", lambda: real_time() + self.offset.total_seconds()
        )

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def two_hours(settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60


def _log_in(client, user) -> None:
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def _dashboard(client, bekasi):
    region = RegionMembership.objects.get(user=bekasi).region
    return client.get(reverse("city:dashboard", args=[region.slug]))


def test_a_login_left_idle_longer_than_the_limit_ends(client, bekasi, clock, two_hours):
    _log_in(client, bekasi)
    assert _dashboard(client, bekasi).status_code == 200
    clock.advance(hours=2, minutes=1)
    response = _dashboard(client, bekasi)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_who_keeps_working_stays_logged_in(client, bekasi, clock, two_hours):
    _log_in(client, bekasi)
    for _ in range(6):  # five hours of work, a page every 50 minutes
        clock.advance(minutes=50)
        response = _dashboard(client, bekasi)
        # Still the workspace of the same person, not a login page.
        assert response.status_code == 200
        assert response.wsgi_request.user == bekasi
        assert "Kota Bekasi" in response.content.decode()


def test_the_expiry_is_written_at_most_once_a_minute(client, bekasi, clock, two_hours):
    _log_in(client, bekasi)
    clock.advance(minutes=5)
    _dashboard(client, bekasi)
    moved = Session.objects.get().expire_date
    assert moved - timezone.now() > timedelta(hours=1, minutes=59)
    clock.advance(seconds=30)
    _dashboard(client, bekasi)
    assert Session.objects.get().expire_date == moved  # no write within the minute
    clock.advance(seconds=31)
    _dashboard(client, bekasi)
    assert Session.objects.get().expire_date > moved


def test_readers_without_a_login_get_no_session(client, world):
    client.get(reverse("public:home"))
    assert not Session.objects.exists()
    assert "sessionid" not in client.cookies
