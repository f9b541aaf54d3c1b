"""Writes on people's access: invitations, roles, deactivation, second-factor resets.

Keyword-only, typed, transactional; refusals are ``ValidationError`` (or
``PermissionDenied``) with the message constants below, which tests import. Every change
to someone's access leaves an ``AuditEntry``.
"""

from __future__ import annotations

from datetime import timedelta
from hashlib import sha256
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from evaluations.roles import MANAGER_GROUP, REVIEWER_GROUP, is_manager
from regions.models import MembershipRole, Region, RegionMembership
from smartcity.people.models import (
    AuditAction,
    AuditEntry,
    Invitation,
    InvitedRole,
    Profile,
    _unguessable_hash,
)
from smartcity.people.notifications import notify_security
from smartcity.people.tasks import send_invitation_email

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# --- Messages (tests import these) ----------
EMAIL_IN_USE = _("Alamat e-mail %(email)s sudah dipakai oleh akun lain.")
INVITATION_OPEN = _(
    "Alamat %(email)s sudah punya undangan yang belum diterima: kirim ulang undangan itu."
)
NOT_YOUR_REGION = _("Anda bukan koordinator %(region)s: Anda hanya mengelola wilayah Anda sendiri.")
MAY_NOT_INVITE = _("Anda tidak berhak mengundang pengguna.")
COORDINATOR_INVITES_OPERATORS = _("Koordinator hanya mengundang operator wilayahnya.")
REGION_REQUIRED = _("Pilih wilayah untuk staf wilayah.")
REGION_NOT_FOR_REVIEWER = _("Penilai tidak terikat pada wilayah: kosongkan kode wilayah.")
UNKNOWN_REGION = _("Kode wilayah “%(code)s” tidak dikenal.")
UNKNOWN_ROLE = _("Peran “%(role)s” tidak dikenal (penilai, koordinator, operator).")
LINK_UNKNOWN = _(
    "Tautan undangan ini tidak dikenal atau sudah diganti oleh undangan yang lebih baru."
)
LINK_EXPIRED = _("Tautan undangan ini sudah kedaluwarsa. Minta pengundang mengirim ulang.")
LINK_USED = _("Tautan undangan ini sudah dipakai. Silakan masuk dengan akun Anda.")
LINK_REVOKED = _("Undangan ini sudah dibatalkan oleh pengundang.")
INVITATION_CLOSED = _("Undangan ini sudah diterima atau dibatalkan.")
NOT_AN_OPERATOR = _("Hanya operator wilayah yang dapat dinonaktifkan oleh koordinator.")
CANNOT_DEACTIVATE_SELF = _("Anda tidak dapat menonaktifkan akun Anda sendiri.")
MANAGERS_ONLY = _("Hanya pengelola putaran yang dapat melakukan ini.")

KOMINFO_ROLES = {"": _("Tanpa peran Kominfo"), "reviewer": _("Penilai"), "manager": _("Pengelola")}


def hash_token(token: str) -> str:
    return sha256(token.encode()).hexdigest()


def _audit(
    *,
    actor: User,
    action: str,
    user: User | None = None,
    email: str = "",
    region: Region | None = None,
    detail: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        subject_user=user,
        subject_email=email or (getattr(user, "email", "") if user else ""),
        region=region,
        detail=detail[:300],
    )


def coordinated_regions(user: User) -> Any:
    return Region.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.COORDINATOR
    )


def _check_may_invite(by: User, role: str, region: Region | None) -> None:
    if is_manager(by):
        return
    if not coordinated_regions(by).exists():
        raise PermissionDenied(MAY_NOT_INVITE)
    if role != InvitedRole.OPERATOR:
        raise ValidationError(COORDINATOR_INVITES_OPERATORS, code="role")
    if region is None or not coordinated_regions(by).filter(pk=region.pk).exists():
        name = region.name if region else "?"
        raise PermissionDenied(NOT_YOUR_REGION % {"region": name})


