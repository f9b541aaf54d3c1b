"""Nobody reaches a participation's scoring pages without a seat on its panel.

A reviewer off the panel and every city operator (even of the region itself) get 403 or
404, by direct URL and by tampered form data, and nothing is written.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from evaluations.models import Score, VerifiedScore
from evaluations.services import field_reviews
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

DENIED = {403, 404}


def scoring_urls(participation, indicator, evidence_pk):
    pk = participation.pk
    return {
        "get": [
            reverse("reviewer:participation", args=[pk]),
            reverse("reviewer:panel", args=[pk]),
            reverse("reviewer:field_review", args=[pk]),
            reverse("reviewer:field_review_section", args=[pk, "findings"]),
            reverse("reviewer:minutes", args=[pk]),
            reverse("reviewer:minutes_pdf", args=[pk]),
            reverse("reviewer:evidence", args=[pk, evidence_pk]),
        ],
        "post": [
            (reverse("reviewer:score", args=[pk, indicator.pk]), score_data(indicator, 5)),
            (reverse("reviewer:complete", args=[pk]), {}),
            (reverse("reviewer:verify", args=[pk, indicator.pk]), verify_data(indicator, 5)),
            (reverse("reviewer:verify_agreed", args=[pk]), {}),
            (reverse("reviewer:return", args=[pk]), {"comment": "Kembalikan"}),
            (reverse("reviewer:field_review", args=[pk]), schedule_data()),
        ],
    }


def score_data(indicator, level, version=0):
    prefix = f"i{indicator.pk}"
    return {f"{prefix}-level": level, f"{prefix}-comment": "x", f"{prefix}-version": version}


def verify_data(indicator, level, version=0):
    prefix = f"v{indicator.pk}"
    return {f"{prefix}-level": level, f"{prefix}-comment": "", f"{prefix}-version": version}


def schedule_data():
    return {"mode": "online", "start_date": "2024-05-14", "end_date": "2024-05-15"}


def evidence_of(participation):
    return participation.answers.first().evidence.exclude(file="").first()


@pytest.fixture
def with_field_review(scenario, reviewer):
    """So that the field-review pages exist (a 404 must not come from their absence)."""
    field_reviews.field_review_schedule(
        participation=scenario.bekasi,
        by=reviewer,
        mode="on_site",
        start_date=date(2024, 5, 14),
        end_date=date(2024, 5, 15),
    )
    return scenario


def test_the_panel_lead_reaches_every_page_the_others_are_refused(
    client, with_field_review, reviewer
):
    """The control group: the same URLs work for the lead, so the refusals below mean it."""
    scenario = with_field_review
    login(client, reviewer)
    urls = scoring_urls(scenario.bekasi, scenario.indicators[0], evidence_of(scenario.bekasi).pk)
    for url in urls["get"]:
        assert client.get(url).status_code == 200, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code in (200, 302), url


@pytest.mark.parametrize("who", ["outsider_reviewer", "bekasi", "bandung"])
def test_outsiders_and_operators_are_refused_every_scoring_page(
    client, with_field_review, who, request
):
    scenario = with_field_review
    user = request.getfixturevalue(who)
    login(client, user)
    urls = scoring_urls(scenario.bekasi, scenario.indicators[0], evidence_of(scenario.bekasi).pk)
    for url in urls["get"]:
        assert client.get(url).status_code in DENIED, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code in DENIED, url
    assert not Score.objects.exists()
    assert not VerifiedScore.objects.exists()
    scenario.bekasi.refresh_from_db()
    assert scenario.bekasi.self_assessment_status == "submitted"
    assert scenario.bekasi.field_review.mode == "on_site"  # the POSTed "online" was refused


def test_anonymous_readers_are_sent_to_the_login_page(client, scenario):
    url = reverse("reviewer:participation", args=[scenario.bekasi.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("reviewer:score", args=[scenario.bekasi.pk, scenario.indicators[0].pk]),
        score_data(scenario.indicators[0], 5),
    )
    assert response.status_code == 302
    assert not Score.objects.exists()


def test_a_panel_reviewer_cannot_post_into_another_participation(client, scenario, reviewer):
    """Tampered URL: the reviewer sits on Kota Bekasi's panel and aims at Kota Bandung."""
    login(client, reviewer)
    indicator = scenario.indicators[0]
    bandung = scenario.bandung
    response = client.post(
        reverse("reviewer:score", args=[bandung.pk, indicator.pk]), score_data(indicator, 5)
    )
    assert response.status_code == 404
    response = client.post(
        reverse("reviewer:verify", args=[bandung.pk, indicator.pk]), verify_data(indicator, 5)
    )
    assert response.status_code == 404
    assert not Score.objects.exists()
    assert not VerifiedScore.objects.exists()


