"""HTTP for harvesters: validators from the publication (the same bytes get the same ETag
and Last-Modified on every app server, at any time), 304 on conditional GET, public caching
with a max-age, and CORS for GET/HEAD on /data/ and the API only."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import http_date

from evaluations.models import RoundEvent
from tests.public import factories as pf

ORIGIN = "https://satudata.example.go.id"


def machine_urls(published) -> list[str]:
    slug = published.round_2024.slug
    return [
        reverse("public:datapackage"),
        reverse("public:round_datapackage", kwargs={"round_slug": slug}),
        reverse("public:table", kwargs={"table": "regions"}),
        reverse("public:series", kwargs={"fmt": "csv"}),
        reverse("public:series", kwargs={"fmt": "xlsx"}),
        reverse("public:series", kwargs={"fmt": "json"}),
        reverse("public:export", kwargs={"round_slug": slug, "fmt": "xlsx"}),
        reverse("public:catalogue"),
        reverse("public:openapi"),
        reverse("api:rounds"),
        reverse("api:rankings", kwargs={"slug": slug}),
    ]


def newest_event_date() -> str:
    return http_date(RoundEvent.objects.order_by("-at").first().at.timestamp())


def test_validators_come_from_the_publication_not_the_moment(anonymous, published):
    """Two app servers (two empty caches), two seconds apart: the same validators."""
    urls = machine_urls(published)
    first = {url: anonymous.get(url) for url in urls}
    cache.clear()  # another app server, with a cache of its own
    time.sleep(2.1)  # XLSX files carried their writing time (zip members: 2 s steps)
    for url in urls:
        again = anonymous.get(url)
        assert again.status_code == 200, url
        assert again.content == first[url].content, url
        assert again["ETag"] == first[url]["ETag"], url
        assert again["Last-Modified"] == first[url]["Last-Modified"] == newest_event_date()


def test_conditional_get_answers_304_until_something_is_published(anonymous, published):
    url = reverse("public:series", kwargs={"fmt": "csv"})
    first = anonymous.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert anonymous.get(url, headers={"if-none-match": etag}).status_code == 304
    # A harvester that only keeps the date: unchanged since then, 304 (this was a 200 while
    # Last-Modified was the time the cache rendered the file).
    cache.clear()
    assert anonymous.get(url, headers={"if-modified-since": modified}).status_code == 304
    old = http_date(time.time() - 86400 * 365 * 3)
    assert anonymous.get(url, headers={"if-modified-since": old}).status_code == 200
    time.sleep(1.1)  # HTTP dates have whole seconds
    pf.publish(published.hidden)
    changed = anonymous.get(url, headers={"if-none-match": etag, "if-modified-since": modified})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed["Last-Modified"] != modified
    assert published.hidden.slug in changed.content.decode()


@pytest.mark.parametrize("name", ["public:datapackage", "public:catalogue", "api:rounds"])
def test_files_and_api_may_be_kept_by_shared_caches(anonymous, published, name):
    response = anonymous.get(reverse(name))
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=300"}


def test_html_pages_stay_private_but_share_the_validators(anonymous, published):
    response = anonymous.get(published.round_2024.get_absolute_url())
    assert {p.strip() for p in response["Cache-Control"].split(",")} == {"private", "no-cache"}
    assert response["Last-Modified"] == newest_event_date()


def test_cors_is_open_for_reading_data_and_the_api(anonymous, published):
    for url in machine_urls(published):
        response = anonymous.get(url, headers={"origin": ORIGIN})
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "ETag" in response["Access-Control-Expose-Headers"]
        assert "Access-Control-Allow-Credentials" not in response
        assert anonymous.head(url, headers={"origin": ORIGIN})["Access-Control-Allow-Origin"]
    # A browser's preflight (If-None-Match is not a simple header) for a GET: allowed.
    preflight = anonymous.options(
        reverse("api:rounds"),
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_cors_is_closed_everywhere_else(anonymous, published):
    for url in ("/", published.round_2024.get_absolute_url(), "/accounts/login/"):
        assert "Access-Control-Allow-Origin" not in anonymous.get(url, headers={"origin": ORIGIN})
    # Writing is never allowed cross-site, under /data/ either.
    preflight = anonymous.options(
        reverse("public:datapackage"),
        headers={"origin": ORIGIN, "access-control-request-method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in preflight
    post = anonymous.post(reverse("api:rounds"), headers={"origin": ORIGIN})
    assert post.status_code == 405
    assert "Access-Control-Allow-Origin" not in post
