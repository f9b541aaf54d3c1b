"""Finalising a round costs the same number of queries for 3 regions as for 30."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from evaluations.models import Result, RoundStatus
from evaluations.services import rounds as svc
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db

# The manager check, select_for_update of the round, indicator count, completeness check;
# the engine: participations with their previous results, component sums, dimension sums,
# rating bands, programme shares, existing results, then the insert (or update) of the
# results and of their history rows; the round's status, its history row, the event; plus
# two savepoints and their releases; and (issue 15) the instrument check: indicators per
# component, dimensions without an indicator, rating bands.
FINALISE_QUERIES = 22


def _scored_round(n: int, manager):
    regions = rf.make_regions(n)
    round_ = rf.make_review_round(regions)
    for i, p in enumerate(round_.participations.all()):
        rf.verify(p, manager, level=lambda ind, i=i: (ind.order + i) % 6)
    return round_


@pytest.mark.parametrize("regions", [3, 30])
def test_finalise_query_count_does_not_grow_with_regions(
    regions, manager, django_assert_num_queries
):
    round_ = _scored_round(regions, manager)
    with django_assert_num_queries(FINALISE_QUERIES):
        svc.round_finalise(round=round_, by=manager)
    assert Result.objects.count() == regions


@pytest.mark.parametrize("regions", [3, 30])
def test_refinalise_after_reopening_updates_in_constant_queries(
    regions, manager, django_assert_num_queries
):
    round_ = _scored_round(regions, manager)
    svc.round_finalise(round=round_, by=manager)
    svc.round_reopen(round=round_, by=manager, reason="Koreksi")
    fresh = User.objects.get(pk=manager.pk)  # the role check is cached per user object
    with django_assert_num_queries(FINALISE_QUERIES):
        svc.round_finalise(round=round_, by=fresh)
    assert round_.status == RoundStatus.FINALISED
    assert Result.history.count() == 2 * regions
