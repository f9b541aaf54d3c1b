"""Cached public pages answered in front of Django (``caching.FastPublicPages``, the WSGI
application gunicorn runs): the bytes, headers, request id and log line the whole stack
gives, 304 on revalidation, a publication on another app server seen at once; never to a
signed-in reader, a reader with messages or a first visit, never for a rate-limited
download. Needs Redis (the data version lives there): TEST_REDIS_URL, as .ci/run sets."""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.client import RequestFactory
from django.urls import reverse

from evaluations import caching
from smartcity.logs import formatter
from tests.conftest import login
from tests.public import factories as pf

CSRF_ANY = re.compile(rb'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')
PER_RESPONSE = {"date", "set-cookie", "content-length", "x-request-id"}


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    content: bytes

    def __getitem__(self, name: str) -> str:
        return next(v for k, v in self.headers if k.lower() == name.lower())

    def has(self, name: str) -> bool:
        return any(k.lower() == name.lower() for k, _ in self.headers)

    def replayed(self) -> dict[str, str]:
        return {k: v for k, v in self.headers if k.lower() not in PER_RESPONSE}


@dataclass
class Server:
    """One app server: the WSGI application as ``smartcity.wsgi`` builds it, with a count
    of the requests that reached Django."""

    reached: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        django_app = WSGIHandler()

        def counted(environ, start_response):
            self.reached.append(environ["PATH_INFO"])
            return django_app(environ, start_response)

        self.app = caching.FastPublicPages(counted)


@dataclass
class Reader:
    """A browser: keeps its cookies, sends WSGI requests to a ``Server``."""

    cookies: SimpleCookie = field(default_factory=SimpleCookie)

    def get(self, server: Server, path: str, *, method: str = "GET", **headers: Any) -> Answer:
        environ = (
            RequestFactory()
            .generic(
                method,
                path,
                HTTP_COOKIE="; ".join(f"{k}={m.value}" for k, m in self.cookies.items()),
                **headers,
            )
            .environ
        )
        got: dict = {}

        def start_response(status, response_headers, exc_info=None):
            got["status"], got["headers"] = status, response_headers

        # As Django's test client does: the test's transaction must not be closed.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = server.app(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        for name, value in got["headers"]:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
        return Answer(int(got["status"][:3]), got["headers"], content)


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)

    def lines() -> list[dict]:
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [p for p in parsed if p["event"] == "request"]

    yield lines
    root.removeHandler(handler)


def _untokened(content: bytes) -> bytes:
    return CSRF_ANY.sub(b"TOKEN", content)


def test_a_cached_page_is_answered_before_django_with_the_stack_s_bytes_and_headers(
    published, shared_redis
):
    server, reader = Server(), Reader()
    url = published.round_2024.get_absolute_url()
    first = reader.get(server, url)  # the whole stack renders and stores it
    second = reader.get(server, url)
    assert server.reached == [url]  # the second never reached Django
    assert (first.status, second.status) == (200, 200)
    assert _untokened(second.content) == _untokened(first.content)
    assert second.content != first.content  # a fresh mask over the reader's secret
    assert second.replayed() == first.replayed()
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                 "Referrer-Policy", "Vary", "Cache-Control", "Content-Language", "ETag",
                 "Last-Modified"):  # fmt: skip
        assert second.has(name), name
    assert second["Content-Length"] == str(len(second.content))
    assert re.fullmatch(r"[0-9a-f]{32}", second["X-Request-ID"])
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert not second.has("Set-Cookie")


def test_the_token_on_a_fast_page_works_for_the_reader(published, shared_redis):
    server, reader = Server(), Reader()
    url = published.round_2024.get_absolute_url()
    reader.get(server, url)
    page = reader.get(server, url)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)
    from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]

    assert _unmask_cipher_token(token.decode()) == reader.cookies["csrftoken"].value


def test_a_fast_page_has_the_same_log_line_and_keeps_a_proxy_s_request_id(
    published, shared_redis, json_lines
):
    server, reader = Server(), Reader()
    reader.get(server, "/", REMOTE_ADDR="198.51.100.7")
    fast = reader.get(server, "/", REMOTE_ADDR="198.51.100.7", HTTP_X_REQUEST_ID="lb-7f3a9c1e2b")
    assert server.reached == ["/"]
    assert fast["X-Request-ID"] == "lb-7f3a9c1e2b"
    full, line = json_lines()
    assert line.keys() == full.keys()
    assert line["request_id"] == "lb-7f3a9c1e2b"
    assert (line["method"], line["path"], line["status"], line["queries"]) == ("GET", "/", 200, 0)
    assert (line["user_id"], line["client_ip"]) == (None, "198.51.100.7")
    assert (line["level"], line["logger"]) == ("info", "smartcity.requests")


