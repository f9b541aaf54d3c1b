"""In English, every page shows instrument texts in English too (issue 16): every page a
public reader, a city operator, a reviewer or a round manager opens shows the English name
of each rating band, dimension, element and indicator, never the stored Indonesian one,
when the instrument version has a translation. Results keep storing the Indonesian band
name, as published; only what is shown changes."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Dimension, Element, Indicator, RatingBand, Result
from tests.browser.pages import client_for, make_world, page_urls

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def _visible_text(html: str) -> str:
    """What a reader sees (and what option labels and titles say), without markup."""
    text = TAGS.sub(" ", html)
    return " ".join(unescape(text).split())


def _translate_everything() -> dict[str, str]:
    """Give every instrument text of the world an English twin; return Indonesian → English."""
    pairs: dict[str, str] = {}
    for model in (Dimension, Element, Indicator, RatingBand):
        for row in model.objects.all():
            english = f"EN-{model.__name__}-{row.pk}"
            if model in (Dimension, Element):
                # The factories name them "Smart Governance (1)", which is also the English
                # label of the dimension code in the interface: a name of their own instead
                # (they belong to no instrument version, so they may be renamed).
                model.objects.filter(pk=row.pk).update(name=f"ID-{model.__name__}-{row.pk}")
                row.name = f"ID-{model.__name__}-{row.pk}"
            pairs[row.name] = english
            # A translation only: frozen versions take it (evaluations.trust).
            model.objects.filter(pk=row.pk).update(name_en=english)
    return pairs


@pytest.mark.parametrize("who", ["anonymous", "bekasi", "reviewer", "manager"])
def test_every_page_in_english_shows_instrument_texts_in_english(who):
    world = make_world()
    pairs = _translate_everything()
    assert Result.objects.exists()
    assert set(Result.objects.values_list("rating_band", flat=True)) <= set(pairs)
    client = client_for(world, who)
    # Each role's own pages (the public pages are walked once, as the anonymous reader).
    public = set(page_urls(world, "anonymous")) if who != "anonymous" else set()
    # An issued document's verification page repeats what the document says, word for
    # word, and official documents are Indonesian (evaluations.documents).
    urls = [
        url for url in page_urls(world, who) if url not in public and not url.startswith("/verify/")
    ]
    assert urls
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    indonesian = sorted(pairs, key=len, reverse=True)
    found: dict[str, list[str]] = {}
    shown = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        text = _visible_text(response.content.decode())
        shown += sum(text.count(english) for english in pairs.values())
        for name in indonesian:
            # Whole words only ("Baik" is inside "Sangat Baik", which is checked on its own).
            match = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
            if match:
                context = text[max(0, match.start() - 50) : match.end() + 10]
                found.setdefault(url, []).append(f"{name!r} in …{context}…")
    assert found == {}, "\n".join(
        f"{url}: {hits[0]} (+{len(hits) - 1})" for url, hits in found.items()
    )
    assert shown > 0, "no English instrument text on any page: the check would see nothing"


def test_city_results_pages_keep_their_queries_in_english():
    """The English band names come with the results (prefetched), not a query per row."""
    world = make_world()
    _translate_everything()
    client = client_for(world, "bekasi")
    slug = world.kota_bekasi.slug
    for url in (
        reverse("city:dashboard", args=[slug]),
        reverse("city:result_list", args=[slug]),
        reverse("city:result_detail", args=[slug, world.published.slug]),
    ):
        counts = {}
        for language in ("id", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[language] = len(queries)
        assert counts["en"] == counts["id"], url


def test_city_results_show_the_band_in_the_readers_language_and_store_it_in_indonesian():
    world = make_world()
    pairs = _translate_everything()
    client = client_for(world, "bekasi")
    result = Result.objects.get(
        participation__round=world.published, participation__region=world.kota_bekasi
    )
    stored = result.rating_band
    url = reverse("city:result_detail", args=[world.kota_bekasi.slug, world.published.slug])
    pages = {}
    for language in ("id", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = _visible_text(client.get(url).content.decode())
    assert re.search(rf"(?<![\w-]){re.escape(stored)}(?![\w-])", pages["id"])
    assert pairs[stored] in pages["en"]
    assert pairs[stored] not in pages["id"]
    result.refresh_from_db()
    assert result.rating_band == stored
