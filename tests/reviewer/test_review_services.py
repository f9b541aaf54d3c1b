"""Reviewers score, complete, verify and return self-assessments, within their seat."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.models import RoundStatus, Score, SelfAssessmentStatus, VerifiedScore
from evaluations.services import review
from evaluations.services import rounds as round_svc
from tests import factories
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(kota_bekasi, reviewer, outsider_reviewer):
    """Kota Bekasi under review; ``reviewer`` leads the panel, a second member sits on it."""
    round_ = rf.make_review_round([kota_bekasi])
    participation = round_.participations.get()
    factories.assign(participation, reviewer, lead=True)
    member = factories.make_reviewer("member")
    factories.assign(participation, member)
    indicators = list(round_.instrument.indicators.order_by("order"))
    return participation, indicators, member


def test_a_reviewer_saves_a_draft_score_and_changes_it(panel, reviewer):
    participation, indicators, _ = panel
    first = review.score_save(
        participation=participation, indicator=indicators[0], reviewer=reviewer, level=3
    )
    again = review.score_save(
        participation=participation,
        indicator=indicators[0],
        reviewer=reviewer,
        level=4,
        comment="Perwal sudah terbit",
        expected_version=1,
    )
    assert again.pk == first.pk
    assert (again.level, again.version, again.comment) == (4, 2, "Perwal sudah terbit")
    history = Score.history.filter(id=first.pk).order_by("history_id")
    assert [(h.level, h.history_user.username) for h in history] == [
        (3, "reviewer"),
        (4, "reviewer"),
    ]


def test_a_stale_form_cannot_overwrite_a_newer_score(panel, reviewer):
    participation, indicators, _ = panel
    kwargs = {"participation": participation, "indicator": indicators[0], "reviewer": reviewer}
    review.score_save(**kwargs, level=3)
    review.score_save(**kwargs, level=4, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        review.score_save(**kwargs, level=1, expected_version=1)
    assert exc.value.messages == [str(review.STALE_VERSION)]
    assert Score.objects.get().level == 4


@pytest.mark.parametrize("level", [-1, 6, "3", None, True])
def test_levels_outside_0_to_5_are_refused(panel, reviewer, level):
    participation, indicators, _ = panel
    with pytest.raises(ValidationError):
        review.score_save(
            participation=participation, indicator=indicators[0], reviewer=reviewer, level=level
        )
    assert not Score.objects.exists()


def test_someone_off_the_panel_cannot_score(panel, outsider_reviewer, bekasi):
    participation, indicators, _ = panel
    for user in (outsider_reviewer, bekasi):
        with pytest.raises(PermissionDenied):
            review.score_save(
                participation=participation, indicator=indicators[0], reviewer=user, level=3
            )
    assert not Score.objects.exists()


def test_an_indicator_of_another_instrument_is_refused(panel, reviewer):
    participation, _, _ = panel
    foreign = factories.make_instrument().indicators.first()
    assert foreign is not None
    with pytest.raises(ValidationError) as exc:
        review.score_save(
            participation=participation, indicator=foreign, reviewer=reviewer, level=3
        )
    assert exc.value.messages == [str(review.INDICATOR_NOT_IN_INSTRUMENT)]


def test_complete_needs_every_indicator_then_locks_the_scores(panel, reviewer):
    participation, indicators, _ = panel
    for ind in indicators[:-1]:
        review.score_save(participation=participation, indicator=ind, reviewer=reviewer, level=2)
    with pytest.raises(ValidationError) as exc:
        review.review_complete(participation=participation, reviewer=reviewer)
    assert exc.value.messages == ["Masih ada 1 indikator yang belum Anda nilai."]

    review.score_save(
        participation=participation, indicator=indicators[-1], reviewer=reviewer, level=2
    )
    seat = review.review_complete(participation=participation, reviewer=reviewer)
    assert seat.completed_at is not None
    with pytest.raises(ValidationError) as exc:
        review.score_save(
            participation=participation, indicator=indicators[0], reviewer=reviewer, level=5
        )
    assert exc.value.messages == [str(review.REVIEW_ALREADY_COMPLETE)]


def test_only_the_lead_or_a_manager_reopens_a_completed_review(panel, reviewer, manager):
    participation, _, member = panel
    rf.score_all(participation, member, level=2)
    review.review_complete(participation=participation, reviewer=member)
    with pytest.raises(PermissionDenied):
        review.review_reopen(participation=participation, reviewer=member, by=member)
    seat = review.review_reopen(participation=participation, reviewer=member, by=reviewer)
    assert seat.completed_at is None
    review.review_complete(participation=participation, reviewer=member)
    review.review_reopen(participation=participation, reviewer=member, by=manager)


def test_the_lead_sets_verified_levels_members_cannot(panel, reviewer, manager):
    participation, indicators, member = panel
    with pytest.raises(PermissionDenied):
        review.verified_level_set(
            participation=participation, indicator=indicators[0], level=3, by=member
        )
    verified = review.verified_level_set(
        participation=participation, indicator=indicators[0], level=3, by=reviewer
    )
    assert (verified.level, verified.set_by, verified.version) == (3, reviewer, 1)
    changed = review.verified_level_set(
        participation=participation, indicator=indicators[0], level=4, comment="Cek", by=manager
    )
    assert (changed.level, changed.set_by, changed.version) == (4, manager, 2)


def test_levels_the_panel_agrees_on_are_verified_in_one_go(panel, reviewer):
    participation, indicators, member = panel
    rf.score_all(participation, reviewer, level=3)
    rf.score_all(participation, member, level=3)
    Score.objects.filter(reviewer=member, indicator=indicators[0]).update(level=5)
    review.review_complete(participation=participation, reviewer=reviewer)
    # While the member has not completed, the panel's agreement is refused, naming them...
    with pytest.raises(ValidationError) as exc:
        review.verified_levels_from_panel(participation=participation, by=reviewer)
    assert exc.value.code == "not_all_done"
    assert member.username in exc.value.messages[0]
    assert not VerifiedScore.objects.exists()
    # ...unless the lead names exactly who is not waited for; the draft is not an opinion.
    assert (
        review.verified_levels_from_panel(
            participation=participation, by=reviewer, without=[member.pk]
        )
        == 10
    )
    VerifiedScore.objects.all().delete()

    review.review_complete(participation=participation, reviewer=member)
    review.verified_level_set(
        participation=participation, indicator=indicators[1], level=1, by=reviewer
    )
    # indicator 0: 3 vs 5, left to the lead; indicator 1: already verified, kept.
    assert review.verified_levels_from_panel(participation=participation, by=reviewer) == 8
    assert not VerifiedScore.objects.filter(indicator=indicators[0]).exists()
    assert VerifiedScore.objects.get(indicator=indicators[1]).level == 1
    # History: 10 + 1 + 8 rows made by the lead, each with its author.
    assert VerifiedScore.history.filter(history_user=reviewer).count() == 19


@pytest.mark.parametrize("status", [RoundStatus.FINALISED, RoundStatus.PUBLISHED])
def test_nothing_changes_after_finalisation_without_reopening(panel, reviewer, manager, status):
    participation, indicators, _ = panel
    rf.verify(participation, manager, level=3)
    round_svc.round_finalise(round=participation.round, by=manager)
    if status == RoundStatus.PUBLISHED:
        round_svc.round_publish(round=participation.round, by=manager)
    with pytest.raises(ValidationError) as exc:
        review.score_save(
            participation=participation, indicator=indicators[0], reviewer=reviewer, level=5
        )
    assert exc.value.messages == [str(review.SCORES_LOCKED)]
    with pytest.raises(ValidationError):
        review.verified_level_set(
            participation=participation, indicator=indicators[0], level=5, by=manager
        )
    # The admin's forms refuse too (model validation).
    verified = VerifiedScore.objects.get(indicator=indicators[0])
    verified.level = 5
    with pytest.raises(ValidationError):
        verified.full_clean()

    round_svc.round_reopen(round=participation.round, by=manager, reason="Banding Kota Bekasi")
    review.verified_level_set(
        participation=participation, indicator=indicators[0], level=5, by=manager
    )
    history = VerifiedScore.history.filter(id=verified.pk).order_by("history_id")
    assert [(h.level, h.history_user) for h in history] == [(3, manager), (5, manager)]


def test_excluded_participants_are_not_scored(panel, reviewer, manager):
    participation, indicators, _ = panel
    round_svc.participation_exclude(participation=participation, by=manager, reason="Mundur")
    with pytest.raises(ValidationError) as exc:
        review.score_save(
            participation=participation, indicator=indicators[0], reviewer=reviewer, level=2
        )
    assert exc.value.messages == [str(review.PARTICIPATION_EXCLUDED)]


def test_a_submitted_self_assessment_is_returned_with_a_comment(panel, reviewer, bekasi):
    participation, _, member = panel
    participation.self_assessment_status = SelfAssessmentStatus.SUBMITTED
    participation.save()
    with pytest.raises(PermissionDenied):
        review.self_assessment_return(participation=participation, by=bekasi, comment="x")
    with pytest.raises(ValidationError):
        review.self_assessment_return(participation=participation, by=member, comment=" ")

    review.self_assessment_return(
        participation=participation, by=member, comment="Lampirkan Perwal Smart City"
    )

    participation.refresh_from_db()
    assert participation.self_assessment_status == SelfAssessmentStatus.RETURNED
    assert participation.return_comment == "Lampirkan Perwal Smart City"
    assert not participation.is_locked_for_region  # the city can revise it during review
    assert participation.history.first().history_user == member
    with pytest.raises(ValidationError) as exc:
        review.self_assessment_return(participation=participation, by=member, comment="lagi")
    assert exc.value.messages == [str(review.SELF_ASSESSMENT_NOT_SUBMITTED)]


def test_panel_agreement_needs_someone_done_and_an_exact_override(panel, reviewer):
    participation, _indicators, member = panel
    with pytest.raises(ValidationError) as exc:
        review.verified_levels_from_panel(participation=participation, by=reviewer)
    assert exc.value.messages == [str(review.PANEL_NOBODY_DONE)]
    rf.score_all(participation, reviewer, level=2)
    review.review_complete(participation=participation, reviewer=reviewer)
    # Naming somebody else (or nobody) is not an override of the member who has not scored.
    for without in ([], [reviewer.pk], [member.pk, reviewer.pk]):
        with pytest.raises(ValidationError):
            review.verified_levels_from_panel(
                participation=participation, by=reviewer, without=without
            )
