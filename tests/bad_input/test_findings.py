"""The bad-input corpus of issue 12: one entry per finding of the security test, each
replaying what was found and asserting what must hold now. Findings whose proof needs more
room point at the test file that holds it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from evaluations.views.city._common import UNSAVED_MAX_BYTES, UNSAVED_SESSION_KEY
from tests.bad_input.payloads import snapshot

pytestmark = pytest.mark.django_db


# --- Finding 4: anonymous POST bodies kept in sessions ----------


def test_finding_4_anonymous_posts_do_not_fill_the_session_table(client, world):
    title = "x" * 493_000
    before = snapshot()
    for i in range(20):
        response = client.post(
            f"/city/no-such-region-{i}/program/baru/",
            {"title": title},
            REMOTE_ADDR="203.0.113.40",
        )
        assert response.status_code == 302
    assert Session.objects.count() <= 1
    total = sum(len(s.session_data) for s in Session.objects.all())
    assert total < 4096
    assert snapshot() == before


def test_finding_4_a_large_body_for_a_real_region_is_not_kept(client, world):
    url = reverse("city:programme_create", args=[world.kota_bekasi.slug])
    client.post(url, {"title": "x" * (UNSAVED_MAX_BYTES + 1)}, REMOTE_ADDR="203.0.113.41")
    assert all(len(s.session_data) < 4096 for s in Session.objects.all()), (
        "a body over the bound was kept"
    )


def test_finding_4_a_small_body_is_kept_but_only_ten_times_an_hour_per_address(client, world):
    url = reverse("city:programme_create", args=[world.kota_bekasi.slug])
    for _ in range(10):
        client.cookies.clear()
        client.post(url, {"title": "Program baru"}, REMOTE_ADDR="203.0.113.42")
        assert client.session.get(UNSAVED_SESSION_KEY, {}).get("data") == {
            "title": ["Program baru"]
        }
    client.cookies.clear()
    client.post(url, {"title": "Program baru"}, REMOTE_ADDR="203.0.113.42")
    assert UNSAVED_SESSION_KEY not in client.session
