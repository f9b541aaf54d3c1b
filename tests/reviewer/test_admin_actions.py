"""Managers drive rounds from the admin too, by the same rules as the manager pages."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.urls import reverse

from evaluations.models import (
    Participation,
    ReviewerAssignment,
    Round,
    RoundEvent,
    RoundStatus,
)
from evaluations.models.rounds import PARTICIPANTS_FIXED
from evaluations.services import rounds as svc
from regions.models import RegionMembership
from tests import factories
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db

CHANGELIST = reverse(admin_urlname(Round._meta, "changelist"))  # type: ignore[arg-type]  # any str


def act(client, action: str, *rounds: Round, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [r.pk for r in rounds], **extra}
    return client.post(CHANGELIST, data, follow=True)


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_lifecycle_actions_move_the_selected_rounds(client, manager, kota_bekasi, kota_bandung):
    first = rf.make_review_round([kota_bekasi], status=RoundStatus.DRAFT, year=2024)
    second = rf.make_review_round([kota_bandung], status=RoundStatus.DRAFT, year=2025)
    empty = factories.make_round(instrument=first.instrument, year=2026)
    login(client, manager)

    response = act(client, "open_self_assessment", first, second, empty)
    assert f"{first.name}: penilaian mandiri dibuka." in texts(response)
    assert f"{empty.name}: {svc.ROUND_HAS_NO_PARTICIPANTS}" in texts(response)
    assert list(Round.objects.order_by("year").values_list("status", flat=True)) == [
        "self_assessment",
        "self_assessment",
        "draft",
    ]
    act(client, "start_review", first)
    response = act(client, "finalise", first)
    assert any("Belum lengkap: Kota Bekasi" in m for m in texts(response))
    rf.verify(first.participations.get(), manager, level=3)
    act(client, "finalise", first)
    act(client, "publish", first)
    first.refresh_from_db()
    assert first.status == RoundStatus.PUBLISHED
    assert first.publications.count() == 1
    assert list(first.events.values_list("to_status", flat=True)) == [
        "self_assessment",
        "review",
        "finalised",
        "published",
    ]


def test_reopen_asks_for_the_reason_first(client, manager, kota_bekasi):
    round_ = rf.make_review_round([kota_bekasi])
    rf.verify(round_.participations.get(), manager)
    svc.round_finalise(round=round_, by=manager)
    login(client, manager)

    page = act(client, "reopen", round_)
    assert page.status_code == 200
    assert "Alasan membuka kembali" in page.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINALISED

    act(client, "reopen", round_, confirm="1", reason="")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINALISED  # the page comes back, nothing moved

    response = act(client, "reopen", round_, confirm="1", reason="Koreksi data Kota Bekasi")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEW
    assert RoundEvent.objects.get(to_status="review").reason == "Koreksi data Kota Bekasi"
    assert f"{round_.name}: dibuka kembali untuk penilaian." in texts(response)


def test_manage_participants_leads_to_the_manager_page(client, manager, kota_bekasi):
    round_ = rf.make_review_round([kota_bekasi], status=RoundStatus.DRAFT)
    login(client, manager)
    response = client.post(
        CHANGELIST,
        {"action": "manage_participants", helpers.ACTION_CHECKBOX_NAME: [round_.pk]},
    )
    assert response["Location"] == reverse("reviewer:round", args=[round_.slug])


def test_the_admin_cannot_seat_a_member_of_the_region(client, manager, kota_bekasi):
    round_ = rf.make_review_round([kota_bekasi], status=RoundStatus.DRAFT)
    participation = round_.participations.get()
    insider = factories.make_reviewer("insider")
    RegionMembership.objects.create(user=insider, region=kota_bekasi)
    login(client, manager)
    url = reverse(admin_urlname(ReviewerAssignment._meta, "add"))  # type: ignore[arg-type]  # any str
    response = client.post(url, {"participation": participation.pk, "reviewer": insider.pk})
    assert response.status_code == 200
    assert "tidak boleh menilai wilayahnya sendiri" in response.content.decode()
    assert not ReviewerAssignment.objects.exists()


def test_the_admin_cannot_add_a_participant_to_an_opened_round(client, manager, kota_bekasi):
    round_ = factories.make_round(status=RoundStatus.SELF_ASSESSMENT)
    login(client, manager)
    url = reverse(admin_urlname(Participation._meta, "add"))  # type: ignore[arg-type]  # any str
    page = client.get(url)
    management = {}
    for inline in page.context["inline_admin_formsets"]:
        form = inline.formset.management_form
        management.update({f"{form.prefix}-{k}": v for k, v in form.initial.items()})
    response = client.post(
        url,
        {
            **management,
            "round": round_.pk,
            "region": kota_bekasi.pk,
            "self_assessment_status": "not_started",
        },
    )
    assert response.status_code == 200
    assert str(PARTICIPANTS_FIXED) in response.content.decode()
    assert not Participation.objects.exists()


def test_reviewers_cannot_run_lifecycle_actions(client, reviewer, kota_bekasi):
    round_ = rf.make_review_round([kota_bekasi], status=RoundStatus.DRAFT)
    login(client, reviewer)
    response = client.post(
        CHANGELIST,
        {"action": "open_self_assessment", helpers.ACTION_CHECKBOX_NAME: [round_.pk]},
    )
    assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT
