"""The dot map: participating regions at their coordinates, coloured and shaped by rating
band, each a link to its profile, with a text alternative; no external tiles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.urls import reverse

from evaluations import charts

SVG = "{http://www.w3.org/2000/svg}"


def map_svg(html: str) -> ET.Element:
    svg = re.search(r'<svg[^>]*class="chart chart-map".*?</svg>', html, re.S).group(0)
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def test_projection_of_the_bounding_box():
    assert charts.project(6.0, 95.0) == (0.0, 0.0)
    x, y = charts.project(-11.0, 141.0)
    assert (round(x), round(y)) == (charts.MAP_WIDTH, charts.MAP_HEIGHT)
    # Kota Bekasi (-6.24, 106.99) lies a quarter of the way east, two thirds down.
    x, y = charts.project(-6.24, 106.99)
    assert round(x / charts.MAP_WIDTH, 2) == 0.26
    assert round(y / charts.MAP_HEIGHT, 2) == 0.72


def test_each_participant_is_a_linked_marker_with_a_title(anonymous, published):
    html = anonymous.get(reverse("public:map")).content.decode()
    svg = map_svg(html)
    links = svg.findall(f".//{SVG}a")
    assert len(links) == 4
    bekasi = next(a for a in links if a.get("href") == "/regions/kota-bekasi/")
    title = bekasi.find(f"{SVG}title").text
    result = published.result(published.results_2024, published.regions[0])
    assert title.startswith("Kota Bekasi, Jawa Barat: indeks ")
    assert result.rating_band in title
    assert re.search(r"band-[1-5]", bekasi.get("class"))
    marker = next(iter(bekasi.findall("*")[1:]))
    x, y = charts.project(-6.24, 106.99)
    if marker.tag == f"{SVG}circle":
        assert (float(marker.get("cx")), float(marker.get("cy"))) == (round(x, 1), round(y, 1))


def test_background_dots_draw_every_region_and_no_external_resource(anonymous, published):
    html = anonymous.get(reverse("public:map")).content.decode()
    svg = map_svg(html)
    land = svg.find(f".//{SVG}g[@class='map-land']")
    assert len(land) == 4  # every region with coordinates (here only the participants)
    assert "http" not in ET.tostring(svg, encoding="unicode").replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert svg.get("role") == "group"
    assert svg.find(f"{SVG}title") is not None
    assert svg.find(f"{SVG}desc") is not None


def test_text_alternative_and_legend(anonymous, published):
    html = anonymous.get(reverse("public:map")).content.decode()
    assert "Daftar peserta (alternatif teks peta)" in html
    for region in published.regions:
        assert f'<a href="{region.get_absolute_url()}">{region.name}</a>' in html
    for band in ("Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"):
        assert band in html


def test_map_of_an_earlier_round_and_of_an_unknown_one(anonymous, published):
    url = reverse("public:map") + f"?round={published.round_2023.slug}"
    assert "Peta peserta Evaluasi 2023 Tahap 1" in anonymous.get(url).content.decode()
    assert anonymous.get(reverse("public:map") + "?round=tidak-ada").status_code == 404


def test_regions_without_coordinates_are_listed_not_placed(anonymous, published):
    sleman = published.regions[3]
    sleman.latitude = sleman.longitude = None
    sleman.save()
    html = anonymous.get(reverse("public:map")).content.decode()
    assert len(map_svg(html).findall(f".//{SVG}a")) == 3
    assert "Tanpa koordinat (tidak tampil di peta): Kabupaten Sleman" in html
