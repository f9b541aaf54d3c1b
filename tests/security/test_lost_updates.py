"""No lost updates: two people (or two tabs) saving the same thing from pages opened at the
same time. The second save gets a conflict message and the first one's value stays.

Every form here is filled from the page as the browser got it (``forms.page_fields``): the
hidden ``version`` is what the page showed, nothing is made up by the test.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evaluations.forms.reviewer import PAGE_OUTDATED
from evaluations.models import RoundStatus, Score, SelfAssessmentAnswer, VerifiedScore
from evaluations.services.review import STALE_VERSION
from tests import factories
from tests.conftest import login
from tests.security.forms import page_fields

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return login(Client(), user)


def _with(fields: dict[str, list[str]], **values: str) -> dict[str, list[str]]:
    """The form as posted after the user set ``values`` (a radio nobody had chosen too)."""
    data = dict(fields)
    prefix = next(iter(data)).rsplit("-", 1)[0]
    for name, value in values.items():
        data[f"{prefix}-{name}"] = [value]
    return data


# --- A reviewer's score ----------


def _score_form(client: Client, world) -> dict[str, list[str]]:
    page = client.get(reverse("reviewer:participation", args=[world.review_bekasi.pk]))
    fields = page_fields(page.content, f"i{world.indicator.pk}-")
    assert fields[f"i{world.indicator.pk}-version"] == ["1"]
    return fields


def test_two_tabs_saving_the_same_score_do_not_overwrite_each_other(world):
    reviewer = world.users["reviewer"]
    tab_a, tab_b = _client(reviewer), _client(reviewer)
    form_a, form_b = _score_form(tab_a, world), _score_form(tab_b, world)
    url = reverse("reviewer:score", args=[world.review_bekasi.pk, world.indicator.pk])

    assert tab_b.post(url, _with(form_b, level="4", comment="Tab B")).status_code == 302
    response = tab_a.post(url, _with(form_a, level="1", comment="Tab A"))

    assert response.status_code == 400
    assert str(STALE_VERSION) in response.content.decode()
    score = Score.objects.get()
    assert (score.level, score.comment, score.version) == (4, "Tab B", 2)


def test_the_htmx_card_shows_the_conflict_too(world):
    reviewer = world.users["reviewer"]
    tab_a, tab_b = _client(reviewer), _client(reviewer)
    form_a, form_b = _score_form(tab_a, world), _score_form(tab_b, world)
    url = reverse("reviewer:score", args=[world.review_bekasi.pk, world.indicator.pk])
    tab_b.post(url, _with(form_b, level="5"), HTTP_HX_REQUEST="true")
    response = tab_a.post(url, _with(form_a, level="0"), HTTP_HX_REQUEST="true")
    assert str(STALE_VERSION) in response.content.decode()
    assert Score.objects.get().level == 5


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "1.5"])
def test_a_score_form_without_a_valid_version_is_refused(world, version):
    client = _client(world.users["reviewer"])
    form = _score_form(client, world)
    data = _with(form, level="5")
    key = f"i{world.indicator.pk}-version"
    if version is None:
        del data[key]
    else:
        data[key] = [version]
    url = reverse("reviewer:score", args=[world.review_bekasi.pk, world.indicator.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    assert str(PAGE_OUTDATED) in response.content.decode()
    assert Score.objects.get().level == 3


# --- The lead's verified level ----------


def _verify_form(client: Client, world) -> dict[str, list[str]]:
    page = client.get(reverse("reviewer:panel", args=[world.review_bekasi.pk]))
    return page_fields(page.content, f"v{world.indicator.pk}-")


def test_the_lead_and_a_manager_verifying_the_same_indicator(world):
    lead, manager = _client(world.users["reviewer"]), _client(world.users["manager"])
    form_lead, form_manager = _verify_form(lead, world), _verify_form(manager, world)
    assert form_lead[f"v{world.indicator.pk}-version"] == ["1"]
    url = reverse("reviewer:verify", args=[world.review_bekasi.pk, world.indicator.pk])

    assert manager.post(url, _with(form_manager, level="5", comment="Manajer")).status_code == 302
    response = lead.post(url, _with(form_lead, level="2", comment="Ketua"))

    assert response.status_code == 400
    assert str(STALE_VERSION) in response.content.decode()
    verified = VerifiedScore.objects.get(participation=world.review_bekasi)
    assert (verified.level, verified.comment, verified.version) == (5, "Manajer", 2)
    assert verified.set_by == world.users["manager"]


def test_a_verify_form_without_its_version_is_refused(world):
    lead = _client(world.users["reviewer"])
    data = _with(_verify_form(lead, world), level="0")
    del data[f"v{world.indicator.pk}-version"]
    url = reverse("reviewer:verify", args=[world.review_bekasi.pk, world.indicator.pk])
    response = lead.post(url, data)
    assert response.status_code == 400
    assert str(PAGE_OUTDATED) in response.content.decode()
    assert VerifiedScore.objects.get(participation=world.review_bekasi).level == 3


# --- A self-assessment answer ----------


@pytest.fixture
def open_round(world):
    round_ = factories.make_round(
        instrument=world.instrument, year=2099, phase=1, status=RoundStatus.SELF_ASSESSMENT
    )
    factories.make_participation(round_, world.kota_bekasi)
    return round_


def test_two_operators_answering_the_same_indicator_from_stale_pages(world, open_round):
    coordinator = factories.make_operator(world.kota_bekasi, "koordinator", role="coordinator")
    operator, colleague = _client(world.users["bekasi"]), _client(coordinator)
    url = reverse(
        "city:self_assessment_section",
        args=[world.kota_bekasi.slug, open_round.slug, world.indicator.dimension.code],
    )
    prefix = f"ind-{world.indicator.pk}-"
    mine = page_fields(operator.get(url).content, prefix)
    theirs = page_fields(colleague.get(url).content, prefix)
    assert mine[prefix + "version"] == ["0"]

    saved = colleague.post(url, _with(theirs, claimed_level="2", narrative="Versi koordinator"))
    assert saved.status_code == 302
    response = operator.post(url, _with(mine, claimed_level="5", narrative="Versi operator"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah diubah oleh koordinator" in page
    assert "Versi operator" in page  # what the operator typed is not lost either
    answer = SelfAssessmentAnswer.objects.get(participation__round=open_round)
    assert (answer.claimed_level, answer.narrative, answer.version) == (2, "Versi koordinator", 1)
    assert answer.updated_by == coordinator
