"""Server-rendered SVG charts: well-formed, labelled, escaped, no inline style."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from evaluations import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own output, not untrusted input


def sample_series():
    return [
        charts.Series("Kota <Bekasi>", [Decimal("3.31"), None, Decimal("4.00")], 0),
        charts.Series("Kota Bandung", [Decimal("2.50"), Decimal("2.75"), Decimal("3.00")], 1),
    ]


def test_line_chart_is_labelled_and_breaks_at_missing_values():
    with translation.override("id"):
        chart = charts.line_chart(
            chart_id="c1",
            title="Riwayat & indeks",
            description="Deskripsi",
            x_labels=["2023 I", "2023 II", "2024 I"],
            series=sample_series(),
        )
    svg = parse(chart)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Riwayat & indeks"
    # The gap leaves Bekasi with two separate points and no line through the missing round.
    bekasi = svg.findall(f".//{SVG}g[@class='chart-series series-1']")[0]
    assert bekasi.findall(f"{SVG}polyline") == []
    assert chart.rows[1] == ["2023 II", "–", "2,75"]
    assert [label for label, _ in chart.legend] == ["Kota <Bekasi>", "Kota Bandung"]


def test_radar_and_bars_render_every_value_and_escape_labels():
    radar = charts.radar_chart(
        chart_id="r",
        title="t",
        description="d",
        axes=["A", "B", "C", "D", "E", "F"],
        series=[charts.Series("<script>x</script>", [1, 2, 3, 4, 5, None])],
    )
    assert "<script>" not in str(radar.svg)
    assert len(parse(radar).findall(f".//{SVG}polygon[@class='chart-area']")) == 1
    bars = charts.bar_chart(
        chart_id="b",
        title="t",
        description="d",
        categories=["Baseline", "Output"],
        series=sample_series()[1:],
        notes=["bobot 10%", "bobot 20%"],
    )
    assert len(parse(bars).findall(f".//{SVG}rect[@class='chart-bar']")) == 2
    assert "bobot 20%" in str(bars.svg)


def test_no_inline_style_anywhere():
    for chart in (
        charts.line_chart(
            chart_id="a", title="t", description="d", x_labels=list("xyz"), series=sample_series()
        ),
        charts.radar_chart(
            chart_id="b",
            title="t",
            description="d",
            axes=list("ABCDEF"),
            series=[charts.Series(str(i), [1, 2, 3, 4, 5, 0], i) for i in range(2)],
        ),
    ):
        figure = render_to_string("public/includes/chart.html", {"chart": chart})
        assert "style=" not in figure
        # The figure holds the chart, one legend key per series and the data table.
        assert figure.count('class="legend-swatch') == len(chart.legend) == 2
        assert figure.count("<tr>") == len(chart.rows) + 1
    mini_bar = render_to_string(
        "public/includes/charts.html#mini_bar", {"width": charts.mini_bar_width(Decimal("3"))}
    )
    assert 'class="mini-bar-fill" width="60.0"' in mini_bar
    assert "style=" not in mini_bar


def test_mini_bar_width_is_clamped_to_the_scale():
    assert charts.mini_bar_width(None) == "0.0"
    assert charts.mini_bar_width(Decimal("-1")) == "0.0"
    assert charts.mini_bar_width(Decimal("2.5")) == "50.0"
    assert charts.mini_bar_width(Decimal("7")) == "100.0"


def test_numbers_follow_the_readers_language():
    with translation.override("id"):
        assert charts.fmt(Decimal("3.3")) == "3,30"
    with translation.override("en"):
        assert charts.fmt(Decimal("3.3")) == "3.30"
    assert charts.fmt(None) == "–"
