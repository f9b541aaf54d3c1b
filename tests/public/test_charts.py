"""Server-rendered SVG charts: well-formed, labelled, escaped, no inline style."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

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
        assert "style=" not in str(chart.svg)
        for _label, swatch in chart.legend:
            assert "style=" not in str(swatch)
    assert "style=" not in str(charts.mini_bar(Decimal("3")))


def test_numbers_follow_the_readers_language():
    with translation.override("id"):
        assert charts.fmt(Decimal("3.3")) == "3,30"
    with translation.override("en"):
        assert charts.fmt(Decimal("3.3")) == "3.30"
    assert charts.fmt(None) == "–"
