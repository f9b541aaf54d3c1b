"""A round moves draft → self-assessment → review → finalised → published, by the rules."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluations.models import (
    Indicator,
    Publication,
    RatingBand,
    Result,
    RoundEvent,
    RoundStatus,
    SelfAssessmentStatus,
)
from evaluations.models.rounds import ROUND_INSTRUMENT_FIXED, ROUND_STATUS_VIA_SERVICES
from evaluations.services import rounds as svc
from regions.models import RegionMembership
from tests import factories
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(m) for m in exc.value.messages]


@pytest.fixture
def draft(kota_bekasi, kota_bandung):
    return rf.make_review_round([kota_bekasi, kota_bandung], status=RoundStatus.DRAFT)


def test_the_whole_lifecycle_records_every_step(draft, manager):
    svc.round_open_self_assessment(round=draft, by=manager)
    svc.round_start_review(round=draft, by=manager)
    for p in draft.participations.all():
        rf.verify(p, manager, level=3)
    svc.round_finalise(round=draft, by=manager)
    publication = svc.round_publish(round=draft, by=manager, note="Pengumuman resmi")
    svc.round_reopen(round=draft, by=manager, reason="Koreksi nilai Kota Bekasi")

    draft.refresh_from_db()
    assert draft.status == RoundStatus.REVIEW
    steps = list(draft.events.values_list("from_status", "to_status", "by__username", "reason"))
    assert steps == [
        ("draft", "self_assessment", "manager", ""),
        ("self_assessment", "review", "manager", ""),
        ("review", "finalised", "manager", ""),
        ("finalised", "published", "manager", ""),
        ("published", "review", "manager", "Koreksi nilai Kota Bekasi"),
    ]
    assert publication.number == 1
    assert publication.note == "Pengumuman resmi"


def test_only_managers_move_a_round(draft, reviewer, bekasi):
    for user in (reviewer, bekasi):
        with pytest.raises(PermissionDenied):
            svc.round_open_self_assessment(round=draft, by=user)
    assert not RoundEvent.objects.exists()


def test_a_step_out_of_order_is_refused(draft, manager):
    with pytest.raises(ValidationError) as exc:
        svc.round_finalise(round=draft, by=manager)
    assert messages(exc) == [str(svc.ROUND_NOT_IN_STATUS)]
    with pytest.raises(ValidationError):
        svc.round_publish(round=draft, by=manager)
    with pytest.raises(ValidationError):
        svc.round_reopen(round=draft, by=manager, reason="x")


def test_opening_needs_participants_and_a_scorable_instrument(manager):
    empty = factories.make_round()
    with pytest.raises(ValidationError) as exc:
        svc.round_open_self_assessment(round=empty, by=manager)
    assert messages(exc) == [str(svc.ROUND_HAS_NO_PARTICIPANTS)]

    region = factories.make_region()
    round_ = rf.make_review_round([region], status=RoundStatus.DRAFT, year=2025)
    Indicator.objects.filter(instrument=round_.instrument, component="impact").delete()
    RatingBand.objects.filter(instrument=round_.instrument).delete()
    with pytest.raises(ValidationError) as exc:
        svc.round_open_self_assessment(round=round_, by=manager)
    assert messages(exc) == [
        "Komponen Impact berbobot 30% tetapi belum punya indikator di instrumen.",
        str(svc.INSTRUMENT_HAS_NO_BANDS),
    ]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_participants_are_fixed_once_the_round_opens(draft, manager, jawa_barat):
    bogor = factories.make_region("32.71", "Kota Bogor", province=jawa_barat)
    added = svc.round_add_participants(round=draft, regions=[bogor, bogor], by=manager)
    assert [p.region for p in added] == [bogor]
    # Adding again skips the regions already in.
    assert svc.round_add_participants(round=draft, regions=[bogor], by=manager) == []
    assert draft.participations.count() == 3

    svc.round_open_self_assessment(round=draft, by=manager)
    sukabumi = factories.make_region("32.72", "Kota Sukabumi", province=jawa_barat)
    with pytest.raises(ValidationError) as exc:
        svc.round_add_participants(round=draft, regions=[sukabumi], by=manager)
    assert messages(exc) == [str(svc.ROUND_NOT_DRAFT)]
    with pytest.raises(ValidationError):
        svc.round_remove_participant(participation=added[0], by=manager)


def test_admin_forms_cannot_move_the_status_or_swap_the_instrument(draft, manager):
    svc.round_open_self_assessment(round=draft, by=manager)
    draft.status = RoundStatus.PUBLISHED
    draft.instrument = factories.make_instrument()
    with pytest.raises(ValidationError) as exc:
        draft.full_clean()
    assert exc.value.message_dict == {
        "status": [str(ROUND_STATUS_VIA_SERVICES)],
        "instrument": [str(ROUND_INSTRUMENT_FIXED)],
    }


def test_review_waits_for_the_deadline_unless_everyone_submitted(draft, manager):
    today = timezone.localdate()
    draft.self_assessment_opens = today - timedelta(days=10)
    draft.self_assessment_closes = today  # the deadline day itself is still open
    draft.review_ends = None
    draft.save()
    svc.round_open_self_assessment(round=draft, by=manager)
    with pytest.raises(ValidationError) as exc:
        svc.round_start_review(round=draft, by=manager)
    assert "2 peserta belum mengirim" in messages(exc)[0]

    draft.participations.update(self_assessment_status=SelfAssessmentStatus.SUBMITTED)
    svc.round_start_review(round=draft, by=manager)
    assert draft.status == RoundStatus.REVIEW


def test_self_assessments_lock_after_deadline_submission_or_review(draft, manager):
    today = timezone.localdate()
    draft.self_assessment_opens = today - timedelta(days=10)
    draft.self_assessment_closes = today
    draft.review_ends = None
    draft.save()
    svc.round_open_self_assessment(round=draft, by=manager)
    p = draft.participations.select_related("round").first()
    assert not p.is_locked_for_region

    p.self_assessment_status = SelfAssessmentStatus.SUBMITTED
    assert p.is_locked_for_region
    p.self_assessment_status = SelfAssessmentStatus.DRAFT
    p.round.self_assessment_closes = today - timedelta(days=1)
    assert p.is_locked_for_region  # deadline passed
    p.round.status = RoundStatus.REVIEW
    assert p.is_locked_for_region
    p.self_assessment_status = SelfAssessmentStatus.RETURNED
    assert not p.is_locked_for_region  # returned for revision: open again
    p.round.status = RoundStatus.FINALISED
    assert p.is_locked_for_region


def test_finalising_needs_every_participant_scored_or_excluded(draft, manager):
    svc.round_open_self_assessment(round=draft, by=manager)
    svc.round_start_review(round=draft, by=manager)
    bandung, bekasi = draft.participations.order_by("region__code")
    rf.verify(bekasi, manager)
    # Kota Bandung has one indicator verified out of ten.
    bandung.verified_scores.create(
        indicator=draft.instrument.indicators.first(), level=4, set_by=manager
    )
    with pytest.raises(ValidationError) as exc:
        svc.round_finalise(round=draft, by=manager)
    assert messages(exc) == [
        "Setiap peserta harus sudah dinilai lengkap atau dikecualikan dengan alasan. "
        "Belum lengkap: Kota Bandung."
    ]
    assert not Result.objects.exists()

    with pytest.raises(ValidationError):
        svc.participation_exclude(participation=bandung, by=manager, reason="  ")
    svc.participation_exclude(
        participation=bandung, by=manager, reason="Tidak mengirim penilaian mandiri"
    )
    svc.round_finalise(round=draft, by=manager)

    draft.refresh_from_db()
    assert draft.status == RoundStatus.FINALISED
    assert draft.finalised_at is not None
    assert list(Result.objects.values_list("participation__region__name", flat=True)) == [
        "Kota Bekasi"
    ]


def test_excluding_every_participant_leaves_nothing_to_finalise(draft, manager):
    draft.status = RoundStatus.REVIEW
    draft.save(update_fields=["status"])
    for p in draft.participations.all():
        svc.participation_exclude(participation=p, by=manager, reason="Mundur")
    with pytest.raises(ValidationError) as exc:
        svc.round_finalise(round=draft, by=manager)
    assert messages(exc) == [str(svc.ROUND_HAS_NO_SCORED_PARTICIPANT)]


@pytest.fixture
def finalised(draft, manager):
    draft.status = RoundStatus.REVIEW
    draft.save(update_fields=["status"])
    bandung, bekasi = draft.participations.order_by("region__code")
    rf.verify(bekasi, manager, level=4)
    rf.verify(bandung, manager, level=3)
    svc.round_finalise(round=draft, by=manager)
    return draft


def test_publication_freezes_every_figure(finalised, manager):
    publication = svc.round_publish(round=finalised, by=manager)

    finalised.refresh_from_db()
    assert finalised.status == RoundStatus.PUBLISHED
    assert finalised.published_at == publication.published_at
    first = publication.snapshot[0]
    assert first == {
        "region_code": "32.75",
        "region": "Kota Bekasi",
        "province": "Jawa Barat",
        "index": "4.00",
        "rating_band": "Sangat Baik",
        "national_rank": 1,
        "provincial_rank": 1,
        "components": dict.fromkeys(
            ["baseline", "output", "outcome", "impact", "quick_win"], "4.00"
        ),
        "dimensions": {
            "governance": "4.00",
            "branding": "4.00",
            "economy": "4.00",
            "living": "4.00",
            "society": "4.00",
            "environment": "4.00",
        },
        "index_change": None,
        "rank_change": None,
        "programme_shares": {},
        # Issue 15: the full-precision figures are part of every snapshot.
        "index_exact": "4.000000",
        "index_change_exact": None,
        "components_exact": dict.fromkeys(
            ["baseline", "output", "outcome", "impact", "quick_win"], "4.000000"
        ),
        "dimensions_exact": dict.fromkeys(
            ["governance", "branding", "economy", "living", "society", "environment"],
            "4.000000",
        ),
    }
    assert [row["region"] for row in publication.snapshot] == ["Kota Bekasi", "Kota Bandung"]
    assert Result.objects.published().count() == 2


def test_reopening_needs_a_reason_and_keeps_the_last_publication_public(finalised, manager):
    svc.round_publish(round=finalised, by=manager)
    with pytest.raises(ValidationError) as exc:
        svc.round_reopen(round=finalised, by=manager, reason=" ")
    assert messages(exc) == [str(svc.REASON_REQUIRED)]
    finalised.refresh_from_db()
    assert finalised.status == RoundStatus.PUBLISHED

    svc.round_reopen(round=finalised, by=manager, reason="Salah input level Kota Bandung")
    # Issue 15: the last publication stays public, under correction, until republished.
    assert Result.objects.published().count() == 2
    assert finalised.is_under_correction
    assert finalised.correction_reason == "Salah input level Kota Bandung"
    assert finalised.finalised_at is None

    svc.round_finalise(round=finalised, by=manager)
    second = svc.round_publish(round=finalised, by=manager)
    assert second.number == 2
    assert Publication.objects.filter(round=finalised).count() == 2
    assert RoundEvent.objects.filter(round=finalised, reason__startswith="Salah").exists()


def test_a_finalised_round_can_be_reopened_too(finalised, manager):
    svc.round_reopen(round=finalised, by=manager, reason="Data dukung baru")
    assert finalised.status == RoundStatus.REVIEW


def test_panel_member_of_the_region_cannot_be_assigned(draft, manager, jawa_barat, kota_bekasi):
    bekasi_p = draft.participations.get(region=kota_bekasi)
    insider = factories.make_reviewer("insider")
    RegionMembership.objects.create(user=insider, region=kota_bekasi)
    with pytest.raises(ValidationError) as exc:
        svc.panel_assign(participation=bekasi_p, reviewer=insider, lead=True, by=manager)
    assert messages(exc) == [
        "Penilai ini anggota tim wilayah Kota Bekasi dan tidak boleh menilai wilayahnya sendiri."
    ]
    # The same reviewer may review another region.
    bandung_p = draft.participations.exclude(region=kota_bekasi).get()
    assert svc.panel_assign(participation=bandung_p, reviewer=insider, by=manager).pk


def test_a_panel_has_one_lead(draft, manager, reviewer, outsider_reviewer, bekasi):
    p = draft.participations.first()
    first = svc.panel_assign(participation=p, reviewer=reviewer, lead=True, by=manager)
    second = svc.panel_assign(participation=p, reviewer=outsider_reviewer, lead=True, by=manager)
    first.refresh_from_db()
    assert (first.is_lead, second.is_lead) == (False, True)
    # Assigning again updates the seat instead of adding a second one.
    svc.panel_assign(participation=p, reviewer=reviewer, lead=True, by=manager)
    assert list(p.panel.values_list("reviewer__username", "is_lead")) == [
        ("reviewer", True),
        ("outsider", False),
    ]
    with pytest.raises(ValidationError) as exc:
        svc.panel_assign(participation=p, reviewer=bekasi, by=manager)
    assert messages(exc) == [str(svc.REVIEWER_NOT_REVIEWER)]
    with pytest.raises(PermissionDenied):
        svc.panel_assign(participation=p, reviewer=reviewer, by=reviewer)


def test_panels_are_fixed_once_the_round_is_finalised(finalised, manager, reviewer):
    p = finalised.participations.first()
    with pytest.raises(ValidationError) as exc:
        svc.panel_assign(participation=p, reviewer=reviewer, by=manager)
    assert messages(exc) == [str(svc.PARTICIPATION_ROUND_CLOSED)]


def test_snapshot_keeps_decimals_as_text(finalised, manager):
    publication = svc.round_publish(round=finalised, by=manager)
    publication.refresh_from_db()
    assert Decimal(publication.snapshot[1]["index"]) == Decimal("3.00")


def test_review_can_start_early_with_a_recorded_reason(draft, manager):
    today = timezone.localdate()
    draft.self_assessment_opens = today - timedelta(days=10)
    draft.self_assessment_closes = today + timedelta(days=5)
    draft.review_ends = None
    draft.save()
    svc.round_open_self_assessment(round=draft, by=manager)
    with pytest.raises(ValidationError):
        svc.round_start_review(round=draft, by=manager, reason="   ")
    svc.round_start_review(
        round=draft, by=manager, reason="Semua peserta sudah lengkap di luar portal"
    )
    assert draft.status == RoundStatus.REVIEW
    assert draft.events.last().reason == "Semua peserta sudah lengkap di luar portal"
