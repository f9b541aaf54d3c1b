"""The life of an evaluation round, and who takes part in it.

draft → self_assessment → review → finalised → published, and back to review by
``round_reopen`` (a finalised or published round, with a reason). Every status change
locks the round row (``select_for_update``), checks the rules a manager expects and
writes a ``RoundEvent`` (who, when, from, to, why): the public caches key on the newest
event, so every publish and re-open invalidates them.

Rules:
- participants are added and removed, and the instrument chosen, while the round is a
  draft; from the opening on, a participant can only be excluded (with a reason);
- opening needs at least one participant and an instrument that can be scored: an
  indicator in every component with a weight, and rating bands;
- starting the review locks every self-assessment; it starts once the deadline has passed
  or every participant has submitted, or earlier with a recorded reason;
- finalising needs every participant either scored (a verified level for every
  indicator) or excluded with a reason; it computes the results;
- publishing recomputes the results, freezes a snapshot (``Publication``, a numbered
  revision with what changed since the previous one) and revises every later public round
  whose improvement figures refer to this one, in the same transaction;
- re-opening needs a reason, which is recorded; a published round stays public (its last
  publication, with an "under correction since <date>, reason" notice) until it is
  republished or withdrawn (``round_withdraw``, with a reason the public sees);
- the instrument must be sane both to open and to finalise (every weighted component and
  every dimension has an indicator), and it is frozen from the opening on
  (``evaluations.trust``).

Every function is keyword-only, transactional, raises ``ValidationError`` with one of the
message constants below, and ``PermissionDenied`` when ``by`` is not a round manager.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from evaluations.models import (
    ComponentCode,
    Dimension,
    DimensionCode,
    Instrument,
    Participation,
    Publication,
    PublicationKind,
    RatingBand,
    Result,
    ReviewerAssignment,
    Round,
    RoundEvent,
    RoundStatus,
    SelfAssessmentStatus,
)
from evaluations.models.rounds import PARTICIPANTS_FIXED, REVIEWER_IS_REGION_MEMBER
from evaluations.roles import is_manager, is_reviewer
from evaluations.services.engine import (
    compute_round_results,
    refresh_improvements,
    refresh_improvements_of,
)
from evaluations.services.programmes.published import register_snapshot
from evaluations.trust import closed_round_write
from regions.models import Region, RegionMembership
from smartcity.logs import log_event
from smartcity.people import notifications

ROUND_NOT_DRAFT = PARTICIPANTS_FIXED
ROUND_NOT_IN_STATUS = _("Langkah ini tidak dapat dilakukan pada status putaran saat ini.")
ROUND_HAS_NO_PARTICIPANTS = _("Putaran belum punya peserta.")
INSTRUMENT_COMPONENT_EMPTY = _(
    "Komponen {component} berbobot {weight}% tetapi belum punya indikator di instrumen."
)
INSTRUMENT_DIMENSION_EMPTY = _("Dimensi {dimension} belum punya indikator di instrumen.")
INSTRUMENT_HAS_NO_BANDS = _("Instrumen belum punya predikat (rentang indeks).")
ROUND_NOT_PUBLIC = _("Putaran ini tidak sedang terbit.")
DERIVED_NOTE = _(
    "Revisi karena hasil {round} berubah: perubahan indeks dan peringkat dihitung ulang."
)
SELF_ASSESSMENT_STILL_OPEN = _(
    "Batas penilaian mandiri ({deadline}) belum lewat dan {count} peserta belum mengirim "
    "penilaian mandirinya. Untuk menutupnya lebih awal, tuliskan alasannya."
)
ROUND_NOT_FULLY_SCORED = _(
    "Setiap peserta harus sudah dinilai lengkap atau dikecualikan dengan alasan. "
    "Belum lengkap: {regions}."
)
ROUND_HAS_NO_SCORED_PARTICIPANT = _("Tidak ada peserta yang dinilai: semua dikecualikan.")
REASON_REQUIRED = _("Alasan wajib diisi.")
PARTICIPATION_ROUND_CLOSED = _(
    "Putaran sudah difinalisasi atau dipublikasikan; buka kembali putaran terlebih dahulu."
)
PARTICIPATION_EXCLUDED = _("Peserta ini dikecualikan dari penilaian.")
REVIEWER_NOT_REVIEWER = _("Pengguna ini bukan penilai.")


def _require_manager(by: User) -> None:
    if not is_manager(by):
        raise PermissionDenied


def _lock(round_: Round) -> Round:
    """Re-read the round under a row lock, so two managers cannot move it at once."""
    return Round.objects.select_for_update().select_related("instrument").get(pk=round_.pk)


def _refresh(target: Round, source: Round) -> None:
    """Copy the locked row's state onto the caller's object, which stays usable."""
    for field in (
        "status",
        "finalised_at",
        "published_at",
        "is_public",
        "under_correction_since",
        "correction_reason",
        "withdrawn_at",
        "withdrawal_reason",
    ):
        setattr(target, field, getattr(source, field))


def _require_status(round_: Round, *allowed: str) -> None:
    if round_.status not in allowed:
        raise ValidationError(ROUND_NOT_IN_STATUS, code="status")


def _move(round_: Round, to: str, *, by: User, reason: str = "", **fields: Any) -> None:
    """Set the new status (and other fields), save and record the event."""
    event = RoundEvent(round=round_, from_status=round_.status, to_status=to, by=by, reason=reason)
    round_.status = to
    for name, value in fields.items():
        setattr(round_, name, value)
    round_._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    round_.save(update_fields=["status", *fields])
    event.save()
    log_event(
        "round.moved",
        round=round_.slug,
        from_status=event.from_status,
        to_status=to,
        user_id=by.pk,
        reason=reason,
    )


def instrument_check(*, instrument: Instrument) -> None:
    """Refuse an instrument that cannot be scored: a weighted component or a dimension
    without an indicator (it would count as 0 without a word), or no rating bands."""
    counts = dict(instrument.indicators.values_list("component").annotate(n=Count("pk")).order_by())
    errors = [
        ValidationError(
            format_lazy(
                INSTRUMENT_COMPONENT_EMPTY, component=ComponentCode(code).label, weight=weight
            ),
            code="component_empty",
        )
        for code, weight in instrument.component_weights().items()
        if weight > 0 and not counts.get(code)
    ]
    empty_dimensions = Dimension.objects.exclude(indicators__instrument=instrument).order_by(
        "order"
    )
    errors += [
        ValidationError(
            format_lazy(INSTRUMENT_DIMENSION_EMPTY, dimension=dimension.name),
            code="dimension_empty",
        )
        for dimension in empty_dimensions
    ]
    if not RatingBand.objects.filter(instrument=instrument).exists():
        errors.append(ValidationError(INSTRUMENT_HAS_NO_BANDS, code="no_bands"))
    if errors:
        raise ValidationError(errors)


# --- Lifecycle -------------------------------------------------------------------------------


@transaction.atomic
def round_open_self_assessment(*, round: Round, by: User) -> Round:
    """Open the self-assessment: the regions can fill in their answers."""
    _require_manager(by)
    locked = _lock(round)
    _require_status(locked, RoundStatus.DRAFT)
    if not locked.participations.exists():
        raise ValidationError(ROUND_HAS_NO_PARTICIPANTS, code="no_participants")
    instrument_check(instrument=locked.instrument)
    _move(locked, RoundStatus.SELF_ASSESSMENT, by=by)
    notifications.notify_self_assessment_opened(locked)
    _refresh(round, locked)
    return round


@transaction.atomic
def round_start_review(*, round: Round, by: User, reason: str = "") -> Round:
    """Close the self-assessment and start the desk review; answers are locked from now on.

    Once the deadline has passed, or when every participant has submitted, this needs
    nothing more. Closing earlier, while participants are still filling in, needs a reason,
    which the round's history keeps.
    """
    _require_manager(by)
    locked = _lock(round)
    _require_status(locked, RoundStatus.SELF_ASSESSMENT)
    reason = (reason or "").strip()
    if timezone.localdate() <= locked.self_assessment_closes and not reason:
        pending = (
            locked.participations.filter(excluded=False)
            .exclude(self_assessment_status=SelfAssessmentStatus.SUBMITTED)
            .count()
        )
        if pending:
            raise ValidationError(
                format_lazy(
                    SELF_ASSESSMENT_STILL_OPEN,
                    deadline=locked.self_assessment_closes.strftime("%d-%m-%Y"),
                    count=pending,
                ),
                code="self_assessment_open",
            )
    _move(locked, RoundStatus.REVIEW, by=by, reason=reason)
    _refresh(round, locked)
    return round


@transaction.atomic
def round_finalise(*, round: Round, by: User) -> Round:
    """Check that every participant is scored or excluded, then compute the results.

    A fixed number of queries whatever the number of participants.
    """
    _require_manager(by)
    locked = _lock(round)
    _require_status(locked, RoundStatus.REVIEW)
    instrument_check(instrument=locked.instrument)
    indicator_count = locked.instrument.indicators.count()
    incomplete = list(
        locked.participations.filter(excluded=False)
        .annotate(
            verified=Count(
                "verified_scores",
                filter=Q(verified_scores__indicator__instrument_id=locked.instrument_id),
            )
        )
        .filter(verified__lt=indicator_count)
        .values_list("region__name", flat=True)
        .order_by("region__code")
    )
    if incomplete:
        raise ValidationError(
            format_lazy(ROUND_NOT_FULLY_SCORED, regions=", ".join(incomplete)),
            code="not_scored",
        )
    if locked.is_public:
        # Under correction: the results still hold the public figures of the last
        # publication; the corrected ones are computed when the round is republished.
        if not locked.participations.filter(excluded=False).exists():
            raise ValidationError(ROUND_HAS_NO_SCORED_PARTICIPANT, code="nothing_scored")
    elif not compute_round_results(round=locked, by=by):
        raise ValidationError(ROUND_HAS_NO_SCORED_PARTICIPANT, code="nothing_scored")
    _move(locked, RoundStatus.FINALISED, by=by, finalised_at=timezone.now())
    _refresh(round, locked)
    return round


def result_snapshot(result: Result) -> dict[str, Any]:
    """Every published figure of one result, as JSON-ready strings and numbers.

    Reads ``result.participation.region.province`` (select_related them).
    """
    region = result.participation.region

    def dec(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "region_code": region.code,
        "region": region.name,
        "province": region.province.name,
        "index": dec(result.index),
        "index_exact": dec(result.index_exact),
        "rating_band": result.rating_band,
        "national_rank": result.national_rank,
        "provincial_rank": result.provincial_rank,
        "components": {code: dec(v) for code, v in result.component_scores().items()},
        "dimensions": {code: dec(v) for code, v in result.dimension_scores().items()},
        "index_change": dec(result.index_change),
        "index_change_exact": dec(result.index_change_exact),
        "components_exact": {
            code: dec(getattr(result, f"score_{code}_exact")) for code in ComponentCode.values
        },
        "dimensions_exact": {
            code: dec(getattr(result, f"score_{code}_exact")) for code in DimensionCode.values
        },
        "rank_change": result.rank_change,
        "programme_shares": result.programme_shares,
    }


SNAPSHOT_COMPARED = ("index", "rating_band", "national_rank", "index_change", "rank_change")


def snapshot_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What moved between two snapshots, region by region: [{region_code, region, field,
    old, new}] for the index, band, rank and improvement figures (a region that appears or
    disappears has ``None`` on the other side)."""
    before = {row["region_code"]: row for row in old}
    after = {row["region_code"]: row for row in new}
    changes: list[dict[str, Any]] = []
    for code in sorted(before.keys() | after.keys()):
        a, b = before.get(code, {}), after.get(code, {})
        name = (b or a).get("region", code)
        for field in SNAPSHOT_COMPARED:
            if a.get(field) != b.get(field):
                changes.append(
                    {
                        "region_code": code,
                        "region": name,
                        "field": field,
                        "old": a.get(field),
                        "new": b.get(field),
                    }
                )
    return changes


