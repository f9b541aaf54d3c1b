"""Background jobs: progress page, results, failures, scoping and the persistent queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from regions.models import Province
from smartcity.jobs.models import Job, JobState
from smartcity.jobs.services import (
    JOB_UNEXPECTED_ERROR,
    JOB_WORKER_LOST,
    job_start,
    jobs_recover_stale,
)
from tests.conftest import drain_queue, login
from tests.jobs import handlers  # noqa: F401  (registers the test job kinds)

pytestmark = pytest.mark.django_db


def test_a_job_runs_and_its_owner_downloads_the_result(client, bekasi):
    job = job_start(kind="tests.count", owner=bekasi, title="Count", params={"rows": 250})
    assert job.state == JobState.SUCCEEDED
    assert (job.percent, job.rows_done, job.rows_total) == (100, 250, 250)
    login(client, bekasi)
    page = client.get(job.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "250 rows written." in html
    assert 'href="/jobs/' in html
    assert "hx-trigger" not in html
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="rows.txt"'
    assert b"".join(download.streaming_content).startswith(b"row 0\nrow 1")


def test_only_the_owner_and_managers_see_a_job(client, bekasi, bandung, manager, reviewer):
    job = job_start(kind="tests.count", owner=bekasi, title="Count", params={"rows": 3})
    for outsider in (bandung, reviewer):
        login(client, outsider)
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    login(client, manager)
    assert client.get(job.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 302  # to the login page


def test_queued_job_page_polls_and_the_worker_finishes_it(client, bekasi, task_queue):
    job = job_start(kind="tests.count", owner=bekasi, title="Count", params={"rows": 40})
    assert job.state == JobState.QUEUED
    assert DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.READY).exists()
    login(client, bekasi)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Menunggu giliran" in page
    # The fragment htmx polls: the status block only, not the whole page.
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"')
    assert "<html" not in fragment

    drain_queue()

    job.refresh_from_db()
    assert (job.state, job.percent, job.rows_done, job.attempts) == (JobState.SUCCEEDED, 100, 40, 1)
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("jobs:download", args=[job.pk]) in fragment
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.SUCCESSFUL


def test_a_task_delivered_twice_runs_the_work_once(bekasi, task_queue):
    job = job_start(
        kind="tests.import", owner=bekasi, title="Import", params={"rows": [["91", "Papua"]]}
    )
    drain_queue()
    from smartcity.jobs.services import run_job

    assert run_job.call(str(job.pk), 1) == "skipped"
    assert Province.objects.filter(code="91").count() == 1


def test_a_bad_import_fails_with_its_errors_and_keeps_nothing(client, bekasi):
    rows = [["91", "Papua"], ["92", "Papua Barat"], ["93", ""]]
    job = job_start(kind="tests.import", owner=bekasi, title="Import", params={"rows": rows})
    assert job.state == JobState.FAILED
    assert job.errors == ["Row 93: name is required."]
    assert not Province.objects.filter(code__in=["91", "92", "93"]).exists()
    login(client, bekasi)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Row 93: name is required." in html
    assert "tidak ada perubahan yang disimpan" in html
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_crash_fails_visibly_without_leaking_the_exception(client, bekasi, caplog):
    job = job_start(kind="tests.crash", owner=bekasi, title="Crash")
    assert job.state == JobState.FAILED
    assert job.errors == [str(JOB_UNEXPECTED_ERROR)]
    assert (job.rows_done, job.percent) == (2, 50)  # how far it got stays visible
    login(client, bekasi)
    assert "disk on fire" not in client.get(job.get_absolute_url()).content.decode()
    assert any("disk on fire" in (r.exc_text or "") for r in caplog.records)


def _left_running_by_a_dead_worker(job: Job, *, attempts: int) -> None:
    """What a killed worker leaves: the job running, its heartbeat going stale, its queue
    entry still marked running (its transaction rolled back by the database)."""
    DBTaskResult.objects.filter(pk=job.task_id).update(status=TaskResultStatus.RUNNING)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        attempts=attempts,
        percent=40,
        heartbeat_at=timezone.now() - timedelta(minutes=5),
    )


def test_a_job_whose_worker_died_is_retried_and_completes(bekasi, task_queue):
    job = job_start(
        kind="tests.import", owner=bekasi, title="Import", params={"rows": [["94", "Papua Tengah"]]}
    )
    _left_running_by_a_dead_worker(job, attempts=1)
    # A job still beating is left alone.
    fresh = job_start(kind="tests.count", owner=bekasi, title="Count")
    Job.objects.filter(pk=fresh.pk).update(
        state=JobState.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )

    assert jobs_recover_stale() == {"retried": 1, "failed": 0}
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert job.state == JobState.QUEUED

    drain_queue()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.SUCCEEDED, 2)
    assert Province.objects.filter(code="94").count() == 1
    assert Job.objects.get(pk=fresh.pk).state == JobState.RUNNING


def test_a_job_whose_worker_died_twice_fails_visibly(client, bekasi, task_queue):
    job = job_start(
        kind="tests.import", owner=bekasi, title="Import", params={"rows": [["95", "Papua"]]}
    )
    _left_running_by_a_dead_worker(job, attempts=2)
    assert jobs_recover_stale() == {"retried": 0, "failed": 1}
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.errors == [str(JOB_WORKER_LOST)]
    login(client, bekasi)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "proses pekerja berhenti" in html
    assert "hx-trigger" not in html


def test_the_worker_recovers_stale_jobs_when_it_starts(bekasi, task_queue):
    job = job_start(
        kind="tests.import", owner=bekasi, title="Import", params={"rows": [["96", "Papua"]]}
    )
    _left_running_by_a_dead_worker(job, attempts=1)
    drain_queue()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert Province.objects.filter(code="96").exists()


def test_the_job_page_costs_a_fixed_number_of_queries(
    client, bekasi, manager, django_assert_num_queries
):
    job = job_start(kind="tests.count", owner=bekasi, title="Count", params={"rows": 500})
    Job.objects.filter(pk=job.pk).update(errors=[f"Row {i}: bad" for i in range(50)])
    login(client, bekasi)
    # session, user, the user's manager group (scoping), the job
    with django_assert_num_queries(4):
        assert client.get(job.get_absolute_url()).status_code == 200
    with django_assert_num_queries(4):
        client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    login(client, manager)
    with django_assert_num_queries(4):
        assert client.get(job.get_absolute_url()).status_code == 200
