# ruff: noqa: F811 - ``world`` is the shared fixture imported below
"""Finding 7: a reviewer reaches evidence, self-assessments and programmes only through a
seat held now, and each seat only for its own round. A reviewer removed from Kota Bekasi's
2026 panel still downloaded the region's newest evidence through a 2025 seat."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.models import Evidence, RoundStatus, SelfAssessmentAnswer
from tests import factories
from tests.city import factories as cf
from tests.conftest import login
from tests.security.conftest import world  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.django_db


def _download(client, participation, evidence) -> int:
    return client.get(
        reverse("reviewer:evidence", args=[participation.pk, evidence.pk])
    ).status_code


def _newest_answer_evidence(world):
    answer = SelfAssessmentAnswer.objects.filter(participation=world.review_bekasi).first()
    return answer.evidence.exclude(file="").first()  # type: ignore[misc]  # custom manager


def test_an_old_seat_is_no_key_to_the_current_rounds_evidence(client, world):
    reviewer = world.users["reviewer"]
    old_seat = factories.assign(world.published_bekasi, reviewer)
    newest = _newest_answer_evidence(world)
    login(client, reviewer)
    assert _download(client, world.review_bekasi, newest) == 200

    world.seat.delete()  # removed from the current panel
    assert _download(client, world.review_bekasi, newest) == 404
    assert _download(client, world.published_bekasi, newest) == 404
    assert not Evidence.objects.downloadable_by(reviewer).filter(pk=newest.pk).exists()
    # Nor the region's register, through a seat in a published round.
    assert _download(client, world.published_bekasi, world.evidence) == 404
    assert old_seat.pk  # the old seat is still held


def test_an_old_seat_still_opens_its_own_rounds_evidence(client, world):
    reviewer = world.users["reviewer"]
    factories.assign(world.published_bekasi, reviewer)
    old = cf.make_file_evidence(world.kota_bekasi, "laporan-2023.pdf")
    answer = cf.make_answer(world.published_bekasi, world.indicator)
    answer.evidence.add(old)
    world.seat.delete()
    login(client, reviewer)
    assert _download(client, world.published_bekasi, old) == 200
    # ...but not through another participation's URL.
    assert _download(client, world.review_bekasi, old) == 404


def test_the_register_is_open_only_while_the_seats_round_is_under_way(client, world):
    reviewer = world.users["reviewer"]
    login(client, reviewer)
    assert _download(client, world.review_bekasi, world.evidence) == 200
    world.review.status = RoundStatus.PUBLISHED
    world.review.save(update_fields=["status"])
    assert _download(client, world.review_bekasi, world.evidence) == 404


def test_removing_the_seat_removes_the_self_assessment_at_once(client, world):
    reviewer = world.users["reviewer"]
    login(client, reviewer)
    url = reverse("reviewer:participation", args=[world.review_bekasi.pk])
    assert client.get(url).status_code == 200
    world.seat.delete()
    assert client.get(url).status_code == 404
