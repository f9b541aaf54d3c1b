"""Invariants of the scoring engine, checked on generated data (hypothesis)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.models import ComponentCode, Instrument
from evaluations.services.engine import (
    competition_ranks,
    compute_round_results,
    index_from_components,
    weighted_mean,
)
from tests import factories
from tests.reviewer import factories as rf

levels = st.integers(min_value=0, max_value=5)
indicator_weights = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2, allow_nan=False
)


@st.composite
def component_weights(draw) -> dict[str, int]:
    """Five whole percentages adding up to 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)))
    bounds = [0, *cuts, 100]
    return {code: bounds[i + 1] - bounds[i] for i, code in enumerate(ComponentCode.values)}


@given(st.lists(st.tuples(levels, indicator_weights), min_size=1, max_size=12))
def test_a_weighted_mean_of_levels_stays_between_the_lowest_and_highest_level(pairs):
    total = sum((w for _, w in pairs), Decimal(0))
    mean = weighted_mean(sum((lv * w for lv, w in pairs), Decimal(0)), total)
    assert min(lv for lv, _ in pairs) <= mean <= max(lv for lv, _ in pairs)
    assert mean == mean.quantize(Decimal("0.000001"))  # full precision (issue 15)


@given(component_weights(), st.lists(levels, min_size=5, max_size=5))
def test_index_is_within_0_and_5_with_two_decimals(weights, whole_levels):
    scores = {
        code: Decimal(level) for code, level in zip(ComponentCode.values, whole_levels, strict=True)
    }
    index = index_from_components(scores, weights)
    assert Decimal(0) <= index <= Decimal(5)
    assert index == index.quantize(Decimal("0.01"))


@given(
    st.lists(
        st.decimals(min_value=0, max_value=5, places=2, allow_nan=False), min_size=0, max_size=40
    )
)
def test_ranks_follow_index_order_and_ties_share_a_rank(indices):
    ranks = competition_ranks(enumerate(indices))
    for i, a in enumerate(indices):
        # A rank is one more than the number of strictly better indices.
        assert ranks[i] == 1 + sum(1 for b in indices if b > a)
        for j, b in enumerate(indices):
            if a > b:
                assert ranks[i] < ranks[j]
            if a == b:
                assert ranks[i] == ranks[j]


def _half_up(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals (values here are >= 0)."""
    scale = 10**places
    return Decimal(math.floor(value * scale + Fraction(1, 2))) / scale


def _oracle(
    weights: dict[str, int], indicators: list[tuple[str, Decimal, int]]
) -> tuple[dict[str, Decimal], Decimal]:
    """The method of DOMAIN.md and docs, recomputed with exact fractions from the levels:
    component score = Σ level × weight / Σ weight, kept at 6 decimals; index = Σ component
    weight % × component score / 100 at 6 decimals; only the shown index is rounded to 2.
    ``indicators`` holds (component, indicator weight, verified level)."""
    components: dict[str, Decimal] = {}
    for code in weights:
        mine = [(Fraction(w), lv) for c, w, lv in indicators if c == code]
        total = sum((w for w, _ in mine), Fraction(0))
        components[code] = _half_up(sum((w * lv for w, lv in mine), Fraction(0)) / total, 6)
    index_exact = _half_up(
        sum((Fraction(weights[c]) * Fraction(components[c]) for c in weights), Fraction(0)) / 100,
        6,
    )
    return components, index_exact


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    weights=component_weights(),
    grid=st.lists(st.lists(levels, min_size=10, max_size=10), min_size=1, max_size=6),
    indicator_weight_grid=st.lists(
        st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("2.25"), Decimal(3)]),
        min_size=10,
        max_size=10,
    ),
)
def test_computed_results_match_an_independent_computation(
    manager, weights, grid, indicator_weight_grid
):
    """Through the database, any verified levels and indicator weights give the figures an
    exact-fraction recomputation of the published method gives (not the engine's own
    helpers): component scores, index (exact and shown), national and provincial ranks."""
    with transaction.atomic():
        instrument = factories.make_instrument(weights=tuple(weights.values()))
        indicators = list(instrument.indicators.order_by("order"))
        for indicator, weight in zip(indicators, indicator_weight_grid, strict=True):
            indicator.weight = weight
            indicator.save(update_fields=["weight"])
        regions = rf.make_regions(len(grid))
        round_ = rf.make_review_round(regions, instrument=instrument)
        expected = {}
        for participation, row in zip(
            round_.participations.order_by("region__code"), grid, strict=True
        ):
            by_code = dict(zip((i.code for i in indicators), row, strict=True))
            rf.verify(participation, manager, level=lambda ind, m=by_code: m[ind.code])
            expected[participation.pk] = _oracle(
                weights,
                [(i.component, i.weight, by_code[i.code]) for i in indicators],
            )

        results = compute_round_results(round=round_)

        assert len(results) == len(grid)
        shown = {}
        for r in results:
            components, index_exact = expected[r.participation_id]
            for code, score in components.items():
                assert getattr(r, f"score_{code}_exact") == score
                assert getattr(r, f"score_{code}") == _half_up(Fraction(score), 2)
            assert r.index_exact == index_exact
            assert r.index == _half_up(Fraction(index_exact), 2)
            assert Decimal(0) <= r.index <= Decimal(5)
            shown[r.participation_id] = (r.index, r.participation.region.province_id)
        for r in results:
            index, province = shown[r.participation_id]
            # Competition ranking: one more than the number of strictly better indices.
            assert r.national_rank == 1 + sum(1 for i, _ in shown.values() if i > index)
            assert r.provincial_rank == 1 + sum(
                1 for i, p in shown.values() if p == province and i > index
            )
        transaction.set_rollback(True)
    assert not Instrument.objects.exists()
