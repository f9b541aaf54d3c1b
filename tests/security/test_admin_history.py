"""The admin's history pages show old versions; restoring one is a change like any other.

django-simple-history saves a form posted to a history record's page for anyone who may
merely view the history (``evaluations.admin.base.HistoryAdmin`` closes that).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import Result, Round, Score
from tests.conftest import login
from tests.factories import guards_lifted

pytestmark = pytest.mark.django_db


def _history_url(obj, name: str) -> str:
    first = obj.history.order_by("history_id").first()
    return reverse(f"admin:evaluations_{name}_simple_history", args=[obj.pk, first.pk])


def test_a_reviewer_can_neither_read_nor_restore_a_colleagues_old_score(world, client):
    score = Score.objects.get()
    score.level, score.comment = 1, "Dinilai ulang oleh ketua panel"
    score.save()
    login(client, world.users["outsider"])
    url = _history_url(score, "score")
    # Reviewers read participation data only through their panel-scoped pages.
    assert client.get(url).status_code == 403
    data = {
        "participation": score.participation_id,
        "indicator": score.indicator_id,
        "reviewer": score.reviewer_id,
        "level": 5,
        "comment": "Diubah lewat riwayat",
    }
    assert client.post(url, data).status_code == 403
    score.refresh_from_db()
    assert (score.level, score.comment) == (1, "Dinilai ulang oleh ketua panel")


def test_a_published_result_cannot_be_rewritten_from_its_history(world, client):
    result = Result.objects.order_by("pk").first()
    index = result.index
    with guards_lifted():  # a history row to open (the database refuses it otherwise)
        result.save()
    login(client, world.users["manager"])
    data = {
        "participation": result.participation_id,
        "index": "4.99",
        "rating_band": "Memuaskan",
        "national_rank": 1,
        "provincial_rank": 1,
    }
    assert client.post(_history_url(result, "result"), data).status_code == 403
    result.refresh_from_db()
    assert result.index == index != Decimal("4.99")


def test_a_rounds_old_version_cannot_be_restored_over_its_lifecycle(world, client):
    round_ = Round.objects.get(pk=world.published.pk)
    login(client, world.users["manager"])
    url = _history_url(round_, "round")
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # no "revert" button
    response = client.post(url, {"name": "Dipulihkan", "slug": round_.slug})
    assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.status == "published"
    assert round_.name != "Dipulihkan"


def test_a_correction_in_the_admin_is_a_new_version_so_stale_pages_conflict(world, client):
    score = Score.objects.get()
    login(client, world.users["manager"])
    url = reverse("admin:evaluations_score_change", args=[score.pk])
    data = {
        "participation": score.participation_id,
        "indicator": score.indicator_id,
        "reviewer": score.reviewer_id,
        "level": 2,
        "comment": "Koreksi admin",
    }
    assert client.post(url, data).status_code == 302
    score.refresh_from_db()
    assert (score.level, score.version) == (2, 2)
