"""The engine over several rounds: three regions in three rounds of two years.

Every figure below is computed by hand from the verified levels (the docstrings show the
sums), not with the engine's helpers. The instrument (``_instrument``) weighs its
components 10/20/30/30/10; each component has a "lo" and a "hi" indicator:

- Baseline, Output, Outcome, Impact: weights 0.75 and 0.25, so levels (a, b) score
  a + 0.25 (b - a);
- Quick Win: weights 0.35 and 0.05, so (a, b) scores a + 0.125 (b - a).

A region verified at (a, b) everywhere has the index
0.9 (a + 0.25 d) + 0.1 (a + 0.125 d) = a + 0.2375 d, with d = b - a.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from evaluations.models import (
    Instrument,
    Participation,
    Programme,
    ProgrammeStatus,
    Result,
    Round,
    RoundStatus,
)
from evaluations.services.engine import (
    compute_round_results,
    full_precision,
    index_from_components,
    rating_band_for,
    refresh_improvements,
)
from regions.models import Region
from tests import factories
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db

D = Decimal

QUARTER = ("0.75", "0.25")


def _instrument() -> Instrument:
    return rf.make_worked_instrument(
        {
            "baseline": QUARTER,
            "output": QUARTER,
            "outcome": QUARTER,
            "impact": QUARTER,
            "quick_win": ("0.35", "0.05"),
        },
        weights=(10, 20, 30, 30, 10),
    )


@pytest.fixture
def three_regions(db) -> dict[str, Region]:
    """Kota A and Kota B in Jawa Barat, Kota C in Jawa Timur."""
    jabar = factories.make_province("32", "Jawa Barat")
    jatim = factories.make_province("35", "Jawa Timur")
    return {
        "A": factories.make_region("32.71", "Kota A", province=jabar),
        "B": factories.make_region("32.72", "Kota B", province=jabar),
        "C": factories.make_region("35.71", "Kota C", province=jatim),
    }


def _round(
    instrument: Instrument,
    regions: dict[str, Region],
    levels: dict[str, tuple[int, int]],
    *,
    year: int,
    phase: int,
    by: User,
) -> Round:
    """A round under review whose regions are verified at (lo, hi) levels."""
    round_ = rf.make_review_round(
        list(regions.values()), instrument=instrument, year=year, phase=phase
    )
    for participation in round_.participations.select_related("region"):
        low, high = levels[participation.region.name[-1]]
        rf.verify(
            participation,
            by,
            level=lambda ind, low=low, high=high: high if ind.code.endswith("-hi") else low,
        )
    return round_


def _publish(round_: Round) -> None:
    """As ``round_publish`` leaves it: published and public (the results stay as computed)."""
    with factories.guards_lifted():
        Round.objects.filter(pk=round_.pk).update(status=RoundStatus.PUBLISHED, is_public=True)
    round_.refresh_from_db()


def _by_region(round_: Round) -> dict[str, Result]:
    return {
        r.participation.region.name[-1]: r
        for r in Result.objects.filter(participation__round=round_).select_related(
            "participation__region"
        )
    }


def _figures(results: dict[str, Result]) -> dict[str, tuple]:
    """What the ranking page and the result letter show, per region."""
    return {
        key: (
            r.index,
            r.index_exact,
            r.rating_band,
            r.national_rank,
            r.provincial_rank,
        )
        for key, r in sorted(results.items())
    }


def _improvement(results: dict[str, Result]) -> dict[str, tuple]:
    return {
        key: (r.previous_id, r.index_change, r.index_change_exact, r.rank_change)
        for key, r in sorted(results.items())
    }


def test_three_rounds_improvement_is_against_the_previous_published_round(three_regions, manager):
    instrument = _instrument()

    # 1. 2024 Tahap I. A (3, 4): 3 + 0.2375 = 3.2375 → 3.24; B (2, 4): 2 + 0.475 = 2.475
    #    → 2.48 (half-up); C (3, 4): 3.24, tied with A.
    r2024_1 = _round(
        instrument, three_regions, {"A": (3, 4), "B": (2, 4), "C": (3, 4)},
        year=2024, phase=1, by=manager,
    )  # fmt: skip
    compute_round_results(round=r2024_1, by=manager)
    first = _by_region(r2024_1)
    assert _figures(first) == {
        "A": (D("3.24"), D("3.237500"), "Baik", 1, 1),
        "B": (D("2.48"), D("2.475000"), "Cukup", 3, 2),
        "C": (D("3.24"), D("3.237500"), "Baik", 1, 1),
    }
    # Weighted means, in every component and in the dimension each one is tagged with:
    # Baseline (3 × 0.75 + 4 × 0.25) / 1.00 = 3.25; Quick Win (3 × 0.35 + 4 × 0.05) / 0.40
    # = 3.125, shown 3.13; Smart Environment has no indicator.
    a = first["A"]
    assert (a.score_baseline, a.score_baseline_exact) == (D("3.25"), D("3.250000"))
    assert (a.score_quick_win, a.score_quick_win_exact) == (D("3.13"), D("3.125000"))
    assert (a.score_governance, a.score_society) == (D("3.25"), D("3.13"))
    assert a.score_society_exact == D("3.125000")
    assert a.score_environment is None
    assert (first["B"].score_outcome, first["B"].score_quick_win) == (D("2.50"), D("2.25"))
    assert set(_improvement(first).values()) == {(None, None, None, None)}
    _publish(r2024_1)

    # 2. 2025 Tahap I (2024 Tahap II is still under review, without results).
    #    A (4, 5): 4.2375 → 4.24; B (1, 5): 1 + 0.95 = 1.95; C (3, 3): 3.00.
    r2025_1 = _round(
        instrument, three_regions, {"A": (4, 5), "B": (1, 5), "C": (3, 3)},
        year=2025, phase=1, by=manager,
    )  # fmt: skip
    r2024_2 = _round(
        instrument, three_regions, {"A": (2, 3), "B": (4, 4), "C": (0, 5)},
        year=2024, phase=2, by=manager,
    )  # fmt: skip
    compute_round_results(round=r2025_1, by=manager)
    latest = _by_region(r2025_1)
    assert _figures(latest) == {
        "A": (D("4.24"), D("4.237500"), "Memuaskan", 1, 1),
        "B": (D("1.95"), D("1.950000"), "Cukup", 3, 2),
        "C": (D("3.00"), D("3.000000"), "Baik", 2, 1),
    }
    # Against 2024 Tahap I: A 4.2375 − 3.2375 = 1.00, 1st → 1st; B 1.95 − 2.475 = −0.525
    # → −0.53 (half away from zero), 3rd → 3rd; C 3.00 − 3.2375 = −0.2375 → −0.24, 1st → 2nd.
    assert _improvement(latest) == {
        "A": (first["A"].pk, D("1.00"), D("1.000000"), 0),
        "B": (first["B"].pk, D("-0.53"), D("-0.525000"), 0),
        "C": (first["C"].pk, D("-0.24"), D("-0.237500"), -1),
    }
    _publish(r2025_1)

    # 3. Kota A's 2023 Tahap II result (3.00, 2nd, from before full precision: no exact
    #    index) is restored into the history after the others.
    r2023_2 = factories.make_round(instrument=instrument, year=2023, phase=2)
    restored = rf.publish_result(r2023_2, three_regions["A"], index="3.00", national_rank=2)

    # 4. 2024 Tahap II is computed last. Its previous round is 2024 Tahap I: not 2025
    #    Tahap I (a later year, though an earlier phase), not 2023 Tahap II (a later phase,
    #    but an earlier year). A (2, 3): 2.2375 → 2.24; B (4, 4): 4.00; C (0, 5): 1.1875 → 1.19.
    compute_round_results(round=r2024_2, by=manager)
    middle = _by_region(r2024_2)
    assert _figures(middle) == {
        "A": (D("2.24"), D("2.237500"), "Cukup", 2, 2),
        "B": (D("4.00"), D("4.000000"), "Sangat Baik", 1, 1),
        "C": (D("1.19"), D("1.187500"), "Kurang", 3, 1),
    }
    assert _improvement(middle) == {
        "A": (first["A"].pk, D("-1.00"), D("-1.000000"), -1),
        "B": (first["B"].pk, D("1.53"), D("1.525000"), 2),
        "C": (first["C"].pk, D("-2.05"), D("-2.050000"), -2),
    }

    # 5. 2024 Tahap II is not published: 2025 Tahap I keeps its improvement figures.
    assert refresh_improvements(round=r2025_1, by=manager) == []
    assert _improvement(_by_region(r2025_1)) == _improvement(latest)
    # The restored 2023 result becomes Kota A's previous one in 2024 Tahap I:
    # 3.2375 − 3.00 = 0.2375 → 0.24 (the old result's shown index stands in for its
    # exact one), from 2nd to 1st.
    with factories.guards_lifted():
        [kota_a] = refresh_improvements(round=r2024_1, by=manager)
    assert (kota_a.participation.region.name, kota_a.previous_id) == ("Kota A", restored.pk)
    assert _improvement(_by_region(r2024_1))["A"] == (restored.pk, D("0.24"), D("0.237500"), 1)

    # 6. 2024 Tahap II is published: 2025 Tahap I now compares with it.
    #    A 4.2375 − 2.2375 = 2.00, 2nd → 1st; B 1.95 − 4.00 = −2.05, 1st → 3rd;
    #    C 3.00 − 1.1875 = 1.8125 → 1.81, 3rd → 2nd.
    _publish(r2024_2)
    with factories.guards_lifted():
        changed = refresh_improvements(round=r2025_1, by=manager)
    assert sorted(r.participation.region.name for r in changed) == ["Kota A", "Kota B", "Kota C"]
    expected = {
        "A": (middle["A"].pk, D("2.00"), D("2.000000"), 1),
        "B": (middle["B"].pk, D("-2.05"), D("-2.050000"), -2),
        "C": (middle["C"].pk, D("1.81"), D("1.812500"), 1),
    }
    assert _improvement(_by_region(r2025_1)) == expected
    # The history of each result keeps who changed its figures.
    for result in changed:
        assert Result.history.filter(id=result.pk).latest().history_user == manager

    # 7. Recomputing 2025 Tahap I from scratch finds the same previous round (the newest
    #    published one: 2024 Tahap II, not 2024 Tahap I of the same year).
    with factories.guards_lifted():
        compute_round_results(round=r2025_1, by=manager)
    assert _improvement(_by_region(r2025_1)) == expected
    assert _figures(_by_region(r2025_1)) == _figures(latest)


def test_a_weighted_mean_half_way_at_the_seventh_decimal_is_stored_half_up(kota_bekasi, manager):
    """Impact's indicators weigh 1.27 and 0.01: levels 3 and 4 give 3 + 0.01 / 1.28 =
    3.0078125, stored 3.007813 (half-up; banker's rounding would store 3.007812).
    Everything else is level 3: index (70 × 3 + 30 × 3.007813) / 100 = 3.0023439 → 3.002344."""
    instrument = rf.make_worked_instrument(
        {
            "baseline": QUARTER,
            "output": QUARTER,
            "outcome": QUARTER,
            "impact": ("1.27", "0.01"),
            "quick_win": QUARTER,
        },
        weights=(10, 20, 30, 30, 10),
    )
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    rf.verify(
        round_.participations.get(),
        manager,
        level=lambda ind: 4 if ind.code == "impact-hi" else 3,
    )

    [result] = compute_round_results(round=round_)

    assert result.score_impact_exact == D("3.007813")
    assert result.score_living_exact == D("3.007813")  # Impact's dimension here
    assert result.score_impact == D("3.01")
    assert result.index_exact == D("3.002344")
    assert result.index == D("3.00")
    assert full_precision(D("0.0000005")) == D("0.000001")


def test_a_level_recorded_against_another_instruments_indicator_does_not_count(
    kota_bekasi, manager
):
    """The round's indicators are all at level 3 (index 3.00). A level 0 left on an
    indicator of another instrument (the round's instrument was swapped while in draft)
    counts neither in Baseline nor in Smart Governance, as finalising ignores it too."""
    instrument = _instrument()
    other = factories.IndicatorFactory.create(
        instrument=factories.InstrumentFactory.create(indicators_per_component=0),
        component="baseline",
        dimension=factories.ensure_dimensions()[0],
        weight=D("5"),
    )
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    participation = round_.participations.get()
    rf.verify(participation, manager, level=3)
    factories.VerifiedScoreFactory.create(
        participation=participation, indicator=other, level=0, set_by=manager
    )

    [result] = compute_round_results(round=round_)

    assert (result.score_baseline, result.score_governance) == (D("3.00"), D("3.00"))
    assert result.index == D("3.00")


def test_a_component_without_a_score_adds_nothing_to_the_index():
    """4 in every component but Quick Win (no score): 0.9 × 4 = 3.60 (not 3.70, as if the
    missing component scored 1)."""
    scores = dict.fromkeys(["baseline", "output", "outcome", "impact"], D("4"))
    weights = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick_win": 10}
    assert index_from_components(scores, weights) == D("3.600000")


@pytest.mark.parametrize(
    ("index", "band"),
    [
        ("4.20", "Memuaskan"),
        ("4.19", "Sangat Baik"),
        ("3.50", "Sangat Baik"),
        ("3.49", "Baik"),
        ("2.60", "Baik"),
        ("2.59", "Cukup"),
        ("1.80", "Cukup"),
        ("1.79", "Kurang"),
        ("0.00", "Kurang"),
    ],
)
def test_each_rating_band_starts_exactly_at_its_threshold(index, band):
    """DOMAIN.md's bands: Memuaskan >= 4.2, Sangat Baik 3.5-<4.2, Baik 2.6-<3.5,
    Cukup 1.8-<2.6, Kurang < 1.8 (given in the admin's order, highest first)."""
    bands = [(threshold, name) for name, threshold in factories.DEFAULT_BANDS]
    assert rating_band_for(D(index), bands) == band
    assert rating_band_for(D(index), list(reversed(bands))) == band


def test_programme_shares_list_the_dimensions_in_their_canonical_order(three_regions, manager):
    """Programmes filed (in this order) under Living, Environment, Governance, Branding are
    reported Governance, Branding, Living, Environment, as on the region's page; a region
    without programmes has no shares, and another region's programmes never count."""
    dims = {d.code: d for d in factories.ensure_dimensions()}
    region_a, region_b, region_c = three_regions.values()
    for dimension, status in [
        ("living", ProgrammeStatus.RUNNING),
        ("environment", ProgrammeStatus.PLANNED),
        ("living", ProgrammeStatus.PLANNED),
        ("governance", ProgrammeStatus.RUNNING),
        ("governance", ProgrammeStatus.RUNNING),
        ("branding", ProgrammeStatus.COMPLETED),
    ]:
        factories.make_programme(region_a, dimension=dims[dimension], status=status)
    archived = factories.make_programme(region_a, dimension=dims["economy"])
    Programme.objects.filter(pk=archived.pk).update(archived_at="2024-01-01T00:00Z")
    factories.make_programme(region_c, dimension=dims["society"])
    round_ = rf.make_review_round([region_a, region_b], instrument=_instrument())
    for participation in Participation.objects.filter(round=round_):
        rf.verify(participation, manager, level=3)

    results = {r.participation.region_id: r for r in compute_round_results(round=round_)}

    expected = [
        ("governance", [2, 2]),
        ("branding", [0, 1]),
        ("living", [1, 2]),
        ("environment", [0, 1]),
    ]
    assert list(results[region_a.pk].programme_shares.items()) == expected
    # (PostgreSQL's jsonb keeps keys in an order of its own: compare the stored row as a dict.)
    assert Result.objects.get(pk=results[region_a.pk].pk).programme_shares == dict(expected)
    assert results[region_b.pk].programme_shares == {}
