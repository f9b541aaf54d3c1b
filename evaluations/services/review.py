"""Reviewers' work on a participation: scores, completion, verified levels, returns.

- A panel reviewer saves a level and comment per indicator (``score_save``); the scores
  stay a draft until the reviewer marks the review complete (``review_complete``), after
  which only the lead or a manager can re-open it (``review_reopen``).
- The panel lead (or a manager) sets the verified level per indicator
  (``verified_level_set``), or takes every level the panel agrees on in one go
  (``verified_levels_from_panel``). Verified levels are what the engine computes from.
- Scores and verified levels change only while the round is under review; after
  finalisation or publication the round must be re-opened with a reason first, and
  django-simple-history keeps who changed what and when.
- A panel reviewer or manager can return a submitted self-assessment for revision with a
  comment (``self_assessment_return``).

Every function is keyword-only and transactional, raises ``ValidationError`` with one of
the message constants below, and ``PermissionDenied`` when the user has no seat for it.
"""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from evaluations.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    Indicator,
    Participation,
    ReviewerAssignment,
    Round,
    RoundStatus,
    Score,
    SelfAssessmentStatus,
    VerifiedScore,
)
from evaluations.models.scoring import SCORES_LOCKED
from evaluations.roles import is_manager
from smartcity.people import notifications

__all__ = [
    "SCORES_LOCKED",
    "review_complete",
    "review_reopen",
    "score_save",
    "self_assessment_return",
    "verified_level_set",
    "verified_levels_from_panel",
]

NOT_ON_PANEL = _("Anda tidak duduk di panel penilai peserta ini.")
NOT_LEAD = _("Hanya ketua panel atau pengelola putaran yang dapat melakukan ini.")
PARTICIPATION_EXCLUDED = _("Peserta ini dikecualikan dari penilaian.")
INDICATOR_NOT_IN_INSTRUMENT = _("Indikator ini bukan bagian dari instrumen putaran ini.")
LEVEL_OUT_OF_RANGE = _("Level harus bilangan bulat antara 0 dan 5.")
REVIEW_ALREADY_COMPLETE = _(
    "Penilaian Anda untuk peserta ini sudah ditandai selesai; minta ketua panel membukanya "
    "kembali untuk mengubah nilai."
)
REVIEW_INCOMPLETE = _("Masih ada {count} indikator yang belum Anda nilai.")
REVIEW_NOT_COMPLETE = _("Penilaian ini belum ditandai selesai.")
PANEL_NOT_ALL_DONE = _(
    "Belum semua anggota panel selesai menilai: {names}. Kesepakatan panel hanya dipakai bila "
    "semua selesai, atau bila Anda menyebut sendiri siapa yang tidak ditunggu."
)
PANEL_NOBODY_DONE = _("Belum ada anggota panel yang selesai menilai.")
STALE_VERSION = _(
    "Nilai ini sudah diubah di tempat lain sejak halaman dibuka. Muat ulang halaman dan "
    "periksa nilainya sebelum menyimpan lagi."
)
COMMENT_REQUIRED = _("Catatan wajib diisi.")
SELF_ASSESSMENT_NOT_SUBMITTED = _(
    "Hanya penilaian mandiri yang sudah dikirim yang dapat dikembalikan."
)
SELF_ASSESSMENT_RETURN_CLOSED = _(
    "Penilaian mandiri hanya dapat dikembalikan selama penilaian mandiri atau tahap penilaian."
)


def _lock_round(participation: Participation) -> Round:
    """Lock the round row: a concurrent finalise/publish waits, and sees our write."""
    return Round.objects.select_for_update().get(pk=participation.round_id)


def _check_open(participation: Participation) -> Round:
    round_ = _lock_round(participation)
    if not round_.accepts_scores:
        raise ValidationError(SCORES_LOCKED, code="scores_locked")
    if participation.excluded:
        raise ValidationError(PARTICIPATION_EXCLUDED, code="excluded")
    return round_


