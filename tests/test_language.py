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


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_switcher_names_each_language_in_that_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    assert '<option value="id" lang="id"' in html
    assert ">Bahasa Indonesia</option>" in html
    assert ">English</option>" in html
    assert "Inggris" not in html


@pytest.mark.parametrize(
    ("language", "label"), [("id", "- Pilih salah satu -"), ("en", "- Select an option -")]
)
def test_a_select_offers_its_empty_choice_in_the_readers_language(language, label):
    from django.utils import translation

    from evaluations.models import Indicator

    with translation.override(language):
        field = Indicator._meta.get_field("component").formfield()
        assert str(field.choices[0][1]) == label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Nama pengguna atau kata sandi salah."),
        ("en", "The user name or the password is wrong."),
    ],
)
def test_a_wrong_password_reads_naturally(client, language, message):
    from tests import factories

    factories.make_reviewer("reviewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post(
        "/accounts/login/", {"username": "reviewer", "password": "salah-sandi"}
    ).content.decode()
    assert message in html
    assert "nama pengguna nama pengguna" not in html.lower()
    assert "%(username)s" not in html
