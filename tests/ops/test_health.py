"""/healthz and /readyz as a load balancer's probe sees them."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

PROBE_HOST = "10.20.30.40:8000"  # an instance's own address, not a public name


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_get_and_head_with_json_and_no_caching(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["status"] == "ok"
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert client.post(path).status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_never_redirected_and_accept_the_instance_address(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True  # production: every other page goes to https
    settings.ALLOWED_HOSTS = ["portal.example.id"]
    response = client.get(path, HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert client.head(path, HTTP_HOST=PROBE_HOST).status_code == 200
    # The rest of the portal still refuses that Host, and redirects to https otherwise.
    assert client.get("/", HTTP_HOST=PROBE_HOST).status_code == 400
    assert client.get("/", HTTP_HOST="portal.example.id").status_code == 301


def test_readyz_reports_each_dependency_and_the_task_backlog(client, bekasi, task_queue):
    from smartcity.jobs.services import job_start
    from tests.jobs import handlers  # noqa: F401

    job_start(kind="tests.count", owner=bekasi, title="Count")
    body = json.loads(client.get("/readyz").content)
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "storage", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["tasks"]["waiting"] == 1


def test_readyz_names_a_failing_cache(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *a, **k: None)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["failing"] == ["cache"]


def test_readyz_names_missing_media_storage(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "not-there" / "media")},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["failing"] == ["storage"]


def test_a_long_task_backlog_fails_readiness_when_a_limit_is_set(
    client, settings, bekasi, task_queue
):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from smartcity.jobs.services import job_start
    from tests.jobs import handlers  # noqa: F401

    job = job_start(kind="tests.count", owner=bekasi, title="Count")
    DBTaskResult.objects.filter(pk=job.task_id).update(
        enqueued_at=timezone.now() - timedelta(minutes=20)
    )
    assert client.get("/readyz").status_code == 200  # no limit by default
    settings.READYZ_MAX_TASK_WAIT_SECONDS = 600
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["failing"] == ["tasks"]


@pytest.mark.django_db(transaction=False)
def test_with_the_database_down_liveness_holds_and_readiness_names_it(dead_database):
    answers = dead_database("GET /healthz", "GET /readyz", "HEAD /readyz")
    assert answers["GET /healthz"]["status"] == 200
    ready = answers["GET /readyz"]
    assert ready["status"] == 503
    body = json.loads(ready["body"])
    assert body["failing"] == ["database", "tasks"]
    assert "OperationalError" in body["checks"]["database"]["error"]
    assert body["checks"]["cache"]["ok"] is True
    assert answers["HEAD /readyz"]["status"] == 503
