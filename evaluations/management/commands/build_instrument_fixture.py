"""Regenerate ``fixtures/dimensions.json`` and ``fixtures/default_instrument.json``.

The wording lives in ``evaluations.reference_data``; this command checks it (every element
and every component covered, six descriptors per indicator, weights summing to 100 %) and
writes deterministic JSON with natural keys, so the fixtures load in any database after
each other (dimensions first) and loading them twice changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations.models import LEVELS, ComponentCode, DimensionCode
from evaluations.reference_data import (
    DEFAULT_INSTRUMENT,
    DIMENSIONS,
    INDICATORS,
    DimensionSpec,
    IndicatorSpec,
    InstrumentSpec,
)
from evaluations.reference_data.english import (
    DIMENSIONS_EN,
    ELEMENTS_EN,
    INDICATORS_EN,
    INSTRUMENT_EN,
    RATING_BANDS_EN,
)


def check_english(
    dimensions: tuple[DimensionSpec, ...],
    instrument: InstrumentSpec,
    indicators: tuple[IndicatorSpec, ...],
) -> list[str]:
    """Every text of the default instrument has its English translation."""
    problems: list[str] = []
    for dimension in dimensions:
        if dimension.code not in DIMENSIONS_EN:
            problems.append(f"dimension {dimension.code}: no English")
        problems.extend(
            f"element {e.code}: no English" for e in dimension.elements if e.code not in ELEMENTS_EN
        )
    problems.extend(
        f"rating band {name}: no English"
        for name, _threshold in instrument.rating_bands
        if name not in RATING_BANDS_EN
    )
    for indicator in indicators:
        english = INDICATORS_EN.get(indicator.code)
        if english is None:
            problems.append(f"{indicator.code}: no English")
        elif len(english[2]) != len(LEVELS) or not all(t.strip() for t in english[2]):
            problems.append(f"{indicator.code}: needs an English descriptor for each level")
    return problems


def check(
    dimensions: tuple[DimensionSpec, ...],
    instrument: InstrumentSpec,
    indicators: tuple[IndicatorSpec, ...],
) -> list[str]:
    """Everything that would make the reference data unusable, as readable problems."""
    problems: list[str] = []
    if [d.code for d in dimensions] != list(DimensionCode.values):
        problems.append("dimensions must be the six DimensionCode values, in order")
    element_dimension = {e.code: d.code for d in dimensions for e in d.elements}
    if len(element_dimension) != 3 * len(dimensions):
        problems.append("element codes must be unique, three per dimension")
    if set(instrument.weights) != set(ComponentCode.values):
        problems.append("weights must name the five components")
    if sum(instrument.weights.values()) != 100:
        problems.append(f"weights sum to {sum(instrument.weights.values())} %, not 100 %")
    duplicates = [code for code, n in Counter(i.code for i in indicators).items() if n > 1]
    if duplicates:
        problems.append(f"duplicate indicator codes: {duplicates}")
    for indicator in indicators:
        if indicator.component not in ComponentCode.values:
            problems.append(f"{indicator.code}: unknown component {indicator.component!r}")
        if indicator.dimension is not None and indicator.dimension not in DimensionCode.values:
            problems.append(f"{indicator.code}: unknown dimension {indicator.dimension!r}")
        if indicator.element is not None:
            if indicator.element not in element_dimension:
                problems.append(f"{indicator.code}: unknown element {indicator.element!r}")
            elif element_dimension[indicator.element] != indicator.dimension:
                problems.append(f"{indicator.code}: element is not in its dimension")
        if len(indicator.levels) != len(LEVELS) or not all(t.strip() for t in indicator.levels):
            problems.append(f"{indicator.code}: needs a descriptor for each level 0–5")
    missing_elements = set(element_dimension) - {i.element for i in indicators}
    if missing_elements:
        problems.append(f"elements without an indicator: {sorted(missing_elements)}")
    missing_components = set(ComponentCode.values) - {i.component for i in indicators}
    if missing_components:
        problems.append(f"components without an indicator: {sorted(missing_components)}")
    return problems


def dimension_rows(dimensions: tuple[DimensionSpec, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for order, dimension in enumerate(dimensions, start=1):
        rows.append(
            {
                "model": "evaluations.dimension",
                "fields": {
                    "code": dimension.code,
                    "name": dimension.name,
                    "description": dimension.description,
                    "name_en": DIMENSIONS_EN.get(dimension.code, ("", ""))[0],
                    "description_en": DIMENSIONS_EN.get(dimension.code, ("", ""))[1],
                    "order": order,
                },
            }
        )
    for dimension in dimensions:
        rows.extend(
            {
                "model": "evaluations.element",
                "fields": {
                    "dimension": [dimension.code],
                    "code": element.code,
                    "name": element.name,
                    "description": element.description,
                    "name_en": ELEMENTS_EN.get(element.code, ("", ""))[0],
                    "description_en": ELEMENTS_EN.get(element.code, ("", ""))[1],
                    "order": order,
                },
            }
            for order, element in enumerate(dimension.elements, start=1)
        )
    return rows


def instrument_rows(
    instrument: InstrumentSpec, indicators: tuple[IndicatorSpec, ...]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "model": "evaluations.instrument",
            "fields": {
                "code": instrument.code,
                "name": instrument.name,
                "year": instrument.year,
                "description": instrument.description,
                "name_en": INSTRUMENT_EN[0] if instrument is DEFAULT_INSTRUMENT else "",
                "description_en": INSTRUMENT_EN[1] if instrument is DEFAULT_INSTRUMENT else "",
                "is_default": True,
                **{f"weight_{c}": instrument.weights[c] for c in ComponentCode.values},
            },
        }
    ]
    rows.extend(
        {
            "model": "evaluations.ratingband",
            "fields": {
                "instrument": [instrument.code],
                "name": name,
                "name_en": RATING_BANDS_EN.get(name, ""),
                "min_index": str(threshold),
            },
        }
        for name, threshold in instrument.rating_bands
    )
    rows.extend(
        {
            "model": "evaluations.indicator",
            "fields": {
                "instrument": [instrument.code],
                "code": indicator.code,
                "name": indicator.name,
                "description": indicator.description,
                "component": indicator.component,
                "dimension": [indicator.dimension] if indicator.dimension else None,
                "element": [indicator.element] if indicator.element else None,
                "weight": str(indicator.weight),
                "order": order,
                **{f"level_{level}": text for level, text in enumerate(indicator.levels)},
                **_indicator_english(indicator),
            },
        }
        for order, indicator in enumerate(indicators, start=1)
    )
    return rows


def _indicator_english(indicator: IndicatorSpec) -> dict[str, str]:
    name, description, levels = INDICATORS_EN.get(indicator.code, ("", "", ("",) * 6))
    return {
        "name_en": name,
        "description_en": description,
        **{f"level_{level}_en": text for level, text in enumerate(levels)},
    }


def dump(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "Regenerate fixtures/dimensions.json and default_instrument.json from reference_data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Directory to write the two fixtures to (default: fixtures/).",
        )

    def handle(self, *args: Any, output_dir: Path, **options: Any) -> None:
        problems = check(DIMENSIONS, DEFAULT_INSTRUMENT, INDICATORS) + check_english(
            DIMENSIONS, DEFAULT_INSTRUMENT, INDICATORS
        )
        if problems:
            raise CommandError("The reference data does not check out:\n- " + "\n- ".join(problems))
        output_dir.mkdir(parents=True, exist_ok=True)
        for filename, rows in (
            ("dimensions.json", dimension_rows(DIMENSIONS)),
            ("default_instrument.json", instrument_rows(DEFAULT_INSTRUMENT, INDICATORS)),
        ):
            (output_dir / filename).write_text(dump(rows), encoding="utf-8")
            self.stdout.write(f"Wrote {len(rows)} objects to {output_dir / filename}")
