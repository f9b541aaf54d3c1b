"""Indonesian is the default interface language; English only when the reader chooses it."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_makes_english_stick(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/")
    assert page.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/").headers["Content-Language"] == "id"
