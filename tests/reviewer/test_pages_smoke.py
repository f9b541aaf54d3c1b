"""Every reviewer and manager page renders for the people it is for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.services import field_reviews
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_reviewer_pages_render(client, scenario, reviewer):
    login(client, reviewer)
    pk = scenario.bekasi.pk
    first = scenario.indicators[0]
    for name in ("participation", "panel", "field_review"):
        page = _page(client, reverse(f"reviewer:{name}", args=[pk]))
        # Each page is about the region the reviewer was assigned, never the other one.
        assert "Kota Bekasi" in page, name
        assert "Kota Bandung" not in page, name
    assert first.code in _page(client, reverse("reviewer:participation", args=[pk]))
    queue = _page(client, reverse("reviewer:assignments"))
    assert "Kota Bekasi" in queue
    assert reverse("reviewer:participation", args=[pk]) in queue
    by_dimension = _page(client, reverse("reviewer:participation", args=[pk]) + "?group=dimension")
    assert first.code in by_dimension
    assert str(first.dimension.name) in by_dimension


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
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if name == "results_export" and "xlsx" in args:
            assert body.startswith(b"PK"), name  # a workbook (a zip), not an error page
            assert "spreadsheetml" in response["Content-Type"], name
        elif name == "results_export":
            assert response["Content-Type"].startswith("text/csv"), name
            # Nothing computed yet: the open-data columns, no rows.
            header, *rows = body.decode("utf-8-sig").splitlines()
            assert header.split(",")[:6] == [
                "round",
                "round_name",
                "round_year",
                "round_phase",
                "region_code",
                "region_name",
            ]
            assert rows == []
        else:
            assert scenario.round.name in body.decode(), name
        if name == "scores_template":
            # The template is built by a background job: the page offers the button.
            assert 'method="post"' in body.decode(), name


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
