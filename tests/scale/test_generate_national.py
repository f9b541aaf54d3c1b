"""``generate_national`` at a small size: what it builds, how it is labelled, that it is
deterministic, and that its published results are what the engine computes from its
verified levels. (Its speed is measured by ``make bench``, never here.)"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction

from evaluations.models import (
    ComponentCode,
    Evidence,
    Indicator,
    Instrument,
    Participation,
    Programme,
    Publication,
    Result,
    ReviewerAssignment,
    Round,
    RoundEvent,
    RoundStatus,
    Score,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
    VerifiedScore,
)
from evaluations.roles import is_manager, is_reviewer
from evaluations.services.engine import (
    competition_ranks,
    index_from_components,
    rating_band_for,
    shown,
    weighted_mean,
)
from regions.models import Region, RegionMembership
from smartcity.synthetic import national

SMALL = national.NationalSpec(regions=7, rounds=3, programmes=4, reviewers=5)


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    """The reference data and a small national dataset, built once for the module and rolled
    back at its end (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", verbosity=0)
        report = national.generate(SMALL)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def data(dataset, db):
    return dataset


def _synthetic_rounds():
    return Round.objects.filter(slug__startswith=national.SLUG_PREFIX)


def _published():
    return _synthetic_rounds().filter(status=RoundStatus.PUBLISHED).order_by("year", "phase")


def _indicator_count() -> int:
    return Indicator.objects.filter(instrument=Instrument.objects.default()).count()


def test_rounds_two_phases_a_year_all_published_plus_one_under_review(data):
    rounds = list(_synthetic_rounds().order_by("year", "phase"))
    assert [(r.year, r.phase, r.status) for r in rounds] == [
        (2017, 1, RoundStatus.PUBLISHED),
        (2017, 2, RoundStatus.PUBLISHED),
        (2018, 1, RoundStatus.PUBLISHED),
        (2018, 2, RoundStatus.REVIEW),
    ]
    for r in rounds:
        assert r.participations.count() == SMALL.regions
        assert r.instrument == Instrument.objects.default()


def test_every_round_went_through_the_lifecycle_services(data):
    for r in _published():
        steps = list(r.events.values_list("to_status", flat=True))
        assert steps == ["self_assessment", "review", "finalised", "published"]
        publication = Publication.objects.get(round=r)
        assert len(publication.snapshot) == SMALL.regions
    current = _synthetic_rounds().get(status=RoundStatus.REVIEW)
    assert list(current.events.values_list("to_status", flat=True)) == [
        "self_assessment",
        "review",
    ]


def test_regions_are_spread_over_several_provinces(data):
    regions = Region.objects.filter(participations__round__in=_synthetic_rounds()).distinct()
    assert regions.count() == SMALL.regions
    assert regions.values("province").distinct().count() >= 5


def test_panels_of_three_distinct_reviewers_with_one_lead(data):
    for participation in Participation.objects.filter(round__in=_synthetic_rounds()):
        seats = list(participation.panel.all())
        assert len(seats) == national.PANEL_SIZE
        assert len({s.reviewer_id for s in seats}) == national.PANEL_SIZE
        assert sum(s.is_lead for s in seats) == 1
        assert all(is_reviewer(s.reviewer) for s in seats)


def test_scores_verified_levels_and_answers_per_participation(data):
    indicators = _indicator_count()
    per_round = SMALL.regions * indicators
    for r in _published():
        assert VerifiedScore.objects.filter(participation__round=r).count() == per_round
        assert Score.objects.filter(participation__round=r).count() == 3 * per_round
        assert SelfAssessmentAnswer.objects.filter(participation__round=r).count() == per_round
        assert Result.objects.filter(participation__round=r).count() == SMALL.regions
        assert not ReviewerAssignment.objects.filter(
            participation__round=r, completed_at__isnull=True
        ).exists()
    current = _synthetic_rounds().get(status=RoundStatus.REVIEW)
    # Under review: self-assessments in, about two thirds of the reviewer scores, nothing
    # verified or computed yet.
    assert not current.participations.exclude(
        self_assessment_status=SelfAssessmentStatus.SUBMITTED
    ).exists()
    assert not current.participations.filter(submitted_by__isnull=True).exists()
    scored = Score.objects.filter(participation__round=current).count()
    assert 0.5 * 3 * per_round < scored < 0.8 * 3 * per_round
    assert not VerifiedScore.objects.filter(participation__round=current).exists()
    assert not Result.objects.filter(participation__round=current).exists()


def test_registers_and_accounts(data, settings):
    # The module's data was hashed with the production hasher (one hash, shared).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    regions = Region.objects.filter(participations__round__in=_synthetic_rounds()).distinct()
    per_region = Counter(
        Programme.objects.filter(region__in=regions).values_list("region_id", flat=True)
    )
    assert set(per_region.values()) == {SMALL.programmes}
    operators = [RegionMembership.objects.get(region=region).user for region in regions]
    assert [u.username for u in operators] == [national.operator_username(r) for r in regions]
    assert len({u.password for u in operators}) == 1
    assert operators[0].check_password("demo12345")
    assert is_manager(User.objects.get(username=national.MANAGER_USERNAME))
    reviewers = User.objects.filter(username__startswith=f"{national.USER_PREFIX}penilai-")
    assert reviewers.count() == SMALL.reviewers


def test_everything_is_labelled_synthetic(data):
    for r in _synthetic_rounds():
        assert "(SINTETIS)" in r.name
    assert not User.objects.exclude(username__startswith=national.USER_PREFIX).exists()
    assert all(
        "data sintetis" in d for d in Programme.objects.values_list("description", flat=True)
    )
    assert all("data sintetis" in t for t in Evidence.objects.values_list("title", flat=True))


def _figures() -> list[tuple]:
    return list(
        Result.objects.filter(participation__round__slug__startswith=national.SLUG_PREFIX)
        .order_by("participation__round__year", "participation__round__phase", "pk")
        .values_list(
            "participation__round__slug",
            "participation__region__code",
            "index",
            "national_rank",
            "provincial_rank",
            "rating_band",
            "index_change",
        )
    )


def test_published_results_are_what_the_engine_computes_from_the_verified_levels(data):
    """Recomputed here from the stored verified levels with the engine's published rules
    (weighted means at full precision, index from the unrounded components, the shown
    2-decimal figures rounded half-up, competition ranks and bands on the shown index,
    improvement against the previous published round). tests/trust/test_recompute_sql.py
    recomputes the same in plain SQL, without the engine."""
    instrument = Instrument.objects.default()
    weights = instrument.component_weights()
    bands = list(instrument.rating_bands.values_list("min_index", "name"))
    previous: dict[int, Result] = {}
    for r in _published():
        sums: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
        for v in VerifiedScore.objects.filter(participation__round=r).select_related("indicator"):
            acc = sums[(v.participation_id, v.indicator.component)]
            acc[0] += v.level * v.indicator.weight
            acc[1] += v.indicator.weight
        participations = list(r.participations.select_related("region", "result"))
        index = {}
        for p in participations:
            components = {code: weighted_mean(*sums[(p.pk, code)]) for code in ComponentCode.values}
            exact = index_from_components(components, weights)
            index[p.pk] = shown(exact)
            assert p.result.index_exact == exact
            assert p.result.component_scores() == {c: shown(v) for c, v in components.items()}
            assert {
                c: getattr(p.result, f"score_{c}_exact") for c in ComponentCode.values
            } == components
        national = competition_ranks(index.items())  # type: ignore[arg-type]  # all scored
        by_province = defaultdict(list)
        for p in participations:
            by_province[p.region.province_id].append((p.pk, index[p.pk]))
        provincial = {
            k: v
            for members in by_province.values()
            for k, v in competition_ranks(members).items()  # type: ignore[arg-type]
        }
        for p in participations:
            result = p.result
            assert result.index == index[p.pk]
            assert result.national_rank == national[p.pk]
            assert result.provincial_rank == provincial[p.pk]
            assert result.rating_band == rating_band_for(result.index, bands)
            before = previous.get(p.region_id)
            if before is None:
                assert result.previous_id is None
                assert result.index_change is None
            else:
                assert result.previous_id == before.pk
                # The change is taken between unrounded indices, then shown (it may differ
                # by 0.01 from the difference of the two shown indices).
                assert result.index_change_exact == result.index_exact - before.index_exact
                assert result.index_change == shown(result.index_change_exact)
                assert result.rank_change == before.national_rank - result.national_rank
            previous[p.region_id] = result
    # Not a degenerate dataset: the indices spread over the scale.
    indices = {f[2] for f in _figures()}
    assert len(indices) > SMALL.regions


def test_running_again_adds_nothing(data):
    before = _figures()
    report = national.generate(SMALL)
    assert report.rows == {}
    assert _figures() == before


def test_deterministic_after_removing_and_regenerating(data):
    before = _figures()
    national.remove()
    assert not _synthetic_rounds().exists()
    assert not User.objects.filter(username__startswith=national.USER_PREFIX).exists()
    assert not Programme.objects.exists()
    assert not RoundEvent.objects.exists()
    # Nothing of the synthetic rounds is left, not even a history row of a deleted one.
    for model in (Round, Participation, Score, VerifiedScore, SelfAssessmentAnswer, Result):
        assert not model.objects.exists(), model
        assert not model.history.model.objects.exists(), model
    assert not ReviewerAssignment.objects.exists()
    assert not SelfAssessmentAnswer.evidence.through.objects.exists()
    national.generate(SMALL)
    assert _figures() == before


def test_another_seed_gives_other_levels(data):
    before = _figures()
    national.remove()
    national.generate(national.NationalSpec(**{**SMALL.__dict__, "seed": "other"}))
    assert [f[2] for f in _figures()] != [f[2] for f in before]


def test_refuses_other_options_on_existing_data(data):
    with pytest.raises(national.NationalDataError, match="--reset"):
        national.generate(national.NationalSpec(**{**SMALL.__dict__, "regions": 9}))


def test_open_data_rows_from_a_queryset_equal_those_from_model_instances(data):
    """``result_rows`` reads a QuerySet with ``values()`` (fast at national scale); the rows
    must be the ones the model-instance path gives, for the public and the manager files."""
    from evaluations import opendata
    from evaluations.selectors import public as public_reads

    round_ = _published().last()
    public = public_reads.public_round_results(round_)
    assert opendata.result_rows(public) == opendata.result_rows(
        list(opendata.with_export_annotations(public))
    )
    manager = Result.objects.filter(participation__round=round_).order_by("national_rank")
    assert opendata.result_rows(manager) == opendata.result_rows(
        list(opendata.with_export_annotations(manager))
    )
    rows = opendata.result_rows(public)
    assert len(rows) == SMALL.regions
    assert list(rows[0]) == opendata.COLUMN_NAMES
    assert rows[0]["index_change"] is not None  # the third round has a previous one
