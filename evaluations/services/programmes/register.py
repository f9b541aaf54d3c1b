"""The programme register: create, change, archive programmes; agencies; rupiah.

Writes check what the database cannot: the element belongs to the chosen dimension, the
agency (OPD) belongs to the programme's region.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Programme
from regions.models import Agency

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from regions.models import Region

# --- Messages (tests import these) ----------
ELEMENT_NOT_IN_DIMENSION = _("Elemen ini bukan bagian dari dimensi yang dipilih.")
AGENCY_OTHER_REGION = _("OPD ini bukan milik wilayah Anda.")
AGENCY_IN_USE = _("OPD ini masih menjadi pelaksana %(count)s program. Ganti dulu OPD program itu.")
BUDGET_INVALID = _("Tulis anggaran dalam rupiah tanpa sen, mis. 1.250.000.000.")

PROGRAMME_FIELDS = (
    "title",
    "dimension",
    "element",
    "agency",
    "status",
    "is_quick_win",
    "start_year",
    "end_year",
    "budget",
    "description",
)


# --- Rupiah ----------


def format_rupiah(value: int | None, *, prefix: bool = True) -> str:
    """1250000000 → "Rp 1.250.000.000" (Indonesian thousands separator)."""
    if value is None:
        return ""
    digits = f"{int(value):,}".replace(",", ".")
    return f"Rp {digits}" if prefix else digits


_RUPIAH_RE = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$", re.IGNORECASE)


def parse_rupiah(text: object) -> int | None:
    """Read a budget as people write it: "Rp 1.250.000.000", "1250000000", "1.250.000,00"."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValidationError(BUDGET_INVALID, code="budget")
    if isinstance(text, int):
        if text < 0:
            raise ValidationError(BUDGET_INVALID, code="budget")
        return text
    if isinstance(text, float):
        if text < 0 or not text.is_integer():
            raise ValidationError(BUDGET_INVALID, code="budget")
        return int(text)
    cleaned = re.sub(r"\s+", "", str(text))
    if not cleaned:
        return None
    match = _RUPIAH_RE.match(cleaned)
    if not match or (match.group(2) and int(match.group(2)) != 0):
        raise ValidationError(BUDGET_INVALID, code="budget")
    value = int(match.group(1).replace(".", ""))
    if value > 10**15:  # far above any regional budget; also keeps the column in range
        raise ValidationError(BUDGET_INVALID, code="budget")
    return value


# --- Programmes ----------


def _check_consistency(programme: Programme) -> None:
    errors: dict[str, Any] = {}
    if (
        programme.element_id
        and programme.element is not None
        and programme.element.dimension_id != programme.dimension_id
    ):
        errors["element"] = ValidationError(ELEMENT_NOT_IN_DIMENSION, code="element_dimension")
    if (
        programme.agency_id
        and programme.agency is not None
        and programme.agency.region_id != programme.region_id
    ):
        errors["agency"] = ValidationError(AGENCY_OTHER_REGION, code="agency_region")
    if errors:
        raise ValidationError(errors)


def _apply(programme: Programme, values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"Not programme fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(programme, name, value)


@transaction.atomic
def programme_create(*, region: Region, by: User, values: Mapping[str, Any]) -> Programme:
    """Add a programme to ``region``'s register (the region never comes from a form)."""
    programme = Programme(region=region)
    _apply(programme, values)
    _check_consistency(programme)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by: User, values: Mapping[str, Any]) -> Programme:
    _apply(programme, values)
    _check_consistency(programme)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_archive(*, programme: Programme, by: User) -> Programme:
    """Take a programme off the register; it keeps its evidence and can be restored."""
    if programme.archived_at is None:
        programme.archived_at = timezone.now()
        programme.save(update_fields=["archived_at", "updated_at"])
    return programme


@transaction.atomic
def programme_restore(*, programme: Programme, by: User) -> Programme:
    if programme.archived_at is not None:
        programme.archived_at = None
        programme.save(update_fields=["archived_at", "updated_at"])
    return programme


# --- Agencies (OPD) ----------


@transaction.atomic
def agency_save(*, agency: Agency, by: User) -> Agency:
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def agency_delete(*, agency: Agency, by: User) -> None:
    """Delete an agency no programme names (archived ones included)."""
    count = agency.programmes.count()
    if count:
        raise ValidationError(AGENCY_IN_USE, code="in_use", params={"count": count})
    try:
        agency.delete()
    except ProtectedError:  # pragma: no cover - nothing protects agencies today
        raise ValidationError(AGENCY_IN_USE, code="in_use", params={"count": "?"}) from None
