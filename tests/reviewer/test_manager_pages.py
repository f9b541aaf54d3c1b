"""Managers drive a round from its pages: lifecycle buttons, participants, panels, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.models import Participation, RoundEvent, RoundStatus, VerifiedScore
from evaluations.services import review
from evaluations.services import rounds as round_svc
from regions.models import Cohort, CohortMembership, RegionMembership
from tests import factories
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


def step(client, round_, action, **data):
    return client.post(reverse("reviewer:round_step", args=[round_.slug, action]), data)


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_lifecycle_buttons_move_the_round_and_report_refusals(client, manager, scenario):
    round_ = scenario.round
    login(client, manager)
    # Under review, Kota Bandung has no verified level: finalising is refused, with why.
    response = step(client, round_, "finalise")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert any("Belum lengkap: Kota Bandung, Kota Bekasi" in m for m in page_messages(response))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEW

    rf.verify(scenario.bekasi, manager, level=4)
    client.post(
        reverse("reviewer:participant_action", args=[round_.slug, scenario.bandung.pk, "exclude"]),
        {"reason": "Tidak mengirim penilaian mandiri"},
    )
    step(client, round_, "finalise")
    step(client, round_, "publish", note="Pengumuman")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    assert round_.publications.get().note == "Pengumuman"

    response = client.get(reverse("reviewer:round", args=[round_.slug]))
    assert "Buka kembali untuk penilaian" in response.content.decode()
    step(client, round_, "reopen", reason="")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED  # no reason, no re-opening
    step(client, round_, "reopen", reason="Banding Kota Bekasi diterima")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEW
    assert RoundEvent.objects.filter(reason="Banding Kota Bekasi diterima").exists()


def test_unknown_steps_are_404(client, manager, scenario):
    login(client, manager)
    url = f"/review/rounds/{scenario.round.slug}/step/delete/"
    assert client.post(url).status_code == 404


def test_participants_are_added_by_cohort_province_or_one_by_one(client, manager, jawa_barat):
    jatim = factories.make_province("35", "Jawa Timur")
    cohort = Cohort.objects.create(year=2017, name="Angkatan 2017")
    bekasi = factories.make_region("32.75", "Kota Bekasi", province=jawa_barat)
    bandung = factories.make_region("32.73", "Kota Bandung", province=jawa_barat)
    banyuwangi = factories.make_region("35.10", "Kab. Banyuwangi", province=jatim, kind="kabupaten")
    surabaya = factories.make_region("35.78", "Kota Surabaya", province=jatim)
    outside = factories.make_region("32.72", "Kota Sukabumi", province=jawa_barat)  # no cohort
    for region in (bekasi, banyuwangi):
        CohortMembership.objects.create(cohort=cohort, region=region)
    later = Cohort.objects.create(year=2018, name="Angkatan 2018")
    CohortMembership.objects.create(cohort=later, region=bandung)
    round_ = factories.make_round()
    login(client, manager)
    url = reverse("reviewer:participants_add", args=[round_.slug])

    client.post(url, {"cohort": cohort.pk})
    assert set(round_.participations.values_list("region__name", flat=True)) == {
        "Kota Bekasi",
        "Kab. Banyuwangi",
    }
    # Province: the movement's members there (Bandung), not Sukabumi which never joined.
    client.post(url, {"province": jawa_barat.pk})
    assert round_.participations.filter(region=bandung).exists()
    assert not round_.participations.filter(region=outside).exists()
    # One by one: anyone, member or not.
    response = client.post(url, {"regions": [surabaya.pk, outside.pk, bekasi.pk]})
    messages = page_messages(client.get(response["Location"]))
    assert "2 peserta ditambahkan, 1 sudah terdaftar." in messages
    assert round_.participations.count() == 5
    # Nothing chosen: an error, no 500.
    response = client.post(url, {})
    assert response.status_code == 302
    assert "Pilih angkatan" in page_messages(client.get(response["Location"]))[0]


def test_panel_assignment_page_refuses_a_member_of_the_region(
    client, manager, scenario, kota_bekasi
):
    insider = factories.make_reviewer("insider")
    RegionMembership.objects.create(user=insider, region=kota_bekasi)
    login(client, manager)
    url = reverse("reviewer:participant", args=[scenario.round.slug, scenario.bekasi.pk])
    response = client.post(url, {"reviewer": insider.pk, "lead": "on"})
    assert response.status_code == 400
    assert "tidak boleh menilai wilayahnya sendiri" in response.content.decode()
    assert not scenario.bekasi.panel.filter(reviewer=insider).exists()

    response = client.post(url, {"reviewer": insider.pk})
    assert response.status_code == 400
    # A city operator is not even offered (not a reviewer): an invalid choice.
    operator = factories.make_operator(kota_bekasi, "op2")
    response = client.post(url, {"reviewer": operator.pk})
    assert response.status_code == 400
    assert scenario.bekasi.panel.count() == 1


def test_a_new_lead_replaces_the_old_one_and_seats_can_be_removed(
    client, manager, scenario, reviewer
):
    other = factories.make_reviewer("second")
    login(client, manager)
    url = reverse("reviewer:participant", args=[scenario.round.slug, scenario.bekasi.pk])
    assert client.post(url, {"reviewer": other.pk, "lead": "on"}).status_code == 302
    assert list(
        scenario.bekasi.panel.order_by("reviewer__username").values_list(
            "reviewer__username", "is_lead"
        )
    ) == [("reviewer", False), ("second", True)]
    seat = scenario.bekasi.panel.get(reviewer=reviewer)
    client.post(
        reverse("reviewer:panel_remove", args=[scenario.round.slug, scenario.bekasi.pk, seat.pk])
    )
    assert list(scenario.bekasi.panel.values_list("reviewer__username", flat=True)) == ["second"]


def test_a_draft_participant_can_be_removed(client, manager, kota_bekasi):
    round_ = rf.make_review_round([kota_bekasi], status=RoundStatus.DRAFT)
    p = round_.participations.get()
    login(client, manager)
    client.post(reverse("reviewer:participant_action", args=[round_.slug, p.pk, "remove"]))
    assert not Participation.objects.exists()


def test_history_shows_who_changed_what_and_when(client, manager, scenario, reviewer):
    bekasi = scenario.bekasi
    indicator = scenario.indicators[0]
    review.score_save(participation=bekasi, indicator=indicator, reviewer=reviewer, level=3)
    review.score_save(participation=bekasi, indicator=indicator, reviewer=reviewer, level=4)
    rf.verify(bekasi, manager, level=3)
    round_svc.participation_exclude(participation=scenario.bandung, by=manager, reason="Mundur")
    round_svc.round_finalise(round=scenario.round, by=manager)
    round_svc.round_publish(round=scenario.round, by=manager)
    round_svc.round_reopen(round=scenario.round, by=manager, reason="Banding Kota Bekasi")
    review.verified_level_set(participation=bekasi, indicator=indicator, level=5, by=reviewer)
    round_svc.round_finalise(round=scenario.round, by=manager)
    round_svc.round_publish(round=scenario.round, by=manager)

    login(client, manager)
    response = client.get(reverse("reviewer:history", args=[scenario.round.slug]))
    page = response.context["page"]
    lines = [(c.user.username if c.user else None, c.kind, c.subject, c.change) for c in page]
    assert ("reviewer", "Nilai penilai", "Kota Bekasi · BL-01 · reviewer", "level: 3 → 4") in lines
    assert ("reviewer", "Level terverifikasi", "Kota Bekasi · BL-01", "level: 3 → 5") in lines
    assert (
        "manager",
        "Hasil",
        "Kota Bekasi",
        "index: 3.00 → 3.10",
    ) in lines
    assert (
        "manager",
        "Status putaran",
        scenario.round.name,
        "Dipublikasikan → Dalam penilaian",
    ) in [line[:4] for line in lines]
    body = response.content.decode()
    assert "Banding Kota Bekasi" in body
    # The second publication shows which published figures moved.
    assert "Publikasi #1 → #2" in body
    assert "index 3.00 → 3.10" in body

    # Filter by region: Kota Bandung's exclusion only.
    response = client.get(
        reverse("reviewer:history", args=[scenario.round.slug]), {"region": "32.73"}
    )
    kinds = {c.kind for c in response.context["page"]}
    assert kinds == {"Peserta"}
    assert VerifiedScore.history.filter(history_user=reviewer).exists()
