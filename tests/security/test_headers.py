"""Security headers on a page of every area, and transport security in production.

The Content Security Policy allows no inline code (``tests/security/csp.py`` checks every
page of the permission walk against it); here the headers themselves, and the production
configuration (HSTS, HTTPS redirect, secure cookies) as ``HTTPS_ONLY=1`` builds it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.security.csp import csp_problems

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "smartcity" / "settings.py"


def _pages(world) -> list[tuple[str, str | None]]:
    """(URL, who) for one page of each area, the login and the error pages."""
    return [
        (reverse("public:home"), None),
        (reverse("public:rankings", args=[world.published.slug]), None),
        (reverse("login"), None),
        (reverse("city:dashboard", args=[world.kota_bekasi.slug]), "bekasi"),
        (reverse("reviewer:participation", args=[world.review_bekasi.pk]), "reviewer"),
        (reverse("reviewer:round", args=[world.review.slug]), "manager"),
        (reverse("admin:index"), "manager"),
        (reverse("admin:evaluations_score_changelist"), "manager"),
        ("/halaman-yang-tidak-ada/", None),
        (reverse("reviewer:rounds"), "bekasi"),  # 403
    ]


def test_every_area_sends_the_security_headers(client, world):
    for url, who in _pages(world):
        client.logout()
        if who:
            login(client, world.users[who])
        response = client.get(url)
        where = f"{url} as {who or 'anonymous'}"
        policy = response.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, where
        assert "'unsafe-inline'" not in policy, where
        assert "frame-ancestors 'none'" in policy, where
        assert response["X-Content-Type-Options"] == "nosniff", where
        assert response["Referrer-Policy"] == "same-origin", where
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
        assert response["X-Frame-Options"] == "DENY", where
        if response.status_code == 200:
            assert csp_problems(response) == [], where


def test_the_checker_finds_inline_code(rf):
    from django.http import HttpResponse

    response = HttpResponse(
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<script nonce="abc">ok()</script><script src="/static/js/a.js"></script>'
    )
    response["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'"
    )
    assert csp_problems(response) == [
        "inline <script> without the page's nonce",
        "inline event handler onclick on <p>",
        "inline style attribute on <p>",
    ]


@pytest.fixture
def production(settings, monkeypatch):
    """The transport-security settings exactly as HTTPS_ONLY=1 makes them."""
    for name, value in {
        "HTTPS_ONLY": "1",
        "SECRET_KEY": "p" * 60,
        "ALLOWED_HOSTS": "testserver",
    }.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("production_settings", SETTINGS_FILE)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in dir(module):
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")):
            setattr(settings, name, getattr(module, name))
    return settings


def test_production_redirects_plain_http_and_sends_hsts(client, world, production):
    response = client.get(reverse("public:home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    secure = client.get(reverse("public:home"), HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_production_cookies_are_secure_and_hidden_from_scripts(client, world, production):
    response = client.post(
        reverse("login"),
        {"username": "bekasi", "password": "demo12345"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    form = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert form.cookies["csrftoken"]["secure"] is True
