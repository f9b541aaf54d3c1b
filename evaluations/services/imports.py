"""Import files kept between their preview and their application (``ImportUpload``)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from evaluations.models import ImportKind, ImportUpload, Round
from regions.models import Region


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


def import_uploads_clear_expired() -> int:
    """Delete previews never applied (for a scheduled clean-up); returns how many."""
    deleted, _ = ImportUpload.objects.expired().delete()
    return deleted
