"""`manage.py load_demo`: a clearly labelled, deterministic demo a laptop user can try."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory

from evaluations.demo.build import DEMO_USERS
from evaluations.models import Publication, Result, Round, RoundStatus, SelfAssessmentStatus
from evaluations.roles import is_manager, is_reviewer
from regions.models import RegionMembership

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple]:
    return list(
        Result.objects.order_by(
            "participation__round__slug", "participation__region__code"
        ).values_list(
            "participation__round__slug",
            "participation__region__code",
            "index",
            "national_rank",
            "provincial_rank",
            "rank_change",
        )
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Reference data and the demo, loaded once for this module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", verbosity=0)
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_demo_prints_every_login(demo):
    for user in DEMO_USERS:
        assert user.username in demo
    assert "demo12345" in demo


def test_every_demo_round_says_demo_and_covers_the_2017_cohort(demo):
    rounds = Round.objects.all()
    assert rounds.count() == 4
    for round_ in rounds:
        assert "(DEMO)" in round_.name
        assert round_.participations.count() == 25
    statuses = sorted(rounds.values_list("status", flat=True))
    assert statuses == sorted(
        [
            RoundStatus.PUBLISHED,
            RoundStatus.PUBLISHED,
            RoundStatus.SELF_ASSESSMENT,
            RoundStatus.DRAFT,
        ]
    )


def test_demo_users_have_their_roles_and_the_documented_password(demo, settings):
    # The demo hashed its passwords with the real hasher, before the suite's fast one.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    request = RequestFactory().post("/accounts/login/")
    users = {
        u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])
    }
    for username, user in users.items():
        assert authenticate(request, username=username, password="demo12345") == user
    assert is_manager(users["manager"])
    assert is_reviewer(users["reviewer"])
    assert not is_manager(users["reviewer"])
    assert RegionMembership.objects.get(user=users["bekasi"]).region.code == "32.75"
    assert RegionMembership.objects.get(user=users["bandung"]).region.code == "32.73"
    assert not is_reviewer(users["bekasi"])


def test_published_rounds_have_results_snapshots_and_improvement(demo):
    for round_ in Round.objects.published():
        results = Result.objects.for_round(round_)
        assert results.count() == 25
        assert Publication.objects.filter(round=round_).count() == 1
    latest = Round.objects.published().order_by("-year").first()
    assert latest is not None
    # The second published round compares against the first.
    assert Result.objects.for_round(latest).filter(index_change__isnull=False).count() == 25


def test_the_open_round_accepts_kota_bekasi_drafts(demo):
    open_round = Round.objects.get(status=RoundStatus.SELF_ASSESSMENT)
    bekasi = open_round.participations.get(region__code="32.75")
    assert bekasi.self_assessment_status == SelfAssessmentStatus.DRAFT
    assert not bekasi.is_locked_for_region
    assert bekasi.panel.get(is_lead=True).reviewer.username == "reviewer"


def test_load_demo_twice_changes_nothing_and_reset_rebuilds_the_same_figures(demo):
    before = _fingerprint()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert _fingerprint() == before
    call_command("load_demo", "--reset", stdout=StringIO())
    assert _fingerprint() == before


def test_load_demo_refuses_to_run_in_production(demo, settings):
    settings.HTTPS_ONLY = True
    before = _fingerprint()
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo", "--reset", stdout=StringIO())
    assert _fingerprint() == before
