"""Permission checks of the views: fetch one protected object for a user, or refuse.

The rules themselves are methods of each model's queryset (``evaluations.rights``:
``Participation.objects.in_workspace_of(user)``, ``Evidence.objects.downloadable_by(user)``,
``Round.objects.managed_by(user)``...). This module combines them with what a page asks
for (a region, a round's slug, a pk) and the ``select_related`` the page needs, so a view
fetches a protected object in one call, and a guessed id of another region's object is a
404, never a leak. Public reads are in ``evaluations.selectors.public``.

``tests/security/test_url_permissions.py`` walks every URL for every kind of user (and fails
when a view reads a protected model without a right); ``tests/city/test_access_matrix.py``
and ``tests/reviewer/test_access.py`` go deeper into tampered ids and form data.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from evaluations.models import (
    Attendee,
    Evidence,
    FieldReview,
    Finding,
    Participation,
    Programme,
    Result,
    ReviewerAssignment,
    Round,
)
from evaluations.roles import is_manager
from regions.models import Agency, MembershipRole, Region, RegionMembership

User = AuthUser | AnonymousUser

_PARTICIPATION_RELATED = ("round__instrument", "region__province")


# --- Regions (city workspace) ------------------------------------------------------------------


def workspace_regions(user: User) -> QuerySet[Region]:
    """Regions whose city workspace ``user`` may open: their own memberships only."""
    return Region.objects.workspaces_of(user).select_related("province")


# --- Participations ----------


def city_participations(user: User) -> QuerySet[Participation]:
    """Participations of the user's own regions, in rounds that have opened (not drafts)."""
    return Participation.objects.in_workspace_of(user).select_related(*_PARTICIPATION_RELATED)


def get_reviewer_participation_or_404(user: User, pk: int) -> Participation:
    """A participation the user may review: on their panel, or any for a manager."""
    return get_object_or_404(
        Participation.objects.reviewable_by(user).select_related(*_PARTICIPATION_RELATED), pk=pk
    )


def assigned_participations(user: User) -> QuerySet[Participation]:
    """Participations on whose panel the user sits (a manager's own seats too)."""
    return Participation.objects.on_panel_of(user).select_related(*_PARTICIPATION_RELATED)


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


# --- Evidence ----------


def visible_evidence(user: User) -> QuerySet[Evidence]:
    """Evidence files and links the user may open or download."""
    return Evidence.objects.downloadable_by(user).select_related("region")


def get_reviewer_evidence_or_404(user: User, participation: Participation, pk: int) -> Evidence:
    """Evidence a reviewer opens through their seat on ``participation`` (any for a manager)."""
    return get_object_or_404(
        Evidence.objects.reviewable_by(user, participation).select_related("region"), pk=pk
    )


# --- City workspace ----------
# Every city view starts from ``get_workspace_membership_or_404`` (region and role in one
# query); objects inside the workspace are then fetched through the helpers below, which
# always filter by that region *and* re-apply the user's right, so a guessed id of another
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
    return Agency.objects.in_workspace_of(user).filter(region=region)


def get_region_agency_or_404(user: User, region: Region, pk: int) -> Agency:
    return get_object_or_404(region_agencies(user, region), pk=pk)


def region_programmes(user: User, region: Region) -> QuerySet[Programme]:
    """One region's register (active and archived) as its own staff may change it."""
    return (
        Programme.objects.editable_by(user)
        .filter(region=region)
        .select_related("dimension", "element", "agency", "region")
    )


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


def city_field_reviews(user: User) -> QuerySet[FieldReview]:
    """Field reviews of the user's own regions (findings shown only after publication)."""
    return FieldReview.objects.in_workspace_of(user).select_related(
        "participation__round", "participation__region"
    )


def get_city_field_review_or_404(user: User, region: Region, round_slug: str) -> FieldReview:
    return get_object_or_404(
        city_field_reviews(user).filter(participation__region=region),
        participation__round__slug=round_slug,
    )


def city_results(user: User, region: Region) -> QuerySet[Result]:
    """The region's results that its staff may read: published rounds only."""
    return (
        Result.objects.in_workspace_of(user)
        .filter(participation__region=region)
        .select_related("participation__region__province", "participation__round__instrument")
        # Result.rating_band_i18n (as ResultQuerySet.with_band_names()).
        .prefetch_related("participation__round__instrument__rating_bands")
    )


def get_city_result_or_404(user: User, region: Region, round_slug: str) -> Result:
    return get_object_or_404(city_results(user, region), participation__round__slug=round_slug)


def city_findings(user: User, field_review: FieldReview) -> QuerySet[Finding]:
    """A field review's findings, shown to the region only once its round is published."""
    findings = Finding.objects.in_workspace_of(user)
    if not field_review.participation.round.is_public:
        return findings.none()  # known without a query
    return findings.filter(field_review=field_review).select_related("dimension")


def region_attendees(user: User, field_review: FieldReview) -> QuerySet[Attendee]:
    """Attendees the region's team may change: its own side only."""
    return Attendee.objects.editable_by(user).filter(field_review=field_review)


# --- Round management (managers only) ----------


def manager_rounds(user: User) -> QuerySet[Round]:
    """Every round, for round managers; nothing for anyone else."""
    return Round.objects.managed_by(user).select_related("instrument")


def get_manager_round_or_404(user: User, slug: str) -> Round:
    """The round a manager page is about. Non-managers get 403 (the page exists, not for
    them), managers a 404 for an unknown slug."""
    if not is_manager(user):
        raise PermissionDenied
    return get_object_or_404(manager_rounds(user), slug=slug)


def get_manager_participation_or_404(user: User, round_: Round, pk: int) -> Participation:
    """A participant of ``round_`` (the manager's participant page): 403 for non-managers,
    404 for a participation of another round."""
    if not is_manager(user):
        raise PermissionDenied
    return get_object_or_404(
        Participation.objects.managed_in(user, round_).select_related(*_PARTICIPATION_RELATED),
        pk=pk,
    )


def get_round_result_or_404(user: User, round_: Round, participation_pk: int) -> Result:
    """A result of ``round_`` the user may read (``Result.objects.visible_to``)."""
    return get_object_or_404(
        Result.objects.visible_to(user)
        .filter(participation__round=round_)
        .select_related("participation__region__province", "participation__round"),
        participation_id=participation_pk,
    )
