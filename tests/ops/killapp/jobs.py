"""A slow, all-or-nothing job for the worker-kill test (tests/ops/test_worker_restart.py)."""

from __future__ import annotations

import time

from django.contrib.auth.models import Group
from django.db import transaction

from smartcity.jobs.models import Job
from smartcity.jobs.services import Progress, job_handler


@job_handler("tests.slow_import")
def slow_import(job: Job, progress: Progress) -> str:
    rows = int(job.params["rows"])
    progress.set_total(rows)
    with transaction.atomic():
        for i in range(rows):
            Group.objects.create(name=f"imported-{i}")
            progress.advance()
            time.sleep(float(job.params["delay"]))
    return f"{rows} rows imported."
