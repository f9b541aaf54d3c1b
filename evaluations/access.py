"""The one place that decides who may see or change protected data.

Every view that shows or changes protected data starts from a queryset returned here (or
one of the ``get_..._or_404`` helpers, which also do the ``select_related`` the page
needs). A city operator reaching another city's data, or anyone reading unpublished
results, is the worst bug this portal can have, so no view filters by region or status on
its own: it asks this module. ``tests/security/test_url_permissions.py`` walks every URL
for every kind of user; ``tests/city/test_access_matrix.py`` and
``tests/reviewer/test_access.py`` go deeper into tampered ids and form data.

Who is who:
- a **round manager** (group ``round_manager`` or superuser) sees and manages everything;
- a **reviewer** (group ``reviewer``) sees the participations on whose panel they sit now
  (a seat removed is access removed, at once), and through each seat only that round's
  material: the evidence attached to that participation's self-assessment, and the
  region's programme register (with its evidence) while that round is under way;
- an **operator or coordinator** (a ``RegionMembership``) sees their own region only, and
  their results only once published;
- the **public** sees published results only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from evaluations.models import (
    Attendee,
    AttendeeSide,
    Evidence,
    FieldReview,
    Finding,
    Instrument,
    Participation,
    Programme,
    Publication,
    PublicationKind,
    PublishedProgramme,
    Result,
    ReviewerAssignment,
    Round,
    RoundStatus,
    SelfAssessmentAnswer,
)
from evaluations.roles import is_manager, is_reviewer
from regions.models import (
    Agency,
    Award,
    CohortMembership,
    DigitalGovernmentIndex,
    MembershipRole,
    Region,
    RegionMembership,
)

User = AuthUser | AnonymousUser


# --- Regions (city workspace) ------------------------------------------------------------------


def workspace_regions(user: User) -> QuerySet[Region]:
    """Regions whose city workspace ``user`` may open: their own memberships only.

    Managers and reviewers do not get a city workspace; they use reviewer pages.
    """
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    return Region.objects.filter(memberships__user=user).select_related("province")


def get_workspace_region_or_404(user: User, slug: str) -> Region:
    return get_object_or_404(workspace_regions(user), slug=slug)


def is_coordinator(user: User, region: Region) -> bool:
    return (
        user.is_authenticated
        and RegionMembership.objects.filter(
            user=user, region=region, role=MembershipRole.COORDINATOR
        ).exists()
    )


# --- Participations ----------


def city_participations(user: User) -> QuerySet[Participation]:
    """Participations of the user's own regions, in rounds that have opened (not drafts)."""
    return (
        Participation.objects.filter(region__in=workspace_regions(user).values("pk"))
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("round__instrument", "region__province")
    )


def reviewer_participations(user: User) -> QuerySet[Participation]:
    """Participations a Kominfo user may review: the panel's, or all for a manager."""
    qs = Participation.objects.select_related("round__instrument", "region__province")
    if is_manager(user):
        return qs
    if not is_reviewer(user):
        return qs.none()
    return qs.filter(panel__reviewer=user)


def get_reviewer_participation_or_404(user: User, pk: int) -> Participation:
    return get_object_or_404(reviewer_participations(user), pk=pk)


def assigned_participations(user: User) -> QuerySet[Participation]:
    """Participations on whose panel the user sits (a manager's own seats too): "my
    assignments". Managers reach every other participation through ``manager_rounds``."""
    if not is_reviewer(user):
        return Participation.objects.none()
    return Participation.objects.filter(panel__reviewer=user).select_related(
        "round__instrument", "region__province"
    )


def panel_assignment(user: User, participation: Participation) -> ReviewerAssignment | None:
    """The user's seat on the participation's panel, if any."""
    if not user.is_authenticated:
        return None
    return ReviewerAssignment.objects.filter(participation=participation, reviewer=user).first()


def require_lead(user: User, participation: Participation) -> None:
    """Only the panel lead (or a manager) sets verified levels."""
    if is_manager(user):
        return
    seat = panel_assignment(user, participation)
    if seat is None or not seat.is_lead:
        raise PermissionDenied


# --- Programmes and evidence ----------


# Rounds in which a seat gives a reviewer the region's live programme register: from the
# opening of the self-assessment to publication. After that, the round's material is its
# participation's answers and evidence only (a 2025 seat is no key to 2026 uploads).
SEAT_ACTIVE_STATUSES = (RoundStatus.SELF_ASSESSMENT, RoundStatus.REVIEW, RoundStatus.FINALISED)


def _active_seat_region_ids(user: AuthUser) -> QuerySet[Participation, Any]:
    return Participation.objects.filter(
        panel__reviewer=user, round__status__in=SEAT_ACTIVE_STATUSES
    ).values("region_id")


