"""The region's field review: schedule, agenda, attendees it confirms, findings once published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.models import Attendee, AttendeeSide, RoundStatus
from tests.city import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(bekasi_part):
    review = cf.make_field_review(bekasi_part, location="Mall Pelayanan Publik Kota Bekasi")
    cf.add_agenda(review, 2)
    cf.add_findings(review, 3, text="Perluas integrasi data")
    cf.add_attendee(review, "Prof. Penilai", side=AttendeeSide.REVIEWER)
    return review


def _url(name, region, round_, *args):
    return reverse(f"city:{name}", args=[region.slug, round_.slug, *args])


def test_schedule_and_agenda_are_shown_but_findings_wait_for_publication(
    bekasi_client, kota_bekasi, open_round, review
):
    page = bekasi_client.get(_url("field_review", kota_bekasi, open_round)).content.decode()
    assert "Mall Pelayanan Publik Kota Bekasi" in page
    assert "Luring" in page
    assert "Pemaparan 0" in page
    assert "Pemaparan 1" in page
    assert "Perluas integrasi data" not in page
    assert "setelah hasil putaran ini dipublikasikan" in page


def test_findings_and_recommendations_appear_after_publication(
    bekasi_client, kota_bekasi, open_round, review
):
    # Published and public (a re-opened round keeps is_public while under correction).
    open_round.status, open_round.is_public = RoundStatus.PUBLISHED, True
    open_round.save()
    page = bekasi_client.get(_url("field_review", kota_bekasi, open_round)).content.decode()
    assert "Perluas integrasi data 0" in page
    assert "Rekomendasi" in page


def test_the_region_adds_removes_and_confirms_its_attendees(
    bekasi_client, bekasi, kota_bekasi, open_round, review
):
    add = _url("attendee_add", kota_bekasi, open_round)
    bekasi_client.post(add, {"name": "Sekda Kota Bekasi", "position": "Sekretaris Daerah"})
    # A posted side or field review is ignored: the row is the region's, on this review.
    bekasi_client.post(add, {"name": "Kadis Kominfo", "side": "reviewer", "field_review": 999})
    mine = Attendee.objects.filter(field_review=review, side=AttendeeSide.REGION)
    assert sorted(mine.values_list("name", flat=True)) == ["Kadis Kominfo", "Sekda Kota Bekasi"]
    kadis = mine.get(name="Kadis Kominfo")
    bekasi_client.post(_url("attendee_remove", kota_bekasi, open_round, kadis.pk))
    assert list(mine.values_list("name", flat=True)) == ["Sekda Kota Bekasi"]

    bekasi_client.post(_url("attendees_confirm", kota_bekasi, open_round))
    review.refresh_from_db()
    assert review.attendees_confirmed_by == bekasi
    response = bekasi_client.post(add, {"name": "Terlambat"}, follow=True)
    assert "sudah dikonfirmasi" in response.content.decode()
    assert not Attendee.objects.filter(name="Terlambat").exists()


def test_reviewer_side_attendees_cannot_be_removed_by_the_region(
    bekasi_client, kota_bekasi, open_round, review
):
    reviewer_row = Attendee.objects.get(side=AttendeeSide.REVIEWER)
    response = bekasi_client.post(_url("attendee_remove", kota_bekasi, open_round, reviewer_row.pk))
    assert response.status_code == 404
    assert Attendee.objects.filter(pk=reviewer_row.pk).exists()


def test_confirming_an_empty_list_is_refused(bekasi_client, kota_bekasi, open_round, review):
    response = bekasi_client.post(_url("attendees_confirm", kota_bekasi, open_round), follow=True)
    assert "paling sedikit satu peserta" in response.content.decode()
    review.refresh_from_db()
    assert review.attendees_confirmed_at is None


def test_htmx_add_returns_only_the_attendance_fragment(
    bekasi_client, kota_bekasi, open_round, review
):
    response = bekasi_client.post(
        _url("attendee_add", kota_bekasi, open_round),
        {"name": "Kabag Protokol"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="attendance"')
    assert "Kabag Protokol" in page
    assert "<html" not in page


def test_field_review_list(bekasi_client, kota_bekasi, review, open_round):
    page = bekasi_client.get(reverse("city:field_review_list", args=[kota_bekasi.slug]))
    assert open_round.name in page.content.decode()
