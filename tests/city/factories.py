"""Factories of the city workspace tests (evidence, answers, field reviews, results)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from evaluations.models import (
    AgendaItem,
    Attendee,
    AttendeeSide,
    ComponentCode,
    Evidence,
    FieldReview,
    Finding,
    FindingKind,
    Indicator,
    Instrument,
    Participation,
    RatingBand,
    Result,
    SelfAssessmentAnswer,
    VerifiedScore,
)
from evaluations.services.evidence import evidence_create_file
from regions.models import Region
from tests import factories
from tests.city import files


def make_file_evidence(
    region: Region, name: str = "bukti.pdf", *, by: User | None = None
) -> Evidence:
    # Fixtures may store evidence without an uploader (the column is nullable).
    return evidence_create_file(region=region, upload=files.pdf_upload(name), by=by)  # type: ignore[arg-type]


def make_link_evidence(region: Region, url: str = "https://example.go.id/perda") -> Evidence:
    return Evidence.objects.create(region=region, title=url, url=url)


def make_instrument_with(n_indicators: int, *, cross: int = 1) -> Instrument:
    """``n_indicators`` on Smart Governance plus ``cross`` indicators without a dimension."""
    dims = factories.ensure_dimensions()
    instrument = Instrument.objects.create(
        code=f"instr-{n_indicators}-{cross}",
        name="Instrumen uji",
        year=2024,
        weight_baseline=10,
        weight_output=20,
        weight_outcome=30,
        weight_impact=30,
        weight_quick_win=10,
    )
    for i in range(n_indicators):
        Indicator.objects.create(
            instrument=instrument,
            code=f"GV-{i + 1:02d}",
            name=f"Indikator tata kelola {i + 1}",
            component=ComponentCode.OUTPUT,
            dimension=dims[0],
            element=dims[0].elements.first(),
            order=i,
            **{f"level_{lv}": f"Deskripsi level {lv}" for lv in range(6)},
        )
    for i in range(cross):
        Indicator.objects.create(
            instrument=instrument,
            code=f"BL-{i + 1:02d}",
            name=f"Peningkatan sejak evaluasi sebelumnya {i + 1}",
            component=ComponentCode.BASELINE,
            order=100 + i,
            **{f"level_{lv}": f"Deskripsi level {lv}" for lv in range(6)},
        )
    RatingBand.objects.create(instrument=instrument, name="Baik", min_index=Decimal("2.60"))
    return instrument


@factories.past_guards
def make_answer(
    participation: Participation,
    indicator: Indicator,
    *,
    level: int | None = 3,
    narrative: str = "Sudah ada Perwal.",
    evidence: list[Evidence] | None = None,
    version: int = 1,
) -> SelfAssessmentAnswer:
    answer = SelfAssessmentAnswer.objects.create(
        participation=participation,
        indicator=indicator,
        claimed_level=level,
        narrative=narrative,
        version=version,
    )
    if evidence:
        answer.evidence.set(evidence)
    return answer


def make_field_review(participation: Participation, **extra: Any) -> FieldReview:
    defaults: dict[str, Any] = {
        "mode": "on_site",
        "location": "Ruang Rapat Wali Kota",
        "start_date": date(2099, 5, 6),
        "end_date": date(2099, 5, 7),
    }
    defaults.update(extra)
    return FieldReview.objects.create(participation=participation, **defaults)


def add_agenda(review: FieldReview, n: int) -> None:
    dims = factories.ensure_dimensions()
    for i in range(n):
        AgendaItem.objects.create(
            field_review=review,
            day=1 + i % 2,
            start_time=time(8 + i % 10, 0),
            activity=f"Pemaparan {i}",
            dimension=dims[i % len(dims)],
        )


def add_findings(review: FieldReview, n: int, text: str = "Rekomendasi") -> None:
    dims = factories.ensure_dimensions()
    kinds = FindingKind.values
    for i in range(n):
        Finding.objects.create(
            field_review=review,
            dimension=dims[i % len(dims)],
            kind=kinds[i % len(kinds)],
            text=f"{text} {i}",
            order=i,
        )


def add_attendee(review: FieldReview, name: str, side: str = AttendeeSide.REGION) -> Attendee:
    return Attendee.objects.create(field_review=review, name=name, side=side)


@factories.past_guards
def make_result(participation: Participation, **extra: Any) -> Result:
    defaults: dict[str, Any] = {
        "index": Decimal("3.31"),
        "rating_band": "Baik",
        "national_rank": 4,
        "provincial_rank": 2,
        "index_change": Decimal("0.25"),
        "rank_change": 3,
        "score_governance": Decimal("3.50"),
        "score_output": Decimal("3.10"),
    }
    defaults.update(extra)
    return Result.objects.create(participation=participation, **defaults)


@factories.past_guards
def verify(participation: Participation, indicator: Indicator, by: User, level: int, comment: str):
    return VerifiedScore.objects.create(
        participation=participation, indicator=indicator, level=level, comment=comment, set_by=by
    )
