"""Server-rendered SVG charts for the public portal: no chart JavaScript.

Every chart is an inline ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``,
comes with its data as rows for a table alternative (``Chart.headers``/``Chart.rows``, shown
by ``templates/public/includes/chart.html``), scales with its container (viewBox) and prints.
Colours come from presentation attributes or classes in static/css/public.css, never a
``style=`` attribute (the CSP forbids inline styles). Series differ by dash pattern and
marker shape as well as colour, so that no chart relies on colour alone.

All text is escaped here; the ``mark_safe`` calls wrap markup built from escaped parts only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | float | int | None

SERIES_DASH = ["", "7 4", "2 3", "9 3 2 3"]
SCALE_MAX = 5


@dataclass
class Series:
    """One line, polygon or set of bars: a label and one value per category."""

    label: str
    values: Sequence[Number]
    index: int = 0  # 0-based: selects colour class, dash pattern and marker shape

    @property
    def css(self) -> str:
        return f"series-{self.index % 4 + 1}"

    @property
    def dash(self) -> str:
        return SERIES_DASH[self.index % len(SERIES_DASH)]


@dataclass
class Chart:
    """An SVG and the table that says the same in words and numbers."""

    chart_id: str
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    legend: list[tuple[str, SafeString]] = field(default_factory=list)  # (label, swatch SVG)


def fmt(value: Number) -> str:
    """A score as shown everywhere: two decimals in the reader's language (3,31 or 3.31),
    or an en dash when missing."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(str(value)), 2)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _open(chart_id: str, title: str, desc: str, width: int, height: int, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def marker(shape: int, x: float, y: float, r: float, attrs: str = "") -> str:
    """A point marker; ``shape`` picks circle, square, diamond, triangle up or down."""
    shape %= 5
    if shape == 0:
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" {attrs}/>'
    if shape == 1:
        s = r * 0.9
        return (
            f'<rect x="{_f(x - s)}" y="{_f(y - s)}" '
            f'width="{_f(2 * s)}" height="{_f(2 * s)}" {attrs}/>'
        )
    if shape == 2:
        d = r * 1.25
        pts = f"{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y)} {_f(x)},{_f(y + d)} {_f(x - d)},{_f(y)}"
    elif shape == 3:
        d = r * 1.3
        pts = f"{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y + d * 0.8)} {_f(x - d)},{_f(y + d * 0.8)}"
    else:
        d = r * 1.3
        pts = f"{_f(x)},{_f(y + d)} {_f(x + d)},{_f(y - d * 0.8)} {_f(x - d)},{_f(y - d * 0.8)}"
    return f'<polygon points="{pts}" {attrs}/>'


def swatch(series: Series, *, bar: bool = False) -> SafeString:
    """The legend key of a series: its line pattern and marker, or a bar."""
    dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
    if bar:
        body = (
            f'<rect class="chart-bar" x="1" y="2" width="30" height="12" stroke-width="1.5"{dash}/>'
        )
    else:
        body = f'<line x1="0" y1="8" x2="32" y2="8" stroke-width="2.5"{dash}/>' + marker(
            series.index, 16, 8, 4, 'class="chart-point"'
        )
    return mark_safe(
        f'<svg class="legend-swatch chart-series {series.css}" viewBox="0 0 32 16" '
        f'aria-hidden="true" focusable="false">{body}</svg>'
    )


def _as_float(value: Number) -> float | None:
    return None if value is None else float(value)


