"""Evaluation rounds, the regions taking part in them and the reviewers assigned to each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models.instruments import Instrument
from evaluations.rights import ParticipationRights, RoundRights
from regions.models import Region, RegionMembership

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

ROUND_STATUS_VIA_SERVICES = _(
    "Status putaran hanya berubah lewat tombol siklus putaran (buka, mulai penilaian, "
    "finalisasi, publikasi, buka kembali), yang mencatat riwayatnya."
)
ROUND_INSTRUMENT_FIXED = _("Instrumen tidak dapat diganti setelah penilaian mandiri dibuka.")
PARTICIPANTS_FIXED = _("Peserta hanya dapat ditambahkan atau dihapus selama putaran masih draf.")
REVIEWER_IS_REGION_MEMBER = _(
    "Penilai ini anggota tim wilayah {region} dan tidak boleh menilai wilayahnya sendiri."
)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SELF_ASSESSMENT = "self_assessment", _("Penilaian mandiri dibuka")
    REVIEW = "review", _("Dalam penilaian")
    FINALISED = "finalised", _("Difinalisasi")
    PUBLISHED = "published", _("Dipublikasikan")


class RoundQuerySet(RoundRights):
    """Rounds; the rights (``published()``, ``managed_by(user)``...) are in ``RoundRights``."""

    def open_for_self_assessment(self) -> RoundQuerySet:
        return self.filter(status=RoundStatus.SELF_ASSESSMENT)

    def chronological(self) -> RoundQuerySet:
        return self.order_by("year", "phase")


class Round(models.Model):
    """An evaluation round (e.g. "Evaluasi 2021 Tahap I") with its instrument and timeline."""

    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    phase = models.PositiveSmallIntegerField(
        _("tahap"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    name = models.CharField(_("nama"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("instrumen")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    self_assessment_opens = models.DateField(_("penilaian mandiri dibuka"))
    self_assessment_closes = models.DateField(_("batas penilaian mandiri"))
    review_ends = models.DateField(_("penilaian selesai"), null=True, blank=True)
    announcement_date = models.DateField(_("rencana pengumuman"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("difinalisasi pada"), null=True, blank=True)
    published_at = models.DateTimeField(_("dipublikasikan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    # Public life, kept by evaluations.services.rounds (publish, reopen, withdraw).
    is_public = models.BooleanField(_("hasil terbit"), default=False, editable=False)
    under_correction_since = models.DateTimeField(
        _("dalam koreksi sejak"), null=True, blank=True, editable=False
    )
    correction_reason = models.TextField(_("alasan koreksi"), blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("ditarik pada"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("alasan penarikan"), blank=True, editable=False)

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-phase"]
        verbose_name = _("putaran evaluasi")
        verbose_name_plural = _("putaran evaluasi")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "phase"],
                name="%(app_label)s_%(class)s_unique_year_phase",
                violation_error_message=_("Sudah ada putaran untuk tahun dan tahap ini."),
            ),
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=4),
                name="%(app_label)s_%(class)s_phase_range",
                violation_error_message=_("Tahap harus antara 1 dan 4."),
            ),
            models.CheckConstraint(
                condition=Q(self_assessment_closes__gte=F("self_assessment_opens")),
                name="%(app_label)s_%(class)s_self_assessment_dates_ordered",
                violation_error_message=_(
                    "Batas penilaian mandiri tidak boleh sebelum tanggal dibuka."
                ),
            ),
            models.CheckConstraint(
                condition=Q(review_ends__isnull=True)
                | Q(review_ends__gte=F("self_assessment_closes")),
                name="%(app_label)s_%(class)s_review_after_self_assessment",
                violation_error_message=_(
                    "Penilaian tidak boleh selesai sebelum batas penilaian mandiri."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("Status putaran tidak dikenal."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:rankings", kwargs={"round_slug": self.slug})

    @property
    def phase_label(self) -> str:
        return ROMAN.get(self.phase, str(self.phase))

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED

    @property
    def is_under_correction(self) -> bool:
        """Re-opened after publication: the public still reads the last publication."""
        return self.is_public and self.under_correction_since is not None

    @property
    def accepts_scores(self) -> bool:
        """Reviewers' scores and verified levels change only while the round is under review;
        a finalised or published round must be re-opened (with a reason) first."""
        return self.status == RoundStatus.REVIEW

    @property
    def is_closed(self) -> bool:
        return self.status in (RoundStatus.FINALISED, RoundStatus.PUBLISHED)

    def clean(self) -> None:
        """Forms (the admin) may not move the status or swap the instrument of an opened round:
        status changes go through ``evaluations.services.rounds``, which records them."""
        if self.pk is None:
            if self.status != RoundStatus.DRAFT:
                raise ValidationError({"status": ROUND_STATUS_VIA_SERVICES})
            return
        old = Round.objects.filter(pk=self.pk).values("status", "instrument_id").first()
        if old is None:
            return
        errors: dict[str, StrOrPromise] = {}
        if old["status"] != self.status:
            errors["status"] = ROUND_STATUS_VIA_SERVICES
        if old["status"] != RoundStatus.DRAFT and old["instrument_id"] != self.instrument_id:
            errors["instrument"] = ROUND_INSTRUMENT_FIXED
        if errors:
            raise ValidationError(errors)


class RoundEvent(models.Model):
    """A recorded step in a round's life: who moved it, from what to what, and why."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="events", verbose_name=_("putaran")
    )
    from_status = models.CharField(_("dari"), max_length=20, choices=RoundStatus.choices)
    to_status = models.CharField(_("ke"), max_length=20, choices=RoundStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oleh"),
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["round", "at", "pk"]
        verbose_name = _("riwayat status putaran")
        verbose_name_plural = _("riwayat status putaran")

    def __str__(self) -> str:
        return f"{self.round}: {self.from_status} → {self.to_status}"


class SelfAssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum diisi")
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Dikirim")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")


