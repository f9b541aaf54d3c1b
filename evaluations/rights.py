"""Who may see or change protected data: the rights, as methods of each model's queryset.

A city operator reaching another city's data, or anyone reading unpublished results, is
the worst bug this portal can have, so no view filters by region or status on its own: it
starts from one of these methods (``Round.objects.managed_by(user)``,
``Evidence.objects.downloadable_by(user)``, ``Result.objects.published()``...), usually
through a ``get_..._or_404`` helper of ``evaluations.access``. Every method marks its
queryset (``smartcity.rights``); the URL walk of ``tests/security/test_url_permissions.py``
fails when a view or selector reads a protected model without one.

Who is who:
- a **round manager** (group ``round_manager`` or superuser) sees and manages everything;
- a **reviewer** (group ``reviewer``) sees the participations on whose panel they sit now
  (a seat removed is access removed, at once), and through each seat only that round's
  material: the evidence attached to that participation's self-assessment, and the
  region's programme register (with its evidence) while that round is under way;
- an **operator or coordinator** (a ``RegionMembership``, active account) sees their own
  region only, rounds once opened (never drafts), and their results only once published;
- the **public** sees published results only.

This module is the mutation-testing target for the rights (with ``RegionQuerySet`` and
``AgencyQuerySet`` in ``regions/models.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from evaluations.roles import is_manager, is_reviewer
from smartcity.rights import RestrictedQuerySet

if TYPE_CHECKING:
    from evaluations.models import (  # noqa: F401 - named in the generic bases below
        Attendee,
        Evidence,
        FieldReview,
        Finding,
        Participation,
        Programme,
        Result,
        Round,
    )

User = AuthUser | AnonymousUser

# Rounds in which a seat gives a reviewer the region's live programme register: from the
# opening of the self-assessment to publication. After that, the round's material is its
# participation's answers and evidence only (a 2025 seat is no key to 2026 uploads).
# (RoundStatus values: the models import this module, so it cannot import them.)
SEAT_ACTIVE_STATUSES = ("self_assessment", "review", "finalised")
DRAFT = "draft"
REGION_SIDE = "region"  # AttendeeSide.REGION


def _workspace_region_ids(user: User) -> QuerySet:
    """The pks of the regions whose city workspace ``user`` may open (a subquery)."""
    from regions.models import Region

    return Region.objects.workspaces_of(user).values("pk")


class RoundRights(RestrictedQuerySet["Round"]):
    def published(self) -> RoundRights:
        """Rounds whose results the public may read: a live publication, also while the
        round is re-opened for correction (the last publication stays readable, with a
        notice); a withdrawn round is not among them."""
        return self._restricted("published").filter(is_public=True)

    def published_once(self) -> RoundRights:
        """Rounds with at least one publication: their list of revisions stays public
        forever, also after a withdrawal."""
        from evaluations.models import Publication

        return self._restricted("published_once").filter(
            Exists(Publication.objects.filter(round=OuterRef("pk")))
        )

    def managed_by(self, user: User) -> RoundRights:
        """Every round, for round managers; nothing for anyone else."""
        if not is_manager(user):
            return self._restricted("managed_by").none()
        return self._restricted("managed_by")

    def with_seat_of(self, user: AuthUser) -> RoundRights:
        """Rounds in which ``user`` sits on at least one panel (their "my rounds")."""
        return self._restricted("with_seat_of").filter(participations__panel__reviewer=user)


class ParticipationRights(RestrictedQuerySet["Participation"]):
    def in_workspace_of(self, user: User) -> ParticipationRights:
        """Participations of the user's own regions, in rounds that have opened (a draft
        round is the managers' business until it opens)."""
        return (
            self._restricted("in_workspace_of")
            .filter(region__in=_workspace_region_ids(user))
            .exclude(round__status=DRAFT)
        )

    def reviewable_by(self, user: User) -> ParticipationRights:
        """Participations a Kominfo user may review: the panel's, or all for a manager."""
        qs = self._restricted("reviewable_by")
        if is_manager(user):
            return qs
        if not is_reviewer(user):
            return qs.none()
        return qs.filter(panel__reviewer=user)

    def on_panel_of(self, user: User) -> ParticipationRights:
        """Participations on whose panel the user sits (a manager's own seats too): "my
        assignments". Managers reach every other one through ``managed_in``."""
        qs = self._restricted("on_panel_of")
        if not is_reviewer(user):
            return qs.none()
        return qs.filter(panel__reviewer=user)

    def managed_in(self, user: User, round_: Round) -> ParticipationRights:
        """The participants of ``round_`` as its manager sees them; nothing for others."""
        qs = self._restricted("managed_in")
        if not is_manager(user):
            return qs.none()
        return qs.filter(round=round_)


