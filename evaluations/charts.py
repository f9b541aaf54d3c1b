"""Server-rendered SVG charts for the public portal: no chart JavaScript.

Python computes each chart's geometry and text (coordinates already formatted, labels and
titles as plain strings); ``templates/public/includes/charts.html`` draws it, and
``templates/public/includes/chart.html`` frames it with its legend and its data table.
Every chart is an inline ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``,
comes with its data as rows for a table alternative (``Chart.headers``/``Chart.rows``),
scales with its container (viewBox) and prints. Colours come from presentation attributes or
classes in static/css/public.css, never a ``style=`` attribute (the CSP forbids inline
styles). Series differ by dash pattern and marker shape as well as colour, so that no chart
relies on colour alone. No markup is built here: the template engine escapes every label.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString

Number = Decimal | float | int | None

SERIES_DASH = ["", "7 4", "2 3", "9 3 2 3"]
SCALE_MAX = 5
TEMPLATE = "public/includes/charts.html"


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
class Marker:
    """A point marker's geometry: a ``circle`` (cx, cy, r), a square ``rect`` (x, y,
    width = height) or a ``polygon`` (points); numbers already formatted."""

    shape: str
    cx: str = ""
    cy: str = ""
    r: str = ""
    x: str = ""
    y: str = ""
    size: str = ""
    points: str = ""


@dataclass
class Swatch:
    """A legend key: the series' colour class, its dash pattern and marker, or a bar."""

    css: str
    dash: str
    bar: bool
    marker: Marker


@dataclass
class Point:
    """A data point: its hover title, its marker and, on a single line, its value label."""

    title: str
    marker: Marker
    label: dict[str, str] | None = None  # {"x", "y", "text"}


@dataclass
class Chart:
    """An SVG's geometry and the table that says the same in words and numbers.

    ``kind`` names the partial of ``TEMPLATE`` that draws it; ``geometry`` holds that
    partial's plain data (see each ``*_chart`` function).
    """

    chart_id: str
    title: str
    description: str
    kind: str
    width: int
    height: int
    geometry: dict[str, object]
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    legend: list[tuple[str, Swatch]] = field(default_factory=list)

    @property
    def template(self) -> str:
        return f"{TEMPLATE}#{self.kind}"

    @property
    def svg(self) -> SafeString:
        """The chart drawn alone (the page includes ``template`` instead)."""
        return render_to_string(self.template, {"chart": self})


