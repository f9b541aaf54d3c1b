"""Page images of a PDF evidence file, rendered once by a background job for its preview."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models.programmes import Evidence
from smartcity.jobs.models import Job


class PreviewState(models.TextChoices):
    PREPARING = "preparing", _("Disiapkan")
    READY = "ready", _("Siap")
    FAILED = "failed", _("Tidak dapat ditampilkan")


class PreviewProblem(models.TextChoices):
    """Why a PDF has no page images (codes of ``evaluations.pdf_pages``)."""

    DAMAGED = "damaged", _("rusak")
    ENCRYPTED = "encrypted", _("dilindungi kata sandi")
    TOO_HEAVY = "too_heavy", _("terlalu berat")


class EvidencePreview(models.Model):
    """The first pages of one PDF evidence file as images, for the preview beside an
    indicator (Chromium shows no PDF inside a sandboxed frame).

    One per evidence; its images live in the default storage under the file's SHA-256
    (``evidence-previews/<sha256>/``), so two uploads of the same file share one rendering.
    Nothing here is entered by hand: it is a cache, rebuilt when the evidence's file
    changes. Read only through the evidence's scoped querysets (the evidence's rights).
    """

    evidence = models.OneToOneField(
        Evidence, on_delete=models.CASCADE, related_name="pdf_preview", verbose_name=_("bukti")
    )
    state = models.CharField(
        _("status"), max_length=16, choices=PreviewState.choices, default=PreviewState.PREPARING
    )
    problem = models.CharField(
        _("masalah"), max_length=16, choices=PreviewProblem.choices, blank=True
    )
    # The evidence's file when rendering started: another file means another rendering.
    source_name = models.CharField(_("berkas sumber"), max_length=200)
    sha256 = models.CharField(_("SHA-256 berkas"), max_length=64, blank=True, db_index=True)
    # Pages of the whole document; ``pages`` holds at most the first few (pdf_pages.Limits).
    page_count = models.PositiveIntegerField(_("jumlah halaman"), null=True, blank=True)
    # [{"name": <storage name>, "width": px, "height": px}, ...], page 1 first.
    pages = models.JSONField(_("gambar halaman"), default=list, blank=True)
    # The job rendering it; SET_NULL: finished jobs are pruned, the images stay.
    job = models.ForeignKey(
        Job,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pekerjaan"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pratinjau bukti PDF")
        verbose_name_plural = _("pratinjau bukti PDF")
        constraints = [
            models.CheckConstraint(
                # IS NOT NULL too: a CHECK that is NULL (page_count unknown) would pass.
                condition=~Q(state=PreviewState.READY)
                | Q(page_count__isnull=False, page_count__gte=1),
                name="%(app_label)s_%(class)s_ready_has_pages",
                violation_error_message=_("Pratinjau yang siap mempunyai halaman."),
            ),
            models.CheckConstraint(
                condition=Q(state=PreviewState.FAILED) | Q(problem=""),
                name="%(app_label)s_%(class)s_problem_only_when_failed",
                violation_error_message=_("Hanya pratinjau yang gagal mempunyai masalah."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence} ({self.get_state_display()})"

    @property
    def is_ready(self) -> bool:
        return self.state == PreviewState.READY

    @property
    def is_failed(self) -> bool:
        return self.state == PreviewState.FAILED

    @property
    def is_stuck(self) -> bool:
        """Still preparing, but its job ended without finishing it (an unexpected error, a
        worker lost twice): shown as a failure, rendered again later. Reads ``job``: a
        query unless it was selected with the preview."""
        return self.state == PreviewState.PREPARING and self.job is not None and self.job.finished

    @property
    def is_waiting(self) -> bool:
        """Its job is queued or running: the panel asks again."""
        return self.state == PreviewState.PREPARING and not self.is_stuck

    @property
    def poll_seconds(self) -> int:
        """How long the panel waits before asking again: every second at first (ten pages
        take a few seconds), then less often, so that a panel left open while no worker runs
        costs a request every 10 s rather than every second. Reads ``job`` as ``is_stuck``."""
        if self.job is None:
            return 1
        waited = (timezone.now() - self.job.created_at).total_seconds()
        return 1 if waited < 15 else 3 if waited < 60 else 10

    @property
    def shown_pages(self) -> int:
        return len(self.pages)

    @property
    def is_cut(self) -> bool:
        """Only the first pages are shown (the document has more)."""
        return (self.page_count or 0) > len(self.pages)
