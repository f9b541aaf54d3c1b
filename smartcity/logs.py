"""Structured logs (structlog): one JSON line per request and per domain event.

- ``logging_config(fmt, level)`` builds ``settings.LOGGING``: every record, the portal's own
  and Django's, gunicorn's or a library's, goes through structlog's formatter and comes out as
  one JSON object per line (``LOG_FORMAT=json``, the default without ``DEBUG``) or as readable
  text (``LOG_FORMAT=text``, the default in development). Each carries ``timestamp`` (ISO 8601
  in UTC with its offset), ``level``, ``logger`` and ``event``, plus the request id of the
  request it belongs to.
- ``RequestLogMiddleware`` writes the line of each request (logger ``smartcity.requests``):
  request id (also sent back as ``X-Request-ID``; a valid one set by the proxy is kept),
  user id, client address (``smartcity.security.client_ip``, the trusted-proxy rule), method,
  path, status, duration in milliseconds and number of database queries.
- ``log_event(name, **fields)`` writes a domain event (logger ``smartcity.events``): a round
  moved, results published, an import, a failed login. Inside a transaction it waits for the
  commit: an event that was rolled back did not happen.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's request id may look like; anything else is replaced by our own.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# Probes of the load balancer are not worth a line each unless they fail.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})

request_logger = structlog.get_logger("smartcity.requests")
event_logger = structlog.get_logger("smartcity.events")


def _timestamp(logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    event.setdefault("timestamp", datetime.now(UTC).isoformat(timespec="milliseconds"))
    return event


_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    _timestamp,
]


def formatter(fmt: str) -> structlog.stdlib.ProcessorFormatter:
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    processors: list[Any] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if fmt == "json":
        processors.append(structlog.processors.format_exc_info)
    processors.append(renderer)
    return structlog.stdlib.ProcessorFormatter(
        processors=processors,
        foreign_pre_chain=[
            *_SHARED,
            structlog.stdlib.ExtraAdder(),
            structlog.stdlib.PositionalArgumentsFormatter(),
        ],
    )


def logging_config(fmt: str, level: str) -> dict[str, Any]:
    """``settings.LOGGING`` for ``fmt`` "json" or "text"; also configures structlog, and
    sends Python's warnings through logging (logger ``py.warnings``) instead of plain text
    on stderr."""
    logging.captureWarnings(True)
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": formatter, "fmt": fmt}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # The request line replaces Django's own "GET /... 200" lines.
            "django.server": {"level": "WARNING"},
            # axes announces itself at every start-up; keep its lock-out warnings only.
            "axes.apps": {"level": "WARNING"},
        },
    }


def log_event(name: str, /, **fields: Any) -> None:
    """A domain event: ``log_event("round.moved", round="...", to="published")``."""
    if connection.in_atomic_block:
        transaction.on_commit(lambda: event_logger.info(name, **fields))
    else:
        event_logger.info(name, **fields)


def log_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """``user_login_failed``: the event names the account tried (its id, when it exists)
    and the client's address, never the password or a name that is not an account."""
    from django.contrib.auth import get_user_model

    from smartcity.security import client_ip

    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    user_id = (
        User._default_manager.filter(**{User.USERNAME_FIELD: username[:150]})
        .values_list("pk", flat=True)
        .first()
        if username
        else None
    )
    event_logger.warning(
        "login.failed",
        user_id=user_id,
        known_account=user_id is not None,
        client_ip=client_ip(request) if request is not None else None,
    )


class RequestLogMiddleware:
    """One structured line per request; first in ``MIDDLEWARE`` so that it sees everything
    (redirects of the security middleware, rate-limit refusals, errors)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = begin_request(request)
        queries = 0

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            log_request(
                request,
                response.status_code,
                started=started,
                queries=queries,
                user_id=_user_id(request),
            )
            return response
        finally:
            structlog.contextvars.clear_contextvars()


def begin_request(request: HttpRequest) -> str:
    """The request's id (a valid one sent by the proxy, else a new one), kept as
    ``request.request_id`` and bound to every log line until ``clear_contextvars``."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    request.request_id = request_id  # type: ignore[attr-defined]
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)
    return request_id


def log_request(
    request: HttpRequest, status: int, *, started: float, queries: int, user_id: int | None
) -> None:
    """The request's line (``started``: its ``time.perf_counter()``). Also written by the
    cached-page fast path in front of Django (``evaluations.caching.FastPublicPages``), so
    a page served there has the same line as one served by the stack."""
    from smartcity.security import client_ip

    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    if status >= 400 or request.path not in _QUIET_PATHS:
        log = request_logger.warning if status >= 500 else request_logger.info
        log(
            "request",
            method=request.method,
            path=request.path,
            status=status,
            duration_ms=duration_ms,
            queries=queries,
            user_id=user_id,
            client_ip=client_ip(request),
        )


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already knew it (no query is made for the log line)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None  # never loaded: nothing on the page needed the user
    return getattr(user, "pk", None)
