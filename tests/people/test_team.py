"""A coordinator's team page: their own region's operators only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import RegionMembership
from smartcity.people import services
from smartcity.people.models import AuditAction, AuditEntry
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_coordinator_deactivates_an_operator_of_their_region(
    client, bekasi_coordinator, bekasi, kota_bekasi
):
    login(client, bekasi_coordinator)
    page = client.get(reverse("people:team", args=[kota_bekasi.slug]))
    assert page.status_code == 200
    assert "bekasi" in page.content.decode()
    membership = RegionMembership.objects.get(user=bekasi)
    response = client.post(
        reverse("people:team_deactivate", args=[kota_bekasi.slug, membership.pk])
    )
    assert response.status_code == 302
    bekasi.refresh_from_db()
    assert not bekasi.is_active
    assert not RegionMembership.objects.filter(user=bekasi).exists()
    entry = AuditEntry.objects.get(action=AuditAction.DEACTIVATED)
    assert (entry.actor, entry.subject_user, entry.region) == (
        bekasi_coordinator,
        bekasi,
        kota_bekasi,
    )


def test_a_deactivated_operator_can_no_longer_sign_in(client, bekasi, bekasi_coordinator):
    services.operator_deactivate(
        membership=RegionMembership.objects.get(user=bekasi), by=bekasi_coordinator
    )
    response = client.post(reverse("login"), {"username": "bekasi", "password": factories.PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_coordinator_cannot_open_or_act_on_another_regions_team(
    client, bekasi_coordinator, bandung, kota_bandung
):
    login(client, bekasi_coordinator)
    assert client.get(reverse("people:team", args=[kota_bandung.slug])).status_code == 404
    membership = RegionMembership.objects.get(user=bandung)
    response = client.post(
        reverse("people:team_deactivate", args=[kota_bandung.slug, membership.pk])
    )
    assert response.status_code == 404
    bandung.refresh_from_db()
    assert bandung.is_active


def test_the_service_names_the_region_a_coordinator_does_not_run(bekasi_coordinator, bandung):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied) as error:
        services.operator_deactivate(
            membership=RegionMembership.objects.get(user=bandung), by=bekasi_coordinator
        )
    assert "Kota Bandung" in str(error.value)


def test_coordinator_cannot_deactivate_another_coordinator(client, bekasi_coordinator, kota_bekasi):
    other = factories.make_operator(kota_bekasi, "koordinator2", role="coordinator")
    login(client, bekasi_coordinator)
    membership = RegionMembership.objects.get(user=other)
    response = client.post(
        reverse("people:team_deactivate", args=[kota_bekasi.slug, membership.pk]), follow=True
    )
    assert str(services.NOT_AN_OPERATOR) in response.content.decode()
    other.refresh_from_db()
    assert other.is_active


def test_operators_have_no_team_page(client, bekasi, kota_bekasi):
    login(client, bekasi)
    assert client.get(reverse("people:team", args=[kota_bekasi.slug])).status_code == 404


def test_team_page_query_count_does_not_grow_with_members(
    client, bekasi_coordinator, kota_bekasi, django_assert_num_queries
):
    login(client, bekasi_coordinator)
    url = reverse("people:team", args=[kota_bekasi.slug])
    client.get(url)
    with django_assert_num_queries(6) as few:
        client.get(url)
    for n in range(8):
        factories.make_operator(kota_bekasi, f"op{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
