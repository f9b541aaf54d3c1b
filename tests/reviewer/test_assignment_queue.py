"""The assignment queue lists the rounds still under way in full; closed rounds by name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.models import RoundStatus
from tests import factories
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(reviewer):
    regions = rf.make_regions(4)
    instrument = factories.make_instrument()
    published = rf.make_review_round(
        regions[:2], instrument=instrument, status=RoundStatus.PUBLISHED, year=2023
    )
    under_review = rf.make_review_round(regions[2:], instrument=instrument, year=2024)
    for p in [*published.participations.all(), *under_review.participations.all()]:
        factories.assign(p, reviewer)
    return published, under_review


def _links(html: str) -> int:
    return html.count('href="/review/participations/') // 3  # three links a row


def test_queue_shows_rows_of_open_rounds_and_names_of_closed_ones(client, reviewer, rounds):
    published, under_review = rounds
    login(client, reviewer)
    html = client.get(reverse("reviewer:assignments")).content.decode()
    assert under_review.name in html
    assert _links(html) == 2
    assert f'href="?round={published.slug}"' in html
    assert "Kota Uji 1" not in html  # a participant of the closed round


def test_a_closed_round_opens_on_its_own(client, reviewer, rounds):
    published, _ = rounds
    login(client, reviewer)
    html = client.get(reverse("reviewer:assignments"), {"round": published.slug}).content
    html = html.decode()
    assert "Kota Uji 1" in html
    assert "Kota Uji 3" not in html
    assert _links(html) == 2


def test_only_closed_rounds_says_so(client, reviewer, rounds):
    published, under_review = rounds
    under_review.participations.all().delete()
    login(client, reviewer)
    html = client.get(reverse("reviewer:assignments")).content.decode()
    assert "Tidak ada penugasan di putaran yang sedang berjalan." in html
    assert f'href="?round={published.slug}"' in html


def test_an_unknown_round_shows_nothing_and_no_error(client, reviewer, rounds):
    login(client, reviewer)
    response = client.get(reverse("reviewer:assignments"), {"round": "x" * 500})
    assert response.status_code == 200
    assert _links(response.content.decode()) == 0


def test_queue_filters_by_province_and_state(client, reviewer, rounds):
    from evaluations.models import ReviewerAssignment

    _published, under_review = rounds
    first, second = under_review.participations.select_related("region__province")
    ReviewerAssignment.objects.filter(participation=first).update(is_lead=True)
    rf.score_all(first, reviewer, level=3)
    login(client, reviewer)
    url = reverse("reviewer:assignments")

    def names(**params) -> set[str]:
        html = client.get(url, params).content.decode()
        return {p.region.name for p in (first, second) if f">{p.region.name}</a>" in html}

    assert names() == {first.region.name, second.region.name}
    assert names(state="draft") == {first.region.name}
    assert names(state="todo") == {second.region.name}
    assert names(state="verify") == {first.region.name}
    assert names(state="done") == set()
    assert names(province=first.region.province.slug) == {
        p.region.name for p in (first, second) if p.region.province_id == first.region.province_id
    }
    assert names(state="nonsense") == {first.region.name, second.region.name}
    html = client.get(url, {"state": "done"}).content.decode()
    assert "Tidak ada penugasan yang cocok dengan saringan ini." in html


def test_queue_query_count_with_filters(client, reviewer, rounds, django_assert_num_queries):
    login(client, reviewer)
    url = reverse("reviewer:assignments")
    client.get(url)
    # session, user, groups, queue, closed rounds, the filters' rounds and provinces, …
    with django_assert_num_queries(8):
        client.get(url, {"state": "todo", "province": "jawa-barat"})
