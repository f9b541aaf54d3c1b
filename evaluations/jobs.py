"""Background jobs of the evaluation: the score template, the score import and the programme
import. Thin wrappers: the work is done by the existing services (``scores_io``,
``programmes.spreadsheet``), which stay all-or-nothing in one transaction; the views check
rights, size and the spreadsheet's dimensions before a job is queued (``upload_precheck``).
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations import access
from evaluations.models import Indicator, Participation, Round
from evaluations.roles import is_manager
from evaluations.services import programmes as programme_svc
from evaluations.services import scores_io
from evaluations.services.evidence import FILE_ZIP_TOO_LARGE, spreadsheet_too_large
from jobs.models import Job
from jobs.services import Progress, job_handler
from regions.models import Region
from smartcity.logs import log_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

TOO_MANY_ROWS = _("Berkas berisi lebih dari %(max)s baris.")
TOO_MANY_COLUMNS = _("Berkas berisi lebih dari %(max)s kolom.")
# The widest sheet an import reads; the templates have 9 (scores) and 10 (programmes) columns.
MAX_COLUMNS = 100


# --- Checks done in the request, before a job is queued ----------


def upload_precheck(data: bytes, filename: str, *, max_rows: int) -> list[str]:
    """Problems found without parsing the cells: a package that unpacks too far, more rows
    or columns than an import reads (from the XLSX's declared dimension, or a CSV's lines).
    The job's reader checks the cells themselves again."""
    if filename.lower().endswith(".xlsx"):
        if spreadsheet_too_large(io.BytesIO(data)):
            return [str(FILE_ZIP_TOO_LARGE)]
        rows, columns = _xlsx_dimension(data)
    else:
        rows = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        first = data.split(b"\n", 1)[0]
        columns = max(first.count(b","), first.count(b";"), first.count(b"\t")) + 1
    problems = []
    if rows > max_rows + 1:
        problems.append(str(TOO_MANY_ROWS % {"max": max_rows}))
    if columns > MAX_COLUMNS:
        problems.append(str(TOO_MANY_COLUMNS % {"max": MAX_COLUMNS}))
    return problems


def _xlsx_dimension(data: bytes) -> tuple[int, int]:
    """(rows, columns) the first worksheet declares (``<dimension ref="A1:I30327"/>``); (0, 0)
    when it declares none or the package is damaged (the reader reports that)."""
    from openpyxl.utils.cell import range_boundaries

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = sorted(n for n in package.namelist() if n.startswith("xl/worksheets/sheet"))
            if not names:
                return 0, 0
            with package.open(names[0]) as sheet:
                head = sheet.read(4096).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return 0, 0
    marker = head.find("<dimension ref=")
    if marker < 0:
        return 0, 0
    ref = head[marker + 16 :].split(head[marker + 15], 1)[0]
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0, 0
    return (max_row or 0) - (min_row or 1) + 1, (max_col or 0) - (min_col or 1) + 1


# --- Score template ----------


@job_handler("scores.template")
def scores_template(job: Job, progress: Progress) -> str:
    if not is_manager(job.owner):
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


# --- Score import ----------


@job_handler("scores.import")
def scores_import(job: Job, progress: Progress) -> str:
    round_ = Round.objects.get(pk=job.params["round_id"])
    progress.set_percent(5)
    with job.input_file.open("rb") as handle:
        data = handle.read()
    report = scores_io.verified_levels_import(
        round=round_, data=data, filename=job.params["filename"], by=job.owner
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
    if not access.workspace_regions(job.owner).filter(pk=region.pk).exists():
        raise PermissionDenied
    progress.set_percent(5)
    with job.input_file.open("rb") as handle:
        upload = SimpleUploadedFile(job.params["filename"], handle.read(), XLSX)
    try:
        created = programme_svc.programmes_import(region=region, upload=upload, by=job.owner)
    except programme_svc.ProgrammeImportError as error:
        raise ValidationError([_problem_text(p) for p in error.problems]) from None
    progress.set_total(len(created))
    progress.advance(len(created))
    progress.set_next_url(reverse("city:programme_list", args=[region.slug]))
    log_event(
        "import.programmes",
        region=region.code,
        user_id=job.owner_id,
        job=str(job.pk),
        created=len(created),
    )
    return gettext("%(count)s program diimpor.") % {"count": len(created)}


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
