"""Public pages are cached under the data version (newest RoundEvent), per language, and
answer conditional GETs; a publish or re-open shows at once on every app server."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from evaluations import caching
from tests.conftest import login
from tests.public import factories as pf

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_ANY = re.compile(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')


def test_data_version_is_the_newest_round_event(db, published):
    from evaluations.models import RoundEvent

    newest = RoundEvent.objects.order_by("-pk").first()
    assert caching.data_version() == f"{newest.pk}-{RoundEvent.objects.count()}"
    RoundEvent.objects.all().delete()
    assert caching.data_version() == "0-0"


def test_conditional_get_answers_304(anonymous, published):
    url = published.round_2024.get_absolute_url()
    first = anonymous.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    assert "private" in first["Cache-Control"]
    assert anonymous.get(url, headers={"if-none-match": etag}).status_code == 304
    assert anonymous.get(url, headers={"if-modified-since": modified}).status_code == 304
    assert anonymous.get(url, headers={"if-none-match": '"stale"'}).status_code == 200


def test_etag_changes_when_the_page_changes(anonymous, published):
    url = published.round_2024.get_absolute_url()
    etag = anonymous.get(url)["ETag"]
    pf.withdraw(published.round_2023)  # 2024's changes are no longer shown
    response = anonymous.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_publication_shows_at_once_without_clearing_the_cache(anonymous, published):
    assert "Evaluasi 2025 Tahap 1" not in anonymous.get("/").content.decode()
    pf.publish(published.hidden)  # e.g. on another app server: only the database is shared
    home = anonymous.get("/").content.decode()
    assert "Evaluasi 2025 Tahap 1" in home
    assert anonymous.get(published.hidden.get_absolute_url()).status_code == 200


def test_second_request_is_served_from_the_cache(anonymous, published, django_assert_num_queries):
    url = reverse("public:region", kwargs={"slug": "kota-bekasi"})
    body = anonymous.get(url).content.decode()
    with django_assert_num_queries(1):
        again = anonymous.get(url).content.decode()
    # Identical but for the per-response masking of the reader's CSRF token.
    assert CSRF_ANY.sub("", again) == CSRF_ANY.sub("", body)


def test_languages_are_cached_separately(published):
    indonesian, english = Client(), Client()
    english.cookies["django_language"] = "en"
    url = published.round_2024.get_absolute_url()
    assert '<html lang="id">' in indonesian.get(url).content.decode()
    assert '<html lang="en">' in english.get(url).content.decode()
    assert '<html lang="id">' in indonesian.get(url).content.decode()
    assert "Accept-Language" in english.get(url)["Vary"]


def test_every_reader_gets_their_own_csrf_token_from_a_cached_page(published):
    """The header's language form posts: a cached page must not carry someone else's token."""
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for reader in readers:
        page = reader.get("/").content.decode()
        assert caching.CSRF_PLACEHOLDER not in page
        tokens.append(CSRF_INPUT.search(page).group(1))
    assert tokens[0] != tokens[1]
    for reader, token in zip(readers, tokens, strict=True):
        response = reader.post(
            reverse("set_language"),
            {"language": "en", "next": "/", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302


def test_signed_in_pages_are_not_shared(published, manager: User):
    anonymous = Client()
    anonymous.get("/")  # cached for anonymous readers
    signed_in = login(Client(), manager)
    assert "manager" in signed_in.get("/").content.decode()
    assert ">manager<" not in anonymous.get("/").content.decode()
    assert "Keluar" not in anonymous.get("/").content.decode()


def test_htmx_fragment_and_full_page_are_cached_apart(anonymous, published):
    url = published.round_2024.get_absolute_url() + "?province=jawa-barat"
    fragment = anonymous.get(url, headers={"hx-request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="results">')
    assert "<html" not in fragment
    full = anonymous.get(url).content.decode()
    assert "<html" in full
    assert 'id="results"' in full
    assert "HX-Request" in anonymous.get(url)["Vary"]


def test_unknown_query_parameters_lead_to_the_page_without_them(anonymous, published, rf):
    url = published.round_2024.get_absolute_url()

    def stored(path: str) -> bool:
        with translation.override("id"):
            return cache.get(caching.page_key(rf.get(path), caching.data_version())) is not None

    response = anonymous.get(url + "?utm_source=x1&province=jawa-barat")
    assert response.status_code == 302
    assert response["Location"] == url + "?province=jawa-barat"
    assert anonymous.get(url + "?province=jawa-barat").status_code == 200
    assert not stored(url + "?utm_source=x1")
    assert stored(url + "?province=jawa-barat")
