"""Invitations: a manager invites reviewers and coordinators, a coordinator invites the
operators of their own region; links are one-time and expire; resend and revoke."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations.roles import is_reviewer
from regions.models import MembershipRole, RegionMembership
from smartcity.people import services
from smartcity.people.models import AuditAction, AuditEntry, Invitation, InvitationStatus
from tests.conftest import login
from tests.people.conftest import invitation_token

pytestmark = pytest.mark.django_db

PASSWORD = "Kota-Cerdas-2026!"


def _invite(by, django_capture_on_commit_callbacks, **kwargs):
    data = {"email": "ani@kominfo.go.id", "full_name": "Ani Lestari", "role": "reviewer"} | kwargs
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitation_create(by=by, **data)


def test_manager_invites_a_reviewer_who_accepts_and_becomes_one(
    client, manager, django_capture_on_commit_callbacks
):
    invitation = _invite(manager, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ani@kominfo.go.id"]
    assert "Undangan" in message.subject
    token = invitation_token(message)
    assert invitation.status == InvitationStatus.PENDING

    page = client.get(reverse("people:accept", args=[token]))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"  # the link's secret never leaves the site
    response = client.post(
        reverse("people:accept", args=[token]), {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="ani@kominfo.go.id")
    assert user.username == "ani@kominfo.go.id"
    assert user.check_password(PASSWORD)
    assert is_reviewer(user)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_user == user
    # A reviewer must enrol a second factor before anything else.
    follow = client.get(reverse("reviewer:assignments"))
    assert follow.status_code == 302
    assert follow["Location"].startswith(reverse("people:two_factor_verify"))


def test_the_link_works_once(client, manager, django_capture_on_commit_callbacks):
    _invite(manager, django_capture_on_commit_callbacks)
    token = invitation_token(mail.outbox[0])
    url = reverse("people:accept", args=[token])
    client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert str(services.LINK_USED) in again.content.decode()
    post = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert post.status_code == 410
    assert User.objects.filter(email="ani@kominfo.go.id").count() == 1


def test_an_expired_link_says_so_and_creates_nothing(
    client, manager, django_capture_on_commit_callbacks
):
    invitation = _invite(manager, django_capture_on_commit_callbacks)
    token = invitation_token(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(
        reverse("people:accept", args=[token]), {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410
    assert str(services.LINK_EXPIRED) in response.content.decode()
    assert not User.objects.filter(email="ani@kominfo.go.id").exists()
    assert Invitation.objects.with_status(InvitationStatus.EXPIRED).get() == invitation


def test_an_unknown_or_revoked_link_is_refused(client, manager, django_capture_on_commit_callbacks):
    invitation = _invite(manager, django_capture_on_commit_callbacks)
    token = invitation_token(mail.outbox[0])
    assert client.get(reverse("people:accept", args=["not-a-token"])).status_code == 410
    services.invitation_revoke(invitation=invitation, by=manager)
    response = client.get(reverse("people:accept", args=[token]))
    assert response.status_code == 410
    # The revoke rotates the stored hash: the old link is simply unknown now.
    assert str(services.LINK_UNKNOWN) in response.content.decode()
    assert invitation.__class__.objects.get().status == InvitationStatus.REVOKED


def test_resend_replaces_the_link_and_renews_the_expiry(
    client, manager, django_capture_on_commit_callbacks
):
    invitation = _invite(manager, django_capture_on_commit_callbacks)
    old = invitation_token(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    login(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new = invitation_token(mail.outbox[1])
    assert new != old
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.send_count == 2
    client.logout()
    assert client.get(reverse("people:accept", args=[old])).status_code == 410
    assert client.get(reverse("people:accept", args=[new])).status_code == 200


def test_a_retried_invitation_job_sends_once(manager, django_capture_on_commit_callbacks):
    from smartcity.people.tasks import send_invitation_email

    invitation = _invite(manager, django_capture_on_commit_callbacks)
    assert send_invitation_email.call(invitation.pk, 1) is False
    assert len(mail.outbox) == 1


def test_an_address_in_use_is_refused(manager, bekasi, django_capture_on_commit_callbacks):
    bekasi.email = "Ani@Kominfo.go.id"
    bekasi.save()
    with pytest.raises(ValidationError) as error:
        _invite(manager, django_capture_on_commit_callbacks)
    assert error.value.code == "email_in_use"
    assert not mail.outbox


def test_a_second_open_invitation_to_one_address_is_refused(
    manager, django_capture_on_commit_callbacks
):
    _invite(manager, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:
        _invite(manager, django_capture_on_commit_callbacks, email="ANI@kominfo.go.id")
    assert error.value.code == "invitation_open"


def test_invite_form_shows_the_address_in_use_error(client, manager, bekasi):
    bekasi.email = "ani@kominfo.go.id"
    bekasi.save()
    login(client, manager)
    response = client.post(
        reverse("people:invitation_create"),
        {
            "full_name": "Ani",
            "email": "ani@kominfo.go.id",
            "role": "reviewer",
            "language": "id",
        },
    )
    assert response.status_code == 200
    assert "sudah dipakai oleh akun lain" in response.content.decode()
    assert not Invitation.objects.exists()


def test_manager_invites_a_coordinator_of_a_region(
    client, manager, kota_bekasi, django_capture_on_commit_callbacks
):
    invitation = _invite(
        manager,
        django_capture_on_commit_callbacks,
        email="budi@bekasikota.go.id",
        role="coordinator",
        region=kota_bekasi,
    )
    token = invitation_token(mail.outbox[0])
    client.post(
        reverse("people:accept", args=[token]), {"password1": PASSWORD, "password2": PASSWORD}
    )
    membership = RegionMembership.objects.get(user__email="budi@bekasikota.go.id")
    assert membership.region == kota_bekasi
    assert membership.role == MembershipRole.COORDINATOR
    assert invitation.region == kota_bekasi
    # City staff have no second factor to enrol: they land in their workspace.
    response = client.get(reverse("dashboard"))
    assert response["Location"] == reverse("city:dashboard", args=[kota_bekasi.slug])


def test_coordinator_invites_operators_of_their_own_region_only(
    bekasi_coordinator, kota_bekasi, kota_bandung, django_capture_on_commit_callbacks
):
    own = _invite(
        bekasi_coordinator,
        django_capture_on_commit_callbacks,
        email="op@bekasikota.go.id",
        role="operator",
        region=kota_bekasi,
    )
    assert own.region == kota_bekasi
    with pytest.raises(PermissionDenied) as error:
        _invite(
            bekasi_coordinator,
            django_capture_on_commit_callbacks,
            email="op@bandung.go.id",
            role="operator",
            region=kota_bandung,
        )
    assert "Kota Bandung" in str(error.value)
    with pytest.raises(ValidationError):
        _invite(bekasi_coordinator, django_capture_on_commit_callbacks, role="reviewer")


def test_coordinator_form_names_the_other_region_error(client, bekasi_coordinator, kota_bandung):
    login(client, bekasi_coordinator)
    response = client.post(
        reverse("people:invitation_create"),
        {
            "full_name": "Op",
            "email": "op@bandung.go.id",
            "role": "operator",
            "region": kota_bandung.pk,
            "language": "id",
        },
    )
    # Kota Bandung is not among the coordinator's choices: the form refuses it.
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_coordinator_cannot_resend_or_revoke_another_regions_invitation(
    client, manager, bandung_coordinator, kota_bekasi, django_capture_on_commit_callbacks
):
    invitation = _invite(
        manager,
        django_capture_on_commit_callbacks,
        email="op@bekasikota.go.id",
        role="operator",
        region=kota_bekasi,
    )
    login(client, bandung_coordinator)
    assert client.post(reverse("people:invitation_resend", args=[invitation.pk])).status_code == 404
    assert client.post(reverse("people:invitation_revoke", args=[invitation.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(invitation=invitation, by=bandung_coordinator)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_operators_and_reviewers_cannot_invite(client, bekasi, reviewer):
    for user in (bekasi, reviewer):
        login(client, user)
        assert client.get(reverse("people:invitations")).status_code == 403
        assert client.get(reverse("people:invitation_create")).status_code == 403


def test_accept_refuses_a_weak_or_mismatched_password(
    client, manager, django_capture_on_commit_callbacks
):
    _invite(manager, django_capture_on_commit_callbacks)
    url = reverse("people:accept", args=[invitation_token(mail.outbox[0])])
    weak = client.post(url, {"password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200
    assert "is-invalid" in weak.content.decode()
    mismatch = client.post(url, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert mismatch.status_code == 200
    assert not User.objects.filter(email="ani@kominfo.go.id").exists()


def test_list_shows_each_status_and_is_audited(
    client, manager, kota_bekasi, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for n in range(6):
        _invite(manager, django_capture_on_commit_callbacks, email=f"r{n}@kominfo.go.id")
    invitations = list(Invitation.objects.order_by("pk"))
    services.invitation_revoke(invitation=invitations[0], by=manager)
    Invitation.objects.filter(pk=invitations[1].pk).update(expires_at=timezone.now())
    Invitation.objects.filter(pk=invitations[2].pk).update(accepted_at=timezone.now())
    login(client, manager)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("people:invitations"))
    html = page.content.decode()
    for email in (f"r{n}@kominfo.go.id" for n in range(6)):
        assert email in html
    assert page.context["counts"] == {"accepted": 1, "revoked": 1, "expired": 1, "pending": 3}
    expired = client.get(reverse("people:invitations") + "?status=expired")
    assert [i.email for i in expired.context["page"].object_list] == ["r1@kominfo.go.id"]
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count(AuditAction.INVITED) == 6
    assert actions.count(AuditAction.INVITATION_REVOKED) == 1
