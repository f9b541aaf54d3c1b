"""What the reviewer pages read: the queue of assignments, a participation's indicators,
answers and scores, the panel's levels, a field review and its minutes.

Every function takes objects the view fetched through a right (``evaluations.access``), or
the user whose right it applies; the rows of a participation are read ``within`` it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from evaluations import access
from evaluations.models import (
    AgendaItem,
    AttendeeSide,
    FieldReview,
    Finding,
    FindingKind,
    Indicator,
    Participation,
    ReviewerAssignment,
    Round,
    RoundStatus,
    Score,
    SelfAssessmentAnswer,
    VerifiedScore,
)
from regions.models import Province

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = AuthUser


def subquery_count(queryset: Any, group: str) -> Coalesce:
    """A correlated COUNT subquery: several of them never multiply rows like joins do."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


# --- My assignments ----------

# Rounds whose panels still work; finalised and published rounds are listed by name only,
# each opening on its own (a reviewer of ten years of rounds has hundreds of seats).
OPEN_ROUND_STATUSES = (RoundStatus.DRAFT, RoundStatus.SELF_ASSESSMENT, RoundStatus.REVIEW)

# The queue's "state" filter: (label, condition on the annotated queue).
QUEUE_STATES: dict[str, tuple[StrOrPromise, Q]] = {
    "todo": (gettext_lazy("Belum saya nilai"), Q(my_scored=0, completed_at__isnull=True)),
    "draft": (gettext_lazy("Draf saya"), Q(my_scored__gt=0, completed_at__isnull=True)),
    "done": (gettext_lazy("Selesai saya nilai"), Q(completed_at__isnull=False)),
    "verify": (
        gettext_lazy("Perlu verifikasi (ketua)"),
        Q(is_lead=True, verified__lt=F("indicator_total")),
    ),
}


@dataclass(frozen=True)
class AssignmentQueue:
    """The reviewer's queue page: participations with progress, closed rounds, filters."""

    participations: QuerySet[Participation]
    closed_rounds: QuerySet[Round]
    rounds: QuerySet[Round]
    provinces: QuerySet[Province]


def assignment_queue(user: User, *, round_slug: str, province: str, state: str) -> AssignmentQueue:
    """The participations on the user's panels (one round's, else those of rounds still
    under way), each annotated with the user's progress, lead seat and verified count."""
    seats = ReviewerAssignment.objects.filter(participation=OuterRef("pk"), reviewer=user)
    mine = access.assigned_participations(user)
    mine = (
        mine.filter(round__slug=round_slug)
        if round_slug
        else mine.filter(round__status__in=OPEN_ROUND_STATUSES)
    )
    closed_rounds = (
        Round.objects.with_seat_of(user)
        .filter(status__in=[RoundStatus.FINALISED, RoundStatus.PUBLISHED])
        .annotate(seats=Count("participations"))
        .order_by("-year", "-phase")
    )
    if province:
        mine = mine.filter(region__province__slug=province)
    participations = mine.annotate(
        indicator_total=subquery_count(
            Indicator.objects.filter(instrument=OuterRef("round__instrument")), "instrument"
        ),
        my_scored=subquery_count(
            Score.objects.filter(
                participation=OuterRef("pk"),
                reviewer=user,
                indicator__instrument=OuterRef("round__instrument"),
            ),
            "participation",
        ),
        verified=subquery_count(
            VerifiedScore.objects.filter(participation=OuterRef("pk")), "participation"
        ),
        is_lead=Subquery(seats.values("is_lead")[:1]),
        completed_at=Subquery(seats.values("completed_at")[:1]),
    ).order_by("-round__year", "-round__phase", "region__code")
    if state in QUEUE_STATES:
        participations = participations.filter(QUEUE_STATES[state][1])
    return AssignmentQueue(
        participations=participations,
        closed_rounds=closed_rounds,
        rounds=Round.objects.with_seat_of(user).distinct().order_by("-year", "-phase"),
        provinces=Province.objects.filter(regions__participations__panel__reviewer=user)
        .distinct()
        .order_by("name"),
    )


# --- The participation under review ----------


def indicators_of(participation: Participation) -> list[Indicator]:
    """The indicators of the participation's instrument, in the instrument's order."""
    return list(
        Indicator.objects.filter(instrument_id=participation.round.instrument_id)
        .select_related("dimension", "element")
        .order_by("order", "code")
    )


def get_indicator_or_404(participation: Participation, indicator_pk: int) -> Indicator:
    """An indicator of the participation's own instrument, else 404 (tampered URL)."""
    return get_object_or_404(
        Indicator.objects.select_related("dimension", "element"),
        pk=indicator_pk,
        instrument_id=participation.round.instrument_id,
    )


def answers_by_indicator(
    participation: Participation, user: User
) -> dict[int, SelfAssessmentAnswer]:
    """The city's answers with the evidence the user may open (one query each)."""
    evidence = access.visible_evidence(user).filter(region_id=participation.region_id)
    answers = SelfAssessmentAnswer.objects.filter(participation=participation).prefetch_related(
        Prefetch("evidence", queryset=evidence.order_by("title"))
    )
    return {a.indicator_id: a for a in answers}


def claims_by_indicator(participation: Participation) -> dict[int, SelfAssessmentAnswer]:
    """The city's answers without their evidence (the panel page shows the claim only)."""
    return {
        a.indicator_id: a for a in SelfAssessmentAnswer.objects.filter(participation=participation)
    }


def scores_by_indicator(participation: Participation, reviewer: User) -> dict[int, Score]:
    """The reviewer's own draft scores on the participation."""
    return {
        s.indicator_id: s
        for s in Score.objects.filter(participation=participation, reviewer=reviewer)
    }


def verified_by_indicator(participation: Participation) -> dict[int, VerifiedScore]:
    """The verified levels set so far."""
    return {v.indicator_id: v for v in VerifiedScore.objects.filter(participation=participation)}


def score_of(participation: Participation, indicator: Indicator, reviewer: User) -> Score | None:
    return Score.objects.filter(
        participation=participation, indicator=indicator, reviewer=reviewer
    ).first()


def verified_of(participation: Participation, indicator: Indicator) -> VerifiedScore | None:
    return VerifiedScore.objects.filter(participation=participation, indicator=indicator).first()


def scoring_progress(participation: Participation, reviewer: User) -> tuple[int, int]:
    """(indicators the reviewer has scored, indicators of the instrument)."""
    total = Indicator.objects.filter(instrument_id=participation.round.instrument_id)
    scored = Score.objects.filter(
        participation=participation, reviewer=reviewer, indicator__in=total
    ).count()
    return scored, total.count()


def panel_seats(participation: Participation) -> list[ReviewerAssignment]:
    return list(participation.panel.select_related("reviewer"))


def panel_scores(
    participation: Participation, seats: list[ReviewerAssignment]
) -> dict[tuple[int, int], Score]:
    """Every seat's draft score, by (indicator, reviewer)."""
    return {
        (s.indicator_id, s.reviewer_id): s
        for s in Score.objects.filter(
            participation=participation, reviewer_id__in=[s.reviewer_id for s in seats]
        )
    }


# --- Field reviews ----------

# The related name and the order of each editable part of a field review.
FIELD_REVIEW_SECTIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "agenda": ("agenda", ("day", "start_time"), ("dimension",)),
    "attendees": ("attendees", ("side", "name"), ()),
    "findings": ("findings", ("dimension__order", "kind", "order", "pk"), ("dimension",)),
}


def field_review_of(participation: Participation) -> FieldReview | None:
    """The participation's field review, if scheduled."""
    return FieldReview.objects.within(participation=participation).first()


def field_review_section_rows(review: FieldReview, section: str) -> QuerySet[Any]:
    """The agenda items, attendees or findings of a field review, as its page orders them."""
    related, ordering, select = FIELD_REVIEW_SECTIONS[section]
    rows = getattr(review, related).order_by(*ordering)
    return rows.select_related(*select) if select else rows


def minutes_context(participation: Participation) -> dict[str, Any]:
    """Everything the minutes (berita acara) show, in four queries."""
    review = (
        FieldReview.objects.within(participation=participation)
        .prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("dimension")),
            "attendees",
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("dimension").order_by(
                    "dimension__order", "kind", "order", "pk"
                ),
            ),
        )
        .first()
    )
    if review is None:
        raise Http404
    findings_by_dimension = []
    dimensions = {f.dimension for f in review.findings.all()}
    for dimension in sorted(dimensions, key=lambda d: (d.order, d.code)):
        items = [f for f in review.findings.all() if f.dimension_id == dimension.pk]
        findings_by_dimension.append(
            {
                "dimension": dimension,
                "kinds": [
                    (label, [f for f in items if f.kind == kind])
                    for kind, label in FindingKind.choices
                ],
            }
        )
    days: dict[int, list[AgendaItem]] = {}
    for item in review.agenda.all():
        days.setdefault(item.day, []).append(item)
    attendees = list(review.attendees.all())
    lead = participation.panel.filter(is_lead=True).select_related("reviewer").first()
    return {
        "participation": participation,
        "round": participation.round,
        "region": participation.region,
        "review": review,
        "days": sorted(days.items()),
        "region_attendees": [a for a in attendees if a.side == AttendeeSide.REGION],
        "reviewer_attendees": [a for a in attendees if a.side == AttendeeSide.REVIEWER],
        "other_attendees": [a for a in attendees if a.side == AttendeeSide.OTHER],
        "findings": findings_by_dimension,
        "lead": lead.reviewer if lead else None,
    }
