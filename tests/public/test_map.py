"""The map: every marker is a link to the region it shows, big enough to touch, and never
under another marker; close regions cluster and zoom in; zoom and pan are plain links; the
coast is drawn from bundled open data; a list below says the same in text."""

from __future__ import annotations

import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import reverse

from evaluations import mapview
from evaluations.mapview import HIT_RADIUS, Place, View

SVG = "{http://www.w3.org/2000/svg}"
MAP = reverse("public:map")
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "regions.json"


def map_svg(html: str) -> ET.Element:
    svg = re.search(r'<svg[^>]*class="chart chart-map".*?</svg>', html, re.S).group(0)
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def all_regions() -> list[Place]:
    """Every kab/kota of the reference data (514, real coordinates) as map places."""
    rows = json.loads(FIXTURE.read_text())
    return [
        Place(
            slug=r["fields"]["slug"],
            name=r["fields"]["name"],
            label=r["fields"]["name"],
            url=f"/regions/{r['fields']['slug']}/",
            latitude=float(r["fields"]["latitude"]),
            longitude=float(r["fields"]["longitude"]),
            band_class="band-1",
            band_shape=0,
        )
        for r in rows
        if r["model"] == "regions.region" and r["fields"].get("latitude")
    ]


def centres(laid: mapview.Layout) -> list[tuple[float, float]]:
    return [(m.x, m.y) for m in laid.markers] + [(c.x, c.y) for c in laid.clusters]


def test_projection_of_the_whole_country():
    view = View()
    assert view.project(6.0, 95.0) == (0.0, 0.0)
    x, y = view.project(-11.0, 141.0)
    assert (round(x), round(y)) == (mapview.WIDTH, mapview.HEIGHT)
    x, y = view.project(-6.24, 106.99)  # Kota Bekasi: a quarter east, two thirds down
    assert (round(x / mapview.WIDTH, 2), round(y / mapview.HEIGHT, 2)) == (0.26, 0.72)


def test_hit_area_is_at_least_24_px_on_a_390_px_phone():
    # The map is the container's width: 390 px less Bootstrap's 2 × 12 px gutter and border.
    px_per_unit = (390 - 24 - 2) / mapview.WIDTH
    assert 2 * HIT_RADIUS * px_per_unit >= 24


def views_over(places: list[Place]) -> list[View]:
    """Every view around every place at every zoom level (what cluster links can reach)."""
    return sorted(
        {View.around(z, p.longitude, p.latitude) for z in range(5) for p in places},
        key=lambda v: (v.z, v.x, v.y),
    )


def test_no_two_targets_overlap_in_any_view_of_all_514_regions():
    places = all_regions()
    assert len(places) == 514
    for view in views_over(places):
        laid = mapview.layout(view, places)
        for (x1, y1), (x2, y2) in itertools.combinations(centres(laid), 2):
            assert math.hypot(x1 - x2, y1 - y2) >= 2 * HIT_RADIUS - 1e-6, view
        shown = [m.place.slug for m in laid.markers] + [
            p.slug for c in laid.clusters for p in c.places
        ]
        assert len(shown) == len(set(shown)), view  # each region once
        assert len(shown) + laid.outside == len(places), view


def test_following_clusters_reaches_every_region_as_its_own_marker():
    places = all_regions()
    seen: set[str] = set()
    todo, visited = [View()], set()
    while todo:
        view = todo.pop()
        if view in visited:
            continue
        visited.add(view)
        laid = mapview.layout(view, places)
        seen.update(m.place.slug for m in laid.markers)
        todo.extend(c.view for c in laid.clusters)  # type: ignore[misc]  # a cluster has a view
        assert all(c.view.z > view.z for c in laid.clusters)
    assert seen == {p.slug for p in places}


def test_spread_markers_keep_a_line_to_their_true_position():
    twins = [Place(s, s, s, f"/regions/{s}/", -6.2, 106.8, "band-1", 0) for s in ("a", "b", "c")]
    laid = mapview.layout(View.around(mapview.MAX_ZOOM, 106.8, -6.2), twins)
    assert len(laid.markers) == 3
    assert not laid.clusters
    assert all(m.spread for m in laid.markers)
    assert len({(m.ax, m.ay) for m in laid.markers}) == 1


def test_coastline_is_bundled_open_data_and_shrinks_with_zoom():
    data = json.loads(mapview.LAND_FILE.read_text())
    assert "Natural Earth" in data["source"]
    assert "ISC" in data["source"]
    whole, _ = mapview.land_paths(View())
    assert whole.startswith("M")
    assert len(whole) < 45_000
    java = mapview.land_paths(View.around(2, 107.6, -6.9))[0]
    assert java
    assert len(java) < len(whole)


def markers(html: str) -> list[ET.Element]:
    return map_svg(html).findall(f".//{SVG}a[@data-region]")


