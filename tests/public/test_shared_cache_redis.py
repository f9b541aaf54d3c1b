"""With Redis as the shared cache (production: REDIS_URL, several app servers), cached pages,
the published-data version and the rate-limit counts live in Redis, so every app server
sees a publication and the same counts at once. Needs TEST_REDIS_URL (.ci/run starts one)."""

from __future__ import annotations

import redis
from django.test import Client
from django.urls import reverse

from evaluations import caching
from tests.public import factories as pf


def _keys(shared_redis) -> list[str]:
    client, prefix = shared_redis
    return [key.decode() for key in client.keys(f"{prefix}:*")]


def test_a_cached_page_costs_no_query_and_a_publication_shows_at_once(
    published, shared_redis, django_assert_num_queries, django_capture_on_commit_callbacks
):
    Client().get("/")  # rendered and stored
    keys = _keys(shared_redis)
    assert any(caching.VERSION_KEY in key for key in keys)
    assert any(caching.FAST_PREFIX in key for key in keys)
    caching.local_pages.clear()  # another app server: nothing in its own memory
    with django_assert_num_queries(0):
        page = Client().get("/")
    assert "Evaluasi 2025 Tahap 1" not in page.content.decode()
    version = caching.data_version()

    with django_capture_on_commit_callbacks(execute=True):
        pf.publish(published.hidden)  # the services publish in one transaction
    assert caching.data_version() != version
    assert "Evaluasi 2025 Tahap 1" in Client().get("/").content.decode()


def test_a_version_written_by_another_app_server_is_obeyed(published, shared_redis):
    """The version is read from Redis, not from this process's database view."""
    Client().get("/")
    assert Client().get("/").status_code == 200
    before = len(_keys(shared_redis))
    store, key = caching.version_store()
    store.set(key, "another-server-published", ex=60)
    assert Client().get("/").status_code == 200  # a miss: rendered again under the new key
    assert len(_keys(shared_redis)) > before


def test_download_limits_are_counted_in_redis(published, shared_redis, settings):
    settings.RATELIMIT_DOWNLOADS = "2/m"
    url = reverse("public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "csv"})
    server_a, server_b = Client(), Client()
    assert [server_a.get(url).status_code, server_b.get(url).status_code] == [200, 200]
    assert server_a.get(url).status_code == 429
    client, prefix = shared_redis
    counters = [k for k in client.keys(f"{prefix}:*") if b"rl:" in k]
    assert counters, _keys(shared_redis)
    client.delete(*counters)  # the count lives in Redis: without it, downloads pass again
    assert server_b.get(url).status_code == 200


def test_the_version_is_read_on_a_plain_socket_that_recovers_from_a_dropped_connection(
    published, shared_redis, settings, django_capture_on_commit_callbacks
):
    """The cached hit's GET of the version bypasses redis-py (caching._RawVersionReader);
    Redis closing the connection costs no failed request, and a publication still shows at
    once."""
    client, _ = shared_redis
    Client().get("/")
    store, key = caching.version_store()
    assert caching._raw_version.get() == store.get(key)
    client.client_kill_filter(_type="normal", skipme=True)  # every app server's connection
    assert Client().get("/").status_code == 200  # redis-py answers while the socket reopens
    assert Client().get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        pf.publish(published.hidden)
    assert "Evaluasi 2025 Tahap 1" in Client().get("/").content.decode()
    assert caching._raw_version.get() == store.get(key)


def test_the_plain_socket_reads_the_database_the_url_names(shared_redis, settings):
    client, prefix = shared_redis
    url = settings.CACHES["default"]["LOCATION"].rsplit("/", 1)[0] + "/3"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": url},
    }
    other = redis.Redis.from_url(url)
    key = f"{prefix}:{caching.VERSION_KEY}"
    try:
        assert caching._raw_version.get() is None  # no version yet in database 3
        other.set(key, "7-7")
        assert caching._raw_version.get() == b"7-7"
        assert caching.data_version() == "7-7"
        assert client.get(key) is None  # database 0 was not touched
    finally:
        other.delete(key)
