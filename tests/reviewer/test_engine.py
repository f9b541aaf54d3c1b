"""The scoring engine reproduces hand-computed results exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.models import (
    Programme,
    ProgrammeStatus,
    Result,
    RoundStatus,
)
from evaluations.services.engine import (
    competition_ranks,
    compute_round_results,
    improvement,
    index_from_components,
    rating_band_for,
    round_half_up,
)
from tests import factories
from tests.reviewer import factories as rf

D = Decimal

ISSUE_WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20}
ISSUE_COMPONENTS = {
    "baseline": D("3.60"),
    "output": D("3.21"),
    "outcome": D("3.23"),
    "impact": D("3.07"),
    "quick_win": D("3.65"),
}


def test_issue_example_index_is_3_32_with_decimal_half_up():
    """10/20/30/20/20 × (3.60, 3.21, 3.23, 3.07, 3.65) = 3.315 exactly, published as 3.32.

    Issue 15 (full precision): the engine returns the index at full precision (6 decimals)
    and only the shown figure is rounded, half-up.
    """
    assert index_from_components(ISSUE_COMPONENTS, ISSUE_WEIGHTS) == D("3.315000")
    assert round_half_up(index_from_components(ISSUE_COMPONENTS, ISSUE_WEIGHTS)) == D("3.32")
    # The trap the rule avoids: the float 3.315 is really 3.31499999…, so float arithmetic
    # publishes 3.31, and a reader recomputing on paper would find 3.32.
    as_float = sum(ISSUE_WEIGHTS[c] * float(s) for c, s in ISSUE_COMPONENTS.items()) / 100
    assert round(as_float, 2) == 3.31


def test_rounding_is_half_up_not_bankers():
    assert round_half_up(D("2.345")) == D("2.35")
    assert round_half_up(D("2.335")) == D("2.34")
    assert round_half_up(D("3.314999")) == D("3.31")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([("a", D("4")), ("b", D("3")), ("c", D("3")), ("d", D("2"))], [1, 2, 2, 4]),
        ([("a", D("1")), ("b", D("1")), ("c", D("1"))], [1, 1, 1]),
        ([("a", D("2.50")), ("b", D("3.10")), ("c", D("2.50"))], [2, 1, 2]),
        ([], []),
    ],
)
def test_competition_ranking_ties_share_a_rank_and_the_next_skips(values, expected):
    ranks = competition_ranks(values)
    assert [ranks[k] for k, _ in values] == expected


def test_rating_band_is_the_highest_threshold_reached():
    bands = [(t, n) for n, t in factories.DEFAULT_BANDS]
    assert rating_band_for(D("4.20"), bands) == "Memuaskan"
    assert rating_band_for(D("4.19"), bands) == "Sangat Baik"
    assert rating_band_for(D("3.32"), bands) == "Baik"
    assert rating_band_for(D("1.79"), bands) == "Kurang"
    assert rating_band_for(D("0.00"), []) == ""


NO_IMPROVEMENT = {
    "previous_id": None,
    "index_change": None,
    "index_change_exact": None,
    "rank_change": None,
}


@pytest.mark.parametrize(
    ("previous_id", "previous_index", "previous_rank"),
    [(None, None, None), (7, None, 3), (None, D("3.10"), 3), (7, D("3.10"), None)],
)
def test_improvement_needs_the_whole_previous_result(previous_id, previous_index, previous_rank):
    """A previous result missing its id, index or rank gives no improvement at all (rather
    than a change against half a result)."""
    values = improvement(
        index_exact=D("3.313333"),
        national_rank=4,
        previous_id=previous_id,
        previous_index=previous_index,
        previous_rank=previous_rank,
    )
    assert values == NO_IMPROVEMENT


def test_improvement_against_a_previous_result():
    values = improvement(
        index_exact=D("3.313333"),
        national_rank=4,
        previous_id=7,
        previous_index=D("3.0650004"),
        previous_rank=9,
    )
    assert values == {
        "previous_id": 7,
        "index_change": D("0.25"),
        "index_change_exact": D("0.248333"),
        "rank_change": 5,
    }


@pytest.mark.django_db
def test_issue_worked_example_end_to_end(kota_bekasi, manager):
    """Verified levels whose weighted means are exactly the issue's component scores."""
    instrument = rf.make_worked_instrument(
        {
            "baseline": ("0.40", "0.60"),  # 3 + 0.60 = 3.60
            "output": ("0.79", "0.21"),  # 3.21
            "outcome": ("0.77", "0.23"),  # 3.23
            "impact": ("0.93", "0.07"),  # 3.07
            "quick_win": ("0.35", "0.65"),  # 3.65
        },
        weights=(10, 20, 30, 20, 20),
    )
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    participation = round_.participations.get()
    rf.verify(participation, manager, level=lambda ind: 4 if ind.code.endswith("-hi") else 3)

    [result] = compute_round_results(round=round_)

    result.refresh_from_db()
    assert result.component_scores() == ISSUE_COMPONENTS
    assert result.index == D("3.32")
    assert result.rating_band == "Baik"
    assert (result.national_rank, result.provincial_rank) == (1, 1)
    # Each component's indicators carry one dimension: dimension = component score here.
    assert result.score_governance == D("3.60")
    assert result.score_branding == D("3.21")
    assert result.score_environment is None  # no indicator tagged Smart Environment
    assert result.index_change is None
    assert result.rank_change is None


