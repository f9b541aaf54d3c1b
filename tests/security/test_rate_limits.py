"""Exports and downloads share one budget per user (per address when not logged in); past it
the answer is a 429 page that says when to try again. The client's address is taken from
``X-Forwarded-For`` only through the configured proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from smartcity.security import client_ip
from tests.conftest import login

pytestmark = pytest.mark.django_db

TOO_MANY = "Anda mengunduh terlalu banyak berkas"


@pytest.fixture
def three_a_minute(settings):
    settings.RATELIMIT_DOWNLOADS = "3/m"


def _export(world, fmt: str = "csv") -> str:
    return reverse("public:export", args=[world.published.slug, fmt])


def test_open_data_downloads_stop_at_the_limit_with_a_clear_page(client, world, three_a_minute):
    for fmt in ("csv", "xlsx", "json"):
        assert client.get(_export(world, fmt), REMOTE_ADDR="203.0.113.7").status_code == 200
    response = client.get(_export(world), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert TOO_MANY in response.content.decode()
    assert "Tunggu 1 menit" in response.content.decode()
    assert response["Retry-After"] == "60"
    # Pages are not downloads; another reader has their own budget.
    assert client.get(reverse("public:opendata"), REMOTE_ADDR="203.0.113.7").status_code == 200
    assert client.get(_export(world), REMOTE_ADDR="198.51.100.20").status_code == 200


def test_every_kind_of_download_counts_against_one_budget(client, world, three_a_minute):
    login(client, world.users["manager"])
    urls = [
        reverse("reviewer:results_export", args=[world.published.slug, "xlsx"]),
        reverse("reviewer:scores_template", args=[world.review.slug, "csv"]),
        reverse("reviewer:evidence", args=[world.review_bekasi.pk, world.evidence.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200
    letter = reverse(
        "reviewer:result_letter", args=[world.published.slug, world.published_bekasi.pk]
    )
    assert client.get(letter).status_code == 429
    # The budget is the user's, wherever they are; the operator has their own.
    assert client.get(letter, REMOTE_ADDR="198.51.100.20").status_code == 429
    login(client, world.users["bekasi"])
    url = reverse("city:programme_export", args=[world.kota_bekasi.slug, "csv"])
    assert client.get(url).status_code == 200


def test_rate_limits_can_be_switched_off(client, world, settings):
    settings.RATELIMIT_DOWNLOADS = "1/m"
    settings.RATELIMIT_ENABLE = False
    for _ in range(3):
        response = client.get(_export(world))
        # The whole file each time, never the 429 page.
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert "Kota Bekasi" in body.decode("utf-8-sig")


def test_a_spoofed_forwarded_header_gives_no_fresh_budget_without_a_proxy(
    client, world, three_a_minute, settings
):
    settings.PROXY_COUNT = 0
    for i in range(3):
        client.get(_export(world), HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    response = client.get(_export(world), HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1", "203.0.113.7"),  # no proxy: the header is ignored
        (1, "127.0.0.1", "198.51.100.20", "198.51.100.20"),
        # The client wrote the first entry itself; the proxy appended the real address.
        (1, "127.0.0.1", "10.0.0.1, 198.51.100.20", "198.51.100.20"),
        (2, "127.0.0.1", "10.0.0.1, 198.51.100.20, 192.0.2.1", "198.51.100.20"),
        (2, "127.0.0.1", "198.51.100.20", "127.0.0.1"),  # fewer entries than proxies
        (1, "127.0.0.1", "bukan-alamat", "127.0.0.1"),
        (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_the_configured_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