def visible_programmes(user: User) -> QuerySet[Programme]:
    """Programmes the user may read in a workspace (not the public profile)."""
    qs = Programme.objects.select_related("dimension", "element", "agency", "region")
    if is_manager(user):
        return qs
    own = Q(region__in=workspace_regions(user).values("pk"))
    if is_reviewer(user):
        return qs.filter(own | Q(region__in=_active_seat_region_ids(user)))
    return qs.filter(own)


def editable_programmes(user: User) -> QuerySet[Programme]:
    """Programmes the user may change: their own region's, nobody else's."""
    return Programme.objects.filter(region__in=workspace_regions(user).values("pk")).select_related(
        "dimension", "element", "agency", "region"
    )


def visible_evidence(user: User) -> QuerySet[Evidence]:
    """Evidence files and links the user may open or download."""
    qs = Evidence.objects.select_related("region")
    if is_manager(user):
        return qs
    own = Q(region__in=workspace_regions(user).values("pk"))
    if is_reviewer(user):
        seats = Participation.objects.filter(panel__reviewer=user)
        return qs.filter(own | _evidence_through_seats_of(seats))
    return qs.filter(own)


# --- Results ----------


def public_rounds() -> QuerySet[Round]:
    """Rounds the public may read: with a live publication (also while under correction,
    when the last publication is shown with a notice), never withdrawn ones."""
    return Round.objects.published().select_related("instrument")


def get_public_round_or_404(slug: str) -> Round:
    return get_object_or_404(public_rounds(), slug=slug)


def published_once_rounds() -> QuerySet[Round]:
    """Rounds with at least one publication: their list of revisions stays public forever,
    also after a withdrawal."""
    return Round.objects.filter(
        Exists(Publication.objects.filter(round=OuterRef("pk")))
    ).select_related("instrument")


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


# --- Public portal (anonymous readers) ----------
#
# Everything below reads published data only. A region's improvement (index and rank change)
# is shown only when the previous result belongs to a published round too: otherwise the
# change would disclose an unpublished index.


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


def public_map_regions(round_: Round) -> QuerySet[Result]:
    """Results of a published round with the region coordinates the map needs."""
    return public_round_results(round_).filter(
        participation__region__latitude__isnull=False,
        participation__region__longitude__isnull=False,
    )


