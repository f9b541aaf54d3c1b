"""Start background jobs, report their progress, and recover the ones a dead worker left.

How to put long work on a job (see docs/tasks.md for the whole guide)::

    from smartcity.jobs.services import Progress, job_handler, job_start

    @job_handler("documents.letters_zip")
    def letters_zip(job: Job, progress: Progress) -> str:
        round_ = Round.objects.get(pk=job.params["round_id"])
        progress.set_total(len(participations))
        for p in participations:
            ...                      # one letter
            progress.advance()       # rows done + percent, written at most twice a second
        progress.save_result(content=data, filename="surat.zip", content_type="application/zip")
        return gettext("%(count)s surat dibuat.") % {...}   # the "done" notice

    # in the view, after checking the request (rights, upload size and dimensions):
    job = job_start(kind="documents.letters_zip", owner=request.user,
                    title=_("Surat hasil ..."), params={"round_id": round_.pk})
    return redirect(job)             # the progress page

Rules for a handler:
- It takes ids and plain values from ``job.params`` (JSON), re-reads what it needs and
  re-checks the owner's rights (``job.owner``): the job may run minutes later.
- It is all-or-nothing: writes go in one ``transaction.atomic()`` (the existing services
  already are), so a worker killed half-way leaves nothing behind and the job can run again.
- A ``ValidationError`` is the user's problem: the job fails and its messages are shown as
  the job's errors. Any other exception fails the job with a generic message and is logged.
- Its return value (a string) is the notice shown when it is done.

Progress is written through a second database connection (a small thread) while the worker
runs the handler, so it is visible to the progress page even while the handler's own
transaction is open. When the task backend runs the job in the request (the immediate
backend of the tests), progress is written in place.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.jobs.models import Job, JobState

logger = logging.getLogger("smartcity.jobs")

Handler = Callable[[Job, "Progress"], str | None]
HANDLERS: dict[str, Handler] = {}

JOB_UNEXPECTED_ERROR = _(
    "Terjadi kesalahan tak terduga; tidak ada perubahan yang disimpan. Coba lagi atau hubungi "
    "pengelola portal."
)
JOB_WORKER_LOST = _(
    "Pekerjaan terhenti karena proses pekerja berhenti; tidak ada perubahan yang disimpan. "
    "Silakan mulai lagi."
)
JOB_UNKNOWN_KIND = _("Jenis pekerjaan ini tidak dikenal.")

# How often the progress writer may touch the job's row.
FLUSH_SECONDS = 0.5
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does the work of jobs of ``kind``."""

    def register(function: Handler) -> Handler:
        if HANDLERS.get(kind, function) is not function:
            raise ValueError(f"job kind {kind!r} is registered twice")
        HANDLERS[kind] = function
        return function

    return register


def job_start(
    *,
    kind: str,
    owner: Any,
    title: str,
    params: dict[str, Any] | None = None,
    input_file: tuple[str, bytes] | None = None,
) -> Job:
    """Record a job and queue it for the worker. Check rights and uploads before calling this.

    ``input_file`` (name, content) is kept in the default storage, where every worker reads
    it (``job.input_file``), until the job is finished. The job and its queue entry are
    written in one transaction: the worker never sees one without the other.
    """
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    with transaction.atomic():
        job = Job(kind=kind, owner=owner, title=str(title)[:200], params=params or {})
        if input_file is not None:
            name, content = input_file
            job.input_file.save(name, ContentFile(content), save=False)
        job.save()
        _enqueue(job)
    logger.info("job queued", extra={"event": "job.queued", "job": str(job.pk), "kind": kind})
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(str(job.pk), job.attempts + 1)
    # The immediate backend has already run the job and written its row.
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


# --- Progress ----------