@pytest.mark.django_db
def test_component_scores_round_half_up_before_the_index(kota_bekasi, manager):
    """Levels 2 and 3 weighted 1.31 / 0.69 give 2.345 exactly: 2.35, not banker's 2.34."""
    fractions = dict.fromkeys(ISSUE_WEIGHTS, ("1.31", "0.69"))
    instrument = rf.make_worked_instrument(fractions, weights=(10, 20, 30, 30, 10), low=2)
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    rf.verify(
        round_.participations.get(),
        manager,
        level=lambda ind: 3 if ind.code.endswith("-hi") else 2,
    )

    [result] = compute_round_results(round=round_)

    assert set(result.component_scores().values()) == {D("2.35")}
    assert result.index == D("2.35")
    assert result.rating_band == "Cukup"


@pytest.fixture
def four_regions(db):
    """A, C in Jawa Barat; B, D in Jawa Timur."""
    jabar = factories.make_province("32", "Jawa Barat")
    jatim = factories.make_province("35", "Jawa Timur")
    return {
        "A": factories.make_region("32.71", "Kota A", province=jabar),
        "B": factories.make_region("35.71", "Kota B", province=jatim),
        "C": factories.make_region("32.72", "Kota C", province=jabar),
        "D": factories.make_region("35.72", "Kota D", province=jatim),
    }


@pytest.mark.django_db
def test_hand_computed_round_with_ties_provinces_and_improvement(four_regions, manager):
    """Default test instrument: weights 10/20/30/30/10, two indicators of weight 1 each.

    A and C: every level 4 → index 4.00 (tied first); B: every level 3 → 3.00;
    D: Baseline 5, everything else 2 → (10×5 + 90×2) / 100 = 2.30.
    """
    regions = four_regions
    instrument = factories.make_instrument()
    round_ = rf.make_review_round(regions.values(), instrument=instrument, year=2024, phase=1)
    by_region = {p.region.name[-1]: p for p in round_.participations.select_related("region")}
    rf.verify(by_region["A"], manager, level=4)
    rf.verify(by_region["B"], manager, level=3)
    rf.verify(by_region["C"], manager, level=4)
    rf.verify(by_region["D"], manager, level=lambda ind: 5 if ind.component == "baseline" else 2)

    # History of Kota A: 2023/I published (2.00), 2023/II published (3.50, rank 5),
    # 2023/III under review (ignored: not published), 2025/I published (ignored: later).
    r2023_1 = factories.make_round(instrument=instrument, year=2023, phase=1)
    rf.publish_result(r2023_1, regions["A"], index="2.00", national_rank=9)
    r2023_2 = factories.make_round(instrument=instrument, year=2023, phase=2)
    previous = rf.publish_result(r2023_2, regions["A"], index="3.50", national_rank=5)
    r2023_3 = factories.make_round(instrument=instrument, year=2023, phase=3)
    Result.objects.create(
        participation=factories.make_participation(r2023_3, regions["A"]),
        index=D("1.00"),
        national_rank=1,
        provincial_rank=1,
    )
    r2025 = factories.make_round(instrument=instrument, year=2025, phase=1)
    rf.publish_result(r2025, regions["A"], index="1.00", national_rank=20)
    # Kota D fell: 2023/II index 2.50, rank 2.
    rf.publish_result(r2023_2, regions["D"], index="2.50", national_rank=2)

    results = {r.participation.region.name[-1]: r for r in compute_round_results(round=round_)}

    assert {k: r.index for k, r in results.items()} == {
        "A": D("4.00"),
        "B": D("3.00"),
        "C": D("4.00"),
        "D": D("2.30"),
    }
    assert {k: r.rating_band for k, r in results.items()} == {
        "A": "Sangat Baik",
        "B": "Baik",
        "C": "Sangat Baik",
        "D": "Cukup",
    }
    assert {k: r.national_rank for k, r in results.items()} == {"A": 1, "C": 1, "B": 3, "D": 4}
    assert {k: r.provincial_rank for k, r in results.items()} == {"A": 1, "C": 1, "B": 1, "D": 2}
    # Improvement against the previous *published* round of the same region.
    assert results["A"].previous_id == previous.pk
    assert results["A"].index_change == D("0.50")
    assert results["A"].rank_change == 4  # from 5th to 1st: moved up 4
    assert results["D"].index_change == D("-0.20")
    assert results["D"].rank_change == -2  # from 2nd to 4th
    assert results["B"].index_change is None
    # D's dimensions mix a Baseline indicator (5) with an Impact one (2): (5 + 2) / 2.
    d = results["D"]
    assert (d.score_governance, d.score_branding, d.score_economy) == (
        D("3.50"),
        D("3.50"),
        D("2.00"),
    )
    # The engine orders its answer by rank, then region code.
    assert [r.participation.region.code for r in compute_round_results(round=round_)] == [
        "32.71",
        "32.72",
        "35.71",
        "35.72",
    ]