def _snapshot(round_: Round) -> list[dict[str, Any]]:
    results = (
        Result.objects.filter(participation__round=round_)
        .select_related("participation__region__province")
        .order_by("national_rank", "participation__region__code")
    )
    return [result_snapshot(r) for r in results]


def _add_publication(
    round_: Round,
    *,
    by: User,
    kind: str,
    note: str,
    caused_by: Round | None = None,
    snapshot: list[dict[str, Any]] | None = None,
) -> Publication:
    """Append the next numbered revision, with what changed since the last one."""
    last = round_.publications.order_by("-number").first()
    snapshot = _snapshot(round_) if snapshot is None else snapshot
    base = last.snapshot if last and last.kind != PublicationKind.WITHDRAWAL else []
    return Publication.objects.create(
        round=round_,
        number=(last.number if last else 0) + 1,
        published_by=by,
        note=note,
        kind=kind,
        caused_by=caused_by,
        changes=snapshot_changes(base, snapshot) if last else [],
        instrument_label=round_.instrument.version_label,
        snapshot=snapshot,
    )


def _revise_later_rounds(round_: Round, *, by: User) -> list[Publication]:
    """Recompute the improvement figures of every later public round against the currently
    published previous results, and publish a revision of each one that changed."""
    later = list(
        Round.objects.select_for_update()
        .select_related("instrument")
        .filter(is_public=True)
        .filter(Q(year__gt=round_.year) | Q(year=round_.year, phase__gt=round_.phase))
        .order_by("year", "phase")
    )
    if not later:
        return []
    with closed_round_write(
        [other.pk for other in later], reason=f"derived revision of {round_.slug}"
    ):
        changed = refresh_improvements_of(rounds=later, by=by)
    revisions: list[Publication] = []
    for other in later:
        if changed[other.pk]:
            revisions.append(
                _add_publication(
                    other,
                    by=by,
                    kind=PublicationKind.DERIVED,
                    note=str(format_lazy(DERIVED_NOTE, round=round_.name)),
                    caused_by=round_,
                )
            )
    return revisions


