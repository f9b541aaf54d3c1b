"""Reads for the documents pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from documents.models import Document, DocumentKind
from documents.sources import latest_publication_number
from evaluations.models import Result, Round, RoundStatus


@dataclass(frozen=True)
class DocumentStatus:
    """Whether a document still stands: ``current``, ``superseded`` or ``under_review``."""

    state: str
    successor: Document | None = None
    newest_revision: int | None = None


def document_status(document: Document) -> DocumentStatus:
    """Superseded when a later document replaced it, or (a letter) when its round has a later
    publication; under review while its round is re-opened. Reads document.participation.round
    and document.publication (select_related them) and runs at most one query."""
    if document.superseded_by_id:
        return DocumentStatus("superseded", successor=document.superseded_by)
    if document.kind == DocumentKind.LETTER and document.publication is not None:
        newest = latest_publication_number(document.publication)
        if newest > document.publication.number:
            return DocumentStatus("superseded", newest_revision=newest)
    if document.participation.round.status != RoundStatus.PUBLISHED:
        return DocumentStatus("under_review")
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
    newest = round_.publications.order_by("-number").values_list("pk", flat=True).first()
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
