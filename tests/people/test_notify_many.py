"""Telling every region of a national round at once (``notify_many``, used when results are
published): the same inbox entries and e-mails as one ``notify`` per region, without a
query per region."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import RoundStatus
from evaluations.services import rounds as round_services
from smartcity.people.models import Notification, NotificationKind, Profile
from smartcity.people.notifications import notify_many
from tests import factories
from tests.people.conftest import with_email

pytestmark = pytest.mark.django_db

KIND = NotificationKind.RESULTS_PUBLISHED


def _message(users, key, region):
    return (users, key, {"round": None, "region": region}, f"/city/{region.slug}/")


def test_each_person_once_in_their_language_muted_kinds_kept_in_the_inbox_only(
    bekasi,
    bandung,
    bekasi_coordinator,
    kota_bekasi,
    kota_bandung,
    django_capture_on_commit_callbacks,
):
    with_email(bekasi)
    with_email(bandung)
    Profile.objects.create(user=bandung, language="en")
    Profile.objects.create(user=bekasi_coordinator, muted_kinds=[KIND])
    retired = with_email(factories.make_operator(kota_bekasi, "pensiun"))
    retired.is_active = False
    retired.save()
    with django_capture_on_commit_callbacks(execute=True):
        created = notify_many(
            kind=KIND,
            template="results_published",
            messages=[
                _message([bekasi, bekasi, bekasi_coordinator, retired], "r:1", kota_bekasi),
                _message([bandung], "r:2", kota_bandung),
            ],
        )
    assert sorted((n.user.username, n.event_key) for n in created) == [
        ("bandung", "r:2"),
        ("bekasi", "r:1"),
        ("koordinator.bekasi", "r:1"),
    ]
    assert {m.to[0] for m in mail.outbox} == {"bekasi@example.id", "bandung@example.id"}
    english = Notification.objects.get(user=bandung)
    indonesian = Notification.objects.get(user=bekasi)
    assert english.subject.startswith("Results of")
    assert indonesian.subject.startswith("Hasil")
    assert not Notification.objects.get(user=bekasi_coordinator).email_wanted


def test_people_already_told_of_an_event_are_skipped(bekasi, bandung, kota_bekasi, kota_bandung):
    messages = [_message([bekasi], "r:1", kota_bekasi), _message([bandung], "r:2", kota_bandung)]
    notify_many(kind=KIND, template="results_published", messages=messages[:1])
    again = notify_many(kind=KIND, template="results_published", messages=messages)
    assert [(n.user, n.event_key) for n in again] == [(bandung, "r:2")]
    assert Notification.objects.filter(user=bekasi).count() == 1


def test_publishing_tells_every_region_in_a_fixed_number_of_queries(manager, db):
    """One region or twenty: the same number of queries for the notifications."""
    counts = []
    for year, size in ((2098, 1), (2099, 20)):
        round_ = factories.make_round(year=year, phase=1)
        for i in range(size):
            region = factories.make_region(f"{year % 100}.{i + 1:02d}", f"Kab. {year} {i}")
            factories.make_operator(region, f"op-{year}-{i}")
            factories.make_participation(round_, region)
        round_.status = RoundStatus.FINALISED
        round_.save()
        fresh = User.objects.get(pk=manager.pk)  # the role check is cached per user object
        with CaptureQueriesContext(connection) as queries:
            round_services.round_publish(round=round_, by=fresh)
        counts.append(len(queries))
        assert (
            Notification.objects.filter(kind=KIND, user__username__startswith=f"op-{year}").count()
            == size
        )
    assert counts[0] == counts[1]
