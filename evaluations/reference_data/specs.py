"""The shapes of the reference data, and the default instrument's own settings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ElementSpec:
    code: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    code: str
    name: str
    description: str
    elements: tuple[ElementSpec, ElementSpec, ElementSpec]


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One indicator; ``levels`` holds the descriptors for levels 0 to 5, in order."""

    code: str
    component: str
    name: str
    description: str
    levels: tuple[str, str, str, str, str, str]
    dimension: str | None = None
    element: str | None = None
    weight: Decimal = Decimal("1.00")


@dataclass(frozen=True, slots=True)
class InstrumentSpec:
    code: str
    name: str
    year: int
    description: str
    weights: dict[str, int]
    rating_bands: tuple[tuple[str, Decimal], ...]


DEFAULT_INSTRUMENT = InstrumentSpec(
    code="default-2024",
    name="Instrumen bawaan portal 2024",
    year=2024,
    description=(
        "Instrumen bawaan Portal Evaluasi Smart City: titik awal yang dapat diubah pengelola "
        "putaran, bukan dokumen resmi Kominfo/Komdigi. Bobot komponen mengikuti yang pernah "
        "dipakai pada evaluasi Kabupaten Sleman (Baseline 10%, Output 20%, Outcome 30%, "
        "Impact 30%, Quick Win 10%); predikat mengikuti rentang indeks SPBE. Indikatornya "
        "disusun portal agar mencakup kelima komponen dan kedelapan belas elemen dari enam "
        "dimensi, masing-masing dengan uraian level kematangan 0 (tidak ada) sampai 5 "
        "(optimal dan berdampak)."
    ),
    weights={"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick_win": 10},
    # The SPBE-style predikat bands (DOMAIN.md): an index at or above the threshold.
    rating_bands=(
        ("Memuaskan", Decimal("4.20")),
        ("Sangat Baik", Decimal("3.50")),
        ("Baik", Decimal("2.60")),
        ("Cukup", Decimal("1.80")),
        ("Kurang", Decimal("0.00")),
    ),
)
