# ruff: noqa: F811 - ``world`` is the shared fixture imported below
"""Every rule of the rights querysets (``evaluations.rights``, ``regions.models``), each
with the row it must let through and the row it must hold back, so that a rule dropped or
loosened fails a test (the mutation survivors of issue 9 among them: the draft-round
exclusion of the city workspace and the round filter of the manager's participant page).

The cast is the security world's: ``bekasi`` (operator of Kota Bekasi), ``bandung``
(operator of Kota Bandung), ``reviewer`` (lead of Bekasi's 2024 panel), ``outsider`` (a
reviewer on no panel), ``manager``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from evaluations import rights
from evaluations.models import (
    Attendee,
    AttendeeSide,
    Evidence,
    FieldReview,
    Finding,
    Participation,
    Programme,
    Result,
    Round,
    RoundStatus,
)
from regions.models import Agency, Region
from tests import factories
from tests.city import factories as cf
from tests.conftest import login
from tests.security.conftest import world  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.django_db


def _pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def _deactivate(user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.__dict__.pop("_smartcity_groups", None)


@pytest.fixture
def draft(world):
    """A 2025 round still in draft, with Kota Bekasi already among its participants."""
    round_ = factories.make_round(instrument=world.instrument, year=2025, status="draft")
    participation = factories.make_participation(round_, world.kota_bekasi)
    return participation


# --- The city workspace ----------


def test_a_region_workspace_is_its_own_members_with_an_active_account(world):
    bekasi = world.users["bekasi"]
    assert _pks(Region.objects.workspaces_of(bekasi)) == {world.kota_bekasi.pk}
    assert _pks(Region.objects.workspaces_of(world.users["bandung"])) == {world.kota_bandung.pk}
    assert not Region.objects.workspaces_of(world.users["manager"]).exists()
    assert not Region.objects.workspaces_of(AnonymousUser()).exists()
    _deactivate(bekasi)
    assert not Region.objects.workspaces_of(bekasi).exists()


def test_a_deactivated_operator_loses_every_workspace_right(world):
    bekasi = world.users["bekasi"]
    _deactivate(bekasi)
    assert not Participation.objects.in_workspace_of(bekasi).exists()
    assert not Evidence.objects.downloadable_by(bekasi).exists()
    assert not Programme.objects.editable_by(bekasi).exists()
    assert not Result.objects.in_workspace_of(bekasi).exists()
    assert not Result.objects.visible_to(bekasi).exists()
    assert not Agency.objects.in_workspace_of(bekasi).exists()
    assert not Attendee.objects.editable_by(bekasi).exists()
    assert not Finding.objects.in_workspace_of(bekasi).exists()


def test_the_city_workspace_shows_no_draft_round(world, draft, client):
    bekasi = world.users["bekasi"]
    assert _pks(Participation.objects.in_workspace_of(bekasi)) == {
        world.published_bekasi.pk,
        world.review_bekasi.pk,
    }
    cf.make_field_review(draft)
    assert draft.field_review.pk not in _pks(FieldReview.objects.in_workspace_of(bekasi))
    # Through the pages: the draft round is neither listed nor reachable by its slug.
    login(client, bekasi)
    slug = world.kota_bekasi.slug
    dashboard = client.get(reverse("city:dashboard", args=[slug])).content.decode()
    assert draft.round.name not in dashboard
    assert world.review.name in dashboard
    url = reverse("city:self_assessment", args=[slug, draft.round.slug])
    assert client.get(url).status_code == 404
    url = reverse("city:field_review", args=[slug, draft.round.slug])
    assert client.get(url).status_code == 404


def test_an_operator_sees_only_their_own_regions_participations(world):
    assert _pks(Participation.objects.in_workspace_of(world.users["bandung"])) == {
        world.published.participations.get(region=world.kota_bandung).pk,
        world.review_bandung.pk,
    }


def test_an_operator_changes_only_their_own_regions_rows(world):
    bekasi, bandung = world.users["bekasi"], world.users["bandung"]
    assert _pks(Programme.objects.editable_by(bekasi)) == {world.programme.pk}
    assert not Programme.objects.editable_by(bandung).exists()
    assert _pks(Agency.objects.in_workspace_of(bekasi)) == {world.agency.pk}
    assert not Agency.objects.in_workspace_of(bandung).exists()
    assert _pks(Evidence.objects.downloadable_by(bekasi)) >= {world.evidence.pk}
    assert world.evidence.pk not in _pks(Evidence.objects.downloadable_by(bandung))


def test_a_region_edits_only_its_own_side_of_the_attendance(world):
    bekasi = world.users["bekasi"]
    theirs = Attendee.objects.create(
        field_review=world.field_review, name="Ketua panel", side=AttendeeSide.REVIEWER
    )
    assert _pks(Attendee.objects.editable_by(bekasi)) == {world.attendee.pk}
    assert theirs.pk not in _pks(Attendee.objects.editable_by(bekasi))
    assert not Attendee.objects.editable_by(world.users["bandung"]).exists()


def test_a_region_reads_its_results_and_findings_only_once_published(world):
    bekasi = world.users["bekasi"]
    published = Result.objects.get(participation=world.published_bekasi)
    assert _pks(Result.objects.in_workspace_of(bekasi)) == {published.pk}
    assert _pks(Result.objects.visible_to(bekasi)) == {published.pk}
    assert not Result.objects.in_workspace_of(world.users["bandung"]).filter(
        participation__region=world.kota_bekasi
    )
    findings = _pks(Finding.objects.in_workspace_of(bekasi))
    assert findings == _pks(world.published_bekasi.field_review.findings.all())
    assert not findings & _pks(world.field_review.findings.all())  # 2024: under review
    assert not Finding.objects.in_workspace_of(world.users["bandung"]).exists()


# --- Reviewers and managers ----------


def test_a_reviewer_reviews_only_the_participations_of_their_panels(world):
    reviewer, outsider = world.users["reviewer"], world.users["outsider"]
    assert _pks(Participation.objects.reviewable_by(reviewer)) == {world.review_bekasi.pk}
    assert _pks(Participation.objects.on_panel_of(reviewer)) == {world.review_bekasi.pk}
    assert not Participation.objects.reviewable_by(outsider).exists()
    assert not Participation.objects.reviewable_by(world.users["bekasi"]).exists()
    assert not Participation.objects.on_panel_of(world.users["bekasi"]).exists()
    assert Participation.objects.reviewable_by(world.users["manager"]).count() == 4
    # A manager's "my assignments" are their own seats only.
    assert not Participation.objects.on_panel_of(world.users["manager"]).exists()
    _deactivate(reviewer)
    assert not Participation.objects.reviewable_by(reviewer).exists()


def test_a_reviewer_reads_the_results_of_their_panels_only(world):
    reviewer = world.users["reviewer"]
    bandung_2023 = Result.objects.get(
        participation__round=world.published, participation__region=world.kota_bandung
    )
    assert not Result.objects.visible_to(reviewer).exists()  # no seat in 2023 yet
    factories.assign(world.published_bekasi, reviewer)
    bekasi_2023 = Result.objects.get(participation=world.published_bekasi)
    assert _pks(Result.objects.visible_to(reviewer)) == {bekasi_2023.pk}
    assert bandung_2023.pk not in _pks(Result.objects.visible_to(reviewer))
    assert not Result.objects.visible_to(world.users["outsider"]).exists()
    assert Result.objects.visible_to(world.users["manager"]).count() == 2


def test_only_managers_manage_rounds(world):
    assert _pks(Round.objects.managed_by(world.users["manager"])) == {
        world.published.pk,
        world.review.pk,
    }
    for who in ("reviewer", "outsider", "bekasi"):
        assert not Round.objects.managed_by(world.users[who]).exists(), who
    assert not Round.objects.managed_by(AnonymousUser()).exists()


def test_a_reviewers_rounds_are_those_with_one_of_their_seats(world):
    assert _pks(Round.objects.with_seat_of(world.users["reviewer"])) == {world.review.pk}
    assert not Round.objects.with_seat_of(world.users["outsider"]).exists()


def test_the_managers_participant_page_belongs_to_its_round(world, client):
    manager = world.users["manager"]
    assert _pks(Participation.objects.managed_in(manager, world.review)) == {
        world.review_bekasi.pk,
        world.review_bandung.pk,
    }
    assert not Participation.objects.managed_in(world.users["reviewer"], world.review).exists()
    login(client, manager)
    own = reverse("reviewer:participant", args=[world.review.slug, world.review_bekasi.pk])
    assert client.get(own).status_code == 200
    # Another round's participation under this round's URL: 404, not its page.
    other = reverse("reviewer:participant", args=[world.review.slug, world.published_bekasi.pk])
    assert client.get(other).status_code == 404


# --- Evidence through a seat ----------


def test_a_seat_opens_its_answers_evidence_and_the_register_while_under_way(world):
    reviewer = world.users["reviewer"]
    answered = set(
        Evidence.objects.filter(answers__participation=world.review_bekasi).values_list(
            "pk", flat=True
        )
    )
    assert answered
    assert _pks(Evidence.objects.downloadable_by(reviewer)) == answered | {world.evidence.pk}
    assert _pks(Evidence.objects.reviewable_by(reviewer, world.review_bekasi)) == answered | {
        world.evidence.pk
    }
    # Through another participation (no seat there): nothing.
    assert not Evidence.objects.reviewable_by(reviewer, world.review_bandung).exists()
    assert not Evidence.objects.downloadable_by(world.users["outsider"]).exists()
    # Once the round is published, the register is closed to the seat; the answers stay.
    world.review.status = RoundStatus.PUBLISHED
    world.review.save(update_fields=["status"])
    assert _pks(Evidence.objects.downloadable_by(reviewer)) == answered
    assert _pks(Evidence.objects.reviewable_by(reviewer, world.review_bekasi)) == answered


def test_a_manager_opens_every_evidence_of_the_region_under_review(world):
    manager = world.users["manager"]
    other_region = cf.make_file_evidence(world.kota_bandung, "lain.pdf")
    everything = _pks(Evidence.objects.all())
    assert _pks(Evidence.objects.downloadable_by(manager)) == everything
    reviewable = _pks(Evidence.objects.reviewable_by(manager, world.review_bekasi))
    assert world.evidence.pk in reviewable
    assert other_region.pk not in reviewable  # the participation's region only


# --- The public ----------


def test_the_public_reads_published_rounds_results_and_findings_only(world):
    assert _pks(Round.objects.published()) == {world.published.pk}
    assert _pks(Round.objects.published_once()) == {world.published.pk}
    assert _pks(Result.objects.published()) == _pks(
        Result.objects.filter(participation__round=world.published)
    )
    assert _pks(Finding.objects.published()) == _pks(
        world.published_bekasi.field_review.findings.all()
    )
    # A withdrawn round leaves the published ones but keeps its list of revisions.
    Round.objects.filter(pk=world.published.pk).update(is_public=False)
    assert not Round.objects.published().exists()
    assert not Result.objects.published().exists()
    assert not Finding.objects.published().exists()
    assert _pks(Round.objects.published_once()) == {world.published.pk}


def test_the_rights_name_round_statuses_and_sides_as_the_models_do():
    """The rights module cannot import the models; its status codes must stay theirs."""
    assert rights.DRAFT == RoundStatus.DRAFT
    assert set(rights.SEAT_ACTIVE_STATUSES) == {
        RoundStatus.SELF_ASSESSMENT,
        RoundStatus.REVIEW,
        RoundStatus.FINALISED,
    }
    assert rights.REGION_SIDE == AttendeeSide.REGION


def test_evidence_opens_through_the_seat_on_this_participation_only(world):
    """A reviewer with seats in 2023 and 2024 opens the 2023 answers' evidence under the
    2023 participation, never under the 2024 one (the URL names the participation)."""
    reviewer = world.users["reviewer"]
    factories.assign(world.published_bekasi, reviewer)
    old = cf.make_file_evidence(world.kota_bekasi, "laporan-2023.pdf")
    cf.make_answer(world.published_bekasi, world.indicator).evidence.add(old)
    assert old.pk in _pks(Evidence.objects.reviewable_by(reviewer, world.published_bekasi))
    assert old.pk not in _pks(Evidence.objects.reviewable_by(reviewer, world.review_bekasi))
