"""Cached public pages are answered before the middleware stack (caching.
CachedPublicPageMiddleware) with the very response the full stack gave: same headers, the
reader's own CSRF token, 304 on revalidation; never to signed-in readers, never for a
rate-limited download."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from evaluations import caching
from tests.conftest import login
from tests.public import factories as pf

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_ANY = re.compile(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')
PER_RESPONSE = {"Date", "Set-Cookie", "Content-Length", "X-Request-ID"}


class FullStack:
    """Counts requests that reach the authentication middleware (the full stack); while
    ``forbidden``, such a request fails the test."""

    def __init__(self) -> None:
        self.forbidden = True
        self.reached: list[str] = []

    def get_user(self, request):
        from django.contrib import auth

        self.reached.append(request.path)
        assert not self.forbidden, f"{request.path} went through the full middleware stack"
        return auth.get_user(request)

    def allowed(self, call, *args, **kwargs):
        self.forbidden = False
        try:
            return call(*args, **kwargs)
        finally:
            self.forbidden = True


@pytest.fixture
def full_stack(monkeypatch) -> FullStack:
    stack = FullStack()
    monkeypatch.setattr("django.contrib.auth.middleware.get_user", stack.get_user)
    return stack


def _without_token(content: bytes) -> str:
    return CSRF_ANY.sub("TOKEN", content.decode())


def test_a_cached_page_skips_the_stack_and_keeps_its_headers(published, full_stack):
    url = published.round_2024.get_absolute_url()
    reader = Client()
    first = full_stack.allowed(reader.get, url)
    second = reader.get(url)  # the fast path: reaching get_user would fail the test
    assert second.status_code == 200
    assert _without_token(second.content) == _without_token(first.content)
    assert {k: v for k, v in second.headers.items() if k not in PER_RESPONSE} == {
        k: v for k, v in first.headers.items() if k not in PER_RESPONSE
    }
    assert "Content-Security-Policy" in second
    assert second["X-Frame-Options"] == "DENY"


def test_each_reader_gets_a_working_csrf_token_of_their_own(published, full_stack):
    url = published.round_2024.get_absolute_url()
    full_stack.allowed(Client().get, url)  # cached by a first reader
    tokens = set()
    for _ in range(2):
        reader = Client(enforce_csrf_checks=True)
        page = reader.get(url)
        token = CSRF_INPUT.search(page.content.decode()).group(1)
        assert caching.CSRF_PLACEHOLDER not in page.content.decode()
        assert "csrftoken" in page.cookies  # a new reader gets the cookie with the page
        tokens.add(token)
        # The language switch on the cached page works with that token.
        data = {"language": "en", "next": url, "csrfmiddlewaretoken": token}
        switched = full_stack.allowed(reader.post, "/i18n/setlang/", data)
        assert switched.status_code == 302
    assert len(tokens) == 2


def test_a_returning_reader_s_cookie_is_used_without_being_sent_again(published, full_stack):
    url = published.round_2024.get_absolute_url()
    full_stack.allowed(Client().get, url)  # cached by a first reader
    reader = Client(enforce_csrf_checks=True)
    assert "csrftoken" in reader.get(url).cookies  # the first page sets the cookie
    page = reader.get(url)
    assert "csrftoken" not in page.cookies  # no Set-Cookie on every cached hit
    token = CSRF_INPUT.search(page.content.decode()).group(1)
    data = {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    assert full_stack.allowed(reader.post, "/i18n/setlang/", data).status_code == 302


def test_revalidation_on_the_fast_path_answers_304(published, full_stack):
    url = published.round_2024.get_absolute_url()
    etag = full_stack.allowed(Client().get, url)["ETag"]
    assert Client().get(url, headers={"if-none-match": etag}).status_code == 304


def test_signed_in_readers_never_get_the_shared_page(published, manager):
    url = "/"
    Client().get(url)
    Client().get(url)  # now on the fast path for anonymous readers
    page = login(Client(), manager).get(url).content.decode()
    assert "Keluar" in page  # their own header, with the log-out form


def test_publication_reaches_pages_on_the_fast_path_at_once(published, full_stack):
    full_stack.allowed(Client().get, "/")
    assert "Evaluasi 2025 Tahap 1" not in Client().get("/").content.decode()
    pf.publish(published.hidden)  # the version moves: the fast path misses, the stack renders
    assert "Evaluasi 2025 Tahap 1" in full_stack.allowed(Client().get, "/").content.decode()


def test_rate_limited_downloads_are_counted_even_when_cached(published, settings):
    settings.RATELIMIT_DOWNLOADS = "3/m"
    url = reverse("public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "csv"})
    reader = Client()
    assert [reader.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_fast_csrf_token_is_django_s_masked_token_of_the_reader_s_secret(rf):
    from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]

    request = rf.get("/")
    request.META["CSRF_COOKIE"] = "a" * 16 + "Z9" * 8
    tokens = {caching.reader_csrf_token(request) for _ in range(50)}
    assert len(tokens) == 50  # a fresh mask every time (no fixed text for BREACH to find)
    for token in tokens:
        assert len(token) == 64
        assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
