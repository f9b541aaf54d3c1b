"""Job handlers the tests start: they stand for the portal's real jobs (score template,
imports), with knobs a test needs (a failure, a file, written rows)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from regions.models import Province
from smartcity.jobs.models import Job
from smartcity.jobs.services import Progress, job_handler


@job_handler("tests.count")
def count(job: Job, progress: Progress) -> str:
    total = int(job.params.get("rows", 10))
    progress.set_total(total)
    lines = []
    for i in range(total):
        lines.append(f"row {i}")
        progress.advance()
    progress.save_result(
        content="\n".join(lines).encode(), filename="rows.txt", content_type="text/plain"
    )
    progress.set_next_url("/")
    return f"{total} rows written."


@job_handler("tests.import")
def import_provinces(job: Job, progress: Progress) -> str:
    """All-or-nothing like the real imports: a bad row and no province is kept."""
    rows = job.params["rows"]
    progress.set_total(len(rows))
    with transaction.atomic():
        for code, name in rows:
            if not name:
                raise ValidationError(f"Row {code}: name is required.")
            Province.objects.create(code=code, name=name, slug=f"p-{code}")
            progress.advance()
    return f"{len(rows)} provinces imported."


@job_handler("tests.crash")
def crash(job: Job, progress: Progress) -> str:
    progress.set_total(4)
    progress.advance(2)
    raise RuntimeError("disk on fire")
