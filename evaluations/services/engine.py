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

Precision rule (what a reader needs to recompute a published index; composite-index
practice, OECD/JRC *Handbook on Constructing Composite Indicators*: round only what is
shown):

1. Arithmetic is ``decimal.Decimal`` throughout, never float.
2. Component and dimension scores are stored at **full precision**: the weighted mean
   rounded half-up to 6 decimals (``*_exact`` columns).
3. The index is computed **from those unrounded component scores**:
   Σ weight × component score / 100, rounded half-up to 6 decimals (``index_exact``).
4. Only what is shown is rounded, half-up to 2 decimals: the ``index`` and ``score_*``
   columns, which also decide the **rank** (ties are equal 2-decimal indices, so a reader
   sees ties as ties) and the **rating band**. So 10/20/30/20/20 with component scores
   3.6, 3.2125, 3.225, 3.066667, 3.65 gives 3.313333 → 3.31, although the shown
   components (3.60, 3.21, 3.23, 3.07, 3.65) would give 3.315 → 3.32, as in Kominfo's
   own published results (``tests/trust/test_precision.py``).
5. ``index_change_exact`` = index_exact − previous index_exact; ``index_change`` is that
   rounded half-up to 2 decimals.

Cost: a fixed number of queries whatever the number of participations (sums are
aggregated in SQL with GROUP BY, results written with bulk_create, or rewritten with one
``UPDATE … FROM (VALUES …)`` per round on PostgreSQL (``evaluations.services.bulk``), plus
their history rows); see ``tests/reviewer/test_finalise_queries.py`` and
``tests/trust/test_republish_writes.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from evaluations.models import (
    ComponentCode,
    DimensionCode,
    Participation,
    Programme,
    ProgrammeStatus,
    RatingBand,
    Result,
    Round,
    VerifiedScore,
)
from evaluations.models.results import SCORE_FIELDS_COMPONENT, SCORE_FIELDS_DIMENSION
from evaluations.services.bulk import update_with_history

TWO_PLACES = Decimal("0.01")
EXACT_PLACES = Decimal("0.000001")
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
    "index_exact",
    "index_change_exact",
    *[f"{field}_exact" for field in SCORE_FIELDS_COMPONENT + SCORE_FIELDS_DIMENSION],
]
IMPROVEMENT_FIELDS = ["previous", "index_change", "index_change_exact", "rank_change"]
# The same, as ``improvement()`` returns them (attribute names).
IMPROVEMENT_VALUES = ["previous_id", "index_change", "index_change_exact", "rank_change"]


# --- Pure arithmetic (the rules, testable without a database) ----------------------------------


def round_half_up(value: Decimal) -> Decimal:
    """Round to 2 decimals, halves away from zero (3.315 → 3.32, 2.345 → 2.35)."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def full_precision(value: Decimal) -> Decimal:
    """The stored precision: half-up to 6 decimals."""
    return value.quantize(EXACT_PLACES, rounding=ROUND_HALF_UP)


def shown(value: Decimal | None) -> Decimal | None:
    """What a reader sees (and what ranks and bands use): half-up to 2 decimals."""
    return None if value is None else round_half_up(value)


def weighted_mean(weighted_sum: Decimal, total_weight: Decimal) -> Decimal | None:
    """Σ(level × weight) / Σ weight at full precision (6 decimals); None without weight."""
    if not total_weight:
        return None
    return full_precision(Decimal(weighted_sum) / Decimal(total_weight))


def index_from_components(
    component_scores: Mapping[str, Decimal | None], weights: Mapping[str, int]
) -> Decimal:
    """Σ weight × (unrounded) component score / 100, at full precision (6 decimals).

    A component without a score (no indicator) contributes 0; opening and finalising a
    round refuse instruments where a weighted component has no indicator, so that only
    happens with a zero weight. A component scored 0.00 contributes 0 too, of course.
    """
    total = Decimal(0)
    for code, weight in weights.items():
        score = component_scores.get(code)
        total += Decimal(weight) * (Decimal(0) if score is None else score)
    return full_precision(total / Decimal(100))


def competition_ranks[K: Hashable](values: Iterable[tuple[K, Decimal]]) -> dict[K, int]:
    """Standard competition ranking, highest value first: 1, 2, 2, 4.

    Ties are equal Decimals: the engine ranks the shown (2-decimal) indices.
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


def improvement(
    *,
    index_exact: Decimal,
    national_rank: int,
    previous_id: int | None,
    previous_index: Decimal | None,
    previous_rank: int | None,
) -> dict[str, Any]:
    """The improvement columns against a previous published result (or none)."""
    if previous_id is None or previous_index is None or previous_rank is None:
        return {
            "previous_id": None,
            "index_change": None,
            "index_change_exact": None,
            "rank_change": None,
        }
    change = full_precision(index_exact - Decimal(previous_index))
    return {
        "previous_id": previous_id,
        "index_change": round_half_up(change),
        "index_change_exact": change,
        "rank_change": previous_rank - national_rank,
    }


# --- The computation --------------------------------------------------------------------------


def _earlier_published_results(round_: Round, region: str = "region") -> QuerySet[Result]:
    """Published results of the outer query's region in rounds before ``round_``, newest
    first (used as a correlated subquery)."""
    earlier = Q(participation__round__year__lt=round_.year) | Q(
        participation__round__year=round_.year, participation__round__phase__lt=round_.phase
    )
    return Result.objects.filter(
        earlier,
        participation__region=OuterRef(region),
        participation__round__is_public=True,
    ).order_by("-participation__round__year", "-participation__round__phase")


