"""Template filters every area shares (public portal, city workspace, reviewer workspace,
letters): ``{% load formatting %}``. One copy of each, so that an empty value reads the
same everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

MINUS = "\u2212"
NO_VALUE = "–"  # an en dash: no value, no comparison


@register.filter
def signed(value: Decimal | float | int | str | None, digits: int | None = None) -> str:
    """A change with its sign, in the reader's number format: +0,25, −0,12 or 0,00 (a true
    minus sign); an en dash when there is no value.

    ``digits`` decimals when given (``|signed:0`` for a rank change); otherwise two for a
    decimal number and none for a whole one (a rank change stays whole).
    """
    if value is None or value == "":
        return NO_VALUE
    number = Decimal(value) if isinstance(value, str | int) else value
    if digits is None:
        digits = 0 if isinstance(value, int) else 2
    text = number_format(-number if number < 0 else number, decimal_pos=digits)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"{MINUS}{text}"
    return text


@register.filter
def get_item(mapping: Mapping[object, object] | None, key: object) -> object:
    """``{{ mapping|get_item:key }}`` for a dict keyed by a variable; nothing (``None``)
    when there is no mapping or no such key."""
    if not isinstance(mapping, Mapping):
        return None
    return mapping.get(key)
