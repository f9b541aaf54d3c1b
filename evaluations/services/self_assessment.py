"""Self-assessment (penilaian mandiri): saving answers, checking completeness, submitting.

Answers are saved as drafts while the round is open for self-assessment. Every saved
answer carries a ``version``; a save names the version the user's page showed, and a save
against a newer version is refused as a conflict (nothing is overwritten). Submission
checks completeness and locks the answers; reviewers may return it (status ``returned``,
see ``services.review.self_assessment_return``), which makes it editable again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    Evidence,
    Indicator,
    Participation,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
)
from regions.models import RegionMembership
from smartcity.people import notifications

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# --- Messages (tests import these) ----------
ROUND_NOT_OPEN = _(
    "Penilaian mandiri putaran ini sedang tidak dapat diubah: putaran tidak membukanya atau "
    "batas waktunya sudah lewat."
)
SELF_ASSESSMENT_LOCKED = _(
    "Penilaian mandiri sudah dikirim dan terkunci. Jawaban tidak dapat diubah lagi kecuali "
    "dikembalikan oleh tim penilai."
)
NOT_A_MEMBER = _("Hanya tim wilayah ini yang dapat mengisi penilaian mandirinya.")
INDICATOR_NOT_IN_ROUND = _("Indikator ini bukan bagian dari instrumen putaran ini.")
EVIDENCE_OTHER_REGION = _("Bukti dukung ini bukan milik wilayah Anda.")
ANSWER_CONFLICT = _(
    "Jawaban %(code)s sudah diubah oleh %(user)s setelah halaman ini Anda buka. Isian Anda "
    "belum disimpan: bandingkan dengan versi tersimpan, lalu simpan lagi bila isian Anda "
    "yang benar."
)
SELF_ASSESSMENT_INCOMPLETE = _(
    "Penilaian mandiri belum lengkap: %(count)s hal masih kurang. Lengkapi dulu lalu kirim lagi."
)
MISSING_LEVEL = _("Level belum dipilih.")
MISSING_EVIDENCE = _("Level %(level)s diklaim tanpa bukti dukung.")

CROSS_SECTION = "lintas-dimensi"
"""The section key of indicators without a dimension (components spanning dimensions)."""


# --- Reading ----------


def section_key(indicator: Indicator) -> str:
    """The self-assessment page an indicator is on: its dimension, or the cross section."""
    return indicator.dimension.code if indicator.dimension is not None else CROSS_SECTION


def round_indicators(participation: Participation) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(instrument_id=participation.round.instrument_id)
        .select_related("dimension", "element")
        # Indicators without a dimension come last on every database (NULL order differs).
        .order_by(F("dimension__order").asc(nulls_last=True), "order", "code")
    )


def participation_answers(participation: Participation) -> QuerySet[SelfAssessmentAnswer]:
    """The participation's answers with their evidence and last editor (no query per row)."""
    return (
        SelfAssessmentAnswer.objects.filter(participation=participation)
        .select_related("updated_by")
        .prefetch_related("evidence")
    )


@dataclass
class Missing:
    """Something that stops submission, with the page it can be fixed on."""

    indicator: Indicator
    message: str
    section: str


@dataclass
class Section:
    key: str
    title: str
    indicators: list[Indicator] = field(default_factory=list)
    answered: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return len(self.indicators)


def _evidence_count(answer: SelfAssessmentAnswer) -> int:
    count = getattr(answer, "evidence_count", None)
    return count if count is not None else len(answer.evidence.all())


def find_missing(
    indicators: Iterable[Indicator], answers: Mapping[int, SelfAssessmentAnswer]
) -> list[Missing]:
    """Every indicator needs a level; every level above 0 needs evidence."""
    missing: list[Missing] = []
    for indicator in indicators:
        answer = answers.get(indicator.pk)
        if answer is None or answer.claimed_level is None:
            missing.append(Missing(indicator, str(MISSING_LEVEL), section_key(indicator)))
        elif answer.claimed_level > 0 and _evidence_count(answer) == 0:
            missing.append(
                Missing(
                    indicator,
                    str(MISSING_EVIDENCE % {"level": answer.claimed_level}),
                    section_key(indicator),
                )
            )
    return missing


