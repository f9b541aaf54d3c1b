"""Finding 9: programme titles typed by operators appeared on the public profile at once.
The profile now shows the register as it stood at the region's latest publication."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.models import PublishedProgramme, RoundStatus, VerifiedScore
from evaluations.services import rounds as round_services
from tests import factories
from tests.reviewer import factories as rf
from tests.security.conftest import world  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.django_db


def _profile(client, world_) -> str:
    url = reverse("public:region", args=[world_.kota_bekasi.slug])
    return client.get(url).content.decode()


def _publish_review_round(world_) -> None:
    manager = world_.users["manager"]
    round_ = world_.review
    VerifiedScore.objects.filter(participation__round=round_).delete()
    for participation in round_.participations.all():
        rf.verify(participation, manager, level=3)
    round_services.round_finalise(round=round_, by=manager)
    round_services.round_publish(round=round_, by=manager, note="Publikasi kedua")


def test_live_edits_wait_for_the_next_publication(client, world):  # noqa: F811
    # Filed after the 2023 publication: not public yet.
    assert "Command Center" not in _profile(client, world)
    _publish_review_round(world)
    assert "Command Center" in _profile(client, world)

    # An operator's edits and additions after it wait for the next publication.
    world.programme.title = "Teks belum ditinjau"
    world.programme.save(update_fields=["title"])
    factories.make_programme(world.kota_bekasi, title="Program baru belum ditinjau")
    html = _profile(client, world)
    assert "Command Center" in html
    assert "belum ditinjau" not in html


def test_a_publication_copies_only_public_fields_of_participants(world):  # noqa: F811
    _publish_review_round(world)
    rows = PublishedProgramme.objects.filter(publication__round=world.review)
    assert {r.region_id for r in rows} <= {world.kota_bekasi.pk, world.kota_bandung.pk}
    row = rows.get(programme=world.programme)
    assert row.title == "Command Center"
    assert not hasattr(row, "budget")


def test_a_reopened_round_falls_back_to_the_previous_publication(client, world):  # noqa: F811
    _publish_review_round(world)
    world.review.status = RoundStatus.REVIEW
    world.review.save(update_fields=["status"])
    assert "Command Center" not in _profile(client, world)


def test_the_copy_names_the_element_and_the_agency_by_acronym_else_name(world):  # noqa: F811
    # register_snapshot copies in one INSERT … SELECT: every copied field must match what
    # the live register shows.
    agency = world.programme.agency or factories.make_agency(world.kota_bekasi, "Dinas Uji")
    agency.acronym = ""
    agency.save()
    world.programme.agency = agency
    world.programme.save()
    other = factories.make_programme(world.kota_bekasi, title="Program tanpa OPD")
    other.agency = None
    other.save()
    _publish_review_round(world)
    rows = PublishedProgramme.objects.filter(publication__round=world.review)
    assert rows.filter(region=world.kota_bekasi).count() == (
        world.kota_bekasi.programmes.filter(archived_at__isnull=True).count()
    )
    row = rows.get(programme=world.programme)
    assert row.agency_label == agency.name
    assert row.element_name == (world.programme.element.name if world.programme.element else "")
    assert (row.dimension_id, row.status, row.is_quick_win, row.start_year) == (
        world.programme.dimension_id,
        world.programme.status,
        world.programme.is_quick_win,
        world.programme.start_year,
    )
    assert rows.get(programme=other).agency_label == ""
    agency.acronym = "DUJ"
    agency.save()
    world.review.refresh_from_db()
    assert PublishedProgramme.objects.get(pk=row.pk).agency_label == agency.name  # frozen copy