def _weighted_sums(round_: Round, group_field: str) -> dict[tuple[int, str], Decimal | None]:
    """{(participation id, code): full-precision weighted mean} from one GROUP BY query."""
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
def compute_round_results(*, round: Round, by: User | None = None) -> list[Result]:
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
    # Annotated rows (prev_*): the stubs lose annotations through a custom queryset class.
    participations: list[Any] = list(
        Participation.objects.filter(round=round_, excluded=False)
        .select_related("region")
        .annotate(
            prev_result_id=Subquery(previous.values("pk")[:1]),
            prev_index=Subquery(previous.values(exact=Coalesce("index_exact", "index"))[:1]),
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
        index_exact = min(index_from_components(comp, weights), MAX_INDEX)
        index = round_half_up(index_exact)
        indices[p.pk] = index
        figures[p.pk] = {
            "index": index,
            "index_exact": index_exact,
            "rating_band": rating_band_for(index, bands),
            **{f"score_{code}": shown(value) for code, value in comp.items()},
            **{f"score_{code}": shown(value) for code, value in dims.items()},
            **{f"score_{code}_exact": value for code, value in comp.items()},
            **{f"score_{code}_exact": value for code, value in dims.items()},
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
        values.update(
            improvement(
                index_exact=values["index_exact"],
                national_rank=values["national_rank"],
                previous_id=p.prev_result_id,
                previous_index=p.prev_index,
                previous_rank=p.prev_rank,
            )
        )
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
        update_with_history(to_update, Result, RESULT_FIELDS, by=by)
    if existing:
        # Participations excluded since the last computation lose their result.
        Result.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()

    results = to_create + to_update
    results.sort(key=lambda r: (r.national_rank, r.participation.region.code))
    return results


def _published_before(
    region_ids: Iterable[int], before: tuple[int, int]
) -> dict[int, list[tuple[tuple[int, int], int, Decimal, int]]]:
    """Every published result of these regions in rounds before ``before`` (year, phase),
    per region, oldest first: [((year, phase), result id, full-precision index, rank)].

    One query; what ``_earlier_published_results`` finds row by row, for many rounds.
    """
    year, phase = before
    rows = (
        Result.objects.filter(
            Q(participation__round__year__lt=year)
            | Q(participation__round__year=year, participation__round__phase__lt=phase),
            participation__round__is_public=True,
            participation__region_id__in=list(region_ids),
        )
        .values_list(
            "participation__region_id",
            "participation__round__year",
            "participation__round__phase",
            "pk",
            Coalesce("index_exact", "index"),
            "national_rank",
        )
        .order_by()
    )
    history: dict[int, list[tuple[tuple[int, int], int, Decimal, int]]] = defaultdict(list)
    for region_id, row_year, row_phase, pk, exact, rank in rows:
        history[region_id].append(((row_year, row_phase), pk, exact, rank))
    for entries in history.values():
        entries.sort(key=lambda entry: entry[0])
    return history


def _previous_in(
    entries: list[tuple[tuple[int, int], int, Decimal, int]], key: tuple[int, int]
) -> tuple[int | None, Decimal | None, int | None]:
    """The newest entry strictly before ``key``: (result id, index, rank), or Nones."""
    position = bisect_left([entry[0] for entry in entries], key)
    if not position:
        return None, None, None
    _key, pk, exact, rank = entries[position - 1]
    return pk, exact, rank


@transaction.atomic
def refresh_improvements_of(
    *, rounds: Iterable[Round], by: User | None = None
) -> dict[int, list[Result]]:
    """Recompute only the improvement columns of these rounds' results (index, scores and
    ranks stay): against each region's *currently* published previous result.

    Used when an earlier round's published figures change, or an earlier round is
    published, withdrawn or re-published after these. Returns, per round id, the results
    whose improvement figures changed (their history keeps the old ones). Two queries
    whatever the number of rounds, plus, when something changed, one to read the changed
    results and one write per round that changed.
    """
    rounds = list(rounds)
    if not rounds:
        return {}
    keys = {r.pk: (r.year, r.phase) for r in rounds}
    # Plain values first: a national decade is ~10,000 results, of which few change.
    rows = list(
        Result.objects.filter(participation__round__in=rounds)
        .values_list(
            "pk",
            "participation__round_id",
            "participation__region_id",
            Coalesce("index_exact", "index"),
            "national_rank",
            *IMPROVEMENT_VALUES,
        )
        .order_by("participation__round_id", "pk")
    )
    history = _published_before({row[2] for row in rows}, max(keys.values()))
    new_values: dict[int, tuple[int, dict[str, Any]]] = {}
    for pk, round_id, region_id, exact, rank, *current in rows:
        prev_id, prev_index, prev_rank = _previous_in(history.get(region_id, []), keys[round_id])
        values = improvement(
            index_exact=exact,
            national_rank=rank,
            previous_id=prev_id,
            previous_index=prev_index,
            previous_rank=prev_rank,
        )
        if tuple(values[field] for field in IMPROVEMENT_VALUES) != tuple(current):
            new_values[pk] = (round_id, values)
    changed: dict[int, list[Result]] = {r.pk: [] for r in rounds}
    if new_values:
        for result in (
            Result.objects.filter(pk__in=new_values)
            .select_related("participation__region")
            .order_by("pk")
        ):
            round_id, values = new_values[result.pk]
            for field, value in values.items():
                setattr(result, field, value)
            changed[round_id].append(result)
    for round_changes in changed.values():
        update_with_history(round_changes, Result, IMPROVEMENT_FIELDS, by=by)
    return changed


def refresh_improvements(*, round: Round, by: User | None = None) -> list[Result]:
    """:func:`refresh_improvements_of` for one round: the results whose improvement changed."""
    return refresh_improvements_of(rounds=[round], by=by)[round.pk]
