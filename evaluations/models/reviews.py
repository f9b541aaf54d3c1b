"""Field reviews (tinjauan lapangan): schedule, agenda, attendees and findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from evaluations.models.instruments import Dimension
from evaluations.models.rounds import Participation
from evaluations.rights import AttendeeRights, FieldReviewRights, FindingRights


class ReviewMode(models.TextChoices):
    ONLINE = "online", _("Daring")
    ON_SITE = "on_site", _("Luring")
    HYBRID = "hybrid", _("Hibrida")


class FieldReview(models.Model):
    """The visit (on site, online or both) that reviewers make to a participating region."""

    participation = models.OneToOneField(
        Participation,
        on_delete=models.CASCADE,
        related_name="field_review",
        verbose_name=_("peserta"),
    )
    mode = models.CharField(
        _("moda"), max_length=20, choices=ReviewMode.choices, default=ReviewMode.ON_SITE
    )
    location = models.CharField(_("lokasi"), max_length=300, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    minutes = models.TextField(
        _("berita acara"), blank=True, help_text=_("Ringkasan jalannya tinjauan lapangan.")
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="field_reviews",
        verbose_name=_("penilai"),
    )
    attendees_confirmed_at = models.DateTimeField(
        _("daftar hadir dikonfirmasi pada"), null=True, blank=True
    )
    attendees_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("daftar hadir dikonfirmasi oleh"),
    )

    objects = FieldReviewRights.as_manager()

    class Meta:
        ordering = ["start_date", "participation"]
        verbose_name = _("tinjauan lapangan")
        verbose_name_plural = _("tinjauan lapangan")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_dates_ordered",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ReviewMode.values),
                name="%(app_label)s_%(class)s_mode_valid",
                violation_error_message=_("Moda tinjauan tidak dikenal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Tinjauan lapangan')} {self.participation}"


class AgendaItem(models.Model):
    """One slot of the field-review agenda, e.g. day 1 presentation by the Sekda."""

    field_review = models.ForeignKey(
        FieldReview,
        on_delete=models.CASCADE,
        related_name="agenda",
        verbose_name=_("tinjauan lapangan"),
    )
    day = models.PositiveSmallIntegerField(_("hari ke"), default=1)
    start_time = models.TimeField(_("mulai"))
    end_time = models.TimeField(_("selesai"), null=True, blank=True)
    activity = models.CharField(_("kegiatan"), max_length=300)
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimensi"),
    )
    location = models.CharField(_("tempat"), max_length=200, blank=True)

    class Meta:
        ordering = ["field_review", "day", "start_time"]
        verbose_name = _("agenda")
        verbose_name_plural = _("agenda")
        constraints = [
            models.CheckConstraint(
                condition=Q(day__gte=1, day__lte=7),
                name="%(app_label)s_%(class)s_day_range",
                violation_error_message=_("Hari ke- harus antara 1 dan 7."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="%(app_label)s_%(class)s_times_ordered",
                violation_error_message=_("Waktu selesai harus setelah waktu mulai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.start_time:%H:%M} {self.activity}"


class AttendeeSide(models.TextChoices):
    REGION = "region", _("Pemerintah daerah")
    REVIEWER = "reviewer", _("Tim penilai")
    OTHER = "other", _("Lainnya")


class Attendee(models.Model):
    """A person present at the field review, as recorded in the minutes."""

    field_review = models.ForeignKey(
        FieldReview,
        on_delete=models.CASCADE,
        related_name="attendees",
        verbose_name=_("tinjauan lapangan"),
    )
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    agency = models.CharField(_("instansi"), max_length=200, blank=True)
    side = models.CharField(
        _("pihak"), max_length=20, choices=AttendeeSide.choices, default=AttendeeSide.REGION
    )

    objects = AttendeeRights.as_manager()

    class Meta:
        ordering = ["field_review", "side", "name"]
        verbose_name = _("peserta hadir")
        verbose_name_plural = _("peserta hadir")

    def __str__(self) -> str:
        return self.name


class FindingKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("Capaian")
    OBSTACLE = "obstacle", _("Kendala")
    RECOMMENDATION = "recommendation", _("Rekomendasi")


class Finding(models.Model):
    """What reviewers recorded for one dimension: an achievement, obstacle or recommendation."""

    field_review = models.ForeignKey(
        FieldReview,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("tinjauan lapangan"),
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="findings", verbose_name=_("dimensi")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=FindingKind.choices)
    text = models.TextField(_("uraian"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = FindingRights.as_manager()

    class Meta:
        ordering = ["field_review", "dimension__order", "kind", "order", "pk"]
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Jenis temuan tidak dikenal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
