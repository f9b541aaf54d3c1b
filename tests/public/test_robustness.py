"""No query string a reader (or a robot) sends makes a public page fail."""

from __future__ import annotations

import pytest
from django.urls import reverse

JUNK = [
    "?sort=",
    "?sort=-",
    "?sort=index,-region,zzz",
    "?province=&kind=&cohort=&band=",
    "?cohort=99999999999999999999",
    "?band=%00",
    "?province=%F0%9F%92%A9",
    "?regions=&regions=&regions=",
    "?regions=kota-bekasi&regions=kota-bekasi&regions=kota-bandung&regions=x&regions=y",
    "?round=%27%3B--",
    "?" + "a=1&" * 300,
]


@pytest.mark.parametrize("query", JUNK)
def test_junk_query_strings_never_fail(anonymous, published, query):
    slug = published.round_2024.slug
    for url in (
        "/",
        published.round_2024.get_absolute_url(),
        reverse("public:rankings_provinces", kwargs={"round_slug": slug}),
        reverse("public:rankings_metric", kwargs={"round_slug": slug, "metric": "living"}),
        "/regions/kota-bekasi/",
        reverse("public:compare"),
        reverse("public:map"),
        reverse("public:opendata"),
    ):
        response = anonymous.get(url + query, follow=True)
        assert response.status_code in (200, 404), (url, query, response.status_code)


def test_head_requests_are_answered(anonymous, published):
    response = anonymous.head(published.round_2024.get_absolute_url())
    assert response.status_code == 200
    assert response["ETag"]
