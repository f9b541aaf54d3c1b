"""Caching and conditional GET for the public portal.

Published pages change only when a round is published or re-opened, and every such step
writes a ``RoundEvent``. The **data version** is therefore the newest ``RoundEvent`` id (0
before the first event) together with the number of events (so that deleting a round, which
deletes its events, also moves the version). Every cached page is stored under a key that
contains the data version, the language, the host and the full path: an app server that sees
a newer version simply misses the cache and renders again, so many app servers sharing a
cache, or each holding its own, never serve a page older than the last publication.

What a ``RoundEvent`` does not record (a programme renamed, an award added, an instrument's
wording fixed) reaches the cached pages within ``PUBLIC_CACHE_SECONDS`` (default 300).

Pages are rendered once per key with a placeholder where the CSRF token goes (the header's
language form posts to ``set_language``); every response gets the reader's own token
substituted, so a cached page never carries somebody else's token. Only anonymous readers
without pending messages share cached pages; a signed-in user sees their name in the header,
so their pages are rendered for them (still with an ETag).

**Served before the middleware stack** (``CachedPublicPageMiddleware``, right after the
security and static-file middleware): a reader without a session or message cookie asking
for a page that is in the cache gets it without sessions, authentication, CSRF checks,
CSP, django-axes or URL resolving, which is what made a cached page cost several times a
static file. The response is the one the full stack produced when the page was stored
(its headers included), with the reader's CSRF token substituted. Rate-limited views (the
open-data files) are never served this way: their limit must count every download.

**Served before Django** (``FastPublicPages``, the WSGI application of ``smartcity.wsgi``):
with the data version in Redis, a returning reader's hit is answered before Django builds a
request, with the headers the whole stack gave that page (recorded from one of its answers),
its own request id and log line; anything else goes to Django and the middleware above.

**The data version across app servers**: with a shared cache (``REDIS_URL``,
``PUBLIC_VERSION_IN_CACHE``) the version itself is kept in the cache and rewritten after
every commit that adds or deletes a ``RoundEvent`` (``bump_data_version``), so a cached
hit costs one small cache read and no database query, and a publication on one app server
is seen by the next request on any other. Without a shared cache every process reads the
version from the database (one query), as each holds its own cache. Each process also keeps
the pages it serves in memory (``LOCAL_PAGES_MAX_BYTES``) under the same versioned keys, so
a hit does not move a large page across the network; only the version is read from Redis.

Only canonical, validated query strings are kept. Each public page names the parameters it
reads (``PAGE_PARAMS``); a URL with any other parameter is redirected to the same page
without it, and a page that reads parameters keeps a response only when the view confirmed
every value (``confirm_canonical``): an unknown round, region or sort key is answered with a
404 or a redirect to the canonical page by the view, and is never cached. So the cache holds
at most one entry per real page, and junk URLs cannot evict the warm ones.

Conditional GET: the ETag is a hash of the page as cached (placeholder included), so it
changes exactly when the page changes, whatever the reason; Last-Modified is the time of the
newest ``RoundEvent`` (the last publication or re-opening), so every app server gives the same
bytes the same validators and an old ``If-Modified-Since`` gets a 304 while nothing was
published since. ``django.views.decorators.http.condition`` is not used because it would
need the ETag before rendering, which would tie it to the data version alone and keep an
edited programme hidden from a browser that revalidates.

HTML pages carry the reader's CSRF token: ``private, no-cache``. Everything else (open-data
files, the JSON API) is ``public, max-age=PUBLIC_CACHE_SECONDS``: shared caches may keep it
that long, so a re-opened round's file may be served by a proxy for up to that time.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property, wraps
from typing import Any, cast

import structlog
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    get_token,
)
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from evaluations.models import RoundEvent
from smartcity.middleware import reader_language

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "__PUBLIC_PAGE_CSRF_TOKEN__"
"""Rendered in place of the CSRF token on public pages, then replaced per response."""

KEY_PREFIX = "public-page"
FAST_PREFIX = "public-fast"
VERSION_KEY = "public-data-version"

# Pages this process keeps in memory for the fast path (least recently used go first).
LOCAL_PAGES_MAX_BYTES = 32 * 1024 * 1024

# Paths that are never public pages: the fast path does not even look them up.
NOT_PUBLIC_PREFIXES = (
    "/accounts/",
    "/admin/",
    "/review/",
    "/city/",
    "/dashboard/",
    "/i18n/",
    "/jobs/",
    "/healthz",
    "/readyz",
    "/static/",
)

# Query parameters each public page reads, by URL name. Any other parameter is dropped by a
# redirect; a page missing here reads none.
PAGE_PARAMS: dict[str, frozenset[str]] = {
    "public:rankings": frozenset({"province", "kind", "cohort", "band", "sort"}),
    "public:compare": frozenset({"regions", "round"}),
    # The JSON API (evaluations/views/api.py): pages, and what the endpoints filter by.
    "api:rounds": frozenset({"page", "page_size"}),
    "api:regions": frozenset({"page", "page_size"}),
    "api:rankings": frozenset({"page", "page_size", "province"}),
    "api:compare": frozenset({"regions", "round"}),
    # z, x, y: the map's view (clamped, else redirected); region: a known slug (else 404).
    "public:map": frozenset({"round", "z", "x", "y", "region"}),
    # The search reads q but never confirms it: results pages are not cached.
    "public:search": frozenset({"q"}),
}
CACHEABLE_PARAMS = frozenset().union(*PAGE_PARAMS.values())
MAX_CACHEABLE_QUERY = 400

# Headers of a view's response that a cached copy keeps.
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Link")


def cache_seconds() -> int:
    return settings.PUBLIC_CACHE_SECONDS


@dataclass(frozen=True)
class DataState:
    """What the public may see, in two words: its version and when it last changed."""

    version: str
    modified: datetime | None

    @property
    def modified_timestamp(self) -> int | None:
        return int(self.modified.timestamp()) if self.modified else None


def data_state() -> DataState:
    """The version of the published data (newest ``RoundEvent`` id and event count) and the
    time of that event, read from the database in one query.

    A publish or a re-open writes a ``RoundEvent``, so the version moves with every change of
    what the public may see; ``"0-0"`` (and no time) before the first event.
    """
    agg = RoundEvent.objects.aggregate(newest=Max("pk"), count=Count("pk"), at=Max("at"))
    return DataState(f"{agg['newest'] or 0}-{agg['count']}", agg["at"])


def data_version(request: HttpRequest | None = None) -> str:
    """The current data version: the one way to read it.

    From the shared cache when there is one (no query; see ``bump_data_version``), else from
    the database with the time of the change (``data_state``, one query), which a request
    keeps as ``request.public_data_state`` for Last-Modified. With a request, read once per
    request (the fast path may have read it already) and kept as
    ``request.public_data_version``.
    """
    version: str | None = getattr(request, "public_data_version", None)
    if version is not None:
        return version
    if settings.PUBLIC_VERSION_IN_CACHE:
        version = _shared_version()
    else:
        state = data_state()
        if request is not None:
            request.public_data_state = state  # type: ignore[attr-defined]
        version = state.version
    if request is not None:
        request.public_data_version = version  # type: ignore[attr-defined]
    return version


def _shared_version() -> str:
    """The version kept in the shared cache, written there from the database when absent.
    Read on a plain socket (``_RawVersionReader``); redis-py when that cannot."""
    try:
        raw = _raw_version.get()
    except (OSError, ValueError, RedisReplyError):
        _raw_version.close()  # reconnects on the next request; redis-py answers this one
        raw = _NOT_READ
    store, key = version_store()
    version = store.get(key) if raw is _NOT_READ else raw
    if version is not None:
        return version.decode()
    version = data_state().version
    # nx: a version written by a publication in the meantime wins over this one, which may
    # have been read before that publication committed.
    if not store.set(key, version, nx=True, ex=cache_seconds() or None):
        version = (store.get(key) or version.encode()).decode()
    return version


_version_clients: dict[str, Any] = {}


def version_store() -> tuple[Any, str]:
    """The Redis client and key of the shared data version.

    Read on every cached hit, so it bypasses Django's cache API, which builds a new Redis
    client (and copies its table of response callbacks) on every call: a plain GET of a
    short string on one long-lived client per process (redis-py reconnects after a fork).
    """
    config = settings.CACHES["default"]
    location = config["LOCATION"]
    client = _version_clients.get(location)
    if client is None:
        import redis

        client = _version_clients[location] = redis.Redis.from_url(location)
    return client, f"{config.get('KEY_PREFIX', '')}:{VERSION_KEY}"


class RedisReplyError(Exception):
    """Redis answered a command with an error (or with something that is not a string)."""


_NOT_READ = b"\x00not read"


def _resp(*parts: bytes) -> bytes:
    """A Redis command in the protocol's array-of-bulk-strings form."""
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


