"""Reads of the people pages, scoped to who asks (a view never fetches an unscoped row)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from evaluations.roles import MANAGER_GROUP, REVIEWER_GROUP, is_manager
from regions.models import Region, RegionMembership
from smartcity.people.models import AuditEntry, Invitation, Notification
from smartcity.people.services import coordinated_regions

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def invitations_visible_to(user: User) -> Any:
    """Managers see every invitation; a coordinator those for the regions they coordinate."""
    qs = Invitation.objects.select_related("region", "invited_by")
    if is_manager(user):
        return qs
    return qs.filter(region__in=coordinated_regions(user))


def get_invitation_for_user(user: User, pk: int) -> Invitation:
    return get_object_or_404(invitations_visible_to(user), pk=pk)


def may_invite(user: User) -> bool:
    return is_manager(user) or coordinated_regions(user).exists()


def inviting_regions(user: User) -> Any:
    if is_manager(user):
        return Region.objects.select_related("province").order_by("code")
    return coordinated_regions(user).order_by("code")


def get_team_region_for_user(user: User, slug: str) -> Region:
    """The region whose team page ``user`` may open: any for a manager, their own for a
    coordinator; anyone else gets a 404 (the page does not reveal which regions exist)."""
    region = get_object_or_404(Region.objects.select_related("province"), slug=slug)
    if is_manager(user) or coordinated_regions(user).filter(pk=region.pk).exists():
        return region
    raise Http404


def team_members(region: Region) -> Any:
    return (
        RegionMembership.objects.filter(region=region)
        .select_related("user")
        .order_by("role", "user__username")
    )


def get_membership_for_user(user: User, region: Region, pk: int) -> RegionMembership:
    return get_object_or_404(team_members(region), pk=pk)


def kominfo_people() -> Any:
    """Reviewers and managers, with their roles and whether they enrolled a device."""
    User = get_user_model()
    return (
        User.objects.filter(
            Q(groups__name__in=[MANAGER_GROUP, REVIEWER_GROUP]) | Q(is_superuser=True)
        )
        .distinct()
        .annotate(
            is_manager_role=Exists(
                User.groups.through.objects.filter(
                    user_id=OuterRef("pk"), group__name=MANAGER_GROUP
                )
            ),
            has_device=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
        )
        .order_by("username")
    )


def get_person_for_manager(pk: int) -> Any:
    User = get_user_model()
    return get_object_or_404(User, pk=pk)


def audit_entries() -> Any:
    return AuditEntry.objects.select_related("actor", "subject_user", "region")


def inbox(user: User) -> Any:
    return Notification.objects.filter(user=user).defer("ics", "body")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def get_notification_for_user(user: User, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.filter(user=user), pk=pk)


def invitation_counts(qs: Any) -> dict[str, int]:
    """Rows per status for the filter tabs, in one query."""
    from django.utils import timezone

    now = timezone.now()
    return qs.order_by().aggregate(
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        expired=Count(
            "pk", filter=Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now)
        ),
        pending=Count(
            "pk", filter=Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
        ),
    )
