"""Invariants of the scoring engine, checked on generated data (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.models import ComponentCode, Instrument
from evaluations.services.engine import (
    competition_ranks,
    compute_round_results,
    index_from_components,
    round_half_up,
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


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    weights=component_weights(),
    grid=st.lists(st.lists(levels, min_size=10, max_size=10), min_size=1, max_size=6),
)
def test_computed_results_obey_the_invariants(manager, weights, grid):
    """Through the database: any verified levels give indices in 0–5 and coherent ranks."""
    with transaction.atomic():
        instrument = factories.make_instrument(weights=tuple(weights.values()))
        regions = rf.make_regions(len(grid))
        round_ = rf.make_review_round(regions, instrument=instrument)
        indicators = list(instrument.indicators.order_by("order"))
        for participation, row in zip(
            round_.participations.order_by("region__code"), grid, strict=True
        ):
            by_code = dict(zip((i.code for i in indicators), row, strict=True))
            rf.verify(participation, manager, level=lambda ind, m=by_code: m[ind.code])

        results = compute_round_results(round=round_)

        assert len(results) == len(grid)
        for r in results:
            assert Decimal(0) <= r.index <= Decimal(5)
            # Full precision (issue 15): the index follows from the unrounded components and
            # the shown index is that rounded half-up; it no longer has to follow from the
            # shown 2-decimal components.
            exact = {c: getattr(r, f"score_{c}_exact") for c in weights}
            assert r.index_exact == index_from_components(exact, weights)
            assert r.index == round_half_up(r.index_exact)
        for a in results:
            for b in results:
                if a.index > b.index:
                    assert a.national_rank < b.national_rank
                if a.index == b.index:
                    assert a.national_rank == b.national_rank
        transaction.set_rollback(True)
    assert not Instrument.objects.exists()
