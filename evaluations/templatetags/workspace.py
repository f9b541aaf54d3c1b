"""Template filters of the city workspace: rupiah (signed changes and dictionary lookups:
``formatting``)."""

from __future__ import annotations

from django import template

from evaluations.services.programmes import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """1250000000 → "Rp 1.250.000.000"; empty for no budget."""
    return format_rupiah(value) if value is not None else ""
