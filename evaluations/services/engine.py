"""The scoring engine: from verified levels to a round's results.

What it computes, per participation that is not excluded:

- **component score** (Baseline, Output, Outcome, Impact, Quick Win): the mean of the
  verified levels of the indicators in that component, weighted by each indicator's
  ``weight``;
- **dimension score** (the six pillars): the same weighted mean over the indicators tagged
  with that dimension (indicators without a dimension count only in their component);
- **index** = Σ component weight (%) × component score / 100, with the round's instrument
  weights;
- **rating band** (predikat): the instrument's ``RatingBand`` with the highest
  ``min_index`` not above the index;
- **national rank** and **rank within the province**: competition ranking by index, highest
  first, ties share a rank and the next rank skips (1, 2, 2, 4);
- **improvement**: against the region's previous *published* result in an earlier round
  (by year, then phase): ``index_change`` = index − previous index, ``rank_change`` =
  previous national rank − national rank (positive means the region moved up);
- **programme shares**: per dimension, ``[running, total]`` of the region's active
  (not archived) programmes at the time of computing, i.e. at finalisation.

Rounding rule (what a reader needs to recompute a published index):

1. Arithmetic is ``decimal.Decimal`` throughout, never float.
2. Component and dimension scores are rounded **half-up to 2 decimals** (2.345 → 2.35).
3. The index is computed **from those rounded component scores** and rounded half-up to
   2 decimals. So anyone can recompute the published index from the published component
   scores and the published weights: 10/20/30/20/20 with 3.60, 3.21, 3.23, 3.07, 3.65
   gives exactly 3.315 → 3.32 (float arithmetic would give 3.3149999… → 3.31).
4. ``index_change`` is the difference of two rounded indices, hence exact.

Cost: a fixed number of queries whatever the number of participations (sums are
aggregated in SQL with GROUP BY, results written with bulk_create/bulk_update plus their
history rows); see ``tests/reviewer/test_engine_queries.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluations.models import (
    ComponentCode,
    DimensionCode,
    Participation,
    Programme,
    ProgrammeStatus,
    RatingBand,
    Result,
    Round,
    RoundStatus,
    VerifiedScore,
)
from evaluations.models.results import SCORE_FIELDS_COMPONENT, SCORE_FIELDS_DIMENSION

TWO_PLACES = Decimal("0.01")
MAX_INDEX = Decimal(5)

# Every column compute_round_results writes (bulk_update needs the list).
RESULT_FIELDS = [
    "index",
    "rating_band",
    "national_rank",
    "provincial_rank",
    *SCORE_FIELDS_COMPONENT,
    *SCORE_FIELDS_DIMENSION,
    "previous",
    "index_change",
    "rank_change",
    "programme_shares",
    "computed_at",
]


# --- Pure arithmetic (the rules, testable without a database) ----------------------------------


def round_half_up(value: Decimal) -> Decimal:
    """Round to 2 decimals, halves away from zero (3.315 → 3.32, 2.345 → 2.35)."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_mean(weighted_sum: Decimal, total_weight: Decimal) -> Decimal | None:
    """Σ(level × weight) / Σ weight, rounded half-up to 2 decimals; None without weight."""
    if not total_weight:
        return None
    return round_half_up(Decimal(weighted_sum) / Decimal(total_weight))


def index_from_components(
    component_scores: Mapping[str, Decimal | None], weights: Mapping[str, int]
) -> Decimal:
    """Σ weight × (rounded) component score / 100, rounded half-up to 2 decimals.

    A component without a score (no indicator) contributes 0; ``round_open_self_assessment``
    refuses instruments where a weighted component has no indicator, so that only happens
    with a zero weight.
    """
    total = sum(
        (Decimal(weights[code]) * (component_scores.get(code) or Decimal(0)) for code in weights),
        Decimal(0),
    )
    return round_half_up(total / Decimal(100))


def competition_ranks[K: Hashable](values: Iterable[tuple[K, Decimal]]) -> dict[K, int]:
    """Standard competition ranking, highest value first: 1, 2, 2, 4.

    Ties are equal Decimals (indices are already rounded to 2 decimals).
    """
    ordered = sorted(values, key=lambda kv: kv[1], reverse=True)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


def rating_band_for(index: Decimal, bands: Iterable[tuple[Decimal, str]]) -> str:
    """The name of the band with the highest threshold not above ``index`` ('' if none)."""
    best: tuple[Decimal, str] | None = None
    for threshold, name in bands:
        if threshold <= index and (best is None or threshold > best[0]):
            best = (threshold, name)
    return best[1] if best else ""


# --- The computation --------------------------------------------------------------------------


def _earlier_published_results(round_: Round) -> QuerySet[Result]:
    """Published results of the outer query's region in rounds before ``round_``, newest
    first (used as a correlated subquery)."""
    earlier = Q(participation__round__year__lt=round_.year) | Q(
        participation__round__year=round_.year, participation__round__phase__lt=round_.phase
    )
    return Result.objects.filter(
        earlier,
        participation__region=OuterRef("region"),
        participation__round__status=RoundStatus.PUBLISHED,
    ).order_by("-participation__round__year", "-participation__round__phase")


