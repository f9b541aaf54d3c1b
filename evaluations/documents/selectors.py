"""Reads for the documents pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from evaluations.documents.models import Document, DocumentKind
from evaluations.documents.sources import current_publication, latest_publication_number
from evaluations.models import Result, Round, RoundStatus


@dataclass(frozen=True)
class DocumentStatus:
    """Whether a document still stands: ``current``, ``superseded``, ``withdrawn`` (its
    round's results were withdrawn) or ``under_review`` (re-opened for correction)."""

    state: str
    successor: Document | None = None
    newest_revision: int | None = None
    since: datetime | None = None
    reason: str = ""


def document_status(document: Document) -> DocumentStatus:
    """Superseded when a later document replaced it, or (a letter) when its round has a later
    revision; withdrawn or under correction as its round is. Reads
    document.participation.round and document.publication (select_related them) and runs at
    most one query."""
    round_ = document.participation.round
    if document.superseded_by_id:
        return DocumentStatus("superseded", successor=document.superseded_by)
    if round_.withdrawn_at is not None:
        return DocumentStatus(
            "withdrawn", since=round_.withdrawn_at, reason=round_.withdrawal_reason
        )
    if document.kind == DocumentKind.LETTER and document.publication is not None:
        newest = latest_publication_number(document.publication)
        if newest > document.publication.number:
            return DocumentStatus("superseded", newest_revision=newest)
    if round_.is_under_correction or round_.status != RoundStatus.PUBLISHED:
        return DocumentStatus(
            "under_review", since=round_.under_correction_since, reason=round_.correction_reason
        )
    return DocumentStatus("current")


@dataclass(frozen=True)
class RoundDocumentSummary:
    ranked: int
    letters_current_publication: int
    minutes: int
    signed: int
    letters_any: int

    @property
    def letters_missing(self) -> int:
        return self.ranked - self.letters_current_publication


def round_document_summary(round_: Round) -> RoundDocumentSummary:
    """Counts for the manager's documents page (three queries)."""
    ranked = Result.objects.for_round(round_).filter(participation__excluded=False).count()
    newest_publication = current_publication(round_)
    newest = newest_publication.pk if newest_publication else None
    counts = Document.objects.filter(participation__round=round_).aggregate(
        letters=Count("pk", filter=Q(kind=DocumentKind.LETTER, publication_id=newest)),
        minutes=Count("pk", filter=Q(kind=DocumentKind.MINUTES, superseded_by__isnull=True)),
        signed=Count("pk", filter=Q(signed=True)),
        letters_any=Count("pk", filter=Q(kind=DocumentKind.LETTER)),
    )
    return RoundDocumentSummary(
        ranked=ranked if round_.status == RoundStatus.PUBLISHED else 0,
        letters_current_publication=counts["letters"],
        minutes=counts["minutes"],
        signed=counts["signed"],
        letters_any=counts["letters_any"],
    )