class Participation(models.Model):
    """A region taking part in a round: the unit that is self-assessed, reviewed and scored."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="participations", verbose_name=_("putaran")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="participations", verbose_name=_("wilayah")
    )
    self_assessment_status = models.CharField(
        _("status penilaian mandiri"),
        max_length=20,
        choices=SelfAssessmentStatus.choices,
        default=SelfAssessmentStatus.NOT_STARTED,
    )
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikirim oleh"),
    )
    return_comment = models.TextField(_("catatan pengembalian"), blank=True)
    excluded = models.BooleanField(_("dikecualikan dari penilaian"), default=False)
    exclusion_reason = models.TextField(_("alasan pengecualian"), blank=True)

    history = HistoricalRecords()

    objects = ParticipationRights.as_manager()

    class Meta:
        ordering = ["round", "region__code"]
        verbose_name = _("peserta putaran")
        verbose_name_plural = _("peserta putaran")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region"],
                name="%(app_label)s_%(class)s_unique_region_per_round",
                violation_error_message=_("Wilayah ini sudah menjadi peserta putaran ini."),
            ),
            models.CheckConstraint(
                condition=Q(excluded=False) | ~Q(exclusion_reason=""),
                name="%(app_label)s_%(class)s_exclusion_needs_reason",
                violation_error_message=_("Pengecualian harus disertai alasan."),
            ),
            models.CheckConstraint(
                condition=Q(self_assessment_status__in=SelfAssessmentStatus.values),
                name="%(app_label)s_%(class)s_self_assessment_status_valid",
                violation_error_message=_("Status penilaian mandiri tidak dikenal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} – {self.round}"

    def clean(self) -> None:
        """Forms (the admin) add participants only to a draft round, like the services."""
        if self._state.adding and self.round_id:
            status = Round.objects.filter(pk=self.round_id).values_list("status", flat=True)
            if status and status[0] != RoundStatus.DRAFT:
                raise ValidationError({"round": PARTICIPANTS_FIXED})

    @property
    def is_locked_for_region(self) -> bool:
        """True when the region can no longer change its self-assessment answers.

        Answers are open while the round takes self-assessments, until the region submits or
        the deadline (``self_assessment_closes``, inclusive, local date) passes. A
        self-assessment that reviewers returned for revision (``self_assessment_return``)
        opens again, also during the review, until the region submits it again.
        Reads ``self.round`` (a query unless it is select_related).
        """
        if self.excluded:
            return True
        status = self.round.status
        if self.self_assessment_status == SelfAssessmentStatus.RETURNED:
            return status not in (RoundStatus.SELF_ASSESSMENT, RoundStatus.REVIEW)
        if status != RoundStatus.SELF_ASSESSMENT:
            return True
        if self.self_assessment_status == SelfAssessmentStatus.SUBMITTED:
            return True
        return timezone.localdate() > self.round.self_assessment_closes


class ReviewerAssignment(models.Model):
    """A reviewer on a participation's panel; one panel member is the lead."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="panel",
        verbose_name=_("peserta"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("penilai"),
    )
    is_lead = models.BooleanField(_("ketua panel"), default=False)
    assigned_at = models.DateTimeField(_("ditugaskan pada"), auto_now_add=True)
    completed_at = models.DateTimeField(_("selesai menilai pada"), null=True, blank=True)

    class Meta:
        ordering = ["participation", "-is_lead", "reviewer__username"]
        verbose_name = _("penugasan penilai")
        verbose_name_plural = _("penugasan penilai")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "reviewer"],
                name="%(app_label)s_%(class)s_unique_reviewer",
                violation_error_message=_("Penilai ini sudah ada di panel peserta ini."),
            ),
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(is_lead=True),
                name="%(app_label)s_%(class)s_one_lead",
                violation_error_message=_("Panel hanya boleh punya satu ketua."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.participation}"

    def clean(self) -> None:
        """A member of the region's own team never reviews it (forms and services alike)."""
        if not (self.participation_id and self.reviewer_id):
            return
        region = (
            Participation.objects.filter(pk=self.participation_id)
            .values_list("region_id", "region__name")
            .first()
        )
        if (
            region
            and RegionMembership.objects.filter(
                user_id=self.reviewer_id, region_id=region[0]
            ).exists()
        ):
            raise ValidationError(
                {"reviewer": format_lazy(REVIEWER_IS_REGION_MEMBER, region=region[1])}
            )