def fmt(value: Number) -> str:
    """A score as shown everywhere: two decimals in the reader's language (3,31 or 3.31),
    or an en dash when missing."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(str(value)), 2)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _points(pairs: Iterable[tuple[float, float]]) -> str:
    """An SVG ``points`` list: "x,y x,y ...", one decimal each."""
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in pairs)


def marker(shape: int, x: float, y: float, r: float) -> Marker:
    """A point marker; ``shape`` picks circle, square, diamond, triangle up or down."""
    shape %= 5
    if shape == 0:
        return Marker("circle", cx=_f(x), cy=_f(y), r=_f(r))
    if shape == 1:
        s = r * 0.9
        return Marker("rect", x=_f(x - s), y=_f(y - s), size=_f(2 * s))
    if shape == 2:
        d = r * 1.25
        pts = f"{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y)} {_f(x)},{_f(y + d)} {_f(x - d)},{_f(y)}"
    elif shape == 3:
        d = r * 1.3
        pts = f"{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y + d * 0.8)} {_f(x - d)},{_f(y + d * 0.8)}"
    else:
        d = r * 1.3
        pts = f"{_f(x)},{_f(y + d)} {_f(x + d)},{_f(y - d * 0.8)} {_f(x - d)},{_f(y - d * 0.8)}"
    return Marker("polygon", points=pts)


def swatch(series: Series, *, bar: bool = False) -> Swatch:
    """The legend key of a series: its line pattern and marker, or a bar."""
    return Swatch(series.css, series.dash, bar, marker(series.index, 16, 8, 4))


def _as_float(value: Number) -> float | None:
    return None if value is None else float(value)


def _chart(
    chart: Chart,
    *,
    header: str,
    labels: Sequence[str],
    series: Sequence[Series],
    show: Callable[[Number], str] = fmt,
    bar: bool = False,
) -> Chart:
    """``chart`` with its data table (a row per label, a column per series) and, for more
    than one series, its legend."""
    chart.headers = [header, *[s.label for s in series]]
    chart.rows = [[label, *[show(s.values[i]) for s in series]] for i, label in enumerate(labels)]
    chart.legend = [(s.label, swatch(s, bar=bar)) for s in series] if len(series) > 1 else []
    return chart


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
    """Values over rounds (or years), one line per series, y from 0 to ``y_max``.

    Geometry: ``grid`` (a horizontal line and tick label per whole value), ``x_labels``
    (x, text) and ``series`` (css, dash, ``runs`` of polyline points, ``points``).
    """
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

    grid = [
        {"y": _f(ypos(tick)), "text_y": _f(ypos(tick) + 4), "tick": tick}
        for tick in range(int(y_max) + 1)
    ]
    labels = [{"x": _f(xpos(i)), "text": label} for i, label in enumerate(x_labels)]
    drawn = []
    for s in series:
        points = [(xpos(i), _as_float(v)) for i, v in enumerate(s.values)]
        # A gap (no result that round) breaks the line rather than drawing it down to zero.
        runs: list[list[tuple[float, float]]] = [[]]
        for x, v in points:
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x, ypos(v)))
        marks = []
        for i, (x, v) in enumerate(points):
            if v is None:
                continue
            label = None
            if len(series) == 1:
                label = {"x": _f(x), "y": _f(ypos(v) - 10), "text": fmt(s.values[i])}
            marks.append(
                Point(
                    f"{s.label} · {x_labels[i]}: {fmt(s.values[i])}",
                    marker(s.index, x, ypos(v), 4.5),
                    label,
                )
            )
        drawn.append(
            {
                "css": s.css,
                "dash": s.dash,
                "runs": [_points(run) for run in runs if len(run) > 1],
                "points": marks,
            }
        )
    geometry: dict[str, object] = {
        "left": left,
        "right": width - right,
        "tick_x": left - 8,
        "label_y": height - bottom + 20,
        "grid": grid,
        "x_labels": labels,
        "series": drawn,
    }
    return _chart(
        Chart(chart_id, title, description, "line", width, height, geometry),
        header=value_header,
        labels=x_labels,
        series=series,
    )


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
    Geometry: ``rings`` (points, tick position, level), ``spokes`` (line and label
    position), ``series`` (css, dash, ``area`` points, ``points``).
    """
    titles = list(axis_titles or axes)
    width, height = 600, 400
    cx, cy, radius = width / 2, height / 2 + 4, 140
    n = len(axes)

    def point(i: int, v: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * v / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    rings = []
    for level in range(1, int(max_value) + 1):
        x, y = point(0, level)
        rings.append(
            {
                "points": _points(point(i, level) for i in range(n)),
                "x": _f(x + 4),
                "y": _f(y + 4),
                "level": level,
            }
        )
    spokes = []
    for i, label in enumerate(axes):
        x, y = point(i, max_value)
        lx, ly = point(i, max_value * 1.12)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        dy = -4 if ly < cy - 10 else (12 if ly > cy + 10 else 4)
        spokes.append(
            {
                "x": _f(x),
                "y": _f(y),
                "label_x": _f(lx),
                "label_y": _f(ly + dy),
                "anchor": anchor,
                "text": label,
            }
        )
    drawn = []
    for s in series:
        values = [_as_float(v) or 0.0 for v in s.values]
        drawn.append(
            {
                "css": s.css,
                "dash": s.dash,
                "area": _points(point(i, v) for i, v in enumerate(values)),
                "points": [
                    Point(
                        f"{s.label} · {titles[i]}: {fmt(s.values[i])}",
                        marker(s.index, *point(i, v), 4),
                    )
                    for i, v in enumerate(values)
                ],
            }
        )
    geometry: dict[str, object] = {
        "cx": _f(cx),
        "cy": _f(cy),
        "rings": rings,
        "spokes": spokes,
        "series": drawn,
    }
    return _chart(
        Chart(chart_id, title, description, "radar", width, height, geometry),
        header=axis_header,
        labels=titles,
        series=series,
    )


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
    Geometry: ``ticks`` (x, text) and ``groups`` (label position, label, note, ``bars``).
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

    axis_y = height - bottom + 4
    groups = []
    for ci, category in enumerate(categories):
        gy = top + ci * (group_h + gap_out)
        label_y = gy + group_h / 2 + 4
        bars = []
        for position, s in enumerate(series):
            v = _as_float(s.values[ci])
            y = gy + position * (bar_h + gap_in)
            bars.append(
                {
                    "css": s.css,
                    "title": f"{s.label} · {category}: {show(s.values[ci])}",
                    "y": _f(y),
                    "width": _f(xlen(v)) if v is not None else None,
                    "value_x": _f(label_w + xlen(v or 0) + 6),
                    "value_y": _f(y + bar_h - 4),
                    "value": show(s.values[ci]),
                }
            )
        groups.append(
            {
                "label_y": _f(label_y),
                "label": category,
                "note": notes[ci] if notes else "",
                "note_y": _f(label_y + 13),
                "bars": bars,
            }
        )
    geometry: dict[str, object] = {
        "label_w": label_w,
        "label_x": label_w - 8,
        "bar_h": bar_h,
        "grid_top": top - 4,
        "axis_y": axis_y,
        "tick_y": axis_y + 14,
        "ticks": [{"x": _f(label_w + xlen(tick)), "text": f"{tick:g}"} for tick in ticks],
        "groups": groups,
    }
    return _chart(
        Chart(chart_id, title, description, "bars", width, height, geometry),
        header=category_header,
        labels=categories,
        series=series,
        show=show,
        bar=True,
    )


def mini_bar_width(value: Number, max_value: float = SCALE_MAX) -> str:
    """The fill width (out of 100) of the small decorative bar of a table cell."""
    v = _as_float(value) or 0.0
    return _f(100 * max(0.0, min(v, max_value)) / max_value)