def public_findings(region: Region) -> QuerySet[Finding]:
    """Field-review findings of a region, from published rounds only."""
    return (
        Finding.objects.filter(
            field_review__participation__region=region,
            field_review__participation__round__is_public=True,
        )
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


def visible_results(user: User) -> QuerySet[Result]:
    """Results the user may read in a workspace.

    Operators see their own region's results once published; reviewers see the results of
    participations on their panel; managers see all.
    """
    qs = Result.objects.select_related("participation__region__province", "participation__round")
    if is_manager(user):
        return qs
    own_published = Q(
        participation__region__in=workspace_regions(user).values("pk"),
        participation__round__is_public=True,
    )
    if is_reviewer(user):
        panel = Exists(
            ReviewerAssignment.objects.filter(
                participation=OuterRef("participation"), reviewer=user
            )
        )
        return qs.filter(own_published | Q(panel))
    return qs.filter(own_published)


def city_field_reviews(user: User) -> QuerySet[FieldReview]:
    """Field reviews of the user's own regions (findings shown only after publication)."""
    return FieldReview.objects.filter(
        participation__in=city_participations(user).values("pk")
    ).select_related("participation__round", "participation__region")


# --- City workspace helpers ----------
# Every city view starts from ``get_workspace_membership_or_404`` (region and role in one
# query); objects inside the workspace are then fetched through the helpers below, which
# always filter by that region *and* re-apply the user scope, so a guessed id of another
# region's object is a 404, never a leak.


def get_workspace_membership_or_404(user: User, slug: str) -> RegionMembership:
    """The user's membership of the region with ``slug`` (404 when they are not a member)."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    return get_object_or_404(
        RegionMembership.objects.select_related("region__province"),
        user=user,
        region__slug=slug,
    )


def require_coordinator(membership: RegionMembership) -> None:
    """Only the region's coordinator manages its agencies (OPD)."""
    if membership.role != MembershipRole.COORDINATOR:
        raise PermissionDenied


def region_agencies(user: User, region: Region) -> QuerySet[Agency]:
    return Agency.objects.filter(region=region, region__in=workspace_regions(user).values("pk"))


def get_region_agency_or_404(user: User, region: Region, pk: int) -> Agency:
    return get_object_or_404(region_agencies(user, region), pk=pk)


def region_programmes(user: User, region: Region) -> QuerySet[Programme]:
    """One region's register (active and archived) as its own staff may change it."""
    return editable_programmes(user).filter(region=region)


def get_region_programme_or_404(user: User, region: Region, pk: int) -> Programme:
    return get_object_or_404(region_programmes(user, region), pk=pk)


def region_evidence(user: User, region: Region) -> QuerySet[Evidence]:
    """One region's evidence files and links, as the workspace shows them."""
    return visible_evidence(user).filter(region=region)


def get_region_evidence_or_404(user: User, region: Region, pk: int) -> Evidence:
    return get_object_or_404(region_evidence(user, region), pk=pk)


def get_city_participation_or_404(user: User, region: Region, round_slug: str) -> Participation:
    """The region's participation in the round with ``round_slug`` (never a posted id)."""
    return get_object_or_404(
        city_participations(user).filter(region=region), round__slug=round_slug
    )


def get_city_field_review_or_404(user: User, region: Region, round_slug: str) -> FieldReview:
    return get_object_or_404(
        city_field_reviews(user).filter(participation__region=region),
        participation__round__slug=round_slug,
    )


def city_results(user: User, region: Region) -> QuerySet[Result]:
    """The region's results that its staff may read: published rounds only."""
    return (
        visible_results(user)
        .filter(
            participation__region=region,
            participation__region__in=workspace_regions(user).values("pk"),
            participation__round__is_public=True,
        )
        .select_related("participation__round__instrument")
    )


def get_city_result_or_404(user: User, region: Region, round_slug: str) -> Result:
    return get_object_or_404(city_results(user, region), participation__round__slug=round_slug)


def city_findings(user: User, field_review: FieldReview) -> QuerySet[Finding]:
    """A field review's findings, shown to the region only once its round is published."""
    if not field_review.participation.round.is_public:
        return Finding.objects.none()
    return Finding.objects.filter(
        field_review=field_review,
        field_review__participation__region__in=workspace_regions(user).values("pk"),
    ).select_related("dimension")


def region_attendees(user: User, field_review: FieldReview) -> QuerySet[Attendee]:
    """Attendees the region's team may change: its own side only."""
    return Attendee.objects.filter(
        field_review=field_review,
        side=AttendeeSide.REGION,
        field_review__participation__region__in=workspace_regions(user).values("pk"),
    )


# --- Round management (managers only) ----------


def manager_rounds(user: User) -> QuerySet[Round]:
    """Every round, for round managers; nothing for anyone else."""
    if not is_manager(user):
        return Round.objects.none()
    return Round.objects.select_related("instrument")


def get_manager_round_or_404(user: User, slug: str) -> Round:
    """The round a manager page is about. Non-managers get 403 (the page exists, not for
    them), managers a 404 for an unknown slug."""
    if not is_manager(user):
        raise PermissionDenied
    return get_object_or_404(manager_rounds(user), slug=slug)


def get_manager_participation_or_404(user: User, round_: Round, pk: int) -> Participation:
    if not is_manager(user):
        raise PermissionDenied
    return get_object_or_404(
        Participation.objects.filter(round=round_).select_related(
            "round__instrument", "region__province"
        ),
        pk=pk,
    )


def get_round_result_or_404(user: User, round_: Round, participation_pk: int) -> Result:
    """A result of ``round_`` the user may read (see ``visible_results``)."""
    return get_object_or_404(
        visible_results(user).filter(participation__round=round_),
        participation_id=participation_pk,
    )


def get_reviewer_evidence_or_404(user: AuthUser, participation: Participation, pk: int) -> Evidence:
    """Evidence of the participation's region, for someone who may review it: a manager any;
    a reviewer only through their seat on *this* participation (its answers' evidence, and
    the register's while its round is under way)."""
    qs = Evidence.objects.select_related("region").filter(region_id=participation.region_id)
    if not is_manager(user):
        seat = Participation.objects.filter(pk=participation.pk, panel__reviewer=user)
        qs = qs.filter(_evidence_through_seats_of(seat))
    return get_object_or_404(qs, pk=pk)


def _evidence_through_seats_of(seat: QuerySet[Participation]) -> Q:
    """Evidence attached to the self-assessment of one of the ``seat`` participations, or
    to a programme of its region while its round is under way."""
    answered = SelfAssessmentAnswer.objects.filter(
        participation__in=seat.values("pk"), evidence=OuterRef("pk")
    )
    in_register = Programme.objects.filter(
        region__in=seat.filter(round__status__in=SEAT_ACTIVE_STATUSES).values("region_id"),
        evidence=OuterRef("pk"),
    )
    return Q(Exists(answered)) | Q(Exists(in_register))
