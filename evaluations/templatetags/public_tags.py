"""Template filters for the public portal: scores, rank moves, rating-band classes, mini bars
(signed changes and dictionary lookups: ``formatting``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations import charts

register = template.Library()


@register.filter
def score(value: Decimal | float | None) -> str:
    """Two decimals in the reader's language (3,31 in Indonesian), or an en dash."""
    return charts.fmt(value)


@register.filter
def change_class(value: Decimal | int | None) -> str:
    if value is None or value == "" or value == 0:
        return "change-none"
    return "change-up" if value > 0 else "change-down"


@register.filter
def rank_arrow(value: int | Literal[""] | None) -> str:
    """A rank change as sighted readers see it: ▲ 3, ▼ 2, = (unchanged) or – (no comparison);
    ``public/includes/rank_move.html`` pairs it with ``rank_words``."""
    if value is None or value == "":
        return "–"
    if value == 0:
        return "="
    return f"▲ {value}" if value > 0 else f"▼ {-value}"


@register.filter
def rank_words(value: int | Literal[""] | None) -> str:
    """A rank change in words, for screen readers."""
    if value is None or value == "":
        return _("tidak ada pembanding")
    if value == 0:
        return _("peringkat tetap")
    if value > 0:
        return ngettext("naik %(n)d peringkat", "naik %(n)d peringkat", value) % {"n": value}
    return ngettext("turun %(n)d peringkat", "turun %(n)d peringkat", -value) % {"n": -value}


@register.filter
def band_css(name: str, styles: Mapping[str, Any]) -> str:
    """The CSS class of a rating band name, from the round's band styles."""
    style = styles.get(name) if styles else None
    return style.css if style else "band-none"


@register.filter
def bar_width(value: Decimal | None) -> str:
    """The fill of a score's mini bar (``public/includes/charts.html#mini_bar``)."""
    return charts.mini_bar_width(value)


@register.filter
def band_label(name: str, styles: Mapping[str, Any]) -> str:
    """A result's rating band (stored in Indonesian, as published) in the reader's
    language, from the round's band styles; the stored name when there is no translation."""
    style = styles.get(name) if styles and name else None
    return (style.label or name) if style else name


@register.filter
def percent(share: tuple[int, int] | list[int] | None) -> str:
    """``[running, total]`` as a whole percentage (90 %), or an en dash."""
    if not share or len(share) != 2 or not share[1]:
        return "–"
    return f"{round(100 * share[0] / share[1])}%"


@register.filter
def get_field(obj: object, name: str) -> object:
    """An attribute by name, for score columns chosen at run time (``score_governance``)."""
    return getattr(obj, name, None)
