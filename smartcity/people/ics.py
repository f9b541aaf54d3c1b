"""An iCalendar (RFC 5545) entry for a field review, attached to its notifications."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from evaluations.models import FieldReview


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out: list[str] = []
    data = line.encode()
    while len(data) > 75:
        cut = 75 if not out else 74
        while cut and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode())
        data = data[cut:]
    out.append(data.decode())
    return "\r\n ".join(out)


def field_review_calendar(review: FieldReview, *, sequence: int, url: str) -> str:
    """All-day event from the first to the last day (DTEND is exclusive in iCalendar).

    The UID stays the same for the review, and ``sequence`` grows with each move, so a
    calendar that received the first invitation moves the event instead of adding another.
    """
    participation = review.participation
    summary = f"{participation.round.name}: {participation.region.name}"
    host = settings.PORTAL_URL.split("//")[-1].split("/")[0].split(":")[0] or "portal"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Portal Evaluasi Smart City//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:field-review-{review.pk}@{host}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{timezone.now().astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{review.start_date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{review.end_date + timedelta(days=1):%Y%m%d}",
        _fold(f"SUMMARY:{_escape(summary)}"),
        _fold(f"LOCATION:{_escape(review.location or review.get_mode_display())}"),
        _fold(f"DESCRIPTION:{_escape(str(review.get_mode_display()) + ' ' + url)}"),
        _fold(f"URL:{url}"),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
