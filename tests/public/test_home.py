"""The home page: the newest published round at a glance and a way into every page."""

from __future__ import annotations

from django.urls import reverse

from tests.public.html import table_rows


def test_headline_figures_of_the_latest_published_round(anonymous, published):
    html = anonymous.get("/").content.decode()
    results = published.results_2024
    assert "Evaluasi 2024 Tahap 1" in html
    assert 'data-figure="count">4<' in html
    best = max(r.index for r in results)
    assert f'data-figure="best">{best:.2f}<'.replace(".", ",") in html
    improved = sum(1 for r in results if r.index_change > 0)
    assert f'data-figure="improved">{improved}<' in html


def test_top_regions_and_most_improved(anonymous, published):
    html = anonymous.get("/").content.decode()
    tables = html.split('aria-labelledby="improved-heading"')
    top = table_rows(tables[0], "table-sm")
    leader = published.results_2024[0].participation.region
    assert top[0][1] == f"{leader.name}{leader.province.name}"  # name, then its province
    improved = table_rows(tables[1], "table-sm")
    gains = sorted(
        (r for r in published.results_2024 if r.index_change > 0),
        key=lambda r: -r.index_change,
    )
    assert [row[0] for row in improved] == [r.participation.region.name for r in gains][:5]


def test_links_to_every_public_page_and_the_map(anonymous, published):
    html = anonymous.get("/").content.decode()
    for name in ("rankings_latest", "map", "compare", "methodology_latest", "opendata"):
        assert f'href="{reverse(f"public:{name}")}"' in html, name
    assert 'class="chart chart-map"' in html
    # The header navigation names each of them.
    for label in ("Peringkat", "Peta", "Bandingkan", "Metodologi", "Data terbuka"):
        assert f">{label}</a>" in html


def test_home_before_any_publication(anonymous, db):
    html = anonymous.get("/").content.decode()
    assert "Belum ada hasil evaluasi yang dipublikasikan." in html
    for name in ("rankings_latest", "map", "methodology_latest"):
        response = anonymous.get(reverse(f"public:{name}"))
        assert response.status_code == 200
        assert "Belum ada hasil yang dipublikasikan" in response.content.decode()
    assert anonymous.get(reverse("public:opendata")).status_code == 200
    assert anonymous.get(reverse("public:compare")).status_code == 200
