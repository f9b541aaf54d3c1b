"""Full precision, round only what is shown; and the three engine mutants of issue 15.

Kominfo publishes 2-decimal component scores with an index that differs from the index
recomputed from them: their index comes from unrounded components, as the OECD/JRC
handbook prescribes. The engine does the same.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.services.engine import compute_round_results, round_half_up
from tests.reviewer import factories as rf
from tests.trust.conftest import run_round

pytestmark = pytest.mark.django_db

D = Decimal


def test_the_index_comes_from_unrounded_components(kota_bekasi, manager):
    # Component scores 3.6, 3.2125, 3.225, 3.066667, 3.65 with weights 10/20/30/20/20.
    instrument = rf.make_worked_instrument(
        {
            "baseline": ("0.40", "0.60"),  # 3 + 0.60/1.00 = 3.6
            "output": ("0.63", "0.17"),  # 3 + 0.17/0.80 = 3.2125
            "outcome": ("0.31", "0.09"),  # 3 + 0.09/0.40 = 3.225
            "impact": ("0.14", "0.01"),  # 3 + 0.01/0.15 = 3.0666…
            "quick_win": ("0.35", "0.65"),  # 3.65
        },
        weights=(10, 20, 30, 20, 20),
    )
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    rf.verify(
        round_.participations.get(), manager, level=lambda i: 4 if i.code.endswith("-hi") else 3
    )
    [result] = compute_round_results(round=round_)
    result.refresh_from_db()
    # Stored at full precision (≥ 4 decimals) …
    assert result.score_output_exact == D("3.212500")
    assert result.score_outcome_exact == D("3.225000")
    assert result.score_impact_exact == D("3.066667")
    assert result.index_exact == D("3.313333")
    # … shown rounded half-up: 3.225 → 3.23, and the index 3.31, although the shown
    # components (3.60, 3.21, 3.23, 3.07, 3.65) would recompute to 3.315 → 3.32.
    assert result.component_scores() == {
        "baseline": D("3.60"),
        "output": D("3.21"),
        "outcome": D("3.23"),
        "impact": D("3.07"),
        "quick_win": D("3.65"),
    }
    assert result.index == D("3.31")
    shown = sum(
        (
            D(w) * s  # type: ignore[operator]  # every component is scored here
            for w, s in zip((10, 20, 30, 20, 20), result.component_scores().values(), strict=True)
        ),
        D(0),
    )
    assert round_half_up(shown / 100) == D("3.32")


def test_ranks_and_bands_use_the_shown_index_so_readers_see_ties_as_ties(twelve_regions, manager):
    """3.075 and 3.080 both show as 3.08: the same rank, though unequal at full precision."""
    instrument = rf.make_worked_instrument(
        {
            "baseline": ("0.75", "0.25"),  # a 4 on the high indicator adds 10 % × 0.25
            "output": ("0.60", "0.40"),  # … 20 % × 0.40 = 0.08
            "outcome": ("0.50", "0.50"),
            "impact": ("0.75", "0.25"),  # … 20 % × 0.25 = 0.05
            "quick_win": ("0.50", "0.50"),
        },
        weights=(10, 20, 30, 20, 20),
    )
    a, b, c = twelve_regions[:3]
    high = {b.pk: {"output"}, c.pk: {"baseline", "impact"}, a.pk: set()}
    round_ = rf.make_review_round([a, b, c], instrument=instrument)
    for p in round_.participations.all():
        rf.verify(
            p,
            manager,
            level=lambda i, up=high[p.region_id]: (
                4 if i.code.endswith("-hi") and i.component in up else 3
            ),
        )
    results = {r.participation.region_id: r for r in compute_round_results(round=round_)}
    assert (results[b.pk].index_exact, results[c.pk].index_exact) == (D("3.080000"), D("3.075000"))
    assert results[b.pk].index == results[c.pk].index == D("3.08")
    assert results[b.pk].national_rank == results[c.pk].national_rank == 1
    assert results[a.pk].national_rank == 3
    assert results[b.pk].rating_band == results[c.pk].rating_band == "Baik"


# --- The three mutants of point 7 ---------------------------------------------------------


def test_a_component_scored_zero_counts_as_zero(instrument, kota_bekasi, manager):
    """Level 4 everywhere except Quick Win at 0: 0.9 × 4 + 0.1 × 0 = 3.60 (a 0.00 component
    counted as 1 would give 3.70)."""
    round_ = run_round(
        regions=[kota_bekasi],
        levels={kota_bekasi.code: lambda ind: 0 if ind.component == "quick_win" else 4},
        manager=manager,
        year=2026,
    )
    result = round_.participations.get().result
    assert result.score_quick_win == D("0.00")
    assert result.index == D("3.60")
    assert result.rating_band == "Sangat Baik"


def test_a_later_phase_of_the_same_year_is_never_the_previous_result(
    instrument, kota_bekasi, manager
):
    """2026 Tahap II published first; 2026 Tahap I then has no previous result (``year__lte``
    would pick Tahap II), and Tahap II's previous becomes Tahap I."""
    phase_2 = run_round(
        regions=[kota_bekasi], levels={kota_bekasi.code: 4}, manager=manager, year=2026, phase=2
    )
    phase_1 = run_round(
        regions=[kota_bekasi], levels={kota_bekasi.code: 2}, manager=manager, year=2026, phase=1
    )
    first = phase_1.participations.get().result
    second = phase_2.participations.get().result
    assert first.previous_id is None
    assert first.index_change is None
    second.refresh_from_db()
    assert second.previous_id == first.pk
    assert second.index_change == D("2.00")


def test_results_come_back_in_rank_order_not_region_code_order(instrument, twelve_regions, manager):
    regions = twelve_regions[:4]
    levels = {regions[0].code: 1, regions[1].code: 4, regions[2].code: 2, regions[3].code: 5}
    round_ = run_round(regions=regions, levels=levels, manager=manager, year=2026, publish=False)
    from evaluations.services import rounds as svc

    svc.round_reopen(round=round_, by=manager, reason="hitung ulang")
    results = compute_round_results(round=round_)
    assert [r.participation.region.code for r in results] == [
        regions[3].code,
        regions[1].code,
        regions[2].code,
        regions[0].code,
    ]
    assert [r.national_rank for r in results] == [1, 2, 3, 4]
