"""Reference data the portal ships: the six dimensions and the default instrument.

Kept as plain Python so that ``manage.py build_instrument_fixture`` regenerates
``fixtures/dimensions.json`` and ``fixtures/default_instrument.json`` reproducibly, and a
change of wording is a reviewable diff. The default instrument is the portal's own starting
point, editable in the admin; it is not an official Kominfo/Komdigi document.
"""

from __future__ import annotations

from evaluations.reference_data.dimensions import DIMENSIONS
from evaluations.reference_data.indicators_general import BASELINE, OUTPUT, QUICK_WIN
from evaluations.reference_data.indicators_impact import IMPACT
from evaluations.reference_data.indicators_outcome import OUTCOME
from evaluations.reference_data.specs import (
    DEFAULT_INSTRUMENT,
    DimensionSpec,
    ElementSpec,
    IndicatorSpec,
    InstrumentSpec,
)

INDICATORS: tuple[IndicatorSpec, ...] = (*BASELINE, *OUTPUT, *OUTCOME, *IMPACT, *QUICK_WIN)

__all__ = [
    "DEFAULT_INSTRUMENT",
    "DIMENSIONS",
    "INDICATORS",
    "DimensionSpec",
    "ElementSpec",
    "IndicatorSpec",
    "InstrumentSpec",
]
