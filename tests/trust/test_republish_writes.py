"""Republishing a national round fast without loosening anything (issue 15, `make bench`).

The engine rewrites results with one ``UPDATE … FROM (VALUES …)`` per round on PostgreSQL
(``evaluations.services.bulk``) and revises every later round from one read of the
published history (``refresh_improvements_of``). These tests hold the shortcuts to the
figures, history rows and guards of the plain path.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluations.models import Publication, PublicationKind, Result
from evaluations.services import rounds as svc
from evaluations.services.bulk import update_with_history
from evaluations.services.engine import IMPROVEMENT_FIELDS, RESULT_FIELDS, compute_round_results
from evaluations.trust import GUARD_MESSAGE, closed_round_write
from tests.trust.conftest import run_round

pytestmark = pytest.mark.django_db

D = Decimal


def _levels(regions, level):
    return {r.code: level for r in regions}


def _row(result: Result) -> dict:
    return {field: getattr(result, field) for field in RESULT_FIELDS}


def test_results_rewritten_in_bulk_keep_every_column_and_get_one_history_row_each(
    instrument, twelve_regions, manager
):
    round_ = run_round(
        regions=twelve_regions,
        levels={r.code: 1 + i % 5 for i, r in enumerate(twelve_regions)},
        manager=manager,
        year=2026,
        publish=False,
    )
    results = list(Result.objects.filter(participation__round=round_).order_by("pk"))
    history_before = Result.history.count()
    for i, result in enumerate(results):
        # Every kind of column: decimals at both precisions, text, ranks, JSON, NULLs.
        result.index = D("1.23") + D("0.25") * i
        result.index_exact = D("1.234567") + D("0.25") * i
        result.rating_band = f"Band {i}"
        result.national_rank = 100 - i
        result.score_impact = None
        result.score_impact_exact = None
        result.programme_shares = {"governance": [i, 10], "économie": [0, 0]}
        result.index_change = D("-0.50") if i % 2 else None
        result.previous_id = None
    expected = {r.pk: _row(r) for r in results}

    with (
        closed_round_write([round_.pk], reason="test"),
        CaptureQueriesContext(connection) as queries,
    ):
        update_with_history(results, Result, RESULT_FIELDS, by=manager)

    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "evaluations_result"')]
    assert len(updates) == 1  # one statement for the whole round
    if connection.vendor == "postgresql":
        assert "FROM (VALUES" in updates[0]
    stored = {r.pk: _row(r) for r in Result.objects.filter(participation__round=round_)}
    assert stored == expected
    history = Result.history.order_by("-history_id")[: len(results)]
    assert Result.history.count() == history_before + len(results)
    assert {(h.history_type, h.history_user_id) for h in history} == {("~", manager.pk)}
    assert {h.id: h.index for h in history} == {pk: row["index"] for pk, row in expected.items()}


def test_the_trust_guards_refuse_a_bulk_rewrite_of_a_published_round(
    instrument, twelve_regions, manager
):
    round_ = run_round(
        regions=twelve_regions, levels=_levels(twelve_regions, 3), manager=manager, year=2026
    )
    results = list(Result.objects.filter(participation__round=round_))
    for result in results:
        result.index = D("4.99")
    with pytest.raises(IntegrityError, match=GUARD_MESSAGE), transaction.atomic():
        update_with_history(results, Result, ["index"], by=manager)
    assert set(
        Result.objects.filter(participation__round=round_).values_list("index", flat=True)
    ) == {D("3.00")}


def _improvements(round_) -> dict:
    return {
        r["participation__region__code"]: r
        for r in Result.objects.filter(participation__round=round_).values(
            "participation__region__code", *IMPROVEMENT_FIELDS
        )
    }


def test_a_correction_revises_every_affected_later_round_as_the_engine_would(
    instrument, twelve_regions, manager
):
    """Kota Uji 03 sits out 2025 I: its 2025 II improvement refers to 2024 II, so a
    correction of 2024 II must revise 2025 II too, not only the next round."""
    regions = twelve_regions[:6]
    absent = regions[2]
    first = run_round(
        regions=regions,
        levels={r.code: 1 + i % 4 for i, r in enumerate(regions)},
        manager=manager,
        year=2024,
        phase=2,
    )
    middle = run_round(
        regions=[r for r in regions if r != absent],
        levels=_levels(regions, 3),
        manager=manager,
        year=2025,
        phase=1,
    )
    last = run_round(
        regions=regions, levels=_levels(regions, 4), manager=manager, year=2025, phase=2
    )
    assert _improvements(last)[absent.code]["index_change"] == D("1.00")  # 3.00 → 4.00

    svc.round_reopen(round=first, by=manager, reason="Koreksi")
    first.participations.get(region=absent).verified_scores.update(level=1)
    svc.round_finalise(round=first, by=manager)
    svc.round_publish(round=first, by=manager, note="Koreksi")

    assert _improvements(last)[absent.code]["index_change"] == D("3.00")  # 1.00 → 4.00
    revised = Publication.objects.filter(kind=PublicationKind.DERIVED, caused_by=first)
    assert {p.round_id for p in revised} == {middle.pk, last.pk}
    # The one-read refresh agrees with the engine's full computation, row by row.
    for later in (middle, last):
        refreshed = _improvements(later)
        with closed_round_write([later.pk], reason="oracle"):
            compute_round_results(round=later, by=manager)
        assert _improvements(later) == refreshed


def _republish_queries(regions, manager, *, first_year: int) -> int:
    """Publish four rounds, correct the first one, and count republishing's queries."""
    first = run_round(
        regions=regions,
        levels={r.code: 2 + i % 4 for i, r in enumerate(regions)},
        manager=manager,
        year=first_year,
    )
    for year in range(first_year + 1, first_year + 4):
        run_round(regions=regions, levels=_levels(regions, 3), manager=manager, year=year)
    svc.round_reopen(round=first, by=manager, reason="Koreksi")
    for participation in first.participations.all():
        participation.verified_scores.update(level=1)
    svc.round_finalise(round=first, by=manager)
    with CaptureQueriesContext(connection) as queries:
        svc.round_publish(round=first, by=manager, note="Koreksi")
    # The next round was revised (its improvement moved), the two after it were not.
    assert Publication.objects.filter(caused_by=first).count() == 1
    return len(queries)


def test_republishing_costs_the_same_queries_for_3_regions_as_for_9(
    instrument, twelve_regions, manager
):
    """No query per region or per later round: 514 regions and 19 later rounds cost what
    3 regions do (the national figure is in README, `make bench`)."""
    small = _republish_queries(twelve_regions[:3], manager, first_year=2020)
    large = _republish_queries(twelve_regions[3:], manager, first_year=2030)
    assert small == large
