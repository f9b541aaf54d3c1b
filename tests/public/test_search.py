"""Finding a region: the header search and its results page, tolerant of typos, of the kind
prefix ("Kota", "Kabupaten", "Kab.") and of codes written with or without the dot."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from evaluations import search
from regions.models import RegionKind
from tests import factories
from tests.public import factories as pf

SEARCH = reverse("public:search")


@pytest.fixture
def bekasi_pair(published):
    """Kota Bekasi (in the published scene) and a Kabupaten Bekasi with a result too."""
    kab = factories.make_region(
        "32.16",
        "Kabupaten Bekasi",
        province=published.regions[0].province,
        kind=RegionKind.KABUPATEN,
    )
    pf.make_result(factories.make_participation(published.round_2024, kab), national_rank=3)
    return published.regions[0], kab


def names(raw: str) -> list[str]:
    return [r.name for r in search.search_regions(raw)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bekasi", ["Kabupaten Bekasi", "Kota Bekasi"]),
        ("Kota Bekasi", ["Kota Bekasi"]),
        ("kota bekasy", ["Kota Bekasi"]),  # typo
        ("Kab. Bekasi", ["Kabupaten Bekasi"]),
        ("kab bekasi", ["Kabupaten Bekasi"]),
        ("KABUPATEN bekas", ["Kabupaten Bekasi"]),
        ("bandng", ["Kota Bandung"]),  # letter missing
        ("kab. bandung", ["Kota Bandung"]),  # no such regency: the city is offered
        ("32.75", ["Kota Bekasi"]),
        ("3275", ["Kota Bekasi"]),
        ("32.7", ["Kota Bandung", "Kota Bekasi"]),
        ("xyzzy", []),
        ("   ", []),
    ],
)
def test_search_forgives_typos_kind_and_code_format(bekasi_pair, raw, expected):
    assert sorted(names(raw)) == sorted(expected)


def test_the_exact_name_comes_first(bekasi_pair):
    assert names("bekasi")[0] in {"Kota Bekasi", "Kabupaten Bekasi"}
    assert names("bandung")[0] == "Kota Bandung"


def test_regions_without_a_public_profile_are_not_found(published):
    factories.make_region("32.77", "Kota Cimahi", province=published.regions[0].province)
    assert names("cimahi") == []


def test_results_page_links_each_region_to_its_profile(anonymous, bekasi_pair):
    response = anonymous.get(SEARCH, {"q": "bekasi"})
    html = response.content.decode()
    assert response.status_code == 200
    for region in bekasi_pair:
        assert f'href="{region.get_absolute_url()}"' in html
        assert region.code in html
    assert "2 wilayah untuk “bekasi”" in html


def test_no_match_says_what_to_try(anonymous, published):
    html = anonymous.get(SEARCH, {"q": "qqqqq"}).content.decode()
    assert "0 wilayah" in html
    assert "kode Kemendagri" in html


def test_hostile_or_huge_queries_are_harmless(anonymous, published):
    response = anonymous.get(SEARCH, {"q": "<script>alert(1)</script>" + "a" * 5000})
    assert response.status_code == 200
    body = response.content.decode().split("</header>", 1)[1]
    assert "<script>alert" not in body


def test_every_public_page_has_the_header_search(anonymous, published):
    for url in (
        reverse("public:home"),
        published.round_2024.get_absolute_url(),
        published.regions[0].get_absolute_url(),
        reverse("public:compare"),
        reverse("public:map"),
        reverse("public:opendata"),
    ):
        html = anonymous.get(url, follow=True).content.decode()
        assert (
            '<form class="header-search me-auto" role="search" '
            f'aria-labelledby="header-search-label" method="get" action="{SEARCH}">' in html
        ), url
        assert 'name="q" id="header-search-q"' in html


def test_search_page_query_count(anonymous, bekasi_pair, django_assert_num_queries):
    # Data version, then one trigram query on PostgreSQL; names and the chosen regions on
    # SQLite. The count does not depend on how many regions match.
    expected = 2 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        assert anonymous.get(SEARCH, {"q": "bekasi"}).status_code == 200
    with django_assert_num_queries(expected):
        assert anonymous.get(SEARCH, {"q": "kota band"}).status_code == 200
