"""Results the region may read (published only) and the dashboard that summarises it all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import RoundStatus
from tests import factories
from tests.city import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(open_round, kota_bekasi, reviewer):
    round_ = factories.make_round(
        instrument=open_round.instrument, year=2098, status=RoundStatus.PUBLISHED
    )
    participation = factories.make_participation(round_, kota_bekasi)
    result = cf.make_result(participation, index_change="0.25")
    indicator = open_round.instrument.indicators.order_by("order").first()
    cf.make_answer(participation, indicator, level=4)
    cf.verify(participation, indicator, reviewer, 3, "Perwal belum diundangkan.")
    return result


@pytest.fixture
def unpublished(open_round, kota_bekasi, reviewer):
    round_ = factories.make_round(
        instrument=open_round.instrument, year=2097, status=RoundStatus.FINALISED
    )
    participation = factories.make_participation(round_, kota_bekasi)
    indicator = open_round.instrument.indicators.order_by("order").first()
    cf.verify(participation, indicator, reviewer, 1, "Catatan rahasia sebelum publikasi")
    return cf.make_result(participation, index="1.11")


def test_result_history_shows_published_scores_only(
    bekasi_client, kota_bekasi, published, unpublished
):
    response = bekasi_client.get(reverse("city:result_list", args=[kota_bekasi.slug]))
    assert response.context["results"] == [published]
    page = response.content.decode()
    assert "3,31" in page
    assert "+0,25" in page
    assert "3,50" in page
    assert "1,11" not in page


def test_result_detail_shows_verified_levels_and_comments(bekasi_client, kota_bekasi, published):
    url = reverse("city:result_detail", args=[kota_bekasi.slug, published.participation.round.slug])
    page = bekasi_client.get(url).content.decode()
    assert "Perwal belum diundangkan." in page
    assert "Smart Governance" in page


def test_unpublished_results_and_verified_levels_are_not_reachable(
    bekasi_client, kota_bekasi, unpublished
):
    url = reverse(
        "city:result_detail", args=[kota_bekasi.slug, unpublished.participation.round.slug]
    )
    assert bekasi_client.get(url).status_code == 404


def test_dashboard_summarises_rounds_reviews_results_and_register(
    bekasi_client, kota_bekasi, open_round, bekasi_part, published
):
    open_round.self_assessment_closes = timezone.localdate() + timedelta(days=5)
    open_round.self_assessment_opens = timezone.localdate() - timedelta(days=5)
    open_round.review_ends = None
    open_round.save()
    cf.make_answer(bekasi_part, open_round.instrument.indicators.order_by("order").first())
    cf.make_field_review(
        bekasi_part,
        start_date=timezone.localdate() + timedelta(days=9),
        end_date=timezone.localdate() + timedelta(days=10),
        location="Gedung Pemkot",
    )
    dims = factories.ensure_dimensions()
    factories.make_programme(kota_bekasi, status="running", is_quick_win=True)
    factories.make_programme(kota_bekasi, status="planned")
    factories.make_programme(
        kota_bekasi, status="running", dimension=dims[3], element=dims[3].elements.first()
    )
    archived = factories.make_programme(kota_bekasi, status="running")
    archived.archived_at = timezone.now()
    archived.save()

    response = bekasi_client.get(reverse("city:dashboard", args=[kota_bekasi.slug]))
    page = response.content.decode()
    assert "5 hari lagi" in page
    assert "1 dari 4 indikator" in page
    assert "Gedung Pemkot" in page
    assert "3,31" in page
    assert "+0,25" in page
    register = {row["dimension"].code: row for row in response.context["register"]}
    assert (register["governance"]["total"], register["governance"]["running"]) == (2, 1)
    assert register["governance"]["quick_wins"] == 1
    assert register["governance"]["running_pct"] == 50
    assert (register["living"]["total"], register["economy"]["total"]) == (1, 0)


def test_login_sends_an_operator_to_their_workspace(bekasi_client, kota_bekasi):
    response = bekasi_client.get(reverse("dashboard"))
    assert response["Location"] == reverse("city:dashboard", args=[kota_bekasi.slug])
