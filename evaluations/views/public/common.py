"""What the public views share: band styles, metric labels, competition ranks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluations.models import ComponentCode, DimensionCode, RatingBand, Result, Round


@dataclass(frozen=True)
class BandStyle:
    """How a rating band looks: a colour class and a marker shape (never colour alone)."""

    name: str
    min_index: Decimal
    css: str
    shape: int
    label: str = ""  # the name in the reader's language (RatingBand.name_en in English)


def band_styles(bands: Iterable[RatingBand]) -> dict[str, BandStyle]:
    """Styles keyed by band name, best band first (``band-1``)."""
    ordered = sorted(bands, key=lambda b: b.min_index, reverse=True)
    return {
        b.name: BandStyle(b.name, b.min_index, f"band-{i % 5 + 1}", i % 5, b.name_i18n)
        for i, b in enumerate(ordered)
    }


@dataclass(frozen=True)
class Metric:
    code: str
    label: Promise | str
    kind: str  # "dimension" or "component"

    @property
    def field(self) -> str:
        return f"score_{self.code}"


DIMENSIONS = [Metric(code, label, "dimension") for code, label in DimensionCode.choices]
COMPONENTS = [Metric(code, label, "component") for code, label in ComponentCode.choices]
METRICS = {m.code: m for m in DIMENSIONS + COMPONENTS}

DIMENSION_KIND = _("Dimensi")
COMPONENT_KIND = _("Komponen")


def dimension_labels() -> list[str]:
    """Labels of the six dimensions in their canonical order, in the active language."""
    return [str(label) for _code, label in DimensionCode.choices]


def dimension_short_labels() -> list[str]:
    """ "Governance", "Branding", …: the radar's axis labels (its table has the full names)."""
    return [str(label).removeprefix("Smart ") for label in dimension_labels()]


def component_labels() -> list[str]:
    return [str(label) for _code, label in ComponentCode.choices]


def round_label(round_: Round) -> str:
    """A short name for chart axes: "2024 I"."""
    return f"{round_.year} {round_.phase_label}"


def competition_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """Standard competition ranking, highest first: equal values share a rank and the next
    rank skips (1, 2, 2, 4). Missing values get no rank."""
    present = sorted((v for v in values if v is not None), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(present, start=1):
        first_position.setdefault(value, position)
    return [None if v is None else first_position[v] for v in values]


def ranked_by(results: Sequence[Result], metric: Metric) -> list[tuple[int | None, Result]]:
    """Results ordered by one score, best first, with their competition rank."""
    values = [getattr(r, metric.field) for r in results]
    ranks = competition_ranks(values)
    pairs = list(zip(ranks, results, strict=True))
    pairs.sort(
        key=lambda p: (p[0] is None, p[0] or 0, p[1].participation.region.name),
    )
    return pairs
