"""Rankings of a published round: the national table with filters and sorting in the query
string (no JavaScript needed), per province, per dimension and per component."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from evaluations.views.public.common import competition_ranks
from tests import factories
from tests.public import factories as pf
from tests.public.html import number, table_rows


def national(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return table_rows(response.content.decode(), "ranking-table")


def names(rows) -> list[str]:
    return [row[1] for row in rows]


def test_national_table_lists_every_participant_in_rank_order(anonymous, published):
    rows = national(anonymous, published.round_2024.get_absolute_url())
    expected = [r.participation.region.name for r in published.results_2024]
    assert names(rows) == expected
    assert [int(row[0]) for row in rows] == [r.national_rank for r in published.results_2024]
    bekasi = next(row for row in rows if row[1] == "Kota Bekasi")
    assert bekasi[2:4] == ["Jawa Barat", "Kota"]
    result = published.result(published.results_2024, published.regions[0])
    assert number(bekasi[4]) == result.index
    assert bekasi[5] == result.rating_band
    assert number(bekasi[6]) == result.index_change


def test_filter_by_province_kind_cohort_and_band(anonymous, published):
    url = published.round_2024.get_absolute_url()
    assert sorted(names(national(anonymous, url + "?province=jawa-barat"))) == [
        "Kota Bandung",
        "Kota Bekasi",
    ]
    assert names(national(anonymous, url + "?kind=kabupaten")) == ["Kabupaten Sleman"]
    assert "Kota Surabaya" not in names(national(anonymous, url + "?cohort=2017"))
    assert len(national(anonymous, url + "?cohort=2017")) == 3
    band = published.result(published.results_2024, published.regions[2]).rating_band
    banded = national(anonymous, url + f"?band={band}")
    assert banded
    assert {row[5] for row in banded} == {band}


def test_sorting_by_columns_and_scores(anonymous, published):
    url = published.round_2024.get_absolute_url()
    by_index = national(anonymous, url + "?sort=index")
    assert [number(r[4]) for r in by_index] == sorted(number(r[4]) for r in by_index)  # type: ignore[type-var]
    by_name = national(anonymous, url + "?sort=region")
    assert names(by_name) == sorted(names(by_name))
    by_change = national(anonymous, url + "?sort=-change")
    changes = [number(r[6]) for r in by_change]
    assert changes == sorted(changes, reverse=True)  # type: ignore[type-var]  # None fails here
    by_living = national(anonymous, url + "?sort=-living")
    expected = sorted(published.results_2024, key=lambda r: -r.score_living)
    assert names(by_living) == [r.participation.region.name for r in expected]


def test_missing_changes_sort_last_both_ways(anonymous, published):
    url = published.round_2023.get_absolute_url()  # nobody has a previous result here
    newcomer_round = published.round_2024
    region = factories.make_region("35.79", "Kota Batu", province=published.regions[2].province)
    participation = factories.make_participation(newcomer_round, region)
    pf.make_result(participation, index="2.00", national_rank=5, provincial_rank=2)
    for sort in ("change", "-change"):
        rows = national(anonymous, newcomer_round.get_absolute_url() + f"?sort={sort}")
        assert rows[-1][1] == "Kota Batu", sort
        assert rows[-1][6] == "–"
    assert all(r[6] == "–" for r in national(anonymous, url))


def test_sort_links_keep_the_filters_and_toggle_direction(anonymous, published):
    own = published.round_2024.get_absolute_url()
    html = anonymous.get(own + "?province=jawa-barat&sort=-index").content.decode()
    assert f'aria-sort="descending"><a href="{own}?province=jawa-barat&amp;sort=index"' in html
    assert f'href="{own}?province=jawa-barat&amp;sort=region"' in html


def test_invalid_filters_lead_to_the_canonical_page_not_a_server_error(anonymous, published):
    url = published.round_2024.get_absolute_url()
    response = anonymous.get(url + "?province=atlantis&kind=desa&cohort=abc&band=<b>&sort=zzz")
    assert (response.status_code, response["Location"]) == (302, url)
    # Valid values are kept, invalid ones dropped.
    response = anonymous.get(url + "?kind=desa&sort=-index", follow=True)
    assert response.redirect_chain == [(url + "?sort=-index", 302)]
    html = response.content.decode()
    assert "<b>" not in html
    assert len(table_rows(html, "ranking-table")) == 4


def test_rankings_within_each_province(anonymous, published):
    url = reverse("public:rankings_provinces", kwargs={"round_slug": published.round_2024.slug})
    html = anonymous.get(url).content.decode()
    assert html.index("DI Yogyakarta") < html.index("Jawa Barat") < html.index("Jawa Timur")
    bekasi = published.result(published.results_2024, published.regions[0])
    bandung = published.result(published.results_2024, published.regions[1])
    section = html[html.index('id="province-32"') :]
    rows = table_rows(section, "table")
    assert [int(r[0]) for r in rows] == sorted([bekasi.provincial_rank, bandung.provincial_rank])


def test_ranking_by_a_dimension_uses_competition_ranks(anonymous, published):
    results = published.results_2024
    with factories.guards_lifted():  # figures written straight into a published round
        for result, value in zip(results, ["3.50", "3.20", "3.20", "3.05"], strict=True):
            result.score_economy = Decimal(value)
            result.save()
    url = reverse(
        "public:rankings_metric",
        kwargs={"round_slug": published.round_2024.slug, "metric": "economy"},
    )
    rows = table_rows(anonymous.get(url).content.decode(), "table-hover")
    assert [r[0] for r in rows] == ["1", "2", "2", "4"]
    assert [number(r[3].split()[0]) for r in rows] == [
        Decimal("3.50"),
        Decimal("3.20"),
        Decimal("3.20"),
        Decimal("3.05"),
    ]


def test_competition_ranks():
    values = [Decimal("3.31"), Decimal("3.20"), None, Decimal("3.20"), Decimal("3.05")]
    assert competition_ranks(values) == [1, 2, None, 2, 4]


def test_metric_overview_and_unknown_metric(anonymous, published):
    slug = published.round_2024.slug
    overview = anonymous.get(reverse("public:rankings_metrics", kwargs={"round_slug": slug}))
    html = overview.content.decode()
    for label in ("Smart Governance", "Smart Environment", "Baseline", "Quick Win"):
        assert label in html
    assert 'aria-labelledby="chart-averages-title chart-averages-desc"' in html
    bogus = reverse("public:rankings_metric", kwargs={"round_slug": slug, "metric": "weather"})
    assert anonymous.get(bogus).status_code == 404


def test_other_published_rounds_are_linked(anonymous, published):
    html = anonymous.get(published.round_2024.get_absolute_url()).content.decode()
    assert published.round_2023.get_absolute_url() in html