class _RawVersionReader:
    """The GET of the shared data version, on one plain socket per process.

    It runs on every cached hit, and redis-py's ``get`` (connection pool, command packing,
    reply parsing and callbacks: about 0.1 ms of CPU) was the largest part of a hit after
    the page itself. The command is packed once; the reply is one short bulk string. A
    location this does not handle (a Unix socket, TLS) returns ``_NOT_READ`` and redis-py
    reads it; any trouble closes the socket, and the caller falls back to redis-py too.
    The socket is opened again in a forked worker (the pid is checked).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sock: socket.socket | None = None
        self.pid = 0
        self.location = ""
        self.key = ""
        self.command = b""
        self.unsupported = False

    def close(self) -> None:
        with self.lock:
            if self.sock is not None:
                with contextlib.suppress(OSError):
                    self.sock.close()
            self.sock = None

    def get(self) -> bytes | None:
        """The stored version (None when the key is missing), or ``_NOT_READ``."""
        config = settings.CACHES["default"]
        location = config["LOCATION"]
        key = f"{config.get('KEY_PREFIX', '')}:{VERSION_KEY}"
        with self.lock:
            fresh = self.pid == os.getpid() and self.location == location
            if fresh and self.unsupported:
                return _NOT_READ
            if (self.sock is None or not fresh) and not self._connect(location):
                return _NOT_READ
            assert self.sock is not None
            if key != self.key:
                self.key, self.command = key, _resp(b"GET", key.encode())
            self.sock.sendall(self.command)
            return self._bulk(self.sock)

    def _connect(self, location: str) -> bool:
        from redis.connection import parse_url

        self.sock, self.pid, self.location = None, os.getpid(), location
        options = parse_url(location)
        self.unsupported = "path" in options or "connection_class" in options
        if self.unsupported:
            return False  # a Unix socket or TLS: redis-py's business
        sock = socket.create_connection(
            (options.get("host", "localhost"), int(options.get("port", 6379))), timeout=2
        )
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        handshake = []
        if options.get("password"):
            user = options.get("username")
            handshake.append(
                _resp(b"AUTH", *([user.encode()] if user else []), options["password"].encode())
            )
        if int(options.get("db") or 0):
            handshake.append(_resp(b"SELECT", str(options["db"]).encode()))
        for command in handshake:
            sock.sendall(command)
            if not self._line(sock).startswith(b"+"):
                sock.close()
                raise RedisReplyError("handshake refused")
        self.sock = sock
        return True

    @staticmethod
    def _line(sock: socket.socket) -> bytes:
        data = b""
        while not data.endswith(b"\r\n"):
            chunk = sock.recv(4096)
            if not chunk:
                raise OSError("connection closed")
            data += chunk
        return data

    def _bulk(self, sock: socket.socket) -> bytes | None:
        data = self._line(sock)
        if data.startswith(b"$-1\r\n"):
            return None
        if not data.startswith(b"$"):
            raise RedisReplyError(data[:100])
        header, _, rest = data.partition(b"\r\n")
        size = int(header[1:])
        while len(rest) < size + 2:
            chunk = sock.recv(4096)
            if not chunk:
                raise OSError("connection closed")
            rest += chunk
        return rest[:size]


_raw_version = _RawVersionReader()


def _store_version() -> None:
    store, key = version_store()
    store.set(key, data_state().version, ex=cache_seconds() or None)


def bump_data_version(**kwargs: Any) -> None:
    """After the transaction that added or deleted a ``RoundEvent`` commits, write the new
    version to the shared cache: every app server's next request sees it (connected to
    ``RoundEvent``'s post_save and post_delete in ``EvaluationsConfig.ready``)."""
    if settings.PUBLIC_VERSION_IN_CACHE:
        transaction.on_commit(_store_version)