@transaction.atomic
def round_publish(*, round: Round, by: User, note: str = "") -> Publication:
    """Publish the finalised results as the round's next revision.

    A corrected round's results are recomputed (a first publication's were computed at
    finalisation; their improvement figures are refreshed against the currently published
    previous rounds), a snapshot of every figure is frozen with what changed
    since the last revision, and every later public round whose improvement figures
    depend on this one gets a revision too: all in this transaction.
    """
    _require_manager(by)
    locked = _lock(round)
    _require_status(locked, RoundStatus.FINALISED)
    with closed_round_write([locked.pk], reason=f"publish {locked.slug}"):
        if locked.is_public:
            # A correction: finalising left the public figures in place; compute them now.
            compute_round_results(round=locked, by=by)
        else:
            # Computed at finalisation from levels that cannot have changed since (the
            # round is closed); only the improvement may refer to a round published since.
            refresh_improvements(round=locked, by=by)
    republished = locked.publications.exists()
    publication = _add_publication(
        locked,
        by=by,
        kind=PublicationKind.CORRECTION if republished else PublicationKind.PUBLICATION,
        note=note.strip(),
    )
    register_snapshot(publication=publication)  # what the public profiles show from now
    _move(
        locked,
        RoundStatus.PUBLISHED,
        by=by,
        published_at=publication.published_at,
        is_public=True,
        under_correction_since=None,
        correction_reason="",
        withdrawn_at=None,
        withdrawal_reason="",
    )
    _revise_later_rounds(locked, by=by)
    notifications.notify_results_published(locked, publication)
    _refresh(round, locked)
    log_event(
        "results.published",
        round=locked.slug,
        publication=publication.number,
        results=len(publication.snapshot),
        user_id=by.pk,
    )
    return publication


