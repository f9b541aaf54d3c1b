"""The programme register frozen at publication (``PublishedProgramme``).

``register_snapshot`` is called by ``round_publish`` in its transaction; the public profile
reads ``latest_published_programmes`` instead of the live register.
"""

from __future__ import annotations

from django.db.models import QuerySet

from evaluations.models import (
    Programme,
    Publication,
    PublishedProgramme,
    RoundStatus,
)
from regions.models import Region


def register_snapshot(*, publication: Publication) -> int:
    """Copy the active programmes of every region taking part in the publication's round.

    Two queries plus the inserts (batched), whatever the number of regions.
    """
    programmes = (
        Programme.objects.active()
        .filter(region__participations__round=publication.round_id)
        .select_related("element", "agency")
        .order_by("region_id", "pk")
    )
    rows = [
        PublishedProgramme(
            publication=publication,
            region_id=p.region_id,
            programme=p,
            dimension_id=p.dimension_id,
            title=p.title,
            element_name=p.element.name if p.element else "",
            agency_label=(p.agency.acronym or p.agency.name) if p.agency else "",
            status=p.status,
            is_quick_win=p.is_quick_win,
            start_year=p.start_year,
        )
        for p in programmes
    ]
    PublishedProgramme.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def latest_published_programmes(region: Region) -> QuerySet[PublishedProgramme]:
    """The region's register as of its newest publication in a round still published (one
    query); empty before the region's first publication."""
    latest = (
        Publication.objects.filter(
            round__status=RoundStatus.PUBLISHED, round__participations__region=region
        )
        .order_by("-published_at", "-pk")
        .values("pk")[:1]
    )
    return (
        PublishedProgramme.objects.filter(region=region, publication__in=latest)
        .select_related("dimension")
        .order_by("dimension__order", "-is_quick_win", "title")
    )