class Progress:
    """What a handler reports while it runs. Cheap to call often: the row is written at most
    every ``FLUSH_SECONDS`` (and once at the end)."""

    def __init__(self, job: Job, *, separate_connection: bool) -> None:
        self.job = job
        self._lock = threading.Lock()
        self._state: dict[str, Any] = {
            "percent": job.percent,
            "rows_done": 0,
            "rows_total": None,
            "errors": [],
        }
        self._dirty = True
        self._last_flush = 0.0
        self._writer: _Writer | None = _Writer(self) if separate_connection else None
        if self._writer:
            self._writer.start()

    # The handler's side.
    def set_total(self, rows: int) -> None:
        with self._lock:
            self._state["rows_total"] = max(0, int(rows))
            self._dirty = True
        self._maybe_flush()

    def advance(self, rows: int = 1) -> None:
        with self._lock:
            done = self._state["rows_done"] + rows
            self._state["rows_done"] = done
            total = self._state["rows_total"]
            if total:
                # 99 at most until the handler returns: 100 means done.
                self._state["percent"] = min(99, done * 100 // total)
            self._dirty = True
        self._maybe_flush()

    def set_percent(self, percent: int) -> None:
        with self._lock:
            self._state["percent"] = max(0, min(99, int(percent)))
            self._dirty = True
        self._maybe_flush()

    def error(self, message: object) -> None:
        """An error found so far (shown while the job runs)."""
        with self._lock:
            self._state["errors"] = [*self._state["errors"], str(message)]
            self._dirty = True
        self._maybe_flush()

    def save_result(self, *, content: bytes, filename: str, content_type: str) -> None:
        """Store the job's file in the default storage (shared by every app server)."""
        self.job.result_file.save(filename, ContentFile(content), save=False)
        self.job.result_name = filename
        self.job.result_content_type = content_type

    def set_next_url(self, url: str) -> None:
        self.job.next_url = url

    @property
    def errors(self) -> list[str]:
        with self._lock:
            return list(self._state["errors"])

    # The writer's side.
    def snapshot(self) -> dict[str, Any] | None:
        with self._lock:
            if not self._dirty:
                return None
            self._dirty = False
            return dict(self._state, heartbeat_at=timezone.now())

    def _maybe_flush(self) -> None:
        if self._writer is not None:
            return  # the thread writes
        now = time.monotonic()
        if now - self._last_flush >= FLUSH_SECONDS:
            self._last_flush = now
            self.flush()

    def flush(self) -> None:
        values = self.snapshot()
        if values:
            Job.objects.filter(pk=self.job.pk, state=JobState.RUNNING).update(**values)

    def stop(self) -> None:
        if self._writer is not None:
            self._writer.stop()


class _Writer(threading.Thread):
    """Writes progress and a heartbeat from its own database connection (Django connections
    are per thread), outside the handler's transaction."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(name=f"job-progress-{progress.job.pk}", daemon=True)
        self.progress = progress
        self._stop_event = threading.Event()

    def run(self) -> None:
        heartbeat_every = max(1.0, settings.JOBS_HEARTBEAT_SECONDS)
        last_beat = 0.0
        try:
            while not self._stop_event.wait(FLUSH_SECONDS):
                now = time.monotonic()
                values = self.progress.snapshot()
                if values is None and now - last_beat >= heartbeat_every:
                    values = {"heartbeat_at": timezone.now()}
                if values is None:
                    continue
                try:
                    Job.objects.filter(pk=self.progress.job.pk, state=JobState.RUNNING).update(
                        **values
                    )
                    last_beat = now
                except DatabaseError:
                    # SQLite is locked while the handler writes: try again next time.
                    with self.progress._lock:
                        self.progress._dirty = True
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)


# --- Running ----------


@task
def run_job(job_id: str, attempt: int) -> str:
    """The one task behind every job: claim it, run its handler, record the outcome.

    Idempotent: a job already claimed by this attempt, or finished, is left alone, so a task
    delivered twice runs the work once.
    """
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED, attempts=attempt - 1).update(
        state=JobState.RUNNING,
        worker=WORKER_ID,
        attempts=attempt,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        percent=0,
        rows_done=0,
        errors=[],
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("owner").get(pk=job_id)
    log = {"job": str(job.pk), "kind": job.kind, "attempt": attempt}
    logger.info("job started", extra={"event": "job.started", **log})
    handler = HANDLERS.get(job.kind)
    # In the worker no transaction is open here; the immediate backend runs inside a request
    # (or a test) whose transaction a second connection could not see or would wait for.
    progress = Progress(job, separate_connection=not connection.in_atomic_block)
    errors: list[str] = []
    message = ""
    try:
        if handler is None:
            raise ValidationError(JOB_UNKNOWN_KIND)
        message = handler(job, progress) or ""
        state = JobState.SUCCEEDED
    except ValidationError as exc:
        state = JobState.FAILED
        errors = [str(m) for m in exc.messages]
    except Exception:
        state = JobState.FAILED
        errors = [str(JOB_UNEXPECTED_ERROR)]
        logger.exception("job crashed", extra={"event": "job.crashed", **log})
    finally:
        progress.stop()
    final = dict(progress._state)
    # Only if this run still owns the job (the sweep may have given it up for dead).
    owned = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, attempts=attempt).update(
        state=state,
        percent=100 if state == JobState.SUCCEEDED else final["percent"],
        rows_done=final["rows_done"],
        rows_total=final["rows_total"],
        errors=[*progress.errors, *errors][:200],
        message=str(message),
        result_file=job.result_file.name or "",
        result_name=job.result_name,
        result_content_type=job.result_content_type,
        next_url=job.next_url,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    if owned:
        _drop_input(job)  # a retry would still need it
    logger.info("job finished", extra={"event": "job.finished", "state": str(state), **log})
    return str(state)


def _drop_input(job: Job) -> None:
    """A finished job needs its upload no more (it may hold personal data)."""
    if job.input_file:
        job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input_file="")


# --- Recovery ----------


def jobs_recover_stale(*, now: Any = None) -> dict[str, int]:
    """Jobs whose worker died: queued again while attempts remain, else failed visibly.

    A running job's worker is dead when it ran on this host and its process is gone, or,
    from any host, when its heartbeat (written every ``JOBS_HEARTBEAT_SECONDS`` by the
    worker) is older than ``JOBS_STALE_SECONDS``; a job whose process is alive on this host
    is never taken from it (SQLite may keep its heartbeat from being written). The dead
    worker's writes were in one transaction that died with it, so running again is safe.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    retried = failed = 0
    with transaction.atomic():
        running = Job.objects.select_for_update(skip_locked=True).filter(state=JobState.RUNNING)
        stale = [job for job in running if _worker_dead(job, cutoff)]
        for job in stale:
            _fail_task_result(job.task_id)
            if job.attempts < settings.JOBS_MAX_ATTEMPTS:
                Job.objects.filter(pk=job.pk).update(
                    state=JobState.QUEUED, heartbeat_at=None, percent=0, rows_done=0
                )
                job.state = JobState.QUEUED
                _enqueue(job)
                retried += 1
                event = "job.retried"
            else:
                Job.objects.filter(pk=job.pk).update(
                    state=JobState.FAILED, errors=[str(JOB_WORKER_LOST)], finished_at=now
                )
                _drop_input(job)
                failed += 1
                event = "job.lost"
            logger.warning(
                "job's worker stopped",
                extra={"event": event, "job": str(job.pk), "kind": job.kind},
            )
    return {"retried": retried, "failed": failed}


def _worker_dead(job: Job, cutoff: Any) -> bool:
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return False  # this very process runs it
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False  # alive, another user's
        else:
            return False
    return job.heartbeat_at is None or job.heartbeat_at < cutoff


def _fail_task_result(task_id: str) -> None:
    """Mark the queue entry of a dead worker's task as failed, so that it is not counted as
    running forever (readiness backlog, admin)."""
    if not task_id:
        return
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend
        return
    from django.tasks import TaskResultStatus

    try:
        DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now()
        )
    except (ValidationError, ValueError):
        return
