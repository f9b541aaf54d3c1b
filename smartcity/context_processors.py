"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    # PORTAL_URL, not the request's host, starts absolute links on pages (canonical): a cached
    # page is the same bytes, and carries the same ETag, whichever app server or address
    # rendered it.
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "PORTAL_URL": settings.PORTAL_URL.rstrip("/"),
    }
