"""Template context for the account links in the header (no query: session only)."""

from __future__ import annotations

from django.http import HttpRequest

from smartcity.people.second_factor import owes_second_factor


def account(request: HttpRequest) -> dict[str, object]:
    return {"OWES_SECOND_FACTOR": owes_second_factor(request)}
