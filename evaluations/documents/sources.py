"""What documents read from the rest of the portal about revisions and instrument versions.

Kept in one small module on purpose: the public-revision and frozen-instrument work (issue
15) changes how a publication's revision and an instrument's version are stored, and only
these two functions need to follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from evaluations.models import Instrument, Publication, Round
from evaluations.models.results import PublicationKind
from evaluations.selectors import public as public_reads


@dataclass(frozen=True)
class Revision:
    """A public revision of a round's results: its number, date and reason."""

    number: int
    date: date
    reason: str


@dataclass(frozen=True)
class InstrumentVersion:
    """The instrument version (the method) that produced a round's figures."""

    code: str
    name: str
    label: str


def publication_revision(publication: Publication) -> Revision:
    return Revision(
        number=publication.number,
        date=timezone.localdate(publication.published_at),
        reason=publication.note,
    )


def current_publication(round_: Round) -> Publication | None:
    """The revision the public currently reads (a withdrawal is not one)."""
    return public_reads.current_publication(round_)


def latest_publication_number(publication: Publication) -> int:
    """The number of the round's newest revision, withdrawals left out (a query)."""
    newest = (
        Publication.objects.filter(round_id=publication.round_id)
        .exclude(kind=PublicationKind.WITHDRAWAL)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return newest or publication.number


def instrument_version(
    instrument: Instrument, publication: Publication | None = None
) -> InstrumentVersion:
    """The method's name as documents print it: the label the publication froze with its
    figures, else the instrument's own version label ("<name> (versi <code>)")."""
    label = publication.instrument_label if publication else ""
    return InstrumentVersion(
        code=instrument.code,
        name=instrument.name,
        label=label or str(instrument.version_label),
    )
