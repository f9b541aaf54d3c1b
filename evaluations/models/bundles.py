"""Open-data bundles: one ZIP of a data package, built by a background job."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.jobs.models import Job


class OpenDataBundle(models.Model):
    """The ZIP of the whole history's (or one round's) data package at one data version.

    Keyed by (scope, data version): a request for a bundle that exists or is being built
    reuses it, so anonymous readers cannot queue the same work twice, and a publication
    (which moves the data version) makes the next request build a fresh one. Deleted with
    its job when finished jobs are purged (``JOBS_KEEP_DAYS``).
    """

    # The public address of the progress page: not guessable, like a job's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # "" for every published round, else the round's slug.
    scope = models.CharField(_("cakupan"), max_length=100, blank=True)
    round = models.ForeignKey(
        "evaluations.Round",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opendata_bundles",
        verbose_name=_("putaran"),
    )
    # caching.data_version() when it was requested (newest RoundEvent id and count).
    version = models.CharField(_("versi data"), max_length=40)
    job = models.OneToOneField(
        Job, on_delete=models.CASCADE, related_name="opendata_bundle", verbose_name=_("pekerjaan")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("paket unduhan data terbuka")
        verbose_name_plural = _("paket unduhan data terbuka")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "version"],
                name="%(app_label)s_%(class)s_one_per_version",
                violation_error_message=_(
                    "Sudah ada paket unduhan untuk cakupan dan versi data ini."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope or 'all'} @ {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("public:bundle", args=[self.pk])
