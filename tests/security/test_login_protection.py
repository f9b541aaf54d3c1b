"""Guessing passwords: django-axes locks a user name out at one address after five failures,
and the login rate limit stops one address from trying many user names."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LOCKED = "Akun dikunci sementara"


def _login(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def only_axes(settings):
    # The login rate limit (10 a minute) is tested below; here axes alone.
    settings.RATELIMIT_LOGIN = ""


def test_five_failed_logins_lock_the_user_out_even_with_the_right_password(
    client, bekasi, only_axes
):
    for _ in range(4):
        response = _login(client, "bekasi", "salah")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    fifth = _login(client, "bekasi", "salah")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    right = _login(client, "bekasi", factories.PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert SESSION_KEY not in client.session


def test_a_lock_out_does_not_touch_another_user_or_another_address(
    client, bekasi, bandung, only_axes
):
    for _ in range(5):
        _login(client, "bekasi", "salah")
    assert _login(client, "bekasi", factories.PASSWORD).status_code == 429
    # Another user at the same address.
    response = _login(client, "bandung", factories.PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(bandung.pk)
    client.logout()
    # The same user elsewhere: an attacker cannot lock a real user out from everywhere.
    response = _login(client, "bekasi", factories.PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(bekasi.pk)


def test_a_successful_login_resets_the_count(client, bekasi, only_axes):
    for _ in range(4):
        _login(client, "bekasi", "salah")
    assert _login(client, "bekasi", factories.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "bekasi", "salah").status_code == 200
    assert _login(client, "bekasi", factories.PASSWORD).status_code == 302


def test_one_address_trying_many_user_names_is_slowed_down(client, bekasi, settings):
    settings.RATELIMIT_LOGIN = "10/m"
    for i in range(10):
        assert _login(client, f"tebakan{i}", "salah").status_code == 200
    response = _login(client, "bekasi", factories.PASSWORD)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 60
    assert SESSION_KEY not in client.session
    # Reading the form is never limited; another address may still log in.
    assert client.get(reverse("login"), REMOTE_ADDR="203.0.113.7").status_code == 200
    other = _login(client, "bekasi", factories.PASSWORD, address="198.51.100.20")
    assert other.status_code == 302