def page_key(request: HttpRequest, version: str, language: str | None = None) -> str:
    """The cache key of a public page: data version, language (the active one unless
    given), htmx or not, host, path and the query's parameters in a fixed order."""
    # request.META, not request.headers: the latter copies every header of the request.
    htmx = "htmx" if request.META.get("HTTP_HX_REQUEST") == "true" else "page"
    query = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    where = hashlib.sha256(f"{request.get_host()}|{request.path}|{query!r}".encode()).hexdigest()[
        :32
    ]
    return f"{KEY_PREFIX}:{version}:{language or get_language()}:{htmx}:{where}"


@dataclass(frozen=True)
class CachedPage:
    """A rendered public response, as stored in the cache."""

    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    rendered_at: float = 0.0
    # When the data behind it last changed (newest RoundEvent); the rendering time if unknown.
    modified_at: int | None = None
    # Hashed once when stored, not on every hit (hashing a 450 KiB page costs about 1 ms).
    etag: str = ""

    @property
    def last_modified(self) -> int:
        return self.modified_at if self.modified_at is not None else int(self.rendered_at)

    def __post_init__(self) -> None:
        if not self.etag:
            digest = hashlib.sha256(self.content).hexdigest()[:40]
            object.__setattr__(self, "etag", f'"{digest}"')

    @property
    def is_html(self) -> bool:
        return self.headers.get("Content-Type", "").startswith("text/html")

    @classmethod
    def from_response(cls, response: HttpResponse, *, modified_at: int | None = None) -> CachedPage:
        headers = {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}
        return cls(
            content=response.content,
            headers=headers,
            rendered_at=time.time(),
            modified_at=modified_at,
        )

    def to_response(self, request: HttpRequest) -> HttpResponse:
        content = self.content
        if self.is_html and CSRF_PLACEHOLDER.encode() in content:
            content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        response = HttpResponse(content)
        for name, value in self.headers.items():
            response[name] = value
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        if self.is_html:
            # The page holds the reader's CSRF token: browsers may keep it but must
            # revalidate (ETag), shared caches must not keep it at all.
            patch_cache_control(response, private=True, no_cache=True)
        else:
            # Files and API answers hold nobody's data: any cache may keep them for as long
            # as an app server keeps its own copy.
            patch_cache_control(response, public=True, max_age=cache_seconds())
        patch_vary_headers(response, ("Accept-Language", "Cookie", "HX-Request"))
        return response


