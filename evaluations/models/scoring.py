"""Reviewers' scores and the lead reviewer's verified level per indicator."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models.instruments import Indicator, level_check, validate_level
from evaluations.models.rounds import Participation

SCORES_LOCKED = _(
    "Nilai hanya dapat diubah selama putaran dalam tahap penilaian. Putaran yang sudah "
    "difinalisasi atau dipublikasikan harus dibuka kembali dengan alasan terlebih dahulu."
)


def _refuse_when_round_closed(instance: Score | VerifiedScore) -> None:
    """Model-level guard for forms (the admin): the services check the same rule."""
    if instance.participation_id and not instance.participation.round.accepts_scores:
        raise ValidationError(SCORES_LOCKED, code="scores_locked")


class Score(models.Model):
    """One panel reviewer's level for one indicator of one participation.

    Every change is kept in ``history`` (who, when, old and new level).
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("peserta")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("indikator")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("penilai"),
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[validate_level])
    comment = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["participation", "indicator__order", "indicator__code", "reviewer"]
        verbose_name = _("nilai penilai")
        verbose_name_plural = _("nilai penilai")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "indicator", "reviewer"],
                name="%(app_label)s_%(class)s_one_per_reviewer",
                violation_error_message=_(
                    "Penilai ini sudah memberi nilai untuk indikator ini pada peserta ini."
                ),
            ),
            level_check("level", nullable=False),
        ]

    def __str__(self) -> str:
        return f"{self.participation} · {self.indicator.code} · {self.reviewer}: {self.level}"

    def clean(self) -> None:
        _refuse_when_round_closed(self)


class VerifiedScore(models.Model):
    """The level the panel lead verified for an indicator: the figure results use."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="verified_scores",
        verbose_name=_("peserta"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="verified_scores",
        verbose_name=_("indikator"),
    )
    level = models.PositiveSmallIntegerField(_("level terverifikasi"), validators=[validate_level])
    comment = models.TextField(_("catatan"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditetapkan oleh"),
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["participation", "indicator__order", "indicator__code"]
        verbose_name = _("nilai terverifikasi")
        verbose_name_plural = _("nilai terverifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "indicator"],
                name="%(app_label)s_%(class)s_one_per_indicator",
                violation_error_message=_("Indikator ini sudah punya nilai terverifikasi."),
            ),
            level_check("level", nullable=False),
        ]

    def __str__(self) -> str:
        return f"{self.participation} · {self.indicator.code}: {self.level}"

    def clean(self) -> None:
        _refuse_when_round_closed(self)
