"""Import files kept between their preview and their application (``ImportUpload``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from evaluations.models import ImportKind, ImportUpload, Round
from regions.models import Region
from smartcity.jobs.models import Job
from smartcity.jobs.services import job_start


@transaction.atomic
def import_upload_keep(
    *,
    kind: ImportKind,
    data: bytes,
    filename: str,
    by: User,
    region: Region | None = None,
    round: Round | None = None,
) -> ImportUpload:
    """Keep a previewed file for its uploader; expired uploads (everyone's) go first, and
    the uploader's earlier pending file of the same kind and target is replaced."""
    ImportUpload.objects.expired().delete()
    ImportUpload.objects.filter(uploaded_by=by, kind=kind, region=region, round=round).delete()
    return ImportUpload.objects.create(
        kind=kind, data=data, filename=filename[:255], uploaded_by=by, region=region, round=round
    )


@transaction.atomic
def import_upload_apply(
    *, upload: ImportUpload, job_kind: str, by: User, title: str, params: dict[str, Any]
) -> Job:
    """Hand a previewed file to a background job and forget the preview: both or neither."""
    job = job_start(
        kind=job_kind,
        owner=by,
        title=title,
        params=params,
        input_file=(upload.filename, bytes(upload.data)),
    )
    upload.delete()
    return job


def import_upload_discard(*, upload: ImportUpload) -> None:
    """Forget a previewed file that can no longer be applied."""
    upload.delete()


def import_uploads_clear_expired() -> int:
    """Delete previews never applied (for a scheduled clean-up); returns how many."""
    deleted, _ = ImportUpload.objects.expired().delete()
    return deleted
