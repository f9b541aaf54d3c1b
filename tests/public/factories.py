"""Factories for the public portal's tests: published rounds with results, written directly.

The scoring engine belongs to the reviewer workspace; here results are made the way the
engine would store them (Decimal, half-up to 2 decimals, index from the rounded component
scores, competition ranks), so that pages and exports can be checked against known figures.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from evaluations.models import (
    AgendaItem,
    ComponentCode,
    Dimension,
    DimensionCode,
    Instrument,
    Participation,
    Publication,
    Result,
    Round,
    RoundEvent,
    RoundStatus,
)
from regions.models import (
    Award,
    Cohort,
    CohortMembership,
    DigitalGovernmentIndex,
    Region,
    RegionKind,
)
from tests import factories

TWO = Decimal("0.01")
_seq = itertools.count(1)

PROVINCES = [
    ("31", "DKI Jakarta"),
    ("32", "Jawa Barat"),
    ("33", "Jawa Tengah"),
    ("35", "Jawa Timur"),
    ("73", "Sulawesi Selatan"),
]


def half_up(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def band_for(index: Decimal) -> str:
    for name, threshold in factories.DEFAULT_BANDS:
        if index >= threshold:
            return name
    return factories.DEFAULT_BANDS[-1][0]


def competition(values: dict[Any, Decimal]) -> dict[Any, int]:
    ordered = sorted(values.values(), reverse=True)
    return {key: ordered.index(v) + 1 for key, v in values.items()}


def publisher() -> User:
    user = User.objects.filter(username="publisher").first()
    return user or factories.make_manager("publisher")


def record_event(round_: Round, to_status: str, *, from_status: str = "", reason: str = ""):
    """What every status change of the round services writes (and the public cache keys on)."""
    return RoundEvent.objects.create(
        round=round_,
        from_status=from_status or round_.status,
        to_status=to_status,
        by=publisher(),
        reason=reason,
    )


def publish(round_: Round) -> Round:
    """What ``round_publish`` leaves behind: an event, the status, and a numbered
    publication (the revision the open data names)."""
    record_event(round_, RoundStatus.PUBLISHED, from_status=RoundStatus.FINALISED)
    number = round_.publications.count() + 1
    publication = Publication.objects.create(round=round_, number=number, published_by=publisher())
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = publication.published_at
    round_.is_public = True
    round_.save(update_fields=["status", "published_at", "is_public"])
    return round_


def reopen(round_: Round) -> Round:
    record_event(round_, RoundStatus.REVIEW, reason="Koreksi nilai")
    round_.status = RoundStatus.REVIEW
    round_.under_correction_since = timezone.now()
    round_.correction_reason = "Koreksi nilai"
    round_.save(update_fields=["status", "under_correction_since", "correction_reason"])
    return round_


def withdraw(round_: Round, reason: str = "Data sumber tidak sah") -> Round:
    """What ``round_withdraw`` does to the round row (the figures leave the public pages)."""
    record_event(round_, RoundStatus.REVIEW, reason=reason)
    round_.status = RoundStatus.REVIEW
    round_.is_public = False
    round_.withdrawn_at = timezone.now()
    round_.withdrawal_reason = reason
    round_.save(update_fields=["status", "is_public", "withdrawn_at", "withdrawal_reason"])
    return round_


def make_regions(n: int, *, with_coordinates: bool = True) -> list[Region]:
    """``n`` regions spread over five provinces, alternating kota and kabupaten."""
    provinces = [factories.make_province(code, name) for code, name in PROVINCES]
    regions = []
    for i in range(n):
        province = provinces[i % len(provinces)]
        number = i // len(provinces) + 1
        kind = RegionKind.KOTA if i % 2 == 0 else RegionKind.KABUPATEN
        code = f"{province.code}.{(70 + number) if kind == RegionKind.KOTA else number:02d}"
        name = f"{'Kota' if kind == RegionKind.KOTA else 'Kab.'} Uji {province.code}-{number}"
        extra: dict[str, Any] = {}
        if with_coordinates:
            extra = {
                "latitude": Decimal("-7.5") + Decimal(i % 9) / 2,
                "longitude": Decimal("106.0") + Decimal(i % 23),
            }
        regions.append(
            factories.make_region(
                code,
                name,
                province=province,
                kind=kind,
                capital=f"Ibukota {i}",
                population=100_000 + i,
                area_km2=Decimal("210.50"),
                **extra,
            )
        )
    return regions


def make_cohort(year: int, regions: list[Region]) -> Cohort:
    cohort, _ = Cohort.objects.get_or_create(year=year, defaults={"name": f"Angkatan {year}"})
    for region in regions:
        CohortMembership.objects.get_or_create(region=region, defaults={"cohort": cohort})
    return cohort


def scores_for(seed: int, position: int) -> dict[str, Decimal]:
    """Deterministic, varied component and dimension scores between 1.00 and 4.90."""
    out = {}
    for k, code in enumerate(ComponentCode.values + DimensionCode.values):
        raw = (seed * 137 + position * 53 + k * 29 + seed * position * 71) % 391
        out[code] = half_up(Decimal(100 + raw) / Decimal(100))
    return out


def index_from(components: dict[str, Decimal], instrument: Instrument) -> Decimal:
    weights = instrument.component_weights()
    total = sum((Decimal(weights[c]) * components[c] for c in ComponentCode.values), Decimal(0))
    return half_up(total / Decimal(100))


def make_result(participation: Participation, **values: Any) -> Result:
    """A result with explicit figures; scores default to the index."""
    index = Decimal(str(values.pop("index", "3.00")))
    defaults: dict[str, Any] = {
        "index": index,
        "rating_band": band_for(index),
        **{f"score_{c}": index for c in ComponentCode.values + DimensionCode.values},
    }
    return factories.ResultFactory.create(participation=participation, **{**defaults, **values})


@factories.past_guards
def make_round_with_results(
    regions: list[Region],
    *,
    year: int = 2024,
    phase: int = 1,
    published: bool = True,
    status: str = RoundStatus.FINALISED,
    instrument: Instrument | None = None,
    seed: int = 0,
    previous: dict[int, Result] | None = None,
    **round_extra: Any,
) -> tuple[Round, list[Result]]:
    """A round where every region took part, with engine-like results, then published.

    ``previous`` maps region id → that region's earlier published result (for changes).
    Returns the results in national order.
    """
    instrument = instrument or Instrument.objects.order_by("pk").first()
    round_ = factories.make_round(
        instrument=instrument, year=year, phase=phase, status=status, **round_extra
    )
    figures = {}
    for position, region in enumerate(regions):
        scores = scores_for(seed, position)
        comps = {c: scores[c] for c in ComponentCode.values}
        figures[region.pk] = (scores, index_from(comps, round_.instrument))
    national = competition({pk: idx for pk, (_s, idx) in figures.items()})
    by_province: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for region in regions:
        by_province[region.province_id][region.pk] = figures[region.pk][1]
    provincial: dict[int, int] = {}
    for members in by_province.values():
        provincial.update(competition(members))
    results = []
    for region in regions:
        scores, index = figures[region.pk]
        participation = factories.make_participation(round_, region)
        prev = (previous or {}).get(region.pk)
        results.append(
            factories.ResultFactory.create(
                participation=participation,
                index=index,
                rating_band=band_for(index),
                national_rank=national[region.pk],
                provincial_rank=provincial[region.pk],
                previous=prev,
                index_change=(index - prev.index) if prev else None,
                rank_change=(prev.national_rank - national[region.pk]) if prev else None,
                programme_shares={"governance": [2, 3], "living": [9, 10]},
                **{f"score_{code}": value for code, value in scores.items()},
            )
        )
    if published:
        publish(round_)
    results.sort(key=lambda r: (r.national_rank, r.participation.region.name))
    return round_, results


def make_history(
    regions: list[Region], rounds: int, *, start_year: int = 2021
) -> list[tuple[Round, list[Result]]]:
    """``rounds`` published rounds in a row, each result linked to the previous one."""
    instrument = Instrument.objects.order_by("pk").first() or factories.make_instrument()
    history = []
    previous: dict[int, Result] = {}
    for n in range(rounds):
        round_, results = make_round_with_results(
            regions, year=start_year + n, instrument=instrument, seed=n, previous=previous
        )
        previous = {r.participation.region_id: r for r in results}
        history.append((round_, results))
    return history


def make_field_review(participation: Participation, findings: list[tuple[str, str, str]]):
    """A field review with findings given as (dimension code, kind, text)."""
    review = factories.FieldReviewFactory.create(
        participation=participation,
        location="",
        start_date=participation.round.self_assessment_closes,
        end_date=participation.round.self_assessment_closes,
        minutes="Berita acara internal: tidak untuk publik.",
    )
    AgendaItem.objects.create(
        field_review=review, day=1, start_time="09:00", activity="Pemaparan Sekda"
    )
    for order, (dimension, kind, text) in enumerate(findings):
        factories.FindingFactory.create(
            field_review=review,
            dimension=Dimension.objects.get(code=dimension),
            kind=kind,
            text=text,
            order=order,
        )
    return review


def make_profile_extras(region: Region, *, n: int = 3) -> None:
    """Programmes, SPBE values and awards for a region's profile."""
    agency = factories.make_agency(region, f"Dinas Kominfo {next(_seq)}")
    for i in range(n):
        factories.make_programme(
            region,
            title=f"Program publik {i}",
            agency=agency,
            budget=1_234_567_890 + i,
            description=f"Catatan internal {i}",
            is_quick_win=i == 0,
        )
        DigitalGovernmentIndex.objects.create(
            region=region, year=2020 + i, value=Decimal("2.50") + Decimal(i) / 10
        )
        Award.objects.create(region=region, title=f"Penghargaan {i}", year=2020 + i, rank=i + 1)
