"""Every list and detail page costs the same number of queries for 3 rows as for 30."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from evaluations.models import AgendaItem, Attendee, Finding, RoundStatus, Score
from evaluations.services import field_reviews
from evaluations.services import rounds as round_svc
from tests import factories
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db

# Each request: session, user, then the role checks the page makes (cached per request).


@pytest.mark.parametrize("n", [3, 30])
def test_my_assignments(client, reviewer, n, django_assert_num_queries):
    regions = rf.make_regions(n)
    round_ = rf.make_review_round(regions)
    for i, p in enumerate(round_.participations.all()):
        factories.assign(p, reviewer, lead=i % 2 == 0)
        if i % 3 == 0:
            rf.score_all(p, reviewer)
    login(client, reviewer)
    # Session, user, role, the open rounds' rows, the closed rounds' names, and the filters'
    # rounds and provinces.
    with django_assert_num_queries(8):
        response = client.get(reverse("reviewer:assignments"))
    assert response.content.decode().count('href="/review/participations/') >= n


@pytest.mark.parametrize("per_component", [1, 6])
def test_participation_page(
    client, kota_bekasi, reviewer, per_component, django_assert_num_queries
):
    """5 vs 30 indicators, each with an answer, two evidence items and a draft score."""
    instrument = factories.make_instrument(indicators_per_component=per_component)
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    p = round_.participations.get()
    factories.assign(p, reviewer, lead=True)
    rf.add_answers(p)
    rf.score_all(p, reviewer)
    login(client, reviewer)
    with django_assert_num_queries(12):
        response = client.get(reverse("reviewer:participation", args=[p.pk]))
    assert response.content.decode().count("indicator-card") >= 5 * per_component


@pytest.mark.parametrize(("per_component", "reviewers"), [(1, 1), (6, 3)])
def test_panel_page(
    client, kota_bekasi, reviewer, per_component, reviewers, django_assert_num_queries
):
    instrument = factories.make_instrument(indicators_per_component=per_component)
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    p = round_.participations.get()
    factories.assign(p, reviewer, lead=True)
    rf.score_all(p, reviewer, level=3)
    for i in range(reviewers - 1):
        member = factories.make_reviewer(f"member{i}")
        factories.assign(p, member)
        rf.score_all(p, member, level=2 + i)
    rf.add_answers(p, with_evidence=False)
    login(client, reviewer)
    with django_assert_num_queries(11):
        response = client.get(reverse("reviewer:panel", args=[p.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    # Every indicator of the instrument is on the panel, with every member's level.
    for indicator in instrument.indicators.all():
        assert indicator.code in page
    assert "Kota Bekasi" in page


@pytest.mark.parametrize("n", [3, 30])
def test_round_detail(client, manager, reviewer, n, django_assert_num_queries):
    regions = rf.make_regions(n)
    round_ = rf.make_review_round(regions, status=RoundStatus.DRAFT)
    for p in round_.participations.all():
        factories.assign(p, reviewer, lead=True)
    login(client, manager)
    with django_assert_num_queries(12):
        response = client.get(reverse("reviewer:round", args=[round_.slug]))
    assert response.content.decode().count("/participants/") >= n


@pytest.mark.parametrize("n", [3, 30])
def test_round_list(client, manager, n, django_assert_num_queries):
    instrument = factories.make_instrument()
    for i in range(n):
        factories.make_round(instrument=instrument, year=2030 + i)
    login(client, manager)
    with django_assert_num_queries(4):
        client.get(reverse("reviewer:rounds"))


def _finalised(n, manager):
    regions = rf.make_regions(n)
    round_ = rf.make_review_round(regions)
    for i, p in enumerate(round_.participations.all()):
        rf.verify(p, manager, level=i % 6)
    round_svc.round_finalise(round=round_, by=manager)
    return round_


@pytest.mark.parametrize("n", [3, 30])
def test_results_page(client, manager, n, django_assert_num_queries):
    round_ = _finalised(n, manager)
    login(client, manager)
    # One of them: the instrument's rating bands, for the band names in English.
    with django_assert_num_queries(6):
        response = client.get(reverse("reviewer:results", args=[round_.slug]))
    assert response.content.decode().count("Surat (PDF)") == n


@pytest.mark.parametrize("n", [3, 30])
def test_history_page(client, manager, reviewer, n, django_assert_num_queries):
    """n scores changed twice, results computed, round re-opened and re-finalised."""
    round_ = _finalised(n, manager)
    round_svc.round_reopen(round=round_, by=manager, reason="Koreksi")
    round_svc.round_finalise(round=round_, by=manager)
    p = round_.participations.first()
    factories.assign(p, reviewer)
    with factories.guards_lifted():  # history written straight into the finalised round
        for ind in list(round_.instrument.indicators.all())[: min(n, 10)]:
            Score.objects.create(participation=p, indicator=ind, reviewer=reviewer, level=1)
    login(client, manager)
    with django_assert_num_queries(11):
        response = client.get(reverse("reviewer:history", args=[round_.slug]))
    assert "Koreksi" in response.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_field_review_sections_and_minutes(
    client, kota_bekasi, reviewer, n, django_assert_num_queries
):
    round_ = rf.make_review_round([kota_bekasi])
    p = round_.participations.get()
    factories.assign(p, reviewer, lead=True)
    review = field_reviews.field_review_schedule(
        participation=p,
        by=reviewer,
        mode="hybrid",
        start_date=date(2024, 5, 14),
        end_date=date(2024, 5, 15),
    )
    dims = factories.ensure_dimensions()
    for i in range(n):
        AgendaItem.objects.create(
            field_review=review,
            day=1 + i % 2,
            start_time=f"{8 + i % 9:02d}:00",
            activity=f"A{i}",
            dimension=dims[i % 6],
        )
        Attendee.objects.create(field_review=review, name=f"Orang {i}", position="Kepala Dinas")
        Finding.objects.create(
            field_review=review, dimension=dims[i % 6], kind="obstacle", text=f"K{i}"
        )
    login(client, reviewer)
    with django_assert_num_queries(10):
        client.get(reverse("reviewer:field_review_section", args=[p.pk, "agenda"]))
    with django_assert_num_queries(10):
        client.get(reverse("reviewer:field_review_section", args=[p.pk, "findings"]))
    with django_assert_num_queries(10):
        response = client.get(reverse("reviewer:minutes", args=[p.pk]))
    assert response.content.decode().count("Kepala Dinas") == n
