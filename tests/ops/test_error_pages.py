"""Error pages in the portal's layout, Indonesian and English, each with a way back; the 500
page renders when the database itself is down (DEBUG off, as in production)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db

LAYOUT = 'class="portal-header'  # the portal's header: not Django's bare page
WAY_BACK = 'href="/"'


def _in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _assert_portal_page(response, status: int, *words: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert LAYOUT in html
    assert WAY_BACK in html
    for word in words:
        assert word in html, word
    return html


def test_debug_is_off_in_these_tests():
    assert settings.DEBUG is False


def test_404_in_both_languages(client):
    _assert_portal_page(
        client.get("/tidak-ada/"), 404, "Halaman tidak ditemukan", "Kembali ke beranda"
    )
    _assert_portal_page(
        _in_english(client).get("/tidak-ada/"), 404, "Page not found", "Back to the home page"
    )


def test_403_for_a_city_operator_on_a_manager_page(client, bekasi):
    login(client, bekasi)
    html = _assert_portal_page(client.get(reverse("reviewer:rounds")), 403, "Akses ditolak")
    assert "Ke ruang kerja saya" in html  # a logged-in user is offered their workspace
    _assert_portal_page(_in_english(client).get(reverse("reviewer:rounds")), 403, "Access denied")


def test_400_for_a_host_the_portal_does_not_serve(client):
    _assert_portal_page(
        client.get("/", HTTP_HOST="evil.example"), 400, "Permintaan tidak dapat diproses"
    )


def test_csrf_failure_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    html = _assert_portal_page(
        client.post(reverse("login"), {"username": "x", "password": "y"}),
        403,
        "Formulir kedaluwarsa",
    )
    assert "muat ulang halaman" in html
    _assert_portal_page(
        _in_english(client).post(reverse("login"), {"username": "x"}), 403, "Form expired"
    )


def test_429_keeps_the_portal_layout(client, settings):
    settings.RATELIMIT_LOGIN = "1/m"
    client.post(reverse("login"), {"username": "x", "password": "y"})
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    _assert_portal_page(response, 429, "Terlalu banyak permintaan")


def test_500_renders_without_the_database_in_both_languages(dead_database):
    answers = dead_database("GET /", "GET / en")
    for request, words in (
        ("GET /", ["Terjadi kesalahan pada server", "Kembali ke beranda", "Kode kejadian"]),
        ("GET / en", ["Server error", "Back to the home page", "Incident code"]),
    ):
        answer = answers[request]
        assert answer["status"] == 500, answer["body"][:500]
        assert LAYOUT in answer["body"]
        assert WAY_BACK in answer["body"]
        for word in words:
            assert word in answer["body"], word
        # The code on the page is the request id of the log line that records the failure.
        request_id = answer["headers"]["X-Request-ID"]
        assert f"<code>{request_id}</code>" in answer["body"]
    logged = [json.loads(line) for line in answers["_stderr"].splitlines() if line.startswith("{")]
    failures = [e for e in logged if e.get("event") == "request" and e.get("status") == 500]
    assert {e["request_id"] for e in failures} == {
        answers[r]["headers"]["X-Request-ID"] for r in ("GET /", "GET / en")
    }
    assert any("OperationalError" in e.get("exception", "") for e in logged)