def build_sections(
    indicators: Sequence[Indicator], answers: dict[int, SelfAssessmentAnswer]
) -> list[Section]:
    """One section per dimension in instrument order, then the cross-dimension one."""
    sections: dict[str, Section] = {}
    cross = Section(CROSS_SECTION, str(_("Lintas dimensi")))
    for indicator in indicators:
        if indicator.dimension is not None:
            key = indicator.dimension.code
            section = sections.setdefault(key, Section(key, indicator.dimension.name_i18n))
        else:
            section = cross
        section.indicators.append(indicator)
    result = list(sections.values()) + ([cross] if cross.indicators else [])
    missing_by_indicator = {m.indicator.pk for m in find_missing(indicators, answers)}
    for section in result:
        for indicator in section.indicators:
            answer = answers.get(indicator.pk)
            if answer is not None and answer.claimed_level is not None:
                section.answered += 1
            if indicator.pk in missing_by_indicator:
                section.missing += 1
    return result


def with_progress(participations: QuerySet[Participation]) -> QuerySet[Participation]:
    """Annotate ``indicator_total`` and ``answered`` (a claimed level) in one query."""
    total = (
        Indicator.objects.filter(instrument=OuterRef("round__instrument"))
        .order_by()
        .values("instrument")
        .annotate(n=Count("pk"))
        .values("n")
    )
    answered = (
        SelfAssessmentAnswer.objects.filter(
            participation=OuterRef("pk"), claimed_level__isnull=False
        )
        .order_by()
        .values("participation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return participations.annotate(
        indicator_total=Coalesce(Subquery(total, output_field=IntegerField()), Value(0)),
        answered=Coalesce(Subquery(answered, output_field=IntegerField()), Value(0)),
    )


# --- Writing ----------


@dataclass(frozen=True)
class AnswerInput:
    """What the user's page posted for one indicator."""

    indicator: Indicator
    claimed_level: int | None
    narrative: str
    evidence: Sequence[Evidence]
    expected_version: int


@dataclass
class Conflict:
    indicator: Indicator
    current: SelfAssessmentAnswer | None
    message: str


class AnswerConflict(ValidationError):
    """Some answers were changed by someone else since the page was loaded; nothing saved."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__([c.message for c in conflicts], code="conflict")


def _require_member(by: User, participation: Participation) -> None:
    if not (
        by.is_authenticated
        and RegionMembership.objects.filter(user=by, region_id=participation.region_id).exists()
    ):
        raise PermissionDenied(NOT_A_MEMBER)


def _lock_open_participation(participation: Participation) -> Participation:
    locked = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=participation.pk)
    )
    if locked.self_assessment_status == SelfAssessmentStatus.SUBMITTED:
        raise ValidationError(SELF_ASSESSMENT_LOCKED, code="locked")
    # The model owns the rule (round status, deadline, returned for revision, exclusion).
    if locked.is_locked_for_region:
        raise ValidationError(ROUND_NOT_OPEN, code="round_not_open")
    return locked


def _same(answer: SelfAssessmentAnswer, item: AnswerInput) -> bool:
    return (
        answer.claimed_level == item.claimed_level
        and answer.narrative == item.narrative
        and {e.pk for e in answer.evidence.all()} == {e.pk for e in item.evidence}
    )


def _conflict(item: AnswerInput, current: SelfAssessmentAnswer | None) -> Conflict:
    who = (
        (current.updated_by.get_full_name() or current.updated_by.username)
        if (current is not None and current.updated_by is not None)
        else str(_("pengguna lain"))
    )
    return Conflict(
        item.indicator, current, str(ANSWER_CONFLICT % {"code": item.indicator.code, "user": who})
    )


@transaction.atomic
def answers_save(
    *, participation: Participation, by: User, answers: Sequence[AnswerInput]
) -> list[SelfAssessmentAnswer]:
    """Save a page of draft answers, all or nothing.

    Raises ``AnswerConflict`` (nothing saved) when any answer changed since the page was
    loaded, ``ValidationError`` when the round is closed or the self-assessment is
    submitted, ``PermissionDenied`` when ``by`` is not on the region's team.
    """
    _require_member(by, participation)
    locked = _lock_open_participation(participation)
    instrument_id = locked.round.instrument_id
    for item in answers:
        if item.indicator.instrument_id != instrument_id:
            raise ValidationError(INDICATOR_NOT_IN_ROUND, code="indicator")
        if any(ev.region_id != locked.region_id for ev in item.evidence):
            raise ValidationError(EVIDENCE_OTHER_REGION, code="evidence_region")

    current = {
        a.indicator_id: a
        for a in SelfAssessmentAnswer.objects.select_for_update(of=("self",))
        .filter(participation=locked, indicator__in=[i.indicator for i in answers])
        .select_related("updated_by")
        .prefetch_related("evidence")
    }
    conflicts: list[Conflict] = []
    saved: list[SelfAssessmentAnswer] = []
    for item in answers:
        answer = current.get(item.indicator.pk)
        if answer is not None and _same(answer, item):
            saved.append(answer)  # nothing to change, whatever version the page had
            continue
        if (answer.version if answer is not None else 0) != item.expected_version:
            conflicts.append(_conflict(item, answer))
            continue
        if answer is None:
            try:
                with transaction.atomic():
                    answer = SelfAssessmentAnswer.objects.create(
                        participation=locked,
                        indicator=item.indicator,
                        claimed_level=item.claimed_level,
                        narrative=item.narrative,
                        updated_by=by,
                        version=1,
                    )
            except IntegrityError:  # a colleague created it a moment ago
                conflicts.append(_conflict(item, None))
                continue
        else:
            answer.claimed_level = item.claimed_level
            answer.narrative = item.narrative
            answer.updated_by = by
            answer.version += 1
            answer.full_clean(exclude=["participation", "indicator", "updated_by"])
            answer.save()
        answer.evidence.set(item.evidence)
        saved.append(answer)
    if conflicts:
        raise AnswerConflict(conflicts)
    if locked.self_assessment_status == SelfAssessmentStatus.NOT_STARTED:
        locked.self_assessment_status = SelfAssessmentStatus.DRAFT
        locked.save(update_fields=["self_assessment_status"])
    participation.self_assessment_status = locked.self_assessment_status
    return saved


def answer_save(
    *,
    participation: Participation,
    indicator: Indicator,
    by: User,
    claimed_level: int | None,
    narrative: str = "",
    evidence: Sequence[Evidence] = (),
    expected_version: int,
) -> SelfAssessmentAnswer:
    """Save one draft answer (see ``answers_save`` for the rules and errors)."""
    item = AnswerInput(indicator, claimed_level, narrative, list(evidence), expected_version)
    return answers_save(participation=participation, by=by, answers=[item])[0]


@transaction.atomic
def self_assessment_submit(*, participation: Participation, by: User) -> Participation:
    """Submit a complete self-assessment; afterwards the region cannot change it.

    Raises ``ValidationError`` with ``SELF_ASSESSMENT_INCOMPLETE`` and one message per
    missing item (``error.missing`` holds them with their indicators) when incomplete.
    """
    _require_member(by, participation)
    locked = _lock_open_participation(participation)
    indicators = list(round_indicators(locked))
    answers = {
        a.indicator_id: a
        for a in SelfAssessmentAnswer.objects.filter(participation=locked).annotate(
            evidence_count=Count("evidence")
        )
    }
    missing = find_missing(indicators, answers)
    if missing:
        error = ValidationError(
            [ValidationError(SELF_ASSESSMENT_INCOMPLETE, params={"count": len(missing)})]
            + [ValidationError(f"{m.indicator.code}: {m.message}") for m in missing],
            code="incomplete",
        )
        error.missing = missing  # type: ignore[attr-defined]
        raise error
    locked.self_assessment_status = SelfAssessmentStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.save(update_fields=["self_assessment_status", "submitted_at", "submitted_by"])
    notifications.notify_submitted(locked, by=by)
    participation.self_assessment_status = locked.self_assessment_status
    participation.submitted_at = locked.submitted_at
    participation.submitted_by = by
    return locked
