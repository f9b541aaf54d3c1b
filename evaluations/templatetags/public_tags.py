"""Template filters for the public portal: scores, signed changes, rating-band classes."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal, cast

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations import charts

register = template.Library()

MINUS = "\u2212"


@register.filter
def score(value: Decimal | float | None) -> str:
    """Two decimals in the reader's language (3,31 in Indonesian), or an en dash."""
    return charts.fmt(value)


@register.filter
def signed(value: Decimal | None) -> str:
    """An index change with its sign: +0,25, −0,12 or 0,00; an en dash when unknown."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    text = number_format(abs(value), 2)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


@register.filter
def change_class(value: Decimal | int | None) -> str:
    if value is None or value == "" or value == 0:
        return "change-none"
    return "change-up" if value > 0 else "change-down"


@register.filter
def rank_move(value: int | Literal[""] | None) -> SafeString | str:
    """A rank change as an arrow and a number, with words for screen readers."""
    if value is None or value == "":
        return format_html(
            '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>',
            _("tidak ada pembanding"),
        )
    if value == 0:
        return format_html(
            '<span aria-hidden="true">=</span><span class="visually-hidden">{}</span>',
            _("peringkat tetap"),
        )
    if value > 0:
        words = ngettext("naik %(n)d peringkat", "naik %(n)d peringkat", value) % {"n": value}
        return format_html(
            '<span aria-hidden="true">▲ {}</span><span class="visually-hidden">{}</span>',
            value,
            words,
        )
    words = ngettext("turun %(n)d peringkat", "turun %(n)d peringkat", -value) % {"n": -value}
    return format_html(
        '<span aria-hidden="true">▼ {}</span><span class="visually-hidden">{}</span>',
        -value,
        words,
    )


@register.filter
def band_css(name: str, styles: Mapping[str, Any]) -> str:
    """The CSS class of a rating band name, from the round's band styles."""
    style = styles.get(name) if styles else None
    return style.css if style else "band-none"


@register.filter
def mini_bar(value: Decimal | None) -> SafeString:
    return charts.mini_bar(value)


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


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


@register.simple_tag
def ranking_rows(rows: list[dict[str, object]]) -> SafeString:
    """The national table's ``<tr>``s from ``rankings._table_rows`` (each cell's text ready).

    Built here rather than in a template loop: 514 rows × 13 template lookups were a third of
    the rankings page's time at national scale (README, "Benchmark"). Plain text is escaped;
    ``bar`` and ``moved`` are already safe markup (``mini_bar``, ``rank_move``).
    """
    return mark_safe(  # every value below is escaped or built with format_html
        "".join(
            f'<tr data-region="{escape(r["slug"])}">'
            f'<td class="num rank">{r["rank"]}</td>'
            f'<th scope="row"><a href="{escape(r["url"])}">{escape(r["name"])}</a>'
            '<span class="d-md-none d-block small fw-normal text-body-secondary">'
            f"{escape(r['province'])}</span></th>"
            f'<td class="d-none d-md-table-cell">{escape(r["province"])}</td>'
            f'<td class="d-none d-lg-table-cell">{escape(r["kind"])}</td>'
            f'<td class="num index"><span class="index-value">{escape(r["index"])}</span> '
            f"{conditional_escape(cast(SafeString, r['bar']))}</td>"
            f'<td><span class="band-badge {escape(r["band_css"])}">{escape(r["band"])}</span></td>'
            f'<td class="num change {escape(r["change_css"])}">{escape(r["change"])}</td>'
            f'<td class="num rank-change {escape(r["moved_css"])}">'
            f"{conditional_escape(cast(SafeString, r['moved']))}</td></tr>\n"
            for r in rows
        )
    )
