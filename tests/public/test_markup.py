"""Every public page keeps to the CSP (no inline script or style) and has the landmarks,
labels and language a screen reader needs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def public_pages(scene) -> list[str]:
    slug = scene.round_2024.slug
    return [
        "/",
        scene.round_2024.get_absolute_url(),
        reverse("public:rankings_provinces", kwargs={"round_slug": slug}),
        reverse("public:rankings_metrics", kwargs={"round_slug": slug}),
        reverse("public:rankings_metric", kwargs={"round_slug": slug, "metric": "impact"}),
        "/regions/kota-bekasi/",
        "/compare/?regions=kota-bekasi&regions=kota-bandung",
        "/map/",
        scene.instrument.get_absolute_url(),
        "/data/",
    ]


def test_no_inline_style_or_script(anonymous, published):
    for url in public_pages(published):
        html = anonymous.get(url).content.decode()
        assert " style=" not in html, url
        assert not INLINE_SCRIPT.search(html), url


def test_landmarks_single_h1_and_labelled_controls(anonymous, published):
    for url in public_pages(published):
        html = anonymous.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert '<main id="main"' in html
        assert "<header" in html
        assert "<footer" in html
        for select_id in re.findall(r'<select[^>]*id="([^"]+)"', html):
            assert f'for="{select_id}"' in html, (url, select_id)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_in_both_languages(client, published, language):
    client.cookies["django_language"] = language
    for url in public_pages(published):
        response = client.get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()