def _check_may_manage(by: User, invitation: Invitation) -> None:
    if is_manager(by):
        return
    region = invitation.region
    if region is None or not coordinated_regions(by).filter(pk=region.pk).exists():
        name = region.name if region else "Kominfo"
        raise PermissionDenied(NOT_YOUR_REGION % {"region": name})


def _check_address(email: str) -> None:
    User = get_user_model()
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(EMAIL_IN_USE % {"email": email}, code="email_in_use")
    if Invitation.objects.open().filter(email__iexact=email).exists():
        raise ValidationError(INVITATION_OPEN % {"email": email}, code="invitation_open")


def _check_role_region(role: str, region: Region | None) -> None:
    if role not in InvitedRole.values:
        raise ValidationError(UNKNOWN_ROLE % {"role": role}, code="role")
    if role == InvitedRole.REVIEWER and region is not None:
        raise ValidationError(REGION_NOT_FOR_REVIEWER, code="region")
    if role != InvitedRole.REVIEWER and region is None:
        raise ValidationError(REGION_REQUIRED, code="region")


def _expiry() -> Any:
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


def _queue_send(invitation: Invitation) -> None:
    pk, number = invitation.pk, invitation.send_count
    transaction.on_commit(lambda: send_invitation_email.enqueue(pk, number))


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    full_name: str,
    role: str,
    region: Region | None = None,
    language: str = "",
) -> Invitation:
    """Invite one person; the link is e-mailed once the transaction commits."""
    email = email.strip().lower()
    validate_email(email)
    _check_role_region(role, region)
    _check_may_invite(by, role, region)
    _check_address(email)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip()[:150],
        role=role,
        region=region,
        language=language or settings.LANGUAGE_CODE,
        invited_by=by,
        expires_at=_expiry(),
    )
    _audit(
        actor=by,
        action=AuditAction.INVITED,
        email=email,
        region=region,
        detail=str(InvitedRole(role).label),
    )
    _queue_send(invitation)
    return invitation


