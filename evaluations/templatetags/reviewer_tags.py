"""Template helpers of the reviewer workspace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from evaluations import roles

register = template.Library()


@register.filter
def is_manager(user: Any) -> bool:
    """``{% if user|is_manager %}``: round-manager links and buttons."""
    return roles.is_manager(user)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ mapping|get_item:key }}`` for dicts keyed by a variable."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def signed(value: Any) -> str:
    """A change with its sign, in the reader's number format: +0,25, −0,10, 0,00 (a true
    minus sign); whole numbers (rank changes) stay whole."""
    if value is None:
        return "–"
    text = number_format(abs(value), decimal_pos=2 if isinstance(value, Decimal) else None)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


@register.filter
def share(pair: Any) -> str:
    """A programme share [running, total] as "9/10 (90%)"."""
    if not pair:
        return "–"
    running, total = pair
    if not total:
        return "–"
    return f"{running}/{total} ({round(100 * running / total)}%)"