def test_revalidation_answers_304_as_the_stack_does(published, shared_redis):
    server, reader = Server(), Reader()
    url = published.round_2024.get_absolute_url()
    etag = reader.get(server, url)["ETag"]
    fast = reader.get(server, url, HTTP_IF_NONE_MATCH=etag)
    assert server.reached == [url]
    assert (fast.status, fast.content) == (304, b"")
    # The stack's own 304 (a reader without a CSRF cookie goes to Django).
    stack = Reader().get(server, url, HTTP_IF_NONE_MATCH=etag)
    assert server.reached == [url, url]
    assert stack.status == 304
    assert fast.replayed() == stack.replayed()
    modified = reader.get(server, url, HTTP_IF_MODIFIED_SINCE=fast["Last-Modified"])
    assert modified.status == 304
    assert reader.get(server, url, HTTP_IF_NONE_MATCH='"other"').status == 200
    assert server.reached == [url, url]


def test_head_has_the_headers_and_no_body(published, shared_redis):
    server, reader = Server(), Reader()
    page = reader.get(server, "/")
    head = reader.get(server, "/", method="HEAD")
    assert server.reached == ["/"]
    assert (head.status, head.content) == (200, b"")
    assert head["Content-Length"] == str(len(page.content))


def test_signed_in_readers_and_readers_with_messages_go_to_django(
    published, shared_redis, manager, client
):
    server, anonymous = Server(), Reader()
    anonymous.get(server, "/")
    anonymous.get(server, "/")
    assert server.reached == ["/"]
    signed_in = Reader()
    login(client, manager)
    signed_in.cookies.load(f"sessionid={client.cookies['sessionid'].value}")
    signed_in.cookies.load(f"csrftoken={anonymous.cookies['csrftoken'].value}")
    page = signed_in.get(server, "/")
    assert "Keluar" in page.content.decode()  # their own header, with the log-out form
    with_messages = Reader()
    with_messages.cookies.load(f"csrftoken={anonymous.cookies['csrftoken'].value}")
    with_messages.cookies.load("messages=anything")
    with_messages.get(server, "/")
    assert server.reached == ["/", "/", "/"]


def test_a_first_visit_gets_its_csrf_cookie_from_django(published, shared_redis):
    server = Server()
    Reader().get(server, "/")
    newcomer = Reader()
    page = newcomer.get(server, "/")
    assert page.status == 200
    assert "csrftoken" in newcomer.cookies
    assert server.reached == ["/", "/"]


def test_rate_limited_downloads_always_reach_django(published, shared_redis, settings):
    settings.RATELIMIT_DOWNLOADS = "3/m"
    url = reverse("public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "csv"})
    server, reader = Server(), Reader()
    reader.get(server, "/")
    assert [reader.get(server, url).status for _ in range(4)] == [200, 200, 200, 429]
    assert server.reached.count(url) == 4


def test_a_publication_on_another_app_server_is_seen_at_once(
    published, shared_redis, django_capture_on_commit_callbacks
):
    server_a, server_b, reader = Server(), Server(), Reader()
    reader.get(server_a, "/")
    assert "Evaluasi 2025 Tahap 1" not in reader.get(server_b, "/").content.decode()
    assert server_b.reached == []  # served from the shared cache, in front of Django
    with django_capture_on_commit_callbacks(execute=True):
        pf.publish(published.hidden)  # on some third server: only Redis tells
    assert "Evaluasi 2025 Tahap 1" in reader.get(server_b, "/").content.decode()
    assert server_b.reached == ["/"]


def test_a_host_that_is_not_allowed_gets_django_s_400(published, shared_redis):
    server, reader = Server(), Reader()
    reader.get(server, "/")
    assert reader.get(server, "/", HTTP_HOST="evil.example").status == 400
    assert server.reached == ["/", "/"]


def test_a_page_recorded_over_http_is_not_replayed_over_https(published, shared_redis, settings):
    server, reader = Server(), Reader()
    reader.get(server, "/")
    reader.get(server, "/", **{"wsgi.url_scheme": "https"})
    assert server.reached == ["/", "/"]
    settings.SECURE_SSL_REDIRECT = True
    redirecting = Server()  # its security middleware reads the setting when it starts
    assert reader.get(redirecting, "/").status == 301  # Django's redirect, not the page
    assert redirecting.reached == ["/"]


def test_without_the_version_in_redis_every_request_goes_to_django(published, settings):
    settings.PUBLIC_VERSION_IN_CACHE = False
    server, reader = Server(), Reader()
    reader.get(server, "/")
    reader.get(server, "/")
    assert server.reached == ["/", "/"]
    assert caching.local_pages.pages  # the middleware's own fast path still serves it
