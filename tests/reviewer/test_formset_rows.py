"""Editable tables (agenda, attendees, findings) grow without saving: "Tambah baris" without
JavaScript posts the table back with three more blank rows and everything typed kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.models import Attendee
from tests.conftest import login
from tests.reviewer.test_field_reviews import schedule

pytestmark = pytest.mark.django_db


def test_add_rows_keeps_what_was_typed_and_saves_nothing(client, scenario, reviewer):
    schedule(scenario.bekasi, reviewer)
    login(client, reviewer)
    url = reverse("reviewer:field_review_section", args=[scenario.bekasi.pk, "attendees"])
    page = client.get(url)
    prefix = page.context["formset"].prefix
    assert len(page.context["formset"].forms) == 3
    html = page.content.decode()
    assert "<template data-formset-empty-row>" in html
    assert f'name="{prefix}-__prefix__-name"' in html  # the row JavaScript copies
    assert 'name="add_rows"' in html

    data = {
        f"{prefix}-TOTAL_FORMS": "3",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-name": "Dr. H. Reny Hendrawati",
        f"{prefix}-0-position": "Sekretaris Daerah",
        f"{prefix}-0-side": "region",
        f"{prefix}-1-side": "region",
        f"{prefix}-2-side": "region",
        "add_rows": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 6
    assert f'name="{prefix}-TOTAL_FORMS" value="6"' in response.content.decode()
    assert 'value="Dr. H. Reny Hendrawati"' in response.content.decode()
    assert not Attendee.objects.exists()  # nothing saved until "Simpan"

    # The grown table saves as usual, rows typed into the new blanks included.
    data.pop("add_rows")
    data |= {
        f"{prefix}-TOTAL_FORMS": "6",
        f"{prefix}-4-name": "Prof. Suhono Harso Supangkat",
        f"{prefix}-4-side": "reviewer",
        f"{prefix}-5-side": "region",
        f"{prefix}-3-side": "region",
    }
    assert client.post(url, data).status_code == 302
    assert sorted(Attendee.objects.values_list("name", flat=True)) == [
        "Dr. H. Reny Hendrawati",
        "Prof. Suhono Harso Supangkat",
    ]


def test_a_reviewer_off_the_panel_cannot_add_rows(client, scenario, reviewer, request):
    schedule(scenario.bekasi, reviewer)
    login(client, request.getfixturevalue("outsider_reviewer"))
    url = reverse("reviewer:field_review_section", args=[scenario.bekasi.pk, "attendees"])
    response = client.post(url, {"add_rows": "1"})
    assert response.status_code in {403, 404}