def _weighted_sums(round_: Round, group_field: str) -> dict[tuple[int, str], Decimal | None]:
    """{(participation id, code): rounded weighted mean} from one GROUP BY query."""
    rows = (
        VerifiedScore.objects.filter(
            participation__round=round_,
            participation__excluded=False,
            indicator__instrument_id=round_.instrument_id,
        )
        .exclude(**{f"{group_field}__isnull": True})
        .values("participation_id", code=F(group_field))
        .annotate(
            # level × weight has at most 2 decimals; the DecimalField output makes SQLite
            # return an exact Decimal (PostgreSQL's numeric is exact anyway).
            weighted=Sum(
                F("level") * F("indicator__weight"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            total=Sum("indicator__weight"),
        )
        .order_by()
    )
    return {
        (row["participation_id"], row["code"]): weighted_mean(row["weighted"], row["total"])
        for row in rows
    }


def _programme_shares(region_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    rows = (
        Programme.objects.active()
        .filter(region_id__in=region_ids)
        .values("region_id", code=F("dimension__code"))
        .annotate(total=Count("pk"), running=Count("pk", filter=Q(status=ProgrammeStatus.RUNNING)))
        .order_by()
    )
    shares: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for row in rows:
        shares[row["region_id"]][row["code"]] = [row["running"], row["total"]]
    # Canonical dimension order, so the JSON reads the same on every run.
    order = {code: i for i, code in enumerate(DimensionCode.values)}
    return {
        region: dict(sorted(by_dim.items(), key=lambda kv: order.get(kv[0], 99)))
        for region, by_dim in shares.items()
    }


@transaction.atomic
def compute_round_results(*, round: Round, by: AbstractBaseUser | None = None) -> list[Result]:
    """(Re)compute the results of every non-excluded participation of ``round``.

    Deterministic: the same verified levels, programmes and previous results always give
    the same figures. Existing results are updated in place (their history keeps the old
    figures); results of participations excluded since are deleted. Returns the results
    ordered by national rank, then region code. ``by`` is recorded as the author of the
    results' history rows.
    """
    round_ = round
    weights = round_.instrument.component_weights()
    previous = _earlier_published_results(round_)
    participations = list(
        Participation.objects.filter(round=round_, excluded=False)
        .select_related("region")
        .annotate(
            prev_result_id=Subquery(previous.values("pk")[:1]),
            prev_index=Subquery(previous.values("index")[:1]),
            prev_rank=Subquery(previous.values("national_rank")[:1]),
        )
        .order_by("region__code")
    )
    components = _weighted_sums(round_, "indicator__component")
    dimensions = _weighted_sums(round_, "indicator__dimension__code")
    bands = list(
        RatingBand.objects.filter(instrument_id=round_.instrument_id)
        .values_list("min_index", "name")
        .order_by()
    )
    shares = _programme_shares([p.region_id for p in participations])
    existing = {r.participation_id: r for r in Result.objects.filter(participation__round=round_)}

    indices: dict[int, Decimal] = {}
    figures: dict[int, dict[str, Any]] = {}
    for p in participations:
        comp = {code: components.get((p.pk, code)) for code in ComponentCode.values}
        dims = {code: dimensions.get((p.pk, code)) for code in DimensionCode.values}
        index = min(index_from_components(comp, weights), MAX_INDEX)
        indices[p.pk] = index
        figures[p.pk] = {
            "index": index,
            "rating_band": rating_band_for(index, bands),
            **{f"score_{code}": value for code, value in comp.items()},
            **{f"score_{code}": value for code, value in dims.items()},
            "programme_shares": shares.get(p.region_id, {}),
        }

    national = competition_ranks(indices.items())
    by_province: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for p in participations:
        by_province[p.region.province_id].append((p.pk, indices[p.pk]))
    provincial: dict[int, int] = {}
    for members in by_province.values():
        provincial.update(competition_ranks(members))

    to_create: list[Result] = []
    to_update: list[Result] = []
    for p in participations:
        values = figures[p.pk]
        values["national_rank"] = national[p.pk]
        values["provincial_rank"] = provincial[p.pk]
        values["previous_id"] = p.prev_result_id
        if p.prev_index is not None:
            values["index_change"] = values["index"] - Decimal(p.prev_index)
            values["rank_change"] = p.prev_rank - values["national_rank"]
        else:
            values["index_change"] = None
            values["rank_change"] = None
        result = existing.pop(p.pk, None)
        if result is None:
            to_create.append(Result(participation=p, **values))
        else:
            for field, value in values.items():
                setattr(result, field, value)
            to_update.append(result)
        # Attach the participation so callers can read region names without a query.
        (to_create[-1] if result is None else result).participation = p

    if to_create:
        bulk_create_with_history(to_create, Result, default_user=by)
    if to_update:
        now = timezone.now()
        for result in to_update:
            result.computed_at = now  # bulk_update skips auto_now
        bulk_update_with_history(to_update, Result, RESULT_FIELDS, default_user=by)
    if existing:
        # Participations excluded since the last computation lose their result.
        Result.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()

    results = to_create + to_update
    results.sort(key=lambda r: (r.national_rank, r.participation.region.code))
    return results