def _lock(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """A new link (the old one stops working at once) valid for the full period again."""
    _check_may_manage(by, invitation)
    locked = _lock(invitation)
    if locked.accepted_at or locked.revoked_at:
        raise ValidationError(INVITATION_CLOSED, code="closed")
    locked.send_count += 1
    locked.sent_at = timezone.now()
    locked.expires_at = _expiry()
    locked.token_hash = _unguessable_hash()
    locked.save(update_fields=["send_count", "sent_at", "expires_at", "token_hash"])
    _audit(actor=by, action=AuditAction.INVITATION_RESENT, email=locked.email, region=locked.region)
    _queue_send(locked)
    return locked


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    _check_may_manage(by, invitation)
    locked = _lock(invitation)
    if locked.accepted_at or locked.revoked_at:
        raise ValidationError(INVITATION_CLOSED, code="closed")
    locked.revoked_at = timezone.now()
    locked.token_hash = _unguessable_hash()
    locked.save(update_fields=["revoked_at", "token_hash"])
    _audit(
        actor=by, action=AuditAction.INVITATION_REVOKED, email=locked.email, region=locked.region
    )
    return locked


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link opens, or a ``ValidationError`` saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("region", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise ValidationError(LINK_UNKNOWN, code="unknown")
    if invitation.accepted_at:
        raise ValidationError(LINK_USED, code="used")
    if invitation.revoked_at:
        raise ValidationError(LINK_REVOKED, code="revoked")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(LINK_EXPIRED, code="expired")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Create the account the invitation was for; the link cannot be used again."""
    found = invitation_for_token(token)
    invitation = _lock(found)
    # Checked again under the lock: two tabs submitting the same link create one account.
    invitation = invitation_for_token(token) if invitation.accepted_at is None else invitation
    if invitation.accepted_at:
        raise ValidationError(LINK_USED, code="used")
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(EMAIL_IN_USE % {"email": invitation.email}, code="email_in_use")
    first, _sep, last = invitation.full_name.partition(" ")
    user = User.objects.create_user(
        username=invitation.email,
        email=invitation.email,
        password=password,
        first_name=first[:150],
        last_name=last[:150],
    )
    Profile.objects.create(user=user, language=invitation.language)
    if invitation.role == InvitedRole.REVIEWER:
        user.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    else:
        assert invitation.region is not None  # a city invitation names its region
        RegionMembership.objects.create(
            user=user,
            region=invitation.region,
            role=(
                MembershipRole.COORDINATOR
                if invitation.role == InvitedRole.COORDINATOR
                else MembershipRole.OPERATOR
            ),
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    _audit(
        actor=user,
        action=AuditAction.INVITATION_ACCEPTED,
        user=user,
        region=invitation.region,
        detail=str(InvitedRole(invitation.role).label),
    )
    return user


# --- Accounts ----------


@transaction.atomic
def operator_deactivate(*, membership: RegionMembership, by: User) -> RegionMembership:
    """A coordinator (or a manager) takes an operator off the region's team; an account with
    no other place in the portal is switched off too."""
    region = membership.region
    if not is_manager(by):
        if not coordinated_regions(by).filter(pk=region.pk).exists():
            raise PermissionDenied(NOT_YOUR_REGION % {"region": region.name})
        if membership.role != MembershipRole.OPERATOR:
            raise ValidationError(NOT_AN_OPERATOR, code="not_operator")
    user = membership.user
    if user.pk == by.pk:
        raise ValidationError(CANNOT_DEACTIVATE_SELF, code="self")
    membership.delete()
    still_needed = (
        RegionMembership.objects.filter(user=user).exists() or user.is_staff or user.groups.exists()
    )
    if not still_needed and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _audit(actor=by, action=AuditAction.DEACTIVATED, user=user, region=region)
    return membership


def _require_manager(by: User) -> None:
    if not is_manager(by):
        raise PermissionDenied(MANAGERS_ONLY)


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User) -> None:
    _require_manager(by)
    if user.pk == by.pk:
        raise ValidationError(CANNOT_DEACTIVATE_SELF, code="self")
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit(
        actor=by,
        action=AuditAction.REACTIVATED if active else AuditAction.DEACTIVATED,
        user=user,
    )


@transaction.atomic
def user_set_role(*, user: User, role: str, by: User) -> None:
    """Kominfo role: none, reviewer or round manager (groups of ``evaluations.roles``)."""
    _require_manager(by)
    if role not in KOMINFO_ROLES:
        raise ValidationError(UNKNOWN_ROLE % {"role": role}, code="role")
    if user.pk == by.pk:
        raise ValidationError(CANNOT_DEACTIVATE_SELF, code="self")
    names = {"": [], "reviewer": [REVIEWER_GROUP], "manager": [MANAGER_GROUP, REVIEWER_GROUP]}
    before = sorted(
        user.groups.filter(name__in=[MANAGER_GROUP, REVIEWER_GROUP]).values_list("name", flat=True)
    )
    wanted = names[role]
    if before == sorted(wanted):
        return
    user.groups.remove(*Group.objects.filter(name__in=[MANAGER_GROUP, REVIEWER_GROUP]))
    for name in wanted:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    user.__dict__.pop("_smartcity_groups", None)
    _audit(
        actor=by,
        action=AuditAction.ROLE_CHANGED,
        user=user,
        detail=f"{', '.join(before) or '-'} → {', '.join(wanted) or '-'}",
    )


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> int:
    """A lost device: remove the person's authenticator and recovery codes. Their next
    sign-in enrols a new device. Recorded, and the person is told by security mail."""
    _require_manager(by)
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    _audit(actor=by, action=AuditAction.SECOND_FACTOR_RESET, user=user)
    notify_security(
        user,
        template="second_factor_reset",
        event_key=f"2fa-reset:{timezone.now():%Y%m%d%H%M%S%f}",
        by=by,
    )
    return removed
