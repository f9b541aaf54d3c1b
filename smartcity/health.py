"""Health checks for load balancers and orchestrators.

- ``/healthz``: liveness. The process answers; no database, cache or storage is touched, so
  a database outage does not get every app server restarted.
- ``/readyz``: readiness. The database, the cache, the file storage and the task queue are
  checked; 503 names each failing dependency in the JSON body (``failing``).

Both answer GET and HEAD (405 otherwise), ``Cache-Control: no-store``, and are answered by
``HealthCheckMiddleware`` ahead of every other middleware but the request log: they are never
redirected (``SECURE_SSL_REDIRECT``, ``APPEND_SLASH``), need no session, and accept any Host
header. A probe addresses an instance by its own address (``Host: 10.0.0.5:8000``), which is
not one of the portal's public names; rather than adding every instance address to
``ALLOWED_HOSTS``, which would let the whole portal answer to them, only these two paths skip
the host check, and they put nothing from the request into their answer.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone

from smartcity.media import media_location, media_problem

SAFE_METHODS = ("GET", "HEAD")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process runs and answers (no dependency is checked)."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    return _no_store(JsonResponse({"status": "ok"}))


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _check_cache() -> dict[str, Any]:
    token = uuid.uuid4().hex
    cache.set("readyz:probe", token, 30)
    if cache.get("readyz:probe") != token:
        raise RuntimeError("the cache did not return what was stored")
    return {}


def _check_storage() -> dict[str, Any]:
    """The default storage answers (an object store is asked for a name); on the file system
    its directory is usable (the storage creates it at the first upload when it is missing)."""
    default_storage.exists("readyz-probe")
    location = media_location()
    if location is not None:
        problem = media_problem(location)
        if problem:
            raise RuntimeError(problem)
    return {}


def _check_tasks() -> dict[str, Any]:
    """The backlog: tasks waiting for a worker and how long the oldest has waited. It fails
    readiness only when ``READYZ_MAX_TASK_WAIT_SECONDS`` is set and exceeded (a slow worker
    should not take the web servers out of the load balancer by default)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    count = waiting.count()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    wait = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    limit = settings.READYZ_MAX_TASK_WAIT_SECONDS
    if limit and wait > limit:
        raise RuntimeError(f"the oldest task has waited {wait} s (limit {limit} s)")
    return {"waiting": count, "oldest_wait_seconds": wait}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _check_database,
    "cache": _check_cache,
    "storage": _check_storage,
    "tasks": _check_tasks,
}


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when every dependency answers, else 503 naming those that do not."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    checks: dict[str, dict[str, Any]] = {}
    failing: list[str] = []
    for name, check in CHECKS.items():
        if name == "tasks" and "database" in failing:
            checks[name] = {"ok": False, "error": "skipped: the database is down"}
            failing.append(name)
            continue
        started = time.perf_counter()
        try:
            details = check()
        except Exception as exc:
            checks[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
            failing.append(name)
        else:
            checks[name] = {"ok": True, **details}
        checks[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
    return _no_store(JsonResponse(body, status=503 if failing else 200))


PATHS: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before host checks, redirects and sessions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = PATHS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
