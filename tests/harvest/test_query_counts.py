"""Every machine-readable endpoint costs a fixed number of queries, whatever the number of
regions and rounds (two sizes each way); the counts are pinned so a new query shows in
review. Each is measured with an empty cache (a full render)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.harvest.tables import TABLES
from tests.public.test_query_counts import build_world

SIZES = [(5, 1), (40, 1), (5, 3), (40, 3)]

# One query is always the data state (newest RoundEvent) of the page cache.
EXPECTED = {
    "datapackage": 1,
    "round_datapackage": 2,  # + the round
    **{f"table_{t.name}": 2 for t in TABLES},  # + the rows
    **{f"round_table_{t.name}": 3 for t in TABLES},  # + the round, the rows
    "series_csv": 2,
    "series_json": 2,
    "series_xlsx": 3,  # + the newest publication's time, stamped into the workbook
    "catalogue": 2,
    "openapi": 1,
    "sitemap": 4,  # + rounds, regions, instruments (the fixed pages need none)
    "robots": 1,
    "api_index": 1,
    "api_rounds": 2,
    "api_rankings": 4,  # + the round, the count, the page
    "api_regions": 2,
    "api_history": 3,  # + the region, its results
    "api_compare": 4,  # + the regions, the latest round, the results
}


def urls(regions, round_) -> dict[str, str]:
    slug = {"round_slug": round_.slug}
    found = {
        "datapackage": reverse("public:datapackage"),
        "round_datapackage": reverse("public:round_datapackage", kwargs=slug),
        "series_csv": reverse("public:series", kwargs={"fmt": "csv"}),
        "series_json": reverse("public:series", kwargs={"fmt": "json"}),
        "series_xlsx": reverse("public:series", kwargs={"fmt": "xlsx"}),
        "catalogue": reverse("public:catalogue"),
        "openapi": reverse("public:openapi"),
        "sitemap": reverse("public:sitemap"),
        "robots": reverse("public:robots"),
        "api_index": reverse("api:index"),
        "api_rounds": reverse("api:rounds"),
        "api_rankings": reverse("api:rankings", kwargs={"slug": round_.slug}) + "?page_size=10",
        "api_regions": reverse("api:regions") + "?page=1",
        "api_history": reverse("api:region_history", kwargs={"slug": regions[0].slug}),
        "api_compare": reverse("api:compare")
        + "?"
        + "&".join(f"regions={r.slug}" for r in regions[:4]),
    }
    for table in TABLES:
        found[f"table_{table.name}"] = reverse("public:table", kwargs={"table": table.name})
        found[f"round_table_{table.name}"] = reverse(
            "public:round_table", kwargs={**slug, "table": table.name}
        )
    return found


@pytest.mark.parametrize(("n_regions", "n_rounds"), SIZES)
def test_query_counts_do_not_grow(anonymous, db, n_regions, n_rounds):
    regions, round_ = build_world(n_regions, n_rounds)
    counts = {}
    for name, url in urls(regions, round_).items():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = anonymous.get(url)
        assert response.status_code == 200, (name, response.content[:200])
        counts[name] = len(ctx.captured_queries)
    assert counts == EXPECTED


def test_a_cached_answer_costs_one_query(anonymous, db, django_assert_num_queries):
    regions, round_ = build_world(5, 2)
    for url in urls(regions, round_).values():
        anonymous.get(url)
        with django_assert_num_queries(1):  # the data state only
            assert anonymous.get(url).status_code == 200
