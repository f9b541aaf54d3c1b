"""Project middleware."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def reader_language(request: HttpRequest) -> str:
    """The language of the reader's pages: the switch's cookie, else Indonesian."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class PortalLocaleMiddleware(LocaleMiddleware):
    """Indonesian for everyone unless the reader picked another language with the switch.

    Django's own middleware would follow the browser's Accept-Language, and many readers
    in Indonesia run browsers set to English; the portal's default is Indonesian, so only
    the language cookie (set by the switch in the header) changes it.
    """

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(reader_language(request))
        request.LANGUAGE_CODE = translation.get_language()