def test_an_indicator_of_another_instrument_is_a_404(client, scenario, reviewer):
    login(client, reviewer)
    foreign = factories.make_instrument().indicators.first()
    url = reverse("reviewer:score", args=[scenario.bekasi.pk, foreign.pk])
    assert client.post(url, score_data(foreign, 5)).status_code == 404
    url = reverse("reviewer:verify", args=[scenario.bekasi.pk, foreign.pk])
    assert client.post(url, verify_data(foreign, 5)).status_code == 404
    assert not Score.objects.exists()


def test_extra_form_fields_cannot_score_for_someone_else(client, scenario, reviewer):
    """Posting ``reviewer``/``participation`` fields changes nothing: the seat decides."""
    other = factories.make_reviewer("member")
    factories.assign(scenario.bekasi, other)
    login(client, reviewer)
    indicator = scenario.indicators[0]
    data = {
        **score_data(indicator, 2),
        "reviewer": other.pk,
        f"i{indicator.pk}-reviewer": other.pk,
        "participation": scenario.bandung.pk,
    }
    response = client.post(reverse("reviewer:score", args=[scenario.bekasi.pk, indicator.pk]), data)
    assert response.status_code == 302
    score = Score.objects.get()
    assert (score.reviewer, score.participation, score.level) == (
        reviewer,
        scenario.bekasi,
        2,
    )


def test_a_panel_member_who_is_not_lead_cannot_verify(client, scenario):
    member = factories.make_reviewer("member")
    factories.assign(scenario.bekasi, member)
    login(client, member)
    indicator = scenario.indicators[0]
    assert client.get(reverse("reviewer:panel", args=[scenario.bekasi.pk])).status_code == 403
    response = client.post(
        reverse("reviewer:verify", args=[scenario.bekasi.pk, indicator.pk]),
        verify_data(indicator, 4),
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("reviewer:verify_agreed", args=[scenario.bekasi.pk])).status_code == 403
    )
    assert not VerifiedScore.objects.exists()


def test_bad_levels_are_form_errors_not_500s(client, scenario, reviewer):
    login(client, reviewer)
    indicator = scenario.indicators[0]
    url = reverse("reviewer:score", args=[scenario.bekasi.pk, indicator.pk])
    for level in ("9", "-1", "tiga", ""):
        response = client.post(url, score_data(indicator, level))
        assert response.status_code == 400, level
    response = client.post(url, {"garbage": "1"})
    assert response.status_code == 400
    assert not Score.objects.exists()


def test_a_stale_page_does_not_overwrite_a_newer_score(client, scenario, reviewer):
    login(client, reviewer)
    indicator = scenario.indicators[0]
    url = reverse("reviewer:score", args=[scenario.bekasi.pk, indicator.pk])
    client.post(url, score_data(indicator, 3, version=0))
    client.post(url, score_data(indicator, 4, version=1))
    response = client.post(url, score_data(indicator, 1, version=1), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "sudah diubah di tempat lain" in response.content.decode()
    assert Score.objects.get().level == 4


def test_a_manager_off_the_panel_reads_but_does_not_score(client, scenario, manager):
    login(client, manager)
    indicator = scenario.indicators[0]
    assert (
        client.get(reverse("reviewer:participation", args=[scenario.bekasi.pk])).status_code == 200
    )
    response = client.post(
        reverse("reviewer:score", args=[scenario.bekasi.pk, indicator.pk]),
        score_data(indicator, 4),
    )
    assert response.status_code == 403
    assert not Score.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "outsider_reviewer", "bekasi", "bandung"])
def test_manager_pages_are_for_managers_only(client, scenario, who, request):
    login(client, request.getfixturevalue(who))
    slug = scenario.round.slug
    pk = scenario.bekasi.pk
    for url in [
        reverse("reviewer:rounds"),
        reverse("reviewer:round", args=[slug]),
        reverse("reviewer:participant", args=[slug, pk]),
        reverse("reviewer:results", args=[slug]),
        reverse("reviewer:results_export", args=[slug, "csv"]),
        reverse("reviewer:history", args=[slug]),
        reverse("reviewer:scores_template", args=[slug, "xlsx"]),
        reverse("reviewer:scores_upload", args=[slug]),
    ]:
        assert client.get(url).status_code == 403, url
    for url in [
        reverse("reviewer:round_step", args=[slug, "finalise"]),
        reverse("reviewer:participant_action", args=[slug, pk, "exclude"]),
        reverse("reviewer:participants_add", args=[slug]),
        reverse("reviewer:participant", args=[slug, pk]),
    ]:
        assert client.post(url, {"reason": "x", "reviewer": 1}).status_code == 403, url
    scenario.round.refresh_from_db()
    assert scenario.round.status == "review"
    assert scenario.round.events.count() == 0


def test_operators_have_no_reviewer_workspace(client, scenario, bekasi):
    login(client, bekasi)
    assert client.get(reverse("reviewer:assignments")).status_code == 403
