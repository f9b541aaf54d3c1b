"""Self-assessment (penilaian mandiri): the region's claimed level per indicator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models.instruments import Indicator, level_check, validate_level
from evaluations.models.programmes import Evidence
from evaluations.models.rounds import Participation


class SelfAssessmentAnswer(models.Model):
    """A region's answer to one indicator: claimed level, narrative and evidence.

    ``version`` grows on every save through the services, so that two people editing the
    same answer from stale pages get a conflict instead of overwriting each other.
    """

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("peserta"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="answers", verbose_name=_("indikator")
    )
    claimed_level = models.PositiveSmallIntegerField(
        _("level yang diklaim"), null=True, blank=True, validators=[validate_level]
    )
    narrative = models.TextField(_("narasi"), blank=True)
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="answers", verbose_name=_("bukti dukung")
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    version = models.PositiveIntegerField(_("versi"), default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["participation", "indicator__order", "indicator__code"]
        verbose_name = _("jawaban penilaian mandiri")
        verbose_name_plural = _("jawaban penilaian mandiri")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "indicator"],
                name="%(app_label)s_%(class)s_one_per_indicator",
                violation_error_message=_("Indikator ini sudah dijawab untuk peserta ini."),
            ),
            level_check("claimed_level", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.participation} · {self.indicator.code}"
