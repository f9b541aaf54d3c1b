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

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from evaluations.models import RoundEvent

CSRF_PLACEHOLDER = "__PUBLIC_PAGE_CSRF_TOKEN__"
"""Rendered in place of the CSRF token on public pages, then replaced per response."""

KEY_PREFIX = "public-page"

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
    time of that event, in one query.

    A publish or a re-open writes a ``RoundEvent``, so the version moves with every change of
    what the public may see; ``"0-0"`` (and no time) before the first event.
    """
    agg = RoundEvent.objects.aggregate(newest=Max("pk"), count=Count("pk"), at=Max("at"))
    return DataState(f"{agg['newest'] or 0}-{agg['count']}", agg["at"])


def data_version() -> str:
    """``data_state().version`` (1 query)."""
    return data_state().version


def page_key(request: HttpRequest, version: str) -> str:
    """The cache key of a public page: data version, language, htmx or not, host, path and
    the query's parameters in a fixed order."""
    htmx = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    query = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    where = hashlib.sha256(f"{request.get_host()}|{request.path}|{query!r}".encode()).hexdigest()[
        :32
    ]
    return f"{KEY_PREFIX}:{version}:{get_language()}:{htmx}:{where}"


@dataclass(frozen=True)
class CachedPage:
    """A rendered public response, as stored in the cache."""

    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    rendered_at: float = 0.0
    # When the data behind it last changed (newest RoundEvent); the rendering time if unknown.
    modified_at: int | None = None

    @property
    def last_modified(self) -> int:
        return self.modified_at if self.modified_at is not None else int(self.rendered_at)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.content).hexdigest()[:40] + '"'

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


def _may_share(request: HttpRequest) -> bool:
    """Anonymous readers without pending messages all see the same page (and only pages
    whose query string the portal itself produces are worth keeping)."""
    if request.user.is_authenticated:
        return False
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_CACHEABLE_QUERY or not CACHEABLE_PARAMS.issuperset(request.GET):
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
        state = data_state()
        version = state.version
        request.public_data_version = version  # type: ignore[attr-defined]
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
            entry = CachedPage.from_response(response, modified_at=state.modified_timestamp)
            if request.GET and not getattr(request, "public_query_canonical", False):
                shared = False  # the view did not vouch for the query: answer, do not keep
            if shared:
                cache.set(key, entry, cache_seconds())
        response = entry.to_response(request)
        return get_conditional_response(
            request, etag=entry.etag, last_modified=entry.last_modified, response=response
        )

    return wrapper
