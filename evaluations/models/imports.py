"""Uploaded import files waiting between their preview and their application."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models.rounds import Round
from regions.models import Region

# A preview not applied within this time is dropped (``ImportUpload.objects.expired()``).
IMPORT_UPLOAD_LIFETIME = timedelta(hours=6)


class ImportKind(models.TextChoices):
    PROGRAMMES = "programmes", _("Register program")
    SCORES = "scores", _("Level terverifikasi")


class ImportUploadQuerySet(models.QuerySet["ImportUpload"]):
    def expired(self) -> ImportUploadQuerySet:
        return self.filter(created_at__lt=timezone.now() - IMPORT_UPLOAD_LIFETIME)

    def pending_for(self, user: object) -> ImportUploadQuerySet:
        """The user's own uploads still in time: nobody applies another person's file."""
        return self.filter(
            uploaded_by=user, created_at__gte=timezone.now() - IMPORT_UPLOAD_LIFETIME
        )


class ImportUpload(models.Model):
    """An import file that passed every check and was previewed (adds, changes), kept
    until its uploader applies it. Applying reads it again, so what is applied is checked
    against the data as they are then; a background job can apply it by id."""

    kind = models.CharField(_("jenis"), max_length=20, choices=ImportKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("putaran"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    filename = models.CharField(_("nama berkas"), max_length=255)
    data = models.BinaryField(_("isi berkas"))
    created_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    objects = ImportUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unggahan impor")
        verbose_name_plural = _("unggahan impor")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"