def _evidence_through_seats_of(seat: QuerySet[Participation]) -> Q:
    """Evidence attached to the self-assessment of one of the ``seat`` participations, or
    to a programme of its region while its round is under way."""
    from evaluations.models import Programme, SelfAssessmentAnswer

    answered = SelfAssessmentAnswer.objects.filter(
        participation__in=seat.values("pk"), evidence=OuterRef("pk")
    )
    in_register = Programme.objects.filter(
        region__in=seat.filter(round__status__in=SEAT_ACTIVE_STATUSES).values("region_id"),
        evidence=OuterRef("pk"),
    )
    return Q(Exists(answered)) | Q(Exists(in_register))


class EvidenceRights(RestrictedQuerySet["Evidence"]):
    def downloadable_by(self, user: User) -> EvidenceRights:
        """Evidence files and links the user may open or download: their own region's;
        a reviewer's seats' (see ``_evidence_through_seats_of``); all for a manager."""
        from evaluations.models import Participation

        qs = self._restricted("downloadable_by")
        if is_manager(user):
            return qs
        own = Q(region__in=_workspace_region_ids(user))
        if is_reviewer(user):
            seats = Participation.objects.filter(panel__reviewer=user)
            return qs.filter(own | _evidence_through_seats_of(seats))
        return qs.filter(own)

    def reviewable_by(self, user: User, participation: Participation) -> EvidenceRights:
        """Evidence of the participation's region, for someone who may review it: a manager
        any; a reviewer only through their seat on *this* participation (its answers'
        evidence, and the register's while its round is under way)."""
        from evaluations.models import Participation

        qs = self._restricted("reviewable_by").filter(region_id=participation.region_id)
        if is_manager(user):
            return qs
        # An anonymous user never reaches this line: reviewer pages require a signed-in user.
        seat = Participation.objects.filter(pk=participation.pk, panel__reviewer=user)  # type: ignore[misc]
        return qs.filter(_evidence_through_seats_of(seat))


class ProgrammeRights(RestrictedQuerySet["Programme"]):
    def editable_by(self, user: User) -> ProgrammeRights:
        """Programmes the user may change: their own region's, nobody else's."""
        return self._restricted("editable_by").filter(region__in=_workspace_region_ids(user))


class ResultRights(RestrictedQuerySet["Result"]):
    def published(self) -> ResultRights:
        """Results the public may read: those of published rounds only."""
        return self._restricted("published").filter(participation__round__is_public=True)

    def visible_to(self, user: User) -> ResultRights:
        """Results the user may read in a workspace: operators their own region's once
        published; reviewers those of participations on their panel; managers all."""
        from evaluations.models import ReviewerAssignment

        qs = self._restricted("visible_to")
        if is_manager(user):
            return qs
        own_published = Q(
            participation__region__in=_workspace_region_ids(user),
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

    def in_workspace_of(self, user: User) -> ResultRights:
        """The results a region's staff read in their workspace: published rounds only."""
        return self._restricted("in_workspace_of").filter(
            participation__region__in=_workspace_region_ids(user),
            participation__round__is_public=True,
        )


class FieldReviewRights(RestrictedQuerySet["FieldReview"]):
    def in_workspace_of(self, user: User) -> FieldReviewRights:
        """Field reviews of the user's own regions, in rounds that have opened."""
        from evaluations.models import Participation

        return self._restricted("in_workspace_of").filter(
            participation__in=Participation.objects.in_workspace_of(user).values("pk")
        )


class FindingRights(RestrictedQuerySet["Finding"]):
    def published(self) -> FindingRights:
        """Findings of published rounds (the public profile of a region)."""
        return self._restricted("published").filter(
            field_review__participation__round__is_public=True
        )

    def in_workspace_of(self, user: User) -> FindingRights:
        """A region's own findings, shown to its staff only once the round is published."""
        return self._restricted("in_workspace_of").filter(
            field_review__participation__region__in=_workspace_region_ids(user),
            field_review__participation__round__is_public=True,
        )


class AttendeeRights(RestrictedQuerySet["Attendee"]):
    def editable_by(self, user: User) -> AttendeeRights:
        """Attendees a region's team may change: its own side of its own field reviews."""
        return self._restricted("editable_by").filter(
            side=REGION_SIDE,
            field_review__participation__region__in=_workspace_region_ids(user),
        )
