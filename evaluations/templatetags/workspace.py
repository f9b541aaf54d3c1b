"""Template filters of the city workspace: rupiah, signed changes, dictionary lookups."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

from evaluations.services.programmes import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """1250000000 → "Rp 1.250.000.000"; empty for no budget."""
    return format_rupiah(value) if value is not None else ""


@register.filter
def signed(value: Decimal | int | None, digits: int = 2) -> str:
    """A change with its sign: "+0,25", "−0,10", "0,00" (localised decimals)."""
    if value is None:
        return ""
    text = floatformat(abs(value), digits)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None
