"""What the public portal reads: published data only (rounds, results, regions' profiles,
methodology). Typed functions returning what a page needs; every protected model is
reached through its ``published()`` right (``evaluations.rights``).

A region's improvement (index and rank change) is shown only when the previous result
belongs to a published round too: otherwise the change would disclose an unpublished index.
"""

from __future__ import annotations

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.shortcuts import get_object_or_404

from evaluations.models import (
    Finding,
    Instrument,
    Publication,
    PublicationKind,
    PublishedProgramme,
    Result,
    Round,
)
from regions.models import Award, CohortMembership, DigitalGovernmentIndex, Region


def public_rounds() -> QuerySet[Round]:
    """Rounds the public may read: with a live publication (also while under correction,
    when the last publication is shown with a notice), never withdrawn ones."""
    return Round.objects.published().select_related("instrument")


def get_public_round_or_404(slug: str) -> Round:
    return get_object_or_404(public_rounds(), slug=slug)


def published_once_rounds() -> QuerySet[Round]:
    """Rounds with at least one publication: their list of revisions stays public forever,
    also after a withdrawal."""
    return Round.objects.published_once().select_related("instrument")


def get_published_once_round_or_404(slug: str) -> Round:
    return get_object_or_404(published_once_rounds(), slug=slug)


def withdrawn_round(slug: str) -> Round | None:
    """A round whose figures were withdrawn (the public sees the reason instead)."""
    return (
        published_once_rounds()
        .filter(slug=slug, is_public=False)
        .exclude(withdrawn_at=None)
        .first()
    )


def public_publications(round_: Round) -> QuerySet[Publication]:
    """Every revision of a round, newest first (superseded ones stay downloadable)."""
    return round_.publications.select_related("caused_by").order_by("-number")


def current_publication(round_: Round) -> Publication | None:
    """The revision the public currently reads (None before the first publication)."""
    return (
        round_.publications.exclude(kind=PublicationKind.WITHDRAWAL)
        .order_by("-number")
        .only("number", "published_at", "kind", "note", "round_id")
        .first()
    )


def public_results() -> QuerySet[Result]:
    """Results of published rounds only; the public portal reads nothing else."""
    return Result.objects.published().select_related(
        "participation__region__province", "participation__round"
    )


def latest_public_round() -> Round | None:
    """The newest published round (by year and phase), or None before the first publication."""
    return public_rounds().order_by("-year", "-phase").first()


def _public_result_rows(qs: QuerySet[Result]) -> QuerySet[Result]:
    """Annotate what every public result row shows: cohort, and improvement only when the
    previous result is itself published."""
    cohort = CohortMembership.objects.filter(region=OuterRef("participation__region")).order_by(
        "cohort__year"
    )
    previous_published = Q(previous__isnull=False, previous__participation__round__is_public=True)
    return (
        qs.filter(participation__excluded=False)
        .select_related("participation__region__province", "participation__round__instrument")
        .annotate(
            cohort_year=Subquery(cohort.values("cohort__year")[:1]),
            cohort_name=Subquery(cohort.values("cohort__name")[:1]),
            public_index_change=Case(When(previous_published, then=F("index_change"))),
            public_rank_change=Case(When(previous_published, then=F("rank_change"))),
        )
    )


def public_round_results(round_: Round) -> QuerySet[Result]:
    """The results of one published round, national order, with region, province and cohort.

    ``round_`` must come from ``public_rounds()``; the published filter is applied again so
    that a round re-opened meanwhile shows nothing.
    """
    return _public_result_rows(public_results().filter(participation__round=round_)).order_by(
        "national_rank", "participation__region__name"
    )


def public_series_results() -> QuerySet[Result]:
    """Every published result of every published round (the long time series): oldest round
    first, then national order, with region, province, cohort and public improvement."""
    return _public_result_rows(public_results()).order_by(
        "participation__round__year",
        "participation__round__phase",
        "national_rank",
        "participation__region__name",
    )


def public_region_results(region: Region) -> QuerySet[Result]:
    """A region's published results, oldest round first (for history charts)."""
    return _public_result_rows(public_results().filter(participation__region=region)).order_by(
        "participation__round__year", "participation__round__phase"
    )


def public_results_of_regions(regions: list[Region]) -> QuerySet[Result]:
    """Published results of several regions across all published rounds, oldest first."""
    return _public_result_rows(
        public_results().filter(participation__region__in=[r.pk for r in regions])
    ).order_by("participation__round__year", "participation__round__phase")


def public_regions() -> QuerySet[Region]:
    """Regions with a public profile: a published result, or membership of a cohort.

    A region that only takes part in rounds not yet published has no public page.
    """
    has_result = Exists(
        Result.objects.published().filter(
            participation__region=OuterRef("pk"), participation__excluded=False
        )
    )
    in_cohort = Exists(CohortMembership.objects.filter(region=OuterRef("pk")))
    return Region.objects.filter(has_result | in_cohort).select_related("province")


def get_public_region_or_404(slug: str) -> Region:
    cohort = CohortMembership.objects.filter(region=OuterRef("pk"))
    return get_object_or_404(
        public_regions().annotate(
            cohort_year=Subquery(cohort.values("cohort__year")[:1]),
            cohort_name=Subquery(cohort.values("cohort__name")[:1]),
            mou_date=Subquery(cohort.values("mou_date")[:1]),
        ),
        slug=slug,
    )


def public_compare_regions() -> QuerySet[Region]:
    """Regions a reader can compare: those with at least one published result."""
    has_result = Exists(
        Result.objects.published().filter(
            participation__region=OuterRef("pk"), participation__excluded=False
        )
    )
    return (
        Region.objects.filter(has_result)
        .select_related("province")
        .order_by("province__code", "name")
    )


def public_findings(region: Region) -> QuerySet[Finding]:
    """Field-review findings of a region, from published rounds only."""
    return (
        Finding.objects.published()
        .filter(field_review__participation__region=region)
        .select_related("dimension", "field_review__participation__round")
        .order_by(
            "-field_review__participation__round__year",
            "-field_review__participation__round__phase",
            "dimension__order",
            "kind",
            "order",
            "pk",
        )
    )


def public_programmes(region: Region) -> QuerySet[PublishedProgramme]:
    """A region's programme register as of its latest publication (never live edits:
    operators' text reaches the public site only through a publication)."""
    from evaluations.services.programmes.published import latest_published_programmes

    return latest_published_programmes(region)


def public_digital_indices(region: Region) -> QuerySet[DigitalGovernmentIndex]:
    return DigitalGovernmentIndex.objects.filter(region=region).order_by("framework", "year")


def public_awards(region: Region) -> QuerySet[Award]:
    return Award.objects.filter(region=region).order_by("-year", "title")


def public_instruments() -> QuerySet[Instrument]:
    """Instruments of at least one published round: their methodology is public."""
    return Instrument.objects.filter(Exists(public_rounds().filter(instrument=OuterRef("pk"))))


def get_public_instrument_or_404(code: str) -> Instrument:
    return get_object_or_404(public_instruments(), code=code)
