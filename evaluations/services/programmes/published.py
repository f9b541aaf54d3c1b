"""The programme register frozen at publication (``PublishedProgramme``).

``register_snapshot`` is called by ``round_publish`` in its transaction; the public profile
reads ``latest_published_programmes`` instead of the live register.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from evaluations.models import (
    Element,
    Programme,
    Publication,
    PublishedProgramme,
    RoundStatus,
)
from regions.models import Agency, Region


def register_snapshot(*, publication: Publication) -> int:
    """Copy the active programmes of every region taking part in the publication's round.

    One ``INSERT … SELECT`` in the database, whatever the number of regions: a national
    publication copies about 25,700 programmes, and building that many model instances for
    ``bulk_create`` took half of a republication's time budget (README, Benchmark). Which
    programmes are copied is still decided by the ORM (the subquery below).
    """
    chosen = (
        Programme.objects.active()
        .filter(region__participations__round=publication.round_id)
        .values("pk")
    )
    chosen_sql, chosen_params = chosen.query.sql_with_params()
    target = PublishedProgramme._meta.db_table
    programme = Programme._meta.db_table
    element = Element._meta.db_table
    agency = Agency._meta.db_table
    # Table names come from the models' metadata, values only through parameters.
    sql = f"""
        INSERT INTO {target} (publication_id, region_id, programme_id, dimension_id, title,
                              element_name, agency_label, status, is_quick_win, start_year)
        SELECT %s, p.region_id, p.id, p.dimension_id, p.title, COALESCE(e.name, ''),
               CASE WHEN a.id IS NULL THEN ''
                    WHEN COALESCE(a.acronym, '') <> '' THEN a.acronym
                    ELSE a.name END,
               p.status, p.is_quick_win, p.start_year
        FROM {programme} p
        LEFT JOIN {element} e ON e.id = p.element_id
        LEFT JOIN {agency} a ON a.id = p.agency_id
        WHERE p.id IN ({chosen_sql})
        ORDER BY p.region_id, p.id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [publication.pk, *chosen_params])
        return cursor.rowcount


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