@transaction.atomic
def round_reopen(*, round: Round, by: User, reason: str) -> Round:
    """Take a finalised or published round back to review; the reason is recorded.

    A published round stays public: its last publication keeps being shown everywhere,
    with a notice "under correction since <date>" and the reason, until it is published
    again (a new revision) or withdrawn.
    """
    _require_manager(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason")
    locked = _lock(round)
    _require_status(locked, RoundStatus.FINALISED, RoundStatus.PUBLISHED)
    correction: dict[str, Any] = {}
    if locked.is_public and locked.under_correction_since is None:
        correction = {"under_correction_since": timezone.now(), "correction_reason": reason}
    _move(locked, RoundStatus.REVIEW, by=by, reason=reason, finalised_at=None, **correction)
    _refresh(round, locked)
    return round


@transaction.atomic
def round_withdraw(*, round: Round, by: User, reason: str) -> Publication:
    """Withdraw a public round's figures entirely; the public sees the reason instead.

    The round goes back to review (it can be corrected and published again), a withdrawal
    entry joins its list of revisions, and later rounds' improvement figures are revised
    against the rounds that stay published.
    """
    _require_manager(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason")
    locked = _lock(round)
    if not locked.is_public:
        raise ValidationError(ROUND_NOT_PUBLIC, code="not_public")
    publication = _add_publication(
        locked, by=by, kind=PublicationKind.WITHDRAWAL, note=reason, snapshot=[]
    )
    _move(
        locked,
        RoundStatus.REVIEW,
        by=by,
        reason=reason,
        finalised_at=None,
        is_public=False,
        under_correction_since=None,
        correction_reason="",
        withdrawn_at=publication.published_at,
        withdrawal_reason=reason,
    )
    _revise_later_rounds(locked, by=by)
    _refresh(round, locked)
    return publication


# --- Participants ------------------------------------------------------------------------------


@transaction.atomic
def round_add_participants(
    *, round: Round, regions: Iterable[Region], by: User
) -> list[Participation]:
    """Add regions to a draft round; regions already taking part are skipped.

    Returns the new participations.
    """
    _require_manager(by)
    locked = _lock(round)
    _require_status_draft(locked)
    wanted = {r.pk: r for r in regions}
    present = set(
        locked.participations.filter(region_id__in=wanted).values_list("region_id", flat=True)
    )
    new = [
        Participation(round=locked, region=region)
        for pk, region in sorted(wanted.items(), key=lambda kv: kv[1].code)
        if pk not in present
    ]
    if not new:
        return []
    return bulk_create_with_history(new, Participation, default_user=by)


def _require_status_draft(round_: Round) -> None:
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(ROUND_NOT_DRAFT, code="not_draft")


@transaction.atomic
def round_remove_participant(*, participation: Participation, by: User) -> None:
    """Take a region out of a draft round (later, exclude it with a reason instead)."""
    _require_manager(by)
    locked = _lock(participation.round)
    _require_status_draft(locked)
    participation.delete()


@transaction.atomic
def participation_exclude(*, participation: Participation, by: User, reason: str) -> Participation:
    """Exclude a participant from scoring and ranking, with the reason shown to managers."""
    _require_manager(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason")
    locked = _lock(participation.round)
    if locked.is_closed:
        raise ValidationError(PARTICIPATION_ROUND_CLOSED, code="closed")
    participation.excluded = True
    participation.exclusion_reason = reason
    participation._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    participation.save(update_fields=["excluded", "exclusion_reason"])
    return participation


@transaction.atomic
def participation_include(*, participation: Participation, by: User) -> Participation:
    """Undo an exclusion."""
    _require_manager(by)
    locked = _lock(participation.round)
    if locked.is_closed:
        raise ValidationError(PARTICIPATION_ROUND_CLOSED, code="closed")
    participation.excluded = False
    participation.exclusion_reason = ""
    participation._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    participation.save(update_fields=["excluded", "exclusion_reason"])
    return participation


# --- Panels --------------------------------------------------------------------------------


@transaction.atomic
def panel_assign(
    *,
    participation: Participation,
    reviewer: User,
    lead: bool = False,
    by: User,
) -> ReviewerAssignment:
    """Seat ``reviewer`` on the participation's panel (or change their lead flag).

    A panel has one lead: making someone lead demotes the previous one. A member of the
    region's own team can never review it.
    """
    _require_manager(by)
    locked = _lock(participation.round)
    if locked.is_closed:
        raise ValidationError(PARTICIPATION_ROUND_CLOSED, code="closed")
    if participation.excluded:
        raise ValidationError(PARTICIPATION_EXCLUDED, code="excluded")
    if not is_reviewer(reviewer):
        raise ValidationError(REVIEWER_NOT_REVIEWER, code="not_reviewer")
    if RegionMembership.objects.filter(user=reviewer, region_id=participation.region_id).exists():
        raise ValidationError(
            format_lazy(REVIEWER_IS_REGION_MEMBER, region=participation.region.name),
            code="conflict_of_interest",
        )
    if lead:
        participation.panel.filter(is_lead=True).exclude(reviewer=reviewer).update(is_lead=False)
    seat, created = ReviewerAssignment.objects.get_or_create(
        participation=participation, reviewer=reviewer, defaults={"is_lead": lead}
    )
    if not created and seat.is_lead != lead:
        seat.is_lead = lead
        seat.save(update_fields=["is_lead"])
    if created:
        notifications.notify_panel_seat(seat, given=True)
    return seat


@transaction.atomic
def panel_remove(*, assignment: ReviewerAssignment, by: User) -> None:
    """Take a reviewer off a panel; the scores they gave stay in the history."""
    _require_manager(by)
    locked = _lock(assignment.participation.round)
    if locked.is_closed:
        raise ValidationError(PARTICIPATION_ROUND_CLOSED, code="closed")
    notifications.notify_panel_seat(assignment, given=False)
    assignment.delete()