def test_every_marker_links_to_the_region_its_label_names(anonymous, published):
    regions = {r.get_absolute_url(): r for r in published.regions}
    seen = set()
    # The whole map, then each view a cluster or the list below leads to.
    urls = [MAP] + [f"{MAP}?region={r.slug}" for r in published.regions]
    for url in urls:
        html = anonymous.get(url).content.decode()
        svg = map_svg(html)
        for cluster in svg.findall(f".//{SVG}a[@class='map-cluster']"):
            urls.append(cluster.get("href").replace("&amp;", "&"))
        for a in markers(html):
            region = regions[a.get("href")]
            assert a.find(f"{SVG}title").text.startswith(f"{region.name}, ")
            assert a.get("data-region") == region.slug
            assert re.search(r"band-[1-5]", a.get("class", ""))
            seen.add(region.slug)
        if len(urls) > 30:
            break
    assert seen == {r.slug for r in published.regions}


def test_close_regions_cluster_into_a_link_that_zooms_in(anonymous, published):
    html = anonymous.get(MAP).content.decode()
    cluster = map_svg(html).find(f".//{SVG}a[@class='map-cluster']")
    title = cluster.find(f"{SVG}title").text
    assert title is not None
    assert title.startswith("2 wilayah, perbesar untuk memilih: ")
    assert "Kota Bekasi" in title
    assert "Kota Bandung" in title
    # Following the cluster (twice here: the two cities are 70 km apart) separates them.
    zoomed = anonymous.get(cluster.get("href")).content.decode()
    assert "Perbesaran 1 dari 5" not in zoomed
    for _ in range(3):
        inner = map_svg(zoomed).find(f".//{SVG}a[@class='map-cluster']")
        if inner is None:
            break
        zoomed = anonymous.get(inner.get("href")).content.decode()
    assert {a.get("data-region") for a in markers(zoomed)} >= {"kota-bekasi", "kota-bandung"}


def test_zoom_and_pan_are_links_and_odd_views_redirect(anonymous, published):
    html = anonymous.get(MAP).content.decode()
    assert 'id="map-zoom-in" href="/map/?z=1&amp;x=0&amp;y=0"' in html
    assert 'id="map-zoom-out"' not in html
    zoomed = anonymous.get(MAP + "?z=1&x=0&y=0").content.decode()
    for control in ("zoom-out", "west", "east", "north", "south", "whole"):
        assert f'id="map-{control}"' in zoomed
    far = anonymous.get(MAP + "?z=1&x=999&y=0")
    assert far.status_code == 302
    assert far.url == MAP + "?z=1&x=10&y=0"
    assert anonymous.get(MAP + "?z=abc").url == MAP


def test_list_below_links_to_each_profile_and_to_its_place_on_the_map(anonymous, published):
    html = anonymous.get(MAP).content.decode()
    assert "Daftar peserta (alternatif teks peta)" in html
    for region in published.regions:
        assert f'<a href="{region.get_absolute_url()}">{region.name}</a>' in html
        assert f'href="?region={region.slug}#map-view"' in html
    focused = anonymous.get(MAP + "?region=kota-bekasi").content.decode()
    bekasi = next(a for a in markers(focused) if a.get("data-region") == "kota-bekasi")
    assert "map-focus" in bekasi.get("class", "")
    assert anonymous.get(MAP + "?region=tidak-ada").status_code == 404


def test_no_external_resource_and_a_labelled_group(anonymous, published):
    svg = map_svg(anonymous.get(MAP).content.decode())
    assert "http" not in ET.tostring(svg, encoding="unicode").replace(
        "http://www.w3.org/2000/svg", ""
    )
    # No role attribute (the Nu HTML Checker refuses role="group" on <svg>): the SVG keeps
    # its own graphics-document role, named by its title and description.
    assert svg.get("role") is None
    title_id = svg.find(f"{SVG}title").get("id")
    assert svg.get("aria-labelledby").split()[0] == title_id
    assert svg.find(f"{SVG}title") is not None
    assert svg.find(f"{SVG}desc") is not None
    assert svg.find(f"{SVG}path[@class='map-land']").get("d").startswith("M")


def test_numbers_are_not_localised_in_english_or_indonesian(anonymous, published):
    for lang in ("id", "en"):
        anonymous.cookies["django_language"] = lang
        html = anonymous.get(MAP + "?region=kota-bekasi").content.decode()
        for a in markers(html):
            assert re.fullmatch(r"[\d.-]+", a.find(f"{SVG}circle").get("cx", ""))


def test_legend_and_an_earlier_round(anonymous, published):
    html = anonymous.get(MAP).content.decode()
    for band in ("Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"):
        assert band in html
    url = MAP + f"?round={published.round_2023.slug}"
    assert "Peta peserta Evaluasi 2023 Tahap 1" in anonymous.get(url).content.decode()
    assert anonymous.get(MAP + "?round=tidak-ada").status_code == 404


@pytest.mark.parametrize("path", ["/", MAP])
def test_regions_without_coordinates_are_listed_not_placed(anonymous, published, path):
    sleman = published.regions[3]
    sleman.latitude = sleman.longitude = None
    sleman.save()
    html = anonymous.get(path).content.decode()
    svg = map_svg(html)
    placed = [a.get("data-region") for a in markers(html)] + [
        t.text for t in svg.findall(f".//{SVG}a[@class='map-cluster']/{SVG}title")
    ]
    assert not any("sleman" in p.lower() for p in placed)
    if path == MAP:
        assert "Tanpa koordinat (tidak tampil di peta): Kabupaten Sleman" in html
