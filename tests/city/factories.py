"""Factories of the city workspace tests (evidence, answers, field reviews, results)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import User

from evaluations.models import (
    AgendaItem,
    Attendee,
    AttendeeSide,
    ComponentCode,
    Evidence,
    FieldReview,
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
    return factories.LinkEvidenceFactory.create(region=region, url=url)


def make_instrument_with(n_indicators: int, *, cross: int = 1) -> Instrument:
    """``n_indicators`` on Smart Governance plus ``cross`` indicators without a dimension."""
    instrument = factories.InstrumentFactory.create(
        code=f"instr-{n_indicators}-{cross}", indicators_per_component=0, bands=False
    )
    factories.IndicatorFactory.create_batch(
        n_indicators,
        instrument=instrument,
        code=factory.Iterator([f"GV-{i + 1:02d}" for i in range(n_indicators)]),
        name=factory.Iterator([f"Indikator tata kelola {i + 1}" for i in range(n_indicators)]),
        order=factory.Iterator(range(n_indicators)),
    )
    factories.IndicatorFactory.create_batch(
        cross,
        instrument=instrument,
        code=factory.Iterator([f"BL-{i + 1:02d}" for i in range(cross)]),
        name=factory.Iterator(
            [f"Peningkatan sejak evaluasi sebelumnya {i + 1}" for i in range(cross)]
        ),
        component=ComponentCode.BASELINE,
        dimension=None,
        order=factory.Iterator(range(100, 100 + cross)),
    )
    RatingBand.objects.create(instrument=instrument, name="Baik", min_index=Decimal("2.60"))
    return instrument


def make_answer(
    participation: Participation,
    indicator: Indicator,
    *,
    level: int | None = 3,
    narrative: str = "Sudah ada Perwal.",
    evidence: list[Evidence] | None = None,
    version: int = 1,
) -> SelfAssessmentAnswer:
    return factories.AnswerFactory.create(
        participation=participation,
        indicator=indicator,
        claimed_level=level,
        narrative=narrative,
        evidence=evidence,
        version=version,
    )


def make_field_review(participation: Participation, **extra: Any) -> FieldReview:
    return factories.FieldReviewFactory.create(participation=participation, **extra)


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
        factories.FindingFactory.create(
            field_review=review,
            dimension=dims[i % len(dims)],
            kind=kinds[i % len(kinds)],
            text=f"{text} {i}",
            order=i,
        )


def add_attendee(review: FieldReview, name: str, side: str = AttendeeSide.REGION) -> Attendee:
    return Attendee.objects.create(field_review=review, name=name, side=side)


def make_result(participation: Participation, **extra: Any) -> Result:
    """Kota Bekasi's figures of the city workspace tests: 3.31 (Baik), 4th nationally,
    2nd in the province, +0.25 and three places up."""
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
    return factories.ResultFactory.create(participation=participation, **{**defaults, **extra})


def verify(
    participation: Participation, indicator: Indicator, by: User, level: int, comment: str
) -> VerifiedScore:
    return factories.VerifiedScoreFactory.create(
        participation=participation, indicator=indicator, level=level, comment=comment, set_by=by
    )
