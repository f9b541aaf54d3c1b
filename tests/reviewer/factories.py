"""Factories for the reviewer workspace: rounds under review, panels and verified levels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from simple_history.utils import bulk_create_with_history

from evaluations.models import (
    ComponentCode,
    Instrument,
    Participation,
    Result,
    Round,
    RoundStatus,
    Score,
    VerifiedScore,
)
from regions.models import Province, Region
from tests import factories

PROVINCES = [("32", "Jawa Barat"), ("35", "Jawa Timur"), ("33", "Jawa Tengah")]


def make_regions(count: int, *, provinces: Sequence[tuple[str, str]] = PROVINCES) -> list[Region]:
    """``count`` kota spread over a few provinces, with distinct codes."""
    regions = []
    for i in range(count):
        code, name = provinces[i % len(provinces)]
        province = factories.make_province(code, name)
        regions.append(
            factories.make_region(
                f"{province.code}.{10 + i // len(provinces):02d}",
                f"Kota Uji {i + 1}",
                province=province,
            )
        )
    return regions


def make_review_round(
    regions: Sequence[Region],
    *,
    instrument: Instrument | None = None,
    status: str = RoundStatus.REVIEW,
    year: int = 2024,
    phase: int = 1,
) -> Round:
    round_ = factories.make_round(instrument=instrument, status=status, year=year, phase=phase)
    for region in regions:
        factories.make_participation(round_, region)
    return round_


@factories.past_guards
def verify(
    participation: Participation,
    by: User,
    level: int | Callable[..., int] = 3,
) -> None:
    """Give every indicator of the participation's instrument a verified level (with the
    history rows the services would write)."""
    indicators = participation.round.instrument.indicators.all()
    bulk_create_with_history(
        [
            VerifiedScore(
                participation=participation,
                indicator=ind,
                level=level(ind) if callable(level) else level,
                set_by=by,
                version=1,
            )
            for ind in indicators
        ],
        VerifiedScore,
        default_user=by,
    )


@factories.past_guards
def score_all(participation: Participation, reviewer: User, level: int = 3) -> None:
    Score.objects.bulk_create(
        Score(participation=participation, indicator=ind, reviewer=reviewer, level=level)
        for ind in participation.round.instrument.indicators.all()
    )


def make_worked_instrument(
    component_fractions: dict[str, tuple[str, str]],
    *,
    weights: tuple[int, int, int, int, int],
    low: int = 3,
) -> Instrument:
    """An instrument with two indicators per component, levels ``low`` and ``low + 1``.

    ``component_fractions[code] = (weight of the low indicator, weight of the high one)``:
    the component score is then ``low + high_weight / (low_weight + high_weight)``.
    The indicators are named ``<code>-lo`` and ``<code>-hi``.
    """
    dims = factories.ensure_dimensions()
    instrument = factories.InstrumentFactory.create(
        code=f"worked-{len(Instrument.objects.all()) + 1}",
        name="Instrumen contoh hitung",
        weights=weights,
        indicators_per_component=0,
    )
    for order, code in enumerate(ComponentCode.values):
        low_w, high_w = component_fractions[code]
        for suffix, weight in (("lo", low_w), ("hi", high_w)):
            factories.IndicatorFactory.create(
                instrument=instrument,
                code=f"{code}-{suffix}",
                name=f"{code} {suffix}",
                component=code,
                dimension=dims[order],
                element=None,
                weight=Decimal(weight),
                order=order * 2 + (suffix == "hi"),
                **{f"level_{lv}": "" for lv in range(6)},
            )
    return instrument


@factories.past_guards
def publish_result(
    round_: Round, region: Region, *, index: str, national_rank: int, provincial_rank: int = 1
) -> Result:
    """A published result of ``region`` in ``round_`` (made directly, for history)."""
    participation, _ = Participation.objects.get_or_create(round=round_, region=region)
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.PUBLISHED, is_public=True)
    return factories.ResultFactory.create(
        participation=participation,
        index=Decimal(index),
        national_rank=national_rank,
        provincial_rank=provincial_rank,
    )


def province(code: str) -> Province:
    return Province.objects.get(code=code)


class Scenario:
    def __init__(self, round_: Round, bekasi: Participation, bandung: Participation) -> None:
        self.round = round_
        self.bekasi = bekasi
        self.bandung = bandung
        self.indicators = list(round_.instrument.indicators.order_by("order"))


@factories.past_guards
def add_answers(participation: Participation, *, with_evidence: bool = True) -> None:
    """The city's claimed level, narrative and one link + one file of evidence per answer."""
    from django.core.files.base import ContentFile

    from evaluations.models import Evidence, SelfAssessmentAnswer

    for ind in participation.round.instrument.indicators.all():
        answer = SelfAssessmentAnswer.objects.create(
            participation=participation,
            indicator=ind,
            claimed_level=4,
            narrative=f"Narasi {ind.code}: Perwal Smart City sudah terbit.",
        )
        if with_evidence:
            link = Evidence.objects.create(
                region=participation.region,
                title=f"Tautan {ind.code}",
                url="https://example.org/bukti",
            )
            doc = Evidence(region=participation.region, title=f"Dokumen {ind.code}")
            doc.original_name = f"perwal-{ind.code}.pdf"
            doc.content_type = "application/pdf"
            doc.file.save("perwal.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
            answer.evidence.add(link, doc)


def make_scenario(bekasi_region: Region, bandung_region: Region, lead: User) -> Scenario:
    round_ = make_review_round([bekasi_region, bandung_region])
    bekasi = round_.participations.get(region=bekasi_region)
    bandung = round_.participations.get(region=bandung_region)
    bekasi.self_assessment_status = "submitted"
    bekasi.save()
    factories.assign(bekasi, lead, lead=True)
    add_answers(bekasi)
    return Scenario(round_, bekasi, bandung)
