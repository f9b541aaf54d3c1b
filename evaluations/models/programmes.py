"""A region's masterplan programmes and the evidence files and links it keeps."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models.instruments import Dimension, Element
from evaluations.rights import EvidenceRights, ProgrammeRights
from regions.models import Agency, Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """Files live under the region's code with a random name; the original name is kept
    in ``original_name`` so that nothing a user types becomes a storage path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.region.code}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A supporting document (bukti dukung): an uploaded file or a link, owned by a region."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("wilayah")
    )
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=evidence_upload_to, blank=True, max_length=200)
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    content_type = models.CharField(_("jenis berkas"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"), null=True, blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)

    objects = EvidenceRights.as_manager()

    class Meta:
        ordering = ["region", "-created_at"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="%(app_label)s_%(class)s_file_or_link",
                violation_error_message=_(
                    "Bukti dukung berupa berkas atau tautan, bukan keduanya."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    @property
    def is_previewable(self) -> bool:
        """A stored PDF or image, previewed beside the indicator (an image in a sandboxed
        frame, a PDF as images of its first pages)."""
        from evaluations.services.evidence import can_preview  # the services import this module

        return can_preview(self)

    @property
    def is_image(self) -> bool:
        """A stored PNG or JPEG (previewed in a sandboxed frame; a PDF as page images)."""
        return bool(self.file) and self.content_type.startswith("image/")


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    RUNNING = "running", _("Berjalan")
    COMPLETED = "completed", _("Selesai")
    STOPPED = "stopped", _("Dihentikan")


class ProgrammeQuerySet(ProgrammeRights):
    def active(self) -> ProgrammeQuerySet:
        """Programmes still on the register (not archived)."""
        return self.filter(archived_at__isnull=True)

    def running(self) -> ProgrammeQuerySet:
        return self.active().filter(status=ProgrammeStatus.RUNNING)


class Programme(models.Model):
    """A masterplan programme (or quick win) of a region, filed under a dimension and element."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("wilayah")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("dimensi")
    )
    element = models.ForeignKey(
        Element,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("elemen"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("OPD pelaksana"),
    )
    title = models.CharField(_("nama program"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.PLANNED,
    )
    is_quick_win = models.BooleanField(_("quick win"), default=False)
    start_year = models.PositiveSmallIntegerField(
        _("tahun mulai"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("tahun selesai"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"), null=True, blank=True)
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="programmes", verbose_name=_("bukti dukung")
    )
    archived_at = models.DateTimeField(_("diarsipkan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["region", "dimension__order", "title"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="%(app_label)s_%(class)s_years_ordered",
                violation_error_message=_("Tahun selesai tidak boleh sebelum tahun mulai."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgrammeStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("Status program tidak dikenal."),
            ),
        ]
        indexes = [
            # The register and the public profile list a region's active programmes.
            models.Index(fields=["region", "archived_at"], name="evaluations_programme_reg_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if (
            self.element_id
            and self.dimension_id
            and self.element is not None
            and self.element.dimension_id != self.dimension_id
        ):
            errors["element"] = _("Elemen ini bukan bagian dari dimensi yang dipilih.")
        if (
            self.agency_id
            and self.region_id
            and self.agency is not None
            and self.agency.region_id != self.region_id
        ):
            errors["agency"] = _("OPD ini bukan milik wilayah program.")
        if errors:
            raise ValidationError(errors)
