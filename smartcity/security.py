"""Request-level protections shared by every area: who the client is, rate limits, and
sessions that end when left idle.

- ``client_ip``: the address lock-outs (django-axes) and rate limits count against. Behind
  ``PROXY_COUNT`` reverse proxies it is taken from ``X-Forwarded-For``, counting from the
  right (each proxy appends the address it saw), so a client cannot choose its own address
  by sending the header; with no proxy the header is ignored.
- ``login_rate_limit`` and ``download_rate_limit``: django-ratelimit decorators for the login
  forms (portal and admin: per address and per user name) and for every export or download
  (open data, XLSX/CSV exports, PDFs, evidence files). Only django-ratelimit's public API is
  used (``ratelimit``, ``is_ratelimited``); rates are parsed here (``parse_rate``).
  A request over the limit gets ``rate_limited``: a 429 page with ``Retry-After``. The counts
  live in the default cache: exact across app servers with ``REDIS_URL``, per process without.
- ``IdleSessionMiddleware``: a login ends after ``SESSION_COOKIE_AGE`` seconds without a
  request. Django's ``SESSION_SAVE_EVERY_REQUEST`` would do this with a database write on
  every page; this pushes the expiry forward at most once per ``SESSION_REFRESH_SECONDS``.
"""

from __future__ import annotations

import ipaddress
import math
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

View = Callable[..., HttpResponseBase]

# --- The client's address ----------


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as far as the trusted proxies in front can tell
    (``AXES_CLIENT_IP_CALLABLE``; the rate limits use it too)."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    # With N proxies, the last N entries were written by them; the first of those is what the
    # outermost proxy saw: the client. Anything further left was sent by the client.
    if len(forwarded) >= proxies:
        return _valid_ip(forwarded[-proxies]) or remote
    return remote


# --- Rate limits ----------


def _rate(setting: str) -> Callable[[str, HttpRequest], str | None]:
    """The rate is read per request, so settings overrides (tests, admin) take effect."""

    def rate(group: str, request: HttpRequest) -> str | None:
        return getattr(settings, setting) or None

    return rate


def by_ip(group: str, request: HttpRequest) -> str:
    """The rate-limit key of the client's address."""
    return f"ip:{client_ip(request)}"


def _by_user_or_ip(group: str, request: HttpRequest) -> str:
    """A logged-in user has one budget wherever they are; anonymous readers one per address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return by_ip(group, request)


# Longer than any user name (150) but short: the key of a cache entry.
_USERNAME_KEY_CHARS = 160


def _by_username(group: str, request: HttpRequest) -> str:
    """The user name being tried, as the login compares it (case-insensitively here, so
    "Admin" and "admin" share one budget); an empty name shares one budget too."""
    name = str(request.POST.get("username", ""))[:_USERNAME_KEY_CHARS].strip().casefold()
    return f"username:{name}"


def login_rate_limit(view: View) -> View:
    """Login attempts per client address and per user name (POSTs only: showing the form
    is never limited). Wraps the portal's and the admin's login views.

    django-axes locks one user name out after repeated failures from an address; the
    address limit stops an address from trying many user names, the user-name limit stops
    many addresses from trying one user name.
    """
    by_name = ratelimit(
        group="login-username",
        key=_by_username,
        rate=_rate("RATELIMIT_LOGIN_USERNAME"),
        method=["POST"],
    )(view)
    return ratelimit(group="login", key=by_ip, rate=_rate("RATELIMIT_LOGIN"), method=["POST"])(
        by_name
    )


def download_rate_limit(view: View) -> View:
    """Every export and download shares one budget per user (or address when anonymous):
    they are the costly pages (spreadsheets, PDFs, files) and the ones a scraper repeats."""
    limited = ratelimit(
        group="downloads", key=_by_user_or_ip, rate=_rate("RATELIMIT_DOWNLOADS"), method=ALL
    )(view)
    # Outer decorators copy this along (functools.wraps): tests/security checks that every
    # view answering with a file carries it.
    limited.rate_limit_group = "downloads"
    return limited


def preview_rate_limit(view: View) -> View:
    """Page images of evidence previews have their own budget per user: one preview shows up
    to ten of them, so the download budget would run out after a few previews, yet a reader
    walking every page of every file is still stopped."""
    limited = ratelimit(
        group="previews", key=_by_user_or_ip, rate=_rate("RATELIMIT_PREVIEWS"), method=ALL
    )(view)
    limited.rate_limit_group = "previews"
    return limited


_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """(count, period in seconds) of a rate such as "10/m" or "100/5m" (the syntax
    django-ratelimit documents and ``smartcity.env.check_rate`` accepts)."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"not a rate: {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _PERIOD_SECONDS[unit]


def retry_after_seconds(rate: str) -> int:
    """Upper bound of the wait before the window of ``rate`` (e.g. "60/m") starts again."""
    _count, period = parse_rate(rate)
    return max(1, math.ceil(period))


def over_limit(request: HttpRequest, *, group: str, setting: str, increment: bool = True) -> bool:
    """True when this request goes past the rate in ``settings.<setting>`` for its client
    address (for limits checked inside a view rather than by a decorator)."""
    return is_ratelimited(request, group=group, key=by_ip, rate=_rate(setting), increment=increment)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page (``RATELIMIT_VIEW``): what happened and when to try again."""
    is_login = request.resolver_match is not None and request.resolver_match.url_name == "login"
    rate = settings.RATELIMIT_LOGIN if is_login else settings.RATELIMIT_DOWNLOADS
    if (
        is_login
        and settings.RATELIMIT_LOGIN_USERNAME
        and is_ratelimited(
            request,
            group="login-username",
            key=_by_username,
            rate=_rate("RATELIMIT_LOGIN_USERNAME"),
            method=["POST"],  # part of the counter's key: as the decorator counts
            increment=False,
        )
    ):
        rate = settings.RATELIMIT_LOGIN_USERNAME  # the user name's budget is the one spent
    wait = retry_after_seconds(rate) if rate else 60
    response = render(
        request,
        "429.html",
        {"wait_minutes": max(1, math.ceil(wait / 60)), "is_login": is_login},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


# --- Idle sessions ----------

SESSION_REFRESHED_KEY = "_refreshed_at"


class IdleSessionMiddleware:
    """End a login after ``SESSION_COOKIE_AGE`` seconds without a request.

    Each request of a logged-in user moves the session's expiry (in the database and on the
    cookie) ``SESSION_COOKIE_AGE`` ahead, but writes at most once per
    ``SESSION_REFRESH_SECONDS``: the idle limit is exact to that many seconds, and a page
    costs no extra query. Runs after the session and authentication middleware.
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = getattr(request, "session", None)
        # No cookie, no session: nothing is loaded and nothing is written (public pages).
        if session is not None and session.session_key and SESSION_KEY in session:
            now = int(time.time())
            last = session.get(SESSION_REFRESHED_KEY, 0)
            if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


def mark_session_fresh(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On login (``user_logged_in``): the expiry was just set, the next write is a minute away.

    Without this the first page after a login would write the session a second time.
    """
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_REFRESHED_KEY] = int(time.time())