def _check_indicator(round_: Round, indicator: Indicator) -> None:
    if indicator.instrument_id != round_.instrument_id:
        raise ValidationError(INDICATOR_NOT_IN_INSTRUMENT, code="indicator")


def _check_level(level: object) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationError(LEVEL_OUT_OF_RANGE, code="level")
    return level


def _seat(participation: Participation, user: User) -> ReviewerAssignment:
    seat = (
        ReviewerAssignment.objects.select_for_update()
        .filter(participation=participation, reviewer=user)
        .first()
    )
    if seat is None:
        raise PermissionDenied(NOT_ON_PANEL)
    return seat


def _require_lead(participation: Participation, user: User) -> None:
    if is_manager(user):
        return
    if not ReviewerAssignment.objects.filter(
        participation=participation, reviewer=user, is_lead=True
    ).exists():
        raise PermissionDenied(NOT_LEAD)


# --- A reviewer's scores --------------------------------------------------------------------------


@transaction.atomic
def score_save(
    *,
    participation: Participation,
    indicator: Indicator,
    reviewer: User,
    level: int,
    comment: str = "",
    expected_version: int | None = None,
) -> Score:
    """Save (create or change) the reviewer's draft level and comment for one indicator.

    ``expected_version`` (the version the form showed) turns a concurrent edit into a
    ``STALE_VERSION`` error instead of a silent overwrite.
    """
    round_ = _check_open(participation)
    _check_indicator(round_, indicator)
    level = _check_level(level)
    seat = _seat(participation, reviewer)
    if seat.completed_at is not None:
        raise ValidationError(REVIEW_ALREADY_COMPLETE, code="complete")
    score = (
        Score.objects.select_for_update()
        .filter(participation=participation, indicator=indicator, reviewer=reviewer)
        .first()
    )
    current_version = score.version if score else 0
    if expected_version is not None and expected_version != current_version:
        raise ValidationError(STALE_VERSION, code="stale")
    if score is None:
        score = Score(participation=participation, indicator=indicator, reviewer=reviewer)
    elif score.level == level and score.comment == comment.strip():
        return score  # nothing changed: no new version, no history row
    score.level = level
    score.comment = comment.strip()
    score.version = current_version + 1
    score._history_user = reviewer  # type: ignore[attr-defined]  # read by simple_history
    score.save()
    return score


@transaction.atomic
def review_complete(*, participation: Participation, reviewer: User) -> ReviewerAssignment:
    """Mark the reviewer's scores as final; every indicator must have a level."""
    round_ = _check_open(participation)
    seat = _seat(participation, reviewer)
    if seat.completed_at is not None:
        return seat
    indicators = Indicator.objects.filter(instrument_id=round_.instrument_id)
    scored = Score.objects.filter(
        participation=participation, reviewer=reviewer, indicator__in=indicators
    ).count()
    missing = indicators.count() - scored
    if missing:
        raise ValidationError(format_lazy(REVIEW_INCOMPLETE, count=missing), code="incomplete")
    seat.completed_at = timezone.now()
    seat.save(update_fields=["completed_at"])
    return seat


@transaction.atomic
def review_reopen(*, participation: Participation, reviewer: User, by: User) -> ReviewerAssignment:
    """Let a reviewer change their scores again (the lead's or a manager's decision)."""
    _check_open(participation)
    _require_lead(participation, by)
    seat = _seat(participation, reviewer)
    if seat.completed_at is None:
        raise ValidationError(REVIEW_NOT_COMPLETE, code="not_complete")
    seat.completed_at = None
    seat.save(update_fields=["completed_at"])
    return seat


# --- The lead's verified levels ---------------------------------------------------------------