def _cacheable_query(request: HttpRequest) -> bool:
    """Only pages whose query string the portal itself produces are worth keeping."""
    query = request.META.get("QUERY_STRING", "")
    return len(query) <= MAX_CACHEABLE_QUERY and CACHEABLE_PARAMS.issuperset(request.GET)


def _may_share(request: HttpRequest) -> bool:
    """Anonymous readers without pending messages all see the same page."""
    if request.user.is_authenticated or not _cacheable_query(request):
        return False
    return len(get_messages(request)) == 0


def confirm_canonical(request: HttpRequest) -> None:
    """Called by a view that has validated every parameter of the query string: its
    response may be cached. (A view that does not call it is answered but never stored when
    the URL has a query.)"""
    request.public_query_canonical = True  # type: ignore[attr-defined]


def _page_params(request: HttpRequest) -> frozenset[str]:
    match = request.resolver_match
    return PAGE_PARAMS.get(match.view_name if match else "", frozenset())


def _without_unknown_params(request: HttpRequest) -> str | None:
    """The URL of this page without parameters it does not read, or None if it has none."""
    allowed = _page_params(request)
    if all(name in allowed for name in request.GET):
        return None
    kept = request.GET.copy()
    for name in list(kept):
        if name not in allowed:
            del kept[name]
    return request.path + ("?" + kept.urlencode() if kept else "")


def render_public(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """``render`` for public pages: the CSRF token becomes a placeholder when the page is
    rendered for the cache (see ``public_page``)."""
    context = dict(context or {})
    if getattr(request, "public_page_placeholder", False):
        context["csrf_token"] = CSRF_PLACEHOLDER
    return render(request, template_name, context, status=status)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public GET view's 200 responses under the data version; answer conditional
    GETs with 304. Other responses (redirects, 404, 400) pass through uncached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        tidy = _without_unknown_params(request)
        if tidy is not None:
            return redirect(tidy)
        version = data_version(request)
        state: DataState | None = getattr(request, "public_data_state", None)
        key = page_key(request, version)
        shared = _may_share(request)
        entry: CachedPage | None = cache.get(key) if shared else None
        if entry is None:
            request.public_page_placeholder = True  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
                    response.content = response.content.replace(
                        CSRF_PLACEHOLDER.encode(), get_token(request).encode()
                    )
                return response
            # Last-Modified is the time of the change behind the page, not of its rendering.
            modified = (state or data_state()).modified_timestamp
            entry = CachedPage.from_response(response, modified_at=modified)
            if request.GET and not getattr(request, "public_query_canonical", False):
                shared = False  # the view did not vouch for the query: answer, do not keep
            # add: when two app servers render the same page at once, both keep the first
            # copy stored, so the page has the same validators on every server.
            if shared and not cache.add(key, entry, cache_seconds()):
                entry = cache.get(key) or entry
        if shared and not hasattr(request, "limited"):
            # django-ratelimit marks the requests it counted (``request.limited``): those
            # views must see every request, so only the others go to the fast path.
            request.public_page_entry = (key, entry)  # type: ignore[attr-defined]
        response = entry.to_response(request)
        # Given a response, get_conditional_response returns one (the stubs say Optional).
        return cast(
            HttpResponse,
            get_conditional_response(
                request, etag=entry.etag, last_modified=entry.last_modified, response=response
            ),
        )

    return wrapper


# --- The fast path ----------


@dataclass(frozen=True)
class FastPage:
    """A public page as the whole middleware stack answered it, ready to send again."""

    parts: tuple[bytes, ...]  # the content, split where the reader's CSRF token goes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: int
    expires: float
    # The headers of the whole stack's answer as the WSGI server got them (the middleware
    # above this one added security and CORS headers), and the scheme they were given for:
    # recorded by ``FastPublicPages`` from a response of the stack, None until then.
    final_headers: tuple[tuple[str, str], ...] | None = None
    scheme: str = ""

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts)

    @cached_property
    def last_modified_http(self) -> str:
        return http_date(self.last_modified)


# Headers that are the reader's own or are set again for each response.
_NOT_REPLAYED = frozenset({"content-length", "etag", "last-modified", "set-cookie", "date"})


