"""An expired session never costs what the user typed: it comes back after logging in."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from evaluations.forms.city import answer_digest
from evaluations.models import Programme, SelfAssessmentAnswer
from tests import factories

pytestmark = pytest.mark.django_db


def _post_as_expired(client, url, data) -> str:
    """Post with no session (it expired); return where the login page will send us."""
    response = client.post(url, data)
    assert response.status_code == 302
    login_url, query = response["Location"].split("?", 1)
    assert login_url == reverse("login")
    return parse_qs(query)["next"][0]


def _log_in_again(client, next_url: str, username: str = "bekasi"):
    """The real login form, as the user fills it after the redirect."""
    return client.post(
        reverse("login"),
        {"username": username, "password": factories.PASSWORD, "next": next_url},
    )


def test_self_assessment_text_survives_an_expired_session(
    client, bekasi, kota_bekasi, open_round, bekasi_part
):
    indicator = open_round.instrument.indicators.order_by("order").first()
    url = reverse(
        "city:self_assessment_section", args=[kota_bekasi.slug, open_round.slug, "governance"]
    )
    prefix = f"ind-{indicator.pk}-"
    data = {
        prefix + "version": "0",
        prefix + "original": answer_digest(None, "", []),
        prefix + "claimed_level": "4",
        prefix + "narrative": "Teks panjang yang diketik selama satu jam",
    }
    next_url = _post_as_expired(client, url, data)  # nobody is logged in: the session ended
    assert next_url == url
    response = _log_in_again(client, next_url)
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "Teks panjang yang diketik selama satu jam" in page
    assert f'id="id_{prefix}claimed_level_4" checked' in page
    assert "ditampilkan kembali" in page
    # Shown again, not saved behind the user's back; and shown only once.
    assert not SelfAssessmentAnswer.objects.exists()
    assert "Teks panjang" not in client.get(url).content.decode()


def test_programme_form_survives_an_expired_session(client, bekasi, kota_bekasi):
    factories.ensure_dimensions()
    url = reverse("city:programme_create", args=[kota_bekasi.slug])
    next_url = _post_as_expired(
        client, url, {"title": "Smart Parking", "description": "Parkir pintar"}
    )
    _log_in_again(client, next_url)
    page = client.get(url).content.decode()
    assert 'value="Smart Parking"' in page
    assert "Parkir pintar" in page
    assert not Programme.objects.exists()


def test_kept_input_is_not_shown_on_another_page_or_to_another_region(
    client, bekasi, bandung, kota_bekasi, kota_bandung
):
    factories.ensure_dimensions()
    url = reverse("city:programme_create", args=[kota_bekasi.slug])
    next_url = _post_as_expired(client, url, {"title": "Rahasia Bekasi"})
    _log_in_again(client, next_url, "bandung")
    assert client.get(url).status_code == 404
    other = client.get(reverse("city:programme_create", args=[kota_bandung.slug]))
    assert "Rahasia Bekasi" not in other.content.decode()


def test_an_action_after_expiry_sends_to_login_then_the_dashboard(client, bekasi, kota_bekasi):
    programme = factories.make_programme(kota_bekasi)
    response = client.post(reverse("city:programme_archive", args=[kota_bekasi.slug, programme.pk]))
    assert response["Location"].startswith(reverse("login"))
    assert "next=/city/kota-bekasi/" in response["Location"]
    programme.refresh_from_db()
    assert programme.archived_at is None
