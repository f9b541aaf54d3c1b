"""Every reviewer and manager page renders for the people it is for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.services import field_reviews
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_reviewer_pages_render(client, scenario, reviewer):
    login(client, reviewer)
    pk = scenario.bekasi.pk
    for name in ("participation", "panel", "field_review"):
        response = client.get(reverse(f"reviewer:{name}", args=[pk]))
        assert response.status_code == 200, name
    assert client.get(reverse("reviewer:assignments")).status_code == 200
    assert (
        client.get(reverse("reviewer:participation", args=[pk]) + "?group=dimension").status_code
        == 200
    )


def test_manager_pages_render(client, scenario, manager):
    login(client, manager)
    slug = scenario.round.slug
    for name, args in [
        ("rounds", []),
        ("round", [slug]),
        ("participant", [slug, scenario.bekasi.pk]),
        ("results", [slug]),
        ("history", [slug]),
        ("scores_upload", [slug]),
        ("scores_template", [slug, "xlsx"]),
        ("scores_template", [slug, "csv"]),
        ("results_export", [slug, "csv"]),
        ("results_export", [slug, "xlsx"]),
    ]:
        response = client.get(reverse(f"reviewer:{name}", args=args))
        assert response.status_code == 200, name


def test_field_review_pages_render(client, scenario, reviewer):
    from datetime import date

    review = field_reviews.field_review_schedule(
        participation=scenario.bekasi,
        by=reviewer,
        mode="on_site",
        start_date=date(2024, 5, 14),
        end_date=date(2024, 5, 15),
        location="Kantor Wali Kota Bekasi",
    )
    field_reviews.field_review_default_agenda(field_review=review, by=reviewer)
    login(client, reviewer)
    pk = scenario.bekasi.pk
    for section in ("agenda", "attendees", "findings"):
        assert (
            client.get(reverse("reviewer:field_review_section", args=[pk, section])).status_code
            == 200
        )
    assert client.get(reverse("reviewer:minutes", args=[pk])).status_code == 200
    response = client.get(reverse("reviewer:minutes_pdf", args=[pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
