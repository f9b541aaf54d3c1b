"""The public pages' query counts do not grow with the number of regions or rounds.

Each page is measured with an empty cache (a full render) on four worlds: 5 or 50 regions,
1 or 4 published rounds. The counts must be equal, and are pinned so that a new query shows
up in review.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.public import factories as pf

SIZES = [(5, 1), (50, 1), (5, 4), (50, 4)]

# One query is always the data version (newest RoundEvent) of the page cache.
EXPECTED = {
    "home": 5,  # version, round, bands, results, published rounds (the coast is a file)
    # Every round page also reads its current revision (issue 15: "Revisi n, terbit …").
    "rankings": 8,  # version, round, bands, results, published rounds, filter choices ×2, revision
    "rankings_filtered": 10,  # … + the province filter's lookup + the unfiltered count
    "provinces": 6,
    "metrics": 5,
    "metric": 5,
    "region": 8,  # version, region, results, bands, programmes, findings, SPBE, awards
    "compare": 5,  # version, rounds, candidate regions, results, bands
    "map": 5,  # version, round, bands, results, published rounds
    "map_zoomed": 5,  # the same at any zoom level
    "methodology": 8,
    "opendata": 2,
    # + the revision the file states (its number, in the metadata and the rows)
    "export_csv": 4,
    "export_json": 4,
}


def build_world(n_regions: int, n_rounds: int):
    factories.make_instrument(code="instrumen-uji")
    regions = pf.make_regions(n_regions)
    pf.make_cohort(2017, regions[::2])
    history = pf.make_history(regions, n_rounds)
    for region in regions[:2]:
        pf.make_profile_extras(region, n=3)
    latest_round, latest_results = history[-1]
    for result in latest_results[:3]:
        pf.make_field_review(
            result.participation,
            [("governance", "achievement", "Capaian"), ("living", "obstacle", "Kendala")],
        )
    return regions, latest_round


def urls(regions, round_) -> dict[str, str]:
    slug = round_.slug
    return {
        "home": reverse("public:home"),
        "rankings": round_.get_absolute_url(),
        "rankings_filtered": round_.get_absolute_url()
        + "?province=jawa-barat&kind=kota&cohort=2017&sort=-change",
        "provinces": reverse("public:rankings_provinces", kwargs={"round_slug": slug}),
        "metrics": reverse("public:rankings_metrics", kwargs={"round_slug": slug}),
        "metric": reverse(
            "public:rankings_metric", kwargs={"round_slug": slug, "metric": "economy"}
        ),
        "region": regions[0].get_absolute_url(),
        "compare": reverse("public:compare")
        + "?"
        + "&".join(f"regions={r.slug}" for r in regions[:4]),
        "map": reverse("public:map"),
        "map_zoomed": reverse("public:map") + "?z=2&x=-13&y=-12",
        "methodology": reverse("public:methodology", kwargs={"instrument": "instrumen-uji"}),
        "opendata": reverse("public:opendata"),
        "export_csv": reverse("public:export", kwargs={"round_slug": slug, "fmt": "csv"}),
        "export_json": reverse("public:export", kwargs={"round_slug": slug, "fmt": "json"}),
    }


@pytest.mark.parametrize(("n_regions", "n_rounds"), SIZES)
def test_query_counts_do_not_grow(anonymous, db, n_regions, n_rounds):
    regions, round_ = build_world(n_regions, n_rounds)
    counts = {}
    for name, url in urls(regions, round_).items():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = anonymous.get(url)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    assert counts == EXPECTED


def test_cached_page_costs_one_query(anonymous, db, django_assert_num_queries):
    regions, round_ = build_world(5, 2)
    for url in urls(regions, round_).values():
        anonymous.get(url)
        with django_assert_num_queries(1):  # the data version only
            assert anonymous.get(url).status_code == 200
