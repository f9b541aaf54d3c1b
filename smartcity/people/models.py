"""People around the evaluation: who was invited, what each person was told, and what
managers did to accounts (the audit list)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region


def _unguessable_hash() -> str:
    """Until the first e-mail makes the real link, the hash of a secret nobody holds."""
    return secrets.token_hex(32)


class InvitedRole(models.TextChoices):
    REVIEWER = "reviewer", _("Penilai (Kominfo)")
    COORDINATOR = "coordinator", _("Koordinator wilayah")
    OPERATOR = "operator", _("Operator wilayah")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    ACCEPTED = "accepted", _("Diterima")
    EXPIRED = "expired", _("Kedaluwarsa")
    REVOKED = "revoked", _("Dibatalkan")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked (a pending or an expired invitation)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def with_status(self, status: str) -> InvitationQuerySet:
        now = timezone.now()
        if status == InvitationStatus.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if status == InvitationStatus.REVOKED:
            return self.filter(revoked_at__isnull=False)
        if status == InvitationStatus.EXPIRED:
            return self.open().filter(expires_at__lte=now)
        if status == InvitationStatus.PENDING:
            return self.open().filter(expires_at__gt=now)
        return self


class Invitation(models.Model):
    """A one-time, expiring link that lets one person create their account in one role."""

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    role = models.CharField(_("peran"), max_length=20, choices=InvitedRole.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("wilayah"),
    )
    language = models.CharField(
        _("bahasa"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Only a hash of the link's secret is stored: a database reader cannot accept for anyone.
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, default=_unguessable_hash
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("diundang oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    sent_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(_("jumlah pengiriman"), default=1)
    # The sends whose e-mail went out (smartcity.people.tasks.send_invitation_email): a retried job
    # finds its own send done and stops.
    emailed_count = models.PositiveSmallIntegerField(default=0, editable=False)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    accepted_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun"),
    )
    revoked_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        constraints = [
            # One open invitation per address: a second one is a resend, not a new row.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_email",
                violation_error_message=_("Alamat ini sudah punya undangan yang belum diterima."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=InvitedRole.values),
                name="%(app_label)s_%(class)s_role_valid",
                violation_error_message=_("Peran tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=Q(role=InvitedRole.REVIEWER, region__isnull=True)
                | Q(~Q(role=InvitedRole.REVIEWER), region__isnull=False),
                name="%(app_label)s_%(class)s_region_matches_role",
                violation_error_message=_(
                    "Staf wilayah diundang untuk satu wilayah; penilai tanpa wilayah."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)


class Profile(models.Model):
    """A person's settings: the language they are written to in, and the kinds of
    notification they do not want by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("pengguna"),
    )
    language = models.CharField(
        _("bahasa"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    muted_kinds = models.JSONField(_("jenis yang tidak dikirim lewat e-mail"), default=list)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("profil")
        verbose_name_plural = _("profil")

    def __str__(self) -> str:
        return str(self.user)


class NotificationKind(models.TextChoices):
    SELF_ASSESSMENT_OPENED = "sa_opened", _("Penilaian mandiri dibuka")
    DEADLINE_REMINDER = "sa_reminder", _("Pengingat batas waktu penilaian mandiri")
    SUBMISSION_RECEIPT = "sa_receipt", _("Tanda terima penilaian mandiri")
    SUBMISSION_TO_PANEL = "sa_submitted", _("Penilaian mandiri masuk ke panel")
    RETURNED = "sa_returned", _("Penilaian mandiri dikembalikan")
    PANEL_SEAT = "panel_seat", _("Penugasan panel penilai")
    FIELD_REVIEW = "field_review", _("Jadwal tinjauan lapangan")
    RESULTS_PUBLISHED = "results", _("Hasil dipublikasikan")
    SECURITY = "security", _("Keamanan akun")

    @classmethod
    def switchable(cls) -> list[NotificationKind]:
        """Every kind but security mail, which nobody can switch off."""
        return [kind for kind in cls if kind != cls.SECURITY]


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person: an inbox entry, and the e-mail when they want it.

    ``emailed_at`` is the sent marker: the sending task sets it in the same transaction as
    it sends, so a job that runs again finds it set and sends nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=NotificationKind.choices)
    # What the event was (e.g. "reminder:12:7"): the same event never reaches a person twice.
    event_key = models.CharField(max_length=120)
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    ics = models.TextField(_("lampiran kalender"), blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    email_wanted = models.BooleanField(_("dikirim lewat e-mail"), default=True)
    emailed_at = models.DateTimeField(_("e-mail terkirim pada"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event_key"],
                name="%(app_label)s_%(class)s_once_per_event",
                violation_error_message=_("Pemberitahuan ini sudah dikirim."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Jenis pemberitahuan tidak dikenal."),
            ),
        ]
        indexes = [
            # The unread count in every signed-in header and the inbox list.
            models.Index(fields=["user", "read_at"], name="people_notification_unread"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("people:notification", args=[self.pk])


class AuditAction(models.TextChoices):
    INVITED = "invited", _("Undangan dikirim")
    INVITATION_RESENT = "resent", _("Undangan dikirim ulang")
    INVITATION_REVOKED = "revoked", _("Undangan dibatalkan")
    INVITATION_ACCEPTED = "accepted", _("Undangan diterima")
    ROLE_CHANGED = "role", _("Peran diubah")
    DEACTIVATED = "deactivated", _("Akun dinonaktifkan")
    REACTIVATED = "reactivated", _("Akun diaktifkan kembali")
    SECOND_FACTOR_RESET = "2fa_reset", _("Faktor kedua diatur ulang")


class AuditEntry(models.Model):
    """Something done to a person's access, by whom and when (never edited)."""

    at = models.DateTimeField(_("waktu"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oleh"),
    )
    action = models.CharField(_("tindakan"), max_length=20, choices=AuditAction.choices)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    subject_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
    )
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values),
                name="%(app_label)s_%(class)s_action_valid",
                violation_error_message=_("Tindakan tidak dikenal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