# --- Line chart (index history) --------------------------------------------------------------


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_max: float = SCALE_MAX,
    value_header: str = "",
) -> Chart:
    """Values over rounds (or years), one line per series, y from 0 to ``y_max``."""
    width, height = 640, 280
    left, right, top, bottom = 44, 24, 20, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(x_labels)

    inset = 28  # keeps the first and last points (and their labels) off the axis

    def xpos(i: int) -> float:
        if n == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * i / (n - 1)

    def ypos(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    parts = [_open(chart_id, title, description, width, height, "chart-line")]
    parts.append('<g class="chart-grid" aria-hidden="true">')
    for tick in range(int(y_max) + 1):
        y = ypos(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{_f(y)}" y2="{_f(y)}"/>')
        parts.append(
            f'<text class="chart-tick" x="{left - 8}" y="{_f(y + 4)}" '
            f'text-anchor="end">{tick}</text>'
        )
    for i, label in enumerate(x_labels):
        parts.append(
            f'<text class="chart-tick" x="{_f(xpos(i))}" y="{height - bottom + 20}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</g>")
    for s in series:
        points = [(xpos(i), _as_float(v)) for i, v in enumerate(s.values)]
        # A gap (no result that round) breaks the line rather than drawing it down to zero.
        runs: list[list[tuple[float, float]]] = [[]]
        for x, v in points:
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x, ypos(v)))
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(f'<g class="chart-series {s.css}">')
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in run)
                parts.append(f'<polyline points="{pts}" fill="none" stroke-width="2.5"{dash}/>')
        for i, (x, v) in enumerate(points):
            if v is None:
                continue
            label = f"{s.label} · {x_labels[i]}: {fmt(s.values[i])}"
            parts.append(
                "<g>"
                f"<title>{escape(label)}</title>"
                + marker(s.index, x, ypos(v), 4.5, 'class="chart-point"')
                + "</g>"
            )
            if len(series) == 1:
                parts.append(
                    f'<text class="chart-value" x="{_f(x)}" y="{_f(ypos(v) - 10)}" '
                    f'text-anchor="middle">{fmt(s.values[i])}</text>'
                )
        parts.append("</g>")
    parts.append("</svg>")
    headers = [value_header, *[s.label for s in series]]
    rows = [[label, *[fmt(s.values[i]) for s in series]] for i, label in enumerate(x_labels)]
    legend = [(s.label, swatch(s)) for s in series] if len(series) > 1 else []
    return Chart(chart_id, title, description, mark_safe("".join(parts)), headers, rows, legend)


# --- Radar (spider) chart of the six dimensions ----------------------------------------------


