"""The self-assessment rules: drafts, optimistic locking, completeness, lock, return."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.models import RoundStatus, SelfAssessmentAnswer, SelfAssessmentStatus
from evaluations.services import self_assessment as service
from tests import factories
from tests.city import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(open_round):
    return list(open_round.instrument.indicators.order_by("order"))


def _save(participation, indicator, by, **kwargs):
    kwargs.setdefault("claimed_level", 2)
    kwargs.setdefault("expected_version", 0)
    return service.answer_save(participation=participation, indicator=indicator, by=by, **kwargs)


def test_first_save_creates_a_draft_at_version_1(bekasi_part, indicators, bekasi):
    answer = _save(bekasi_part, indicators[0], bekasi, narrative="Ada Perwal")
    bekasi_part.refresh_from_db()
    assert (answer.version, answer.claimed_level, answer.updated_by) == (1, 2, bekasi)
    assert bekasi_part.self_assessment_status == SelfAssessmentStatus.DRAFT


def test_a_stale_page_gets_a_conflict_and_nothing_is_overwritten(
    bekasi_part, indicators, bekasi, kota_bekasi
):
    colleague = factories.make_operator(kota_bekasi, "rekan")
    _save(bekasi_part, indicators[0], bekasi, narrative="versi pertama")
    _save(bekasi_part, indicators[0], colleague, narrative="versi rekan", expected_version=1)
    with pytest.raises(service.AnswerConflict) as caught:
        _save(bekasi_part, indicators[0], bekasi, narrative="versi basi", expected_version=1)
    assert "rekan" in caught.value.messages[0]
    answer = SelfAssessmentAnswer.objects.get()
    assert (answer.narrative, answer.version) == ("versi rekan", 2)


def test_a_page_save_is_all_or_nothing(bekasi_part, indicators, bekasi):
    _save(bekasi_part, indicators[1], bekasi, narrative="lama")
    _save(bekasi_part, indicators[1], bekasi, narrative="lebih baru", expected_version=1)
    items = [
        service.AnswerInput(indicators[0], 4, "baru", [], 0),
        service.AnswerInput(indicators[1], 1, "basi", [], 1),
    ]
    with pytest.raises(service.AnswerConflict) as caught:
        service.answers_save(participation=bekasi_part, by=bekasi, answers=items)
    assert [c.indicator for c in caught.value.conflicts] == [indicators[1]]
    assert not SelfAssessmentAnswer.objects.filter(indicator=indicators[0]).exists()


def test_posting_the_same_values_with_an_old_version_is_not_a_conflict(
    bekasi_part, indicators, bekasi
):
    _save(bekasi_part, indicators[0], bekasi, narrative="sama")
    _save(bekasi_part, indicators[0], bekasi, narrative="sama", expected_version=0)
    assert SelfAssessmentAnswer.objects.get().version == 1


def test_evidence_of_another_region_is_refused(bekasi_part, indicators, bekasi, kota_bandung):
    foreign = cf.make_file_evidence(kota_bandung)
    with pytest.raises(ValidationError) as caught:
        _save(bekasi_part, indicators[0], bekasi, evidence=[foreign])
    assert caught.value.messages == [str(service.EVIDENCE_OTHER_REGION)]
    assert not SelfAssessmentAnswer.objects.exists()


def test_indicator_of_another_instrument_is_refused(bekasi_part, bekasi):
    other = factories.make_instrument().indicators.first()
    with pytest.raises(ValidationError):
        _save(bekasi_part, other, bekasi)


def test_reviewers_and_other_cities_cannot_save_answers(
    bekasi_part, indicators, reviewer, bandung, manager
):
    factories.assign(bekasi_part, reviewer, lead=True)
    for user in (reviewer, bandung, manager):
        with pytest.raises(PermissionDenied):
            _save(bekasi_part, indicators[0], user)
        with pytest.raises(PermissionDenied):
            service.self_assessment_submit(participation=bekasi_part, by=user)
    assert not SelfAssessmentAnswer.objects.exists()


def test_submit_lists_every_missing_item(bekasi_part, indicators, bekasi, kota_bekasi):
    evidence = cf.make_file_evidence(kota_bekasi)
    _save(bekasi_part, indicators[0], bekasi, claimed_level=3, evidence=[evidence])
    _save(bekasi_part, indicators[1], bekasi, claimed_level=2)  # no evidence
    _save(bekasi_part, indicators[2], bekasi, claimed_level=0)  # level 0 needs none
    _save(bekasi_part, indicators[3], bekasi, claimed_level=None, narrative="belum")
    with pytest.raises(ValidationError) as caught:
        service.self_assessment_submit(participation=bekasi_part, by=bekasi)
    missing = [(m.indicator, m.message) for m in caught.value.missing]  # type: ignore[attr-defined]
    assert missing == [
        (indicators[1], str(service.MISSING_EVIDENCE % {"level": 2})),
        (indicators[3], str(service.MISSING_LEVEL)),
    ]
    assert caught.value.messages[0] == str(service.SELF_ASSESSMENT_INCOMPLETE % {"count": 2})
    bekasi_part.refresh_from_db()
    assert bekasi_part.self_assessment_status == SelfAssessmentStatus.DRAFT


def _complete(participation, indicators, by, region):
    evidence = cf.make_file_evidence(region)
    for indicator in indicators:
        _save(participation, indicator, by, claimed_level=3, evidence=[evidence])


def test_submission_locks_the_answers(bekasi_part, indicators, bekasi, kota_bekasi):
    _complete(bekasi_part, indicators, bekasi, kota_bekasi)
    service.self_assessment_submit(participation=bekasi_part, by=bekasi)
    bekasi_part.refresh_from_db()
    assert bekasi_part.self_assessment_status == SelfAssessmentStatus.SUBMITTED
    assert bekasi_part.submitted_by == bekasi
    assert bekasi_part.is_locked_for_region
    with pytest.raises(ValidationError) as caught:
        _save(bekasi_part, indicators[0], bekasi, claimed_level=5, expected_version=1)
    assert caught.value.messages == [str(service.SELF_ASSESSMENT_LOCKED)]
    with pytest.raises(ValidationError):
        service.self_assessment_submit(participation=bekasi_part, by=bekasi)


def test_a_returned_self_assessment_is_editable_and_can_be_resubmitted(
    bekasi_part, indicators, bekasi, kota_bekasi
):
    _complete(bekasi_part, indicators, bekasi, kota_bekasi)
    service.self_assessment_submit(participation=bekasi_part, by=bekasi)
    # What services.review.self_assessment_return does (the reviewer helper's service).
    bekasi_part.self_assessment_status = SelfAssessmentStatus.RETURNED
    bekasi_part.return_comment = "Lengkapi bukti GV-01."
    bekasi_part.save()
    kept = list(SelfAssessmentAnswer.objects.get(indicator=indicators[0]).evidence.all())
    answer = _save(
        bekasi_part, indicators[0], bekasi, claimed_level=4, evidence=kept, expected_version=1
    )
    assert answer.version == 2
    bekasi_part.refresh_from_db()
    assert bekasi_part.self_assessment_status == SelfAssessmentStatus.RETURNED
    service.self_assessment_submit(participation=bekasi_part, by=bekasi)
    bekasi_part.refresh_from_db()
    assert bekasi_part.self_assessment_status == SelfAssessmentStatus.SUBMITTED


def test_nothing_is_saved_once_the_round_left_self_assessment(bekasi_part, indicators, bekasi):
    bekasi_part.round.status = RoundStatus.REVIEW
    bekasi_part.round.save()
    with pytest.raises(ValidationError) as caught:
        _save(bekasi_part, indicators[0], bekasi)
    assert caught.value.messages == [str(service.ROUND_NOT_OPEN)]


def test_progress_annotation_counts_answered_indicators(bekasi_part, indicators, bekasi):
    _save(bekasi_part, indicators[0], bekasi)
    _save(bekasi_part, indicators[1], bekasi, claimed_level=None, narrative="draf")
    row = service.with_progress(type(bekasi_part).objects.filter(pk=bekasi_part.pk)).get()
    assert (row.answered, row.indicator_total) == (1, 4)  # type: ignore[attr-defined]  # annotated


def test_sections_are_dimensions_then_the_cross_dimension_page(bekasi_part, indicators):
    sections = service.build_sections(indicators, {})
    assert [(s.key, s.total) for s in sections] == [
        ("governance", 3),
        (service.CROSS_SECTION, 1),
    ]