@transaction.atomic
def verified_level_set(
    *,
    participation: Participation,
    indicator: Indicator,
    level: int,
    comment: str = "",
    by: User,
    expected_version: int | None = None,
) -> VerifiedScore:
    """Set the verified level of one indicator (panel lead or manager)."""
    round_ = _check_open(participation)
    _require_lead(participation, by)
    _check_indicator(round_, indicator)
    level = _check_level(level)
    verified = (
        VerifiedScore.objects.select_for_update()
        .filter(participation=participation, indicator=indicator)
        .first()
    )
    current_version = verified.version if verified else 0
    if expected_version is not None and expected_version != current_version:
        raise ValidationError(STALE_VERSION, code="stale")
    if verified is None:
        verified = VerifiedScore(participation=participation, indicator=indicator)
    elif verified.level == level and verified.comment == comment.strip():
        return verified
    verified.level = level
    verified.comment = comment.strip()
    verified.set_by = by
    verified.version = current_version + 1
    verified._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    verified.save()
    return verified


@transaction.atomic
def verified_levels_from_panel(
    *,
    participation: Participation,
    by: User,
    without: Collection[int] = (),
) -> int:
    """Verify, in one go, every indicator without a verified level on which the panel agrees.

    "Agrees" means: every panel member has completed their review and all gave the same
    level. While some members have not completed, the lead may still go ahead only by naming
    exactly those members in ``without`` (their user ids): an explicit override, so that a
    lead's own scores never silently stand for a panel that has not started. Returns how
    many verified levels were set; indicators the panel disagrees on are left to the lead.
    """
    round_ = _check_open(participation)
    _require_lead(participation, by)
    seats = list(participation.panel.select_related("reviewer"))
    pending = [s.reviewer for s in seats if s.completed_at is None]
    if len(pending) == len(seats):
        raise ValidationError(PANEL_NOBODY_DONE, code="nobody_done")
    if pending and {u.pk for u in pending} != set(without):
        names = ", ".join(u.get_full_name() or u.get_username() for u in pending)
        raise ValidationError(format_lazy(PANEL_NOT_ALL_DONE, names=names), code="not_all_done")
    completed = ReviewerAssignment.objects.filter(
        participation=participation, completed_at__isnull=False
    ).values("reviewer_id")
    already = VerifiedScore.objects.filter(participation=participation).values("indicator_id")
    agreed = (
        Score.objects.filter(
            participation=participation,
            reviewer_id__in=completed,
            indicator__instrument_id=round_.instrument_id,
        )
        .exclude(indicator_id__in=already)
        .values("indicator_id")
        .annotate(levels=Count("level", distinct=True), reviewers=Count("reviewer_id"))
        .filter(levels=1, reviewers=completed.count())
        .values_list("indicator_id", flat=True)
        .order_by()
    )
    levels = dict(
        Score.objects.filter(
            participation=participation, reviewer_id__in=completed, indicator_id__in=list(agreed)
        ).values_list("indicator_id", "level")
    )
    new = [
        VerifiedScore(
            participation=participation,
            indicator_id=indicator_id,
            level=level,
            set_by=by,
            version=1,
        )
        for indicator_id, level in sorted(levels.items())
    ]
    if new:
        bulk_create_with_history(new, VerifiedScore, default_user=by)
    return len(new)


# --- Self-assessment returned for revision ---------------------------------------------------


@transaction.atomic
def self_assessment_return(
    *, participation: Participation, by: User, comment: str
) -> Participation:
    """Send a submitted self-assessment back to the region with what to revise.

    The region can edit and submit it again, also while the round is under review (see
    ``Participation.is_locked_for_region``).
    """
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(COMMENT_REQUIRED, code="comment")
    if not is_manager(by) and not participation.panel.filter(reviewer=by).exists():
        raise PermissionDenied(NOT_ON_PANEL)
    round_ = _lock_round(participation)
    if round_.status not in (RoundStatus.SELF_ASSESSMENT, RoundStatus.REVIEW):
        raise ValidationError(SELF_ASSESSMENT_RETURN_CLOSED, code="closed")
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    if locked.self_assessment_status != SelfAssessmentStatus.SUBMITTED:
        raise ValidationError(SELF_ASSESSMENT_NOT_SUBMITTED, code="not_submitted")
    participation.self_assessment_status = SelfAssessmentStatus.RETURNED
    participation.return_comment = comment
    participation._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    participation.save(update_fields=["self_assessment_status", "return_comment"])
    notifications.notify_returned(participation, by=by)
    return participation
