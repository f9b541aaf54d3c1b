"""Background jobs of the evaluation: the score template, the score import, the programme
import and the page images of PDF evidence. Thin wrappers: the work is done by the existing
services (``scores_io``, ``programmes.spreadsheet``, ``evidence_previews``), which stay
all-or-nothing in one transaction; the views check rights and preview the file with the
bounded reader (``smartcity.tabular``) before a job is queued.
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations import access
from evaluations.models import ImportKind, ImportUpload, Indicator, Participation, Round
from evaluations.roles import is_manager
from evaluations.services import evidence_previews, scores_io
from evaluations.services import programmes as programme_svc
from regions.models import Region
from smartcity.jobs.models import Job
from smartcity.jobs.services import Progress, job_handler
from smartcity.logs import log_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

# The widest sheet an import reads; the templates have 9 (scores) and 10 (programmes) columns.
MAX_COLUMNS = 100


# --- Score template ----------


@job_handler("scores.template")
def scores_template(job: Job, progress: Progress) -> str:
    if not is_manager(job.signed_in_owner):
        raise PermissionDenied
    round_ = Round.objects.select_related("instrument").get(pk=job.params["round_id"])
    rows = (
        Participation.objects.filter(round=round_, excluded=False).count()
        * Indicator.objects.filter(instrument_id=round_.instrument_id).count()
    )
    progress.set_total(rows)
    progress.set_percent(5)
    fmt = job.params["fmt"]
    if fmt == "xlsx":
        content, content_type = scores_io.template_xlsx(round_), XLSX
    else:
        content, content_type = scores_io.template_csv(round_), CSV
    progress.advance(rows)
    progress.save_result(
        content=content, filename=f"nilai-{round_.slug}.{fmt}", content_type=content_type
    )
    progress.set_next_url(reverse("reviewer:round", args=[round_.slug]))
    return gettext("Templat berisi %(rows)s baris.") % {"rows": rows}


# --- Score upload preview ----------

# The preview page lists this many changed rows (a national upload can change 30,000;
# the counts above the list cover them all).
PREVIEW_ROWS = 50

UPLOAD_GONE = _("Berkas yang diunggah sudah tidak tersedia. Unggah berkas sekali lagi.")


@job_handler("scores.preview")
def scores_preview(job: Job, progress: Progress) -> str:
    """Read and check every row of an uploaded score file (30,000 rows take seconds) and
    compare it with the stored levels; nothing is written. The result (counts and the first
    changed rows) is kept in the job's parameters for the upload page, which offers to
    apply the kept file (``scores.import``)."""
    round_ = Round.objects.get(pk=job.params["round_id"])
    upload = (
        ImportUpload.objects.pending_for(job.signed_in_owner)
        .filter(pk=job.params["upload_id"], kind=ImportKind.SCORES, round=round_)
        .first()
    )
    if upload is None:
        raise ValidationError(UPLOAD_GONE)
    progress.set_percent(5)
    try:
        report = scores_io.verified_levels_import_preview(
            round=round_, data=bytes(upload.data), filename=upload.filename, by=job.signed_in_owner
        )
    except ValidationError:
        upload.delete()  # nothing to apply
        raise
    rows = report.created + report.updated + report.unchanged + report.skipped
    progress.set_total(rows)
    progress.advance(rows)
    preview = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "changes": len(report.changes),
        "rows": [dataclasses.asdict(change) for change in report.changes[:PREVIEW_ROWS]],
    }
    Job.objects.filter(pk=job.pk).update(params={**job.params, "preview": preview})
    url = reverse("reviewer:scores_upload", args=[round_.slug])
    progress.set_next_url(f"{url}?preview={job.pk}")
    return gettext(
        "Berkas diperiksa: %(created)s level baru, %(updated)s diubah, %(unchanged)s tetap, "
        "%(skipped)s baris tanpa level dilewati. Belum ada yang disimpan: buka pratinjau "
        "untuk menerapkannya."
    ) % {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
    }


# --- Score import ----------


@job_handler("scores.import")
def scores_import(job: Job, progress: Progress) -> str:
    round_ = Round.objects.get(pk=job.params["round_id"])
    progress.set_percent(5)
    with job.input_file.open("rb") as handle:
        data = handle.read()
    report = scores_io.verified_levels_import(
        round=round_, data=data, filename=job.params["filename"], by=job.signed_in_owner
    )
    rows = report.created + report.updated + report.unchanged + report.skipped
    progress.set_total(rows)
    progress.advance(rows)
    progress.set_next_url(reverse("reviewer:round", args=[round_.slug]))
    log_event(
        "import.scores",
        round=round_.slug,
        user_id=job.owner_id,
        job=str(job.pk),
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        skipped=report.skipped,
    )
    return (
        gettext(
            "Unggahan tersimpan: %(created)s level baru, %(updated)s diubah, "
            "%(unchanged)s tetap, %(skipped)s baris tanpa level dilewati."
        )
        % report.__dict__
    )


# --- Programme import ----------


@job_handler("programmes.import")
def programmes_import(job: Job, progress: Progress) -> str:
    region = Region.objects.get(pk=job.params["region_id"])
    # The operator may have lost the region since the upload.
    if not access.workspace_regions(job.signed_in_owner).filter(pk=region.pk).exists():
        raise PermissionDenied
    progress.set_percent(5)
    with job.input_file.open("rb") as handle:
        data = handle.read()
    try:
        plan = programme_svc.programmes_import(region=region, data=data, by=job.signed_in_owner)
    except programme_svc.ProgrammeImportError as error:
        raise ValidationError([_problem_text(p) for p in error.problems]) from None
    rows = len(plan.adds) + len(plan.changes)
    progress.set_total(rows)
    progress.advance(rows)
    progress.set_next_url(reverse("city:programme_list", args=[region.slug]))
    log_event(
        "import.programmes",
        region=region.code,
        user_id=job.owner_id,
        job=str(job.pk),
        created=len(plan.adds),
        changed=len(plan.changes),
    )
    return gettext("Impor diterapkan: %(added)s program ditambahkan, %(changed)s diubah.") % {
        "added": len(plan.adds),
        "changed": len(plan.changes),
    }


def _problem_text(problem: programme_svc.ImportProblem) -> str:
    if problem.row and problem.column:
        return gettext("Baris %(row)s, kolom %(column)s: %(message)s") % {
            "row": problem.row,
            "column": problem.column,
            "message": problem.message,
        }
    if problem.row:
        return gettext("Baris %(row)s: %(message)s") % {
            "row": problem.row,
            "message": problem.message,
        }
    return str(problem.message)


# --- PDF evidence page images ----------


@job_handler(evidence_previews.PREVIEW_KIND)
def evidence_pdf_pages(job: Job, progress: Progress) -> str:
    """Render the page images of one PDF evidence file. Nobody owns the job (the preview is
    shared by everyone who may read the evidence); rights are checked when the images are
    served, through the evidence's scoped querysets."""
    return evidence_previews.preview_render(preview_id=job.params["preview_id"], progress=progress)


# The open-data bundle's handler lives with the other open-data code.
from evaluations.harvest import bundles as _bundles  # noqa: E402, F401
