"""Round transitions under concurrent requests: two managers pressing the same button, or
two different buttons, at the same moment.

Each transition locks the round row (``select_for_update`` in ``services.rounds._lock``) and
checks the status under that lock. These tests send the requests from two threads, each
with its own database connection, and hold the lock a moment longer than usual so that the
second request certainly arrives while the first is inside its transaction: without the
lock both would pass the status check.

PostgreSQL only: SQLite has no row locks (``select_for_update`` does nothing there) and lets
one writer at a time into the whole database, so the race under test cannot happen on it.
CI runs the suite on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from evaluations.models import Publication, Result, Round, RoundEvent, RoundStatus
from evaluations.services import rounds as svc
from tests import factories
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (SQLite serialises all writers); CI runs it",
    ),
]


@pytest.fixture
def slow_lock(monkeypatch):
    """Hold the round's row lock 0.3 s, so the other request arrives while it is held."""
    real_lock = svc._lock

    def lock_and_wait(round_: Round) -> Round:
        locked = real_lock(round_)
        time.sleep(0.3)
        return locked

    monkeypatch.setattr(svc, "_lock", lock_and_wait)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def managers(db):
    return factories.make_manager("manager"), factories.make_manager("manager2")


@pytest.fixture
def scored_round(kota_bekasi, kota_bandung, managers) -> Round:
    """Under review, every participant verified: ready to finalise."""
    round_ = rf.make_review_round([kota_bekasi, kota_bandung])
    for participation in round_.participations.all():
        rf.verify(participation, managers[0], level=4)
    return round_


def _press(user, round_: Round, action: str, **data: str) -> Callable[[], int]:
    client = login(Client(), user)
    url = reverse("reviewer:round_step", args=[round_.slug, action])
    return lambda: client.post(url, data).status_code


def _events(round_: Round, to: str) -> int:
    return RoundEvent.objects.filter(round=round_, to_status=to).count()


def test_two_managers_publishing_at_once_publish_once(scored_round, managers, slow_lock):
    svc.round_finalise(round=scored_round, by=managers[0])
    answers = race(
        _press(managers[0], scored_round, "publish", note="Pengumuman A"),
        _press(managers[1], scored_round, "publish", note="Pengumuman B"),
    )
    assert answers == [302, 302]  # both pages come back; one says it could not
    assert Publication.objects.filter(round=scored_round).count() == 1
    assert _events(scored_round, RoundStatus.PUBLISHED) == 1
    scored_round.refresh_from_db()
    assert scored_round.status == RoundStatus.PUBLISHED


def test_two_managers_finalising_at_once_compute_the_results_once(
    scored_round, managers, slow_lock
):
    answers = race(
        _press(managers[0], scored_round, "finalise"),
        _press(managers[1], scored_round, "finalise"),
    )
    assert answers == [302, 302]
    assert _events(scored_round, RoundStatus.FINALISED) == 1
    assert Result.objects.filter(participation__round=scored_round).count() == 2


def test_publish_and_reopen_at_once_leave_a_consistent_round(scored_round, managers, slow_lock):
    svc.round_finalise(round=scored_round, by=managers[0])
    race(
        _press(managers[0], scored_round, "publish", note="Pengumuman"),
        _press(managers[1], scored_round, "reopen", reason="Koreksi nilai Bekasi"),
    )
    scored_round.refresh_from_db()
    # Whichever came first, the re-open was recorded and the round is back under review;
    # a publication exists exactly when its event does.
    assert scored_round.status == RoundStatus.REVIEW
    assert _events(scored_round, RoundStatus.REVIEW) == 1
    published = _events(scored_round, RoundStatus.PUBLISHED)
    assert Publication.objects.filter(round=scored_round).count() == published <= 1
