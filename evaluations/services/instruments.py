"""Instrument versions: a frozen method is never edited; a new method is a new version."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations.models import Indicator, Instrument, RatingBand
from evaluations.roles import is_manager

DRAFT_NAME_SUFFIX = _("draf")

_COPIED_INDICATOR_FIELDS = [
    "code",
    "name",
    "description",
    "component",
    "dimension_id",
    "element_id",
    "weight",
    "order",
    *[f"level_{level}" for level in range(6)],
    # The English translations travel with the version.
    "name_en",
    "description_en",
    *[f"level_{level}_en" for level in range(6)],
]


def _free_code(base: str) -> str:
    n = 2
    while Instrument.objects.filter(code=f"{base}-v{n}").exists():
        n += 1
    return f"{base}-v{n}"


@transaction.atomic
def instrument_duplicate(*, instrument: Instrument, by: User) -> Instrument:
    """Copy an instrument version (weights, indicators with descriptors, dimension mapping,
    rating bands) into a new, editable draft version that new rounds can use.

    The copy is never the default instrument and records the version it came from.
    """
    if not is_manager(by):
        raise PermissionDenied
    base = instrument.code.split("-v")[0] if "-v" in instrument.code else instrument.code
    copy = Instrument.objects.create(
        code=_free_code(base)[:50],
        name=f"{instrument.name} ({DRAFT_NAME_SUFFIX})"[:200],
        year=instrument.year,
        description=instrument.description,
        name_en=instrument.name_en,
        description_en=instrument.description_en,
        is_default=False,
        derived_from=instrument,
        **{f"weight_{code}": weight for code, weight in instrument.component_weights().items()},
    )
    Indicator.objects.bulk_create(
        Indicator(
            instrument=copy,
            **{field: getattr(source, field) for field in _COPIED_INDICATOR_FIELDS},
        )
        for source in instrument.indicators.order_by("order", "code")
    )
    RatingBand.objects.bulk_create(
        RatingBand(instrument=copy, name=band.name, name_en=band.name_en, min_index=band.min_index)
        for band in instrument.rating_bands.all()
    )
    return copy
