"""A background job as its owner sees it: what runs, how far it is, and what came out."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class JobState(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    SUCCEEDED = "succeeded", _("Selesai")
    FAILED = "failed", _("Gagal")


FINISHED_STATES = (JobState.SUCCEEDED, JobState.FAILED)


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: object) -> JobQuerySet:
        """A job is seen by the user who started it, and by round managers (who support
        users); nobody else, however they got the job's address."""
        from evaluations.roles import is_manager

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_manager(user):  # type: ignore[arg-type]
            return self.all()
        return self.filter(owner=user)

    def unfinished(self) -> JobQuerySet:
        return self.exclude(state__in=FINISHED_STATES)


class Job(models.Model):
    """One piece of long work started by a user and run by the task worker."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # None for work the public starts without signing in (open-data bundles): such a job is
    # seen through its own public page, and here by managers only.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("pemilik"),
    )
    # A key of smartcity.jobs.services.HANDLERS, e.g. "scores.template".
    kind = models.CharField(_("jenis"), max_length=64)
    title = models.CharField(_("judul"), max_length=200)
    # The handler's arguments: ids and plain values only (JSON).
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    # The upload the job works on, kept until the job is finished (a retry reads it again).
    input_file = models.FileField(_("berkas masukan"), upload_to="jobs/input/%Y/%m/", blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    percent = models.PositiveSmallIntegerField(_("persen"), default=0)
    rows_done = models.PositiveIntegerField(_("baris selesai"), default=0)
    rows_total = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    errors = models.JSONField(_("kesalahan"), default=list, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    result_file = models.FileField(_("berkas hasil"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("nama berkas hasil"), max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    # Where the owner goes next when the job is done (the round, the programme list...).
    next_url = models.CharField(_("tautan lanjutan"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    # "host:pid" of the worker process running it: a dead process on the same host is
    # recognised at once, without waiting for the heartbeat to go stale.
    worker = models.CharField(_("proses pekerja"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pekerjaan")
        verbose_name_plural = _("pekerjaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="%(app_label)s_%(class)s_percent_range",
                violation_error_message=_("Persentase paling besar 100."),
            ),
        ]
        indexes = [
            # The stale-job sweep and the readiness backlog read unfinished jobs only.
            models.Index(
                fields=["state", "heartbeat_at"],
                name="jobs_job_unfinished_idx",
                condition=Q(state__in=["queued", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def signed_in_owner(self) -> User:
        """The user who started the job, for handlers that check the starter's rights. A
        job the public started (an open-data bundle) has no owner: such handlers refuse it."""
        if self.owner is None:
            raise PermissionDenied
        return self.owner

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def has_result_file(self) -> bool:
        return self.state == JobState.SUCCEEDED and bool(self.result_file)


class PeriodicRun(models.Model):
    """When each periodic job (session clean-up, reminders...) last ran."""

    name = models.CharField(_("nama"), max_length=64, unique=True)
    last_started_at = models.DateTimeField(_("terakhir mulai"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("terakhir selesai"), null=True, blank=True)
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jadwal berkala")
        verbose_name_plural = _("jadwal berkala")

    def __str__(self) -> str:
        return self.name
