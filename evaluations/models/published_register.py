"""The programme register as it stood when a round's results were published."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.instruments import Dimension
from evaluations.models.programmes import Programme, ProgrammeStatus
from evaluations.models.results import Publication
from regions.models import Region


class PublishedProgramme(models.Model):
    """A programme of a participating region, copied at a publication: the public profile
    shows these, not the live register that operators edit (their text is reviewed with the
    round before it reaches a ministry's public site).

    Only the fields a public profile may show are copied. Budget, description and evidence
    stay in the workspaces: budgets are working figures an operator enters for the
    reviewers (not verified, not part of the published evaluation), and descriptions may
    hold internal notes."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="programmes",
        verbose_name=_("publikasi"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("wilayah")
    )
    # Provenance only: the live programme may be edited or deleted afterwards.
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimensi")
    )
    title = models.CharField(_("nama program"), max_length=200)
    element_name = models.CharField(_("elemen"), max_length=100, blank=True)
    agency_label = models.CharField(_("OPD pelaksana"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProgrammeStatus.choices)
    is_quick_win = models.BooleanField(_("quick win"), default=False)
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"))

    class Meta:
        ordering = ["publication", "region", "dimension__order", "-is_quick_win", "title"]
        verbose_name = _("program terpublikasi")
        verbose_name_plural = _("program terpublikasi")
        indexes = [
            # The public profile: one region's rows of one publication.
            models.Index(
                fields=["region", "publication"],
                name="evaluations_pubprog_region_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title