class _LocalPages:
    """The pages this process served lately, by versioned key, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[str, FastPage] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> FastPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if page.expires <= time.time():
                self._drop(key)
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: FastPage) -> None:
        if page.size > self.max_bytes // 4:
            return
        with self.lock:
            if key in self.pages:
                self._drop(key)
            self.pages[key] = page
            self.size += page.size
            while self.size > self.max_bytes:
                self._drop(next(iter(self.pages)))

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.size -= self.pages.pop(key).size


local_pages = _LocalPages(LOCAL_PAGES_MAX_BYTES)


_CSRF_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}
# Random bytes below this are used for the mask (a multiple of the alphabet's 62: no bias).
_CSRF_UNBIASED = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def _is_csrf_secret(value: str) -> bool:
    """A CSRF cookie as Django writes it: a 32-character secret of its alphabet."""
    return len(value) == CSRF_SECRET_LENGTH and all(char in _CSRF_INDEX for char in value)


def _masked_token(secret: str) -> str:
    """Django's masked form of ``secret`` (a fresh one-time mask, so compressed pages
    leak nothing), the mask drawn from one ``os.urandom`` call."""
    size = len(CSRF_ALLOWED_CHARS)
    mask: list[int] = []
    while len(mask) < len(secret):
        mask += [byte % size for byte in os.urandom(48) if byte < _CSRF_UNBIASED]
    mask = mask[: len(secret)]
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CSRF_INDEX[char] + m) % size]
        for char, m in zip(secret, mask, strict=True)
    )
    return "".join(CSRF_ALLOWED_CHARS[m] for m in mask) + cipher


def reader_csrf_token(request: HttpRequest) -> str:
    """``django.middleware.csrf.get_token`` for the fast path: the same masked token (a
    fresh one-time mask over the reader's secret, so compressed pages leak nothing), with
    the mask drawn from one ``os.urandom`` call; Django draws each of its 32 characters
    with its own system call, which was a third of a cached hit's CPU time."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)  # first visit: a new secret, and its cookie
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # renew the cookie, as get_token does
    return _masked_token(secret)


def _stored_page(key: str) -> FastPage | None:
    """A stored page: from this process's memory, else from the shared cache (then kept in
    memory, so the next hit does not move the page across the network)."""
    page = local_pages.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            local_pages.put(key, page)
    return page


class CachedPublicPageMiddleware:
    """Serve cached public pages to anonymous readers before the rest of the middleware.

    Goes right after SecurityMiddleware and WhiteNoise (and after request logging). A GET
    or HEAD without a session or message cookie whose page is in the cache under the
    current data version is answered here: the stored response of the full stack, the
    reader's CSRF token and cookie (Django's own CSRF middleware), and 304 for a matching
    conditional GET. Anything else goes down the stack unchanged; on its way back, a page
    that ``public_page`` marked as shareable is stored for the next reader.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._eligible(request):
            try:
                response = self._serve(request)
            except Exception:
                # A cache that is down, a Host header that is not allowed, ...: the full
                # stack answers (and reports) it.
                logger.debug("public page fast path skipped", exc_info=True)
                response = None
            if response is not None:
                return response
        response = self.get_response(request)
        marked: tuple[str, CachedPage] | None = getattr(request, "public_page_entry", None)
        if marked is not None and response.status_code == 200 and not response.streaming:
            key, page = self._remember(*marked, response)
            _mark_for_wsgi(request, key, page)
        return response

    @staticmethod
    def _eligible(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
            and not request.path.startswith(NOT_PUBLIC_PREFIXES)
            and _cacheable_query(request)
            and cache_seconds() > 0
        )

    def _serve(self, request: HttpRequest) -> HttpResponse | None:
        version = data_version(request)
        key = FAST_PREFIX + page_key(request, version, reader_language(request))
        page = _stored_page(key)
        if page is None:
            return None
        _mark_for_wsgi(request, key, page)
        secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if len(page.parts) == 1:
            django_csrf = False  # no form on the page: no token to give
            content = page.parts[0]
        elif _is_csrf_secret(secret) and not settings.CSRF_USE_SESSIONS:
            # The reader's cookie holds a secret: mask it for this page. The cookie is not
            # sent again (Django renews its expiry on every page; here that would be a
            # Set-Cookie on every hit): it lasts CSRF_COOKIE_AGE from the last page of the
            # full stack, and a lapsed one is replaced by the next form the reader opens.
            django_csrf = False
            content = _masked_token(secret).encode().join(page.parts)
        else:
            # First visit, or a cookie in an older format: Django's middleware sets it.
            django_csrf = True
            self.csrf.process_request(request)
            content = reader_csrf_token(request).encode().join(page.parts)
        response = HttpResponse(content)
        headers = response.headers
        for name, value in page.headers:
            headers[name] = value
        headers["ETag"] = page.etag
        headers["Last-Modified"] = page.last_modified_http
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            response = cast(
                HttpResponse,
                get_conditional_response(
                    request, etag=page.etag, last_modified=page.last_modified, response=response
                ),
            )
        if django_csrf:
            return cast(HttpResponse, self.csrf.process_response(request, response))
        return response

    @staticmethod
    def _remember(key: str, entry: CachedPage, response: HttpResponse) -> tuple[str, FastPage]:
        page = FastPage(
            parts=tuple(entry.content.split(CSRF_PLACEHOLDER.encode())),
            headers=tuple(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _NOT_REPLAYED
            ),
            etag=entry.etag,
            last_modified=entry.last_modified,
            expires=entry.rendered_at + cache_seconds(),
        )
        ttl = max(1, int(page.expires - time.time()))
        cache.set(FAST_PREFIX + key, page, ttl)
        local_pages.put(FAST_PREFIX + key, page)
        return FAST_PREFIX + key, page


def _mark_for_wsgi(request: HttpRequest, key: str, page: FastPage) -> None:
    """Tell ``FastPublicPages`` (in front of Django) which stored page this response is,
    so that it records the headers the whole stack gave it."""
    request.META[_WSGI_MARK] = (key, page, request.scheme)


# --- In front of Django: the WSGI layer ----------

_WSGI_MARK = "smartcity.public_page"
# Headers that belong to one response: never replayed from a recorded answer.
_PER_RESPONSE = frozenset(
    {"content-length", "etag", "last-modified", "set-cookie", "date", "x-request-id"}
)
# What Django's 304 keeps of the answer it replaces (django.utils.cache._not_modified).
_KEPT_BY_304 = frozenset(
    {"cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary"}
)

type WSGIEnviron = dict[str, Any]
type StartResponse = Callable[..., Any]
type WSGIApplication = Callable[[WSGIEnviron, StartResponse], Iterable[bytes]]


class FastPublicPages:
    """A cached public page answered before Django: the WSGI application gunicorn runs
    (``smartcity.wsgi``) is Django's, wrapped in this.

    ``CachedPublicPageMiddleware`` still runs below request logging, the health probes,
    the security and static-file middleware: a hit there paid for Django's request object,
    its signals and those middleware, which a static file pays too, but a hit had more to
    do on top. Here, a GET or HEAD that the middleware would answer from the cache (no
    session or message cookie, a public path, a canonical query, the data version read
    from Redis) is answered with the headers the whole stack gave the same page, recorded
    from one of its answers (security headers, CSP, CORS, Vary, Cache-Control,
    Content-Language...), a fresh ETag-checked 304 for a matching conditional GET, its own
    ``X-Request-ID`` and the same structured log line. Everything else, and any page whose
    headers were not recorded yet, goes to Django unchanged:

    - only with the data version in Redis (``PUBLIC_VERSION_IN_CACHE``): a publication on
      any app server moves it, and this reads it on every request; without Redis the version
      is a database query, which belongs inside Django's request cycle;
    - only a reader whose CSRF cookie holds a secret (or a page without a form): a first
      visit gets its cookie from Django's middleware;
    - never a signed-in reader or one with messages (their cookies), never a rate-limited
      download (never stored for the fast path), never a plain-HTTP request that
      ``SECURE_SSL_REDIRECT`` would redirect, never a page recorded for another scheme,
      never ``If-Match``/``If-Unmodified-Since`` (Django answers 412).
    """

    def __init__(self, application: WSGIApplication) -> None:
        self.application = application

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not (
            settings.PUBLIC_VERSION_IN_CACHE
        ):
            return self.application(environ, start_response)
        started = time.perf_counter()
        try:
            answer = self._answer(environ, started)
        except Exception:
            logger.debug("public page WSGI fast path skipped", exc_info=True)
            answer = None
        if answer is None:
            return self.application(environ, self._recording(environ, start_response))
        status, headers, body = answer
        start_response(status, headers)
        return body

    def _answer(
        self, environ: WSGIEnviron, started: float
    ) -> tuple[str, list[tuple[str, str]], list[bytes]] | None:
        from smartcity.logs import begin_request, log_request

        request = WSGIRequest(environ)
        if (
            not CachedPublicPageMiddleware._eligible(request)
            or "HTTP_IF_MATCH" in environ
            or "HTTP_IF_UNMODIFIED_SINCE" in environ
            or (settings.SECURE_SSL_REDIRECT and not request.is_secure())
        ):
            return None
        try:
            version = _raw_version.get()
        except (OSError, ValueError, RedisReplyError):
            _raw_version.close()  # reopened by the next request; Django answers this one
            return None
        if version is None or version is _NOT_READ:
            return None  # no version in Redis yet: the stack writes it
        key = FAST_PREFIX + page_key(request, version.decode(), reader_language(request))
        page = _stored_page(key)
        if page is None:
            return None
        if page.final_headers is None or page.scheme != request.scheme:
            return None
        if len(page.parts) == 1:
            content = page.parts[0]
        else:
            secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
            if settings.CSRF_USE_SESSIONS or not _is_csrf_secret(secret):
                return None  # a first visit: Django's middleware gives the cookie
            content = _masked_token(secret).encode().join(page.parts)

        request_id = begin_request(request)
        try:
            status = 200
            headers = [
                *page.final_headers,
                ("ETag", page.etag),
                ("Last-Modified", page.last_modified_http),
            ]
            if ("HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ) and (
                _not_modified(request, page)
            ):
                status, content = 304, b""
                inner = {name.lower() for name, _ in page.headers}
                headers = [
                    (name, value)
                    for name, value in headers
                    if name.lower() in _KEPT_BY_304 or name.lower() not in inner
                ]
            else:
                headers.append(("Content-Length", str(len(content))))
            headers.append(("X-Request-ID", request_id))
            log_request(request, status, started=started, queries=0, user_id=None)
        finally:
            structlog.contextvars.clear_contextvars()
        body = [content] if request.method == "GET" else []
        return ("200 OK" if status == 200 else "304 Not Modified"), headers, body

    @staticmethod
    def _recording(environ: WSGIEnviron, start_response: StartResponse) -> StartResponse:
        """``start_response`` that records the headers of a stored page's answer."""

        def record(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            marked: tuple[str, FastPage, str] | None = environ.pop(_WSGI_MARK, None)
            if marked is not None and status.startswith("200 "):
                try:
                    _record_final_headers(*marked, headers)
                except Exception:
                    logger.debug("public page headers not recorded", exc_info=True)
            return start_response(status, headers, *exc_info)

        return record


def _not_modified(request: HttpRequest, page: FastPage) -> bool:
    """Django's answer to the request's If-None-Match / If-Modified-Since for this page."""
    response = get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified, response=HttpResponse()
    )
    return response is not None and response.status_code == 304


def _record_final_headers(
    key: str, page: FastPage, scheme: str, headers: list[tuple[str, str]]
) -> None:
    final = tuple((name, value) for name, value in headers if name.lower() not in _PER_RESPONSE)
    if page.final_headers == final and page.scheme == scheme:
        return
    ttl = int(page.expires - time.time())
    if ttl < 1:
        return
    page = replace(page, final_headers=final, scheme=scheme)
    # Stored again for the other app servers (a miss there records them anyway).
    cache.set(key, page, ttl)
    local_pages.put(key, page)
