"""Markup and SQL typed into the portal are text: stored as typed, shown escaped on every
page that shows them, never executed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from evaluations.models import Attendee, Finding, Programme, Score, SelfAssessmentAnswer
from tests.bad_input.payloads import SCRIPT, SQL
from tests.conftest import login
from tests.security.csp import csp_problems

pytestmark = pytest.mark.django_db


def _client(world, who: str) -> Client:
    return login(Client(), world.users[who])


def _shows_escaped(response, text: str) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert text not in page, "shown raw"
    assert escape(text) in page, "not shown at all"
    assert csp_problems(response) == []


def test_a_programme_named_with_markup_and_sql_is_stored_as_typed_and_shown_escaped(world):
    client = _client(world, "bekasi")
    response = client.post(
        reverse("city:programme_create", args=[world.kota_bekasi.slug]),
        {
            "title": SCRIPT,
            "dimension": world.programme.dimension_id,
            "element": world.programme.element_id,
            "status": "running",
            "start_year": "2023",
            "description": SQL,
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(title=SCRIPT)
    assert programme.description == SQL
    assert Programme.objects.count() == 2  # the table is still there, with both rows
    _shows_escaped(client.get(response["Location"]), SCRIPT)
    _shows_escaped(
        client.get(reverse("city:programme_list", args=[world.kota_bekasi.slug])), SCRIPT
    )


def test_markup_in_answers_scores_and_findings_is_escaped_for_reviewers(world):
    answer = SelfAssessmentAnswer.objects.filter(participation=world.review_bekasi).first()
    answer.narrative = SCRIPT
    answer.save()
    Score.objects.filter(participation=world.review_bekasi).update(comment=SCRIPT)
    Finding.objects.filter(field_review=world.field_review).update(text=SCRIPT)
    Attendee.objects.filter(pk=world.attendee.pk).update(name=SCRIPT)
    lead = _client(world, "reviewer")
    pk = world.review_bekasi.pk
    _shows_escaped(lead.get(reverse("reviewer:participation", args=[pk])), SCRIPT)
    _shows_escaped(lead.get(reverse("reviewer:panel", args=[pk])), SCRIPT)
    _shows_escaped(lead.get(reverse("reviewer:minutes", args=[pk])), SCRIPT)
    _shows_escaped(
        lead.get(reverse("reviewer:field_review_section", args=[pk, "findings"])), SCRIPT
    )
    operator = _client(world, "bekasi")
    _shows_escaped(
        operator.get(
            reverse("city:field_review", args=[world.kota_bekasi.slug, world.review.slug])
        ),
        SCRIPT,
    )


def test_markup_in_a_published_finding_is_escaped_for_the_public(client, world):
    finding = Finding.objects.filter(field_review__participation=world.published_bekasi).first()
    finding.text = SCRIPT
    finding.save()
    page = client.get(reverse("public:region", args=[world.kota_bekasi.slug]))
    assert SCRIPT not in page.content.decode()
    assert csp_problems(page) == []


def test_sql_in_a_search_is_only_a_search(client, world):
    response = client.get(reverse("public:compare"), {"regions": [SQL, world.kota_bekasi.slug]})
    # An unknown region gets a page of suggestions (issue 16), never cached (issue 12).
    assert response.status_code == 200
    assert Programme.objects.count() == 1
