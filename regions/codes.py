"""Kemendagri region codes as they arrive from spreadsheets.

A code is ``PP`` (province) or ``PP.KK`` (kabupaten/kota), always two digits each side. A
spreadsheet program that types the column as numbers turns ``35.10`` into the number 35.1
(and writes "35.1" to CSV); a code with one digit after the point is not a valid code, so
reading it as ``35.10`` is unambiguous: two different codes never give the same number.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

_CODE = re.compile(r"^(\d{2})(?:\.(\d{1,2}))?$")


def region_code_from_cell(value: Any) -> str:
    """The canonical code for a cell's value ("35.10", 35.1, "35.1", 32 → "32"), or the
    cell's text stripped when it has no code shape (the caller reports it as unknown)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    text = (format(value, "f") if isinstance(value, Decimal) else str(value)).strip()
    match = _CODE.match(text)
    if not match:
        return text
    province, rest = match.groups()
    if rest is None:
        return province
    return f"{province}.{rest.ljust(2, '0')}"