def radar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    axes: Sequence[str],
    series: Sequence[Series],
    max_value: float = SCALE_MAX,
    axis_header: str = "",
    axis_titles: Sequence[str] | None = None,
) -> Chart:
    """One polygon per series over ``axes`` (the six dimensions), rings at each level.

    ``axes`` label the chart; ``axis_titles`` (default the same) name them in the point
    titles and the data table, where there is room for the full names.
    """
    titles = list(axis_titles or axes)
    width, height = 600, 400
    cx, cy, radius = width / 2, height / 2 + 4, 140
    n = len(axes)

    def point(i: int, v: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * v / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [_open(chart_id, title, description, width, height, "chart-radar")]
    parts.append('<g class="chart-grid" aria-hidden="true">')
    for level in range(1, int(max_value) + 1):
        pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none"/>')
        x, y = point(0, level)
        parts.append(f'<text class="chart-tick" x="{_f(x + 4)}" y="{_f(y + 4)}">{level}</text>')
    for i, label in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(f'<line x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(x)}" y2="{_f(y)}"/>')
        lx, ly = point(i, max_value * 1.12)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        dy = -4 if ly < cy - 10 else (12 if ly > cy + 10 else 4)
        parts.append(
            f'<text class="chart-axis-label" x="{_f(lx)}" y="{_f(ly + dy)}" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    parts.append("</g>")
    for s in series:
        values = [_as_float(v) or 0.0 for v in s.values]
        pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in (point(i, v) for i, v in enumerate(values)))
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(f'<g class="chart-series {s.css}">')
        parts.append(
            f'<polygon class="chart-area" points="{pts}" fill-opacity="0.12" '
            f'stroke-width="2.5"{dash}/>'
        )
        for i, v in enumerate(values):
            x, y = point(i, v)
            label = f"{s.label} · {titles[i]}: {fmt(s.values[i])}"
            parts.append(
                f"<g><title>{escape(label)}</title>"
                + marker(s.index, x, y, 4, 'class="chart-point"')
                + "</g>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    headers = [axis_header, *[s.label for s in series]]
    rows = [[label, *[fmt(s.values[i]) for s in series]] for i, label in enumerate(titles)]
    legend = [(s.label, swatch(s)) for s in series] if len(series) > 1 else []
    return Chart(chart_id, title, description, mark_safe("".join(parts)), headers, rows, legend)


# --- Horizontal bars (components, metrics) ---------------------------------------------------


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    max_value: float = SCALE_MAX,
    category_header: str = "",
    notes: Sequence[str] | None = None,
    ticks: Sequence[float] | None = None,
    value_format: Callable[[Number], str] | None = None,
) -> Chart:
    """Horizontal bars, grouped by category, one bar per series; value printed at the end.

    ``notes`` adds a small line under each category label (e.g. a component's weight);
    ``ticks`` are the gridlines (default every whole number up to ``max_value``);
    ``value_format`` turns a value into its printed label (default: two decimals).
    """
    show = value_format or fmt
    ticks = ticks if ticks is not None else range(int(max_value) + 1)
    label_w, value_w = 170, 52
    width = 640
    bar_h, gap_in = 16, 3
    gap_out = 26 if notes else 14  # room for the note line under each label
    group_h = len(series) * bar_h + (len(series) - 1) * gap_in
    top, bottom = 10, 30
    height = top + len(categories) * (group_h + gap_out) + bottom
    plot_w = width - label_w - value_w - 10

    def xlen(v: float) -> float:
        return plot_w * max(0.0, min(v, max_value)) / max_value

    parts = [_open(chart_id, title, description, width, height, "chart-bars")]
    parts.append('<g class="chart-grid" aria-hidden="true">')
    axis_y = height - bottom + 4
    for tick in ticks:
        x = label_w + xlen(tick)
        parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top - 4}" y2="{axis_y}"/>')
        parts.append(
            f'<text class="chart-tick" x="{_f(x)}" y="{axis_y + 14}" text-anchor="middle">'
            f"{tick:g}</text>"
        )
    parts.append("</g>")
    for ci, category in enumerate(categories):
        gy = top + ci * (group_h + gap_out)
        note = notes[ci] if notes else ""
        label_y = gy + group_h / 2 + 4
        parts.append(
            f'<text class="chart-axis-label" x="{label_w - 8}" y="{_f(label_y)}" '
            f'text-anchor="end">{escape(category)}</text>'
        )
        if note:
            parts.append(
                f'<text class="chart-note" x="{label_w - 8}" y="{_f(label_y + 13)}" '
                f'text-anchor="end">{escape(note)}</text>'
            )
        for position, s in enumerate(series):
            v = _as_float(s.values[ci])
            y = gy + position * (bar_h + gap_in)
            label = f"{s.label} · {category}: {show(s.values[ci])}"
            parts.append(f'<g class="chart-series {s.css}"><title>{escape(label)}</title>')
            if v is not None:
                parts.append(
                    f'<rect class="chart-bar" x="{label_w}" y="{_f(y)}" width="{_f(xlen(v))}" '
                    f'height="{bar_h}" stroke-width="1"/>'
                )
            parts.append(
                f'<text class="chart-value" x="{_f(label_w + xlen(v or 0) + 6)}" '
                f'y="{_f(y + bar_h - 4)}">{escape(show(s.values[ci]))}</text></g>'
            )
    parts.append("</svg>")
    headers = [category_header, *[s.label for s in series]]
    rows = [[c, *[show(s.values[i]) for s in series]] for i, c in enumerate(categories)]
    legend = [(s.label, swatch(s, bar=True)) for s in series] if len(series) > 1 else []
    return Chart(chart_id, title, description, mark_safe("".join(parts)), headers, rows, legend)


def mini_bar(value: Number, max_value: float = SCALE_MAX) -> SafeString:
    """A small decorative bar for a table cell (the number is in the cell beside it)."""
    v = _as_float(value) or 0.0
    w = 100 * max(0.0, min(v, max_value)) / max_value
    return mark_safe(
        '<svg class="mini-bar" viewBox="0 0 100 10" aria-hidden="true" focusable="false" '
        f'preserveAspectRatio="none"><rect class="mini-bar-track" width="100" height="10"/>'
        f'<rect class="mini-bar-fill" width="{_f(w)}" height="10"/></svg>'
    )
