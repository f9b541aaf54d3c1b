"""Shared helpers of the reviewer and round-manager views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from evaluations.roles import is_manager, is_reviewer

View = Callable[..., HttpResponseBase]


def reviewer_required(view: View) -> View:
    """Logged in and a Kominfo reviewer (or manager); anyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_reviewer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view: View) -> View:
    """Logged in and a round manager; anyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def report_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's refusal as error messages on the next page."""
    for message in error_messages(exc):
        messages.error(request, message)


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
