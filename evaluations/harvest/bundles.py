"""Open-data bundles: the whole history's (or one round's) data package as one ZIP, built by
a background job that anyone may start from the open-data page.

The ZIP holds ``datapackage.json`` and every resource at the path its descriptor names
(``results.csv``, ``tables/<name>.csv`` for the whole history, ``<name>.csv`` for a round),
so it unpacks into a valid Frictionless data package, plus the results as XLSX and JSON. Each
file has the bytes of the matching download under ``/data/`` (same functions, same
published-only selectors).

A bundle is keyed by (scope, data version) (``OpenDataBundle``): asking for one that exists
or is being built reuses it, so the queue holds at most one build per scope and version,
however many anonymous readers click; a publication or a re-opening moves the data version,
after which the old bundle is no longer served and the next request builds a new one.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations import opendata
from evaluations.caching import data_version
from evaluations.harvest import datapackage
from evaluations.harvest.http import stable_xlsx
from evaluations.harvest.tables import TABLES, TABLES_BY_NAME
from evaluations.models import OpenDataBundle, Round
from evaluations.selectors import public as public_reads
from smartcity.jobs.models import Job, JobState
from smartcity.jobs.services import Progress, job_handler, job_start

BUNDLE_KIND = "opendata.bundle"
ALL_SCOPE = ""

BUNDLE_DATA_CHANGED = gettext_lazy(
    "Data terbuka berubah (ada publikasi baru) selama paket dibuat. Silakan minta paket lagi."
)
BUNDLE_ROUND_NOT_PUBLIC = gettext_lazy("Putaran ini tidak lagi dipublikasikan.")


def bundle_filename(round_: Round | None) -> str:
    return f"smartcity-data-{round_.slug if round_ else 'all'}.zip"


def _json_bytes(document: Any) -> bytes:
    """As ``views.public.harvest.json_response`` writes it."""
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def bundle_files(round_: Round | None, *, base_url: str) -> list[tuple[str, Any]]:
    """(path in the ZIP, a function giving its bytes), in the order they are written."""
    if round_ is None:
        package = reverse("public:datapackage")
    else:
        package = reverse("public:round_datapackage", kwargs={"round_slug": round_.slug})
    package_url = base_url.rstrip("/") + package
    files: list[tuple[str, Any]] = [
        ("datapackage.json", lambda: _json_bytes(datapackage.descriptor(round_, base_url=base_url)))
    ]
    for table in TABLES:
        files.append(
            (
                datapackage.resource_path(table, round_),
                lambda table=table: datapackage.render_csv(table, table.rows(round_)),
            )
        )
    if round_ is None:
        meta = {
            "licence": opendata.licence(),
            "credit": opendata.credit(),
            "datapackage": package_url,
        }

        def rows() -> list[dict[str, Any]]:
            return TABLES_BY_NAME["results"].rows(None)

        newest = public_reads.public_rounds().order_by("-published_at").first()
        published_at = newest.published_at if newest else None
    else:
        meta = {**opendata.round_meta(round_), "datapackage": package_url}

        def rows() -> list[dict[str, Any]]:
            return opendata.result_rows(public_reads.public_round_results(round_))

        published_at = round_.published_at
    files.append(
        (
            "results.xlsx",
            lambda: stable_xlsx(opendata.render_file(rows(), "xlsx", meta=meta), published_at),
        )
    )
    files.append(("results.json", lambda: opendata.render_file(rows(), "json", meta=meta)))
    return files


@job_handler(BUNDLE_KIND)
def build_bundle(job: Job, progress: Progress) -> str:
    """Write the ZIP. Published data only: the round is read again through
    ``public_reads.public_rounds()`` and the data version must still be the one requested,
    before and after the files are written (a publication meanwhile fails the job, and the
    reader asks again for the new version)."""
    version = job.params["version"]
    if data_version() != version:
        raise ValidationError(BUNDLE_DATA_CHANGED)
    round_: Round | None = None
    if job.params.get("round_id") is not None:
        round_ = public_reads.public_rounds().filter(pk=job.params["round_id"]).first()
        if round_ is None:
            raise ValidationError(BUNDLE_ROUND_NOT_PUBLIC)
    files = bundle_files(round_, base_url=job.params["base_url"])
    progress.set_total(len(files))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files:
            archive.writestr(path, content())
            progress.advance()
    if data_version() != version:
        raise ValidationError(BUNDLE_DATA_CHANGED)
    progress.save_result(
        content=buffer.getvalue(), filename=bundle_filename(round_), content_type="application/zip"
    )
    return _("%(count)s berkas dikemas dalam satu berkas ZIP.") % {"count": len(files)}


def bundle_request(*, round_: Round | None, version: str, base_url: str) -> OpenDataBundle:
    """The bundle of ``round_`` (None: every published round) at ``version``: the existing
    one when it is built or being built, else a new one queued. A failed build is replaced.

    ``round_`` must come from ``public_reads.public_rounds()``; ``version`` is the data version the
    reader's request saw (``caching.data_version``).
    """
    scope = round_.slug if round_ else ALL_SCOPE
    existing = (
        OpenDataBundle.objects.select_related("job").filter(scope=scope, version=version).first()
    )
    if existing is not None and existing.job.state != JobState.FAILED:
        return existing
    title = (
        _("Paket data terbuka: %(round)s") % {"round": round_.name}
        if round_
        else _("Paket data terbuka: seluruh putaran terpublikasi")
    )
    try:
        with transaction.atomic():
            if existing is not None:
                OpenDataBundle.objects.filter(pk=existing.pk, job__state=JobState.FAILED).delete()
            job = job_start(
                kind=BUNDLE_KIND,
                owner=None,
                title=title,
                params={
                    "round_id": round_.pk if round_ else None,
                    "version": version,
                    "base_url": base_url,
                },
            )
            return OpenDataBundle.objects.create(
                scope=scope, round=round_, version=version, job=job
            )
    except IntegrityError:
        # Another reader asked at the same moment: theirs is the one (this job and its
        # queue entry were rolled back with the bundle).
        return OpenDataBundle.objects.select_related("job").get(scope=scope, version=version)