@pytest.mark.django_db
def test_programme_share_per_dimension_counts_active_programmes(kota_bekasi, manager):
    dims = {d.code: d for d in factories.ensure_dimensions()}
    for status in (ProgrammeStatus.RUNNING, ProgrammeStatus.RUNNING, ProgrammeStatus.PLANNED):
        factories.make_programme(kota_bekasi, dimension=dims["governance"], status=status)
    archived = factories.make_programme(kota_bekasi, dimension=dims["governance"])
    Programme.objects.filter(pk=archived.pk).update(archived_at="2024-01-01T00:00Z")
    factories.make_programme(
        kota_bekasi, dimension=dims["living"], status=ProgrammeStatus.COMPLETED
    )
    round_ = rf.make_review_round([kota_bekasi])
    rf.verify(round_.participations.get(), manager)

    [result] = compute_round_results(round=round_)

    assert Result.objects.get(pk=result.pk).programme_shares == {
        "governance": [2, 3],
        "living": [0, 1],
    }


@pytest.mark.django_db
def test_recomputing_updates_in_place_and_drops_excluded(kota_bekasi, kota_bandung, manager):
    round_ = rf.make_review_round([kota_bekasi, kota_bandung])
    bekasi_p, bandung_p = round_.participations.order_by("region__code").reverse()
    rf.verify(bekasi_p, manager, level=2)
    rf.verify(bandung_p, manager, level=4)
    first = {r.participation_id: r.pk for r in compute_round_results(round=round_)}

    bekasi_p.verified_scores.update(level=5)
    bandung_p.excluded = True
    bandung_p.exclusion_reason = "Tidak mengirim penilaian mandiri"
    bandung_p.save()
    [again] = compute_round_results(round=round_)

    assert again.pk == first[bekasi_p.pk]
    assert again.index == D("5.00")
    assert again.national_rank == 1
    assert not Result.objects.filter(participation=bandung_p).exists()
    # The old figures stay in the history.
    assert list(
        Result.history.filter(id=again.pk).order_by("history_id").values_list("index", flat=True)
    ) == [D("2.00"), D("5.00")]


@pytest.mark.django_db
def test_engine_is_deterministic(four_regions, manager):
    round_ = rf.make_review_round(four_regions.values())
    for i, p in enumerate(round_.participations.all()):
        rf.verify(p, manager, level=lambda ind, i=i: (ind.order + i) % 6)
    fields = ["index", "national_rank", "provincial_rank", "score_output", "score_living"]

    def snapshot():
        compute_round_results(round=round_)
        return list(Result.objects.order_by("participation__region__code").values(*fields))

    assert snapshot() == snapshot()


@pytest.mark.django_db
def test_round_status_is_not_touched_by_the_engine(kota_bekasi, manager):
    round_ = rf.make_review_round([kota_bekasi])
    rf.verify(round_.participations.get(), manager)
    compute_round_results(round=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEW
