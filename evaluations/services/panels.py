"""Seating reviewers on many panels at once.

A manager picks reviewers and a set of participants (a province, a cohort, or all) and a
panel size; each panel is topped up to that size from the chosen reviewers, the least loaded
in this round first, so that the work spreads evenly. A reviewer who belongs to a region's
own team is never seated on its panel (conflict of interest); a panel without a lead gets
its first new member as lead. Seats already there are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations.models import Participation, ReviewerAssignment, Round
from evaluations.roles import is_reviewer
from evaluations.services.rounds import (
    PARTICIPATION_ROUND_CLOSED,
    REVIEWER_NOT_REVIEWER,
    _lock,
    _require_manager,
)
from regions.models import RegionMembership

PANEL_SIZE_MIN, PANEL_SIZE_MAX = 1, 7
BULK_NO_REVIEWERS = _("Pilih paling sedikit satu penilai.")
BULK_NO_PARTICIPANTS = _("Tidak ada peserta aktif yang cocok dengan pilihan ini.")
BULK_BAD_SIZE = _("Ukuran panel harus antara 1 dan 7.")


@dataclass
class BulkOutcome:
    """What a bulk assignment did, for the manager's message."""

    seated: int = 0
    panels: int = 0
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (reviewer, region)
    short: list[str] = field(default_factory=list)  # regions left below the size


@transaction.atomic
def panel_assign_bulk(
    *,
    round: Round,
    participations: Sequence[Participation],
    reviewers: Sequence[User],
    size: int,
    by: User,
) -> BulkOutcome:
    """Top up each participation's panel to ``size`` from ``reviewers`` (see module doc).

    A fixed number of queries whatever the number of participants: the loads, the conflicts
    and the existing seats are read once, the new seats written in one insert.
    """
    _require_manager(by)
    locked = _lock(round)
    if locked.is_closed:
        raise ValidationError(PARTICIPATION_ROUND_CLOSED, code="closed")
    if not reviewers:
        raise ValidationError(BULK_NO_REVIEWERS, code="no_reviewers")
    if not PANEL_SIZE_MIN <= size <= PANEL_SIZE_MAX:
        raise ValidationError(BULK_BAD_SIZE, code="size")
    for reviewer in reviewers:
        if not is_reviewer(reviewer):
            raise ValidationError(REVIEWER_NOT_REVIEWER, code="not_reviewer")
    active = [p for p in participations if not p.excluded and p.round_id == locked.pk]
    if not active:
        raise ValidationError(BULK_NO_PARTICIPANTS, code="no_participants")
    load = Counter(
        ReviewerAssignment.objects.filter(participation__round=locked).values_list(
            "reviewer_id", flat=True
        )
    )
    members = set(
        RegionMembership.objects.filter(
            user__in=[r.pk for r in reviewers], region__in=[p.region_id for p in active]
        ).values_list("user_id", "region_id")
    )
    seats: dict[int, list[ReviewerAssignment]] = {}
    for seat in ReviewerAssignment.objects.filter(participation__in=[p.pk for p in active]):
        seats.setdefault(seat.participation_id, []).append(seat)
    outcome = BulkOutcome()
    new: list[ReviewerAssignment] = []
    for participation in sorted(active, key=lambda p: p.region.code):
        current = seats.get(participation.pk, [])
        seated = {s.reviewer_id for s in current}
        need = size - len(current)
        if need <= 0:
            continue
        candidates = []
        for reviewer in reviewers:
            if reviewer.pk in seated:
                continue
            if (reviewer.pk, participation.region_id) in members:
                outcome.conflicts.append((reviewer.get_username(), participation.region.name))
                continue
            candidates.append(reviewer)
        candidates.sort(key=lambda r: (load[r.pk], r.get_username()))
        chosen = candidates[:need]
        has_lead = any(s.is_lead for s in current)
        for i, reviewer in enumerate(chosen):
            new.append(
                ReviewerAssignment(
                    participation=participation,
                    reviewer=reviewer,
                    is_lead=not has_lead and i == 0,
                )
            )
            load[reviewer.pk] += 1
        if chosen:
            outcome.panels += 1
        if len(chosen) < need:
            outcome.short.append(participation.region.name)
    ReviewerAssignment.objects.bulk_create(new)
    outcome.seated = len(new)
    return outcome
