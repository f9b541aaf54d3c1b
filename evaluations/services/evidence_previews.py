"""PDF evidence previewed as page images (issue 16).

Chromium shows no PDF inside a sandboxed frame, so a PDF is previewed as pictures of its
first pages instead: no script, no plug-in, nothing of the file's own runs in the reader's
browser. The first request for a PDF's preview (``evidence_pdf_preview``) queues a background
job (``evidence.pdf_pages``, see ``evaluations/jobs.py``) that copies the file out of storage
(any Django storage, S3 included), hashes it, and renders it in a bounded child process
(``evaluations.pdf_pages``). The images go to the evidence's storage under the file's SHA-256,
so two uploads of the same file are rendered once. The preview panel polls until the
preview is ready or failed; a damaged, password-protected or too heavy PDF gets a
message saying so (and the download link), never an error page.

Who may see the images is decided by the caller, through the same scoped evidence querysets
as the download (``evaluations.access``); ``page_response`` serves one image.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations import pdf_pages
from evaluations.models import Evidence, EvidencePreview, PreviewProblem, PreviewState
from smartcity.jobs.services import job_start

if TYPE_CHECKING:
    from django.core.files.storage import Storage
    from django_stubs_ext import StrOrPromise

    from smartcity.jobs.services import Progress

PREVIEW_KIND = "evidence.pdf_pages"
PDF = "application/pdf"
STORAGE_DIR = "evidence-previews"
# A new value when the images change (size, format): ready previews are then rendered again,
# into a folder of their own, the next time they are looked at (``_needs_render``).
RENDER_VERSION = "v1"
LIMITS = pdf_pages.Limits()
_CHUNK = 1024 * 1024
# A rendering whose job ended without finishing it is tried again after this long.
RETRY_AFTER = timedelta(minutes=10)

# --- Messages (tests import these) ----------
PROBLEM_MESSAGES: dict[str, StrOrPromise] = {
    PreviewProblem.DAMAGED: _(
        "PDF ini rusak atau tidak dapat dibaca, jadi tidak dapat dipratinjau. Unduh berkasnya "
        "untuk membukanya di komputer Anda."
    ),
    PreviewProblem.ENCRYPTED: _(
        "PDF ini dilindungi kata sandi, jadi tidak dapat dipratinjau. Unduh berkasnya dan "
        "minta kata sandinya kepada wilayah."
    ),
    PreviewProblem.TOO_HEAVY: _(
        "PDF ini terlalu berat untuk dipratinjau (halaman terlalu rumit atau terlalu besar). "
        "Unduh berkasnya untuk membukanya di komputer Anda."
    ),
}
PREVIEW_JOB_FAILED = _(
    "Pratinjau tidak dapat dibuat saat ini. Unduh berkasnya, atau buka pratinjau lagi nanti."
)


def is_pdf(evidence: Evidence) -> bool:
    """A stored PDF (its type was checked by its content at upload)."""
    return bool(evidence.file) and evidence.content_type == PDF


def problem_message(preview: EvidencePreview) -> StrOrPromise:
    """What a reader is told about a preview that has no images (failed, or stuck)."""
    return PROBLEM_MESSAGES.get(preview.problem, PREVIEW_JOB_FAILED)


def _needs_render(preview: EvidencePreview, evidence: Evidence) -> bool:
    """Another file than the one rendered, or a rendering whose job is gone (pruned) or
    ended without finishing it at least ``RETRY_AFTER`` ago (until then the panel says it
    failed, rather than starting the same failing work at every look)."""
    if preview.source_name != evidence.file.name:
        return True
    if preview.state == PreviewState.READY:
        # Images of an earlier RENDER_VERSION are rendered again, into the new folder.
        folder = _folder(preview.sha256)
        return not all(str(page["name"]).startswith(folder) for page in preview.pages)
    if preview.state != PreviewState.PREPARING:
        return False  # failed for this file: stays so until the file changes
    if preview.job is None:
        return True
    finished_at = preview.job.finished_at
    return preview.job.finished and (
        finished_at is None or finished_at < timezone.now() - RETRY_AFTER
    )


def evidence_pdf_preview(*, evidence: Evidence) -> EvidencePreview:
    """The preview of a stored PDF: the existing one, or a new rendering queued.

    ``evidence`` must come from a scoped queryset (the caller's rights). Many readers asking
    at once queue one job: the preview row is unique per evidence, and a rendering is started
    again only when the file changed or its job ended without finishing.
    """
    if not is_pdf(evidence):
        raise ValueError("Only a stored PDF has page images.")
    preview = EvidencePreview.objects.select_related("job").filter(evidence=evidence).first()
    if preview is not None and not _needs_render(preview, evidence):
        return preview
    try:
        with transaction.atomic():
            if preview is None:
                preview = EvidencePreview.objects.create(
                    evidence=evidence, source_name=evidence.file.name or ""
                )
            else:
                preview = (
                    EvidencePreview.objects.select_for_update(of=("self",))
                    .select_related("job")
                    .get(pk=preview.pk)
                )
                if not _needs_render(preview, evidence):
                    return preview  # another reader restarted it meanwhile
                forget_images(preview)  # those of the file it had before, if nobody shares them
                EvidencePreview.objects.filter(pk=preview.pk).update(
                    state=PreviewState.PREPARING,
                    problem="",
                    source_name=evidence.file.name or "",
                    sha256="",
                    page_count=None,
                    pages=[],
                )
            job = job_start(
                kind=PREVIEW_KIND,
                owner=None,
                title=gettext("Pratinjau halaman: %(title)s") % {"title": evidence.title},
                params={"preview_id": preview.pk},
            )
            EvidencePreview.objects.filter(pk=preview.pk).update(job=job)
    except IntegrityError:
        # Another reader asked at the same moment: theirs is the one (this job and its queue
        # entry were rolled back with the row).
        pass
    # Read again: with a task backend that runs at once, the job is already done.
    return EvidencePreview.objects.select_related("job").get(evidence=evidence)


def _copy_hashing(source: File, target: Path) -> str:
    """Copy a stored file to the local disk in chunks; its SHA-256."""
    digest = hashlib.sha256()
    with source.open("rb") as handle, target.open("wb") as out:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _folder(sha256: str) -> str:
    return f"{STORAGE_DIR}/{sha256}/{RENDER_VERSION}/"


def _rendered_already(sha256: str, *, storage: Storage, exclude: int) -> EvidencePreview | None:
    """A finished rendering of the same file at the same version, images still stored."""
    for other in EvidencePreview.objects.filter(sha256=sha256, state=PreviewState.READY).exclude(
        pk=exclude
    ):
        names = [page["name"] for page in other.pages]
        if (
            names
            and all(name.startswith(_folder(sha256)) for name in names)
            and storage.exists(names[0])
        ):
            return other
    return None


def preview_render(*, preview_id: int, progress: Progress | None = None) -> str:
    """Render a preview's images (the job's work); returns the job's notice.

    Only the row of a preview still waiting for this file is written: a preview whose
    evidence was deleted, or whose file was replaced meanwhile, is left alone.
    """
    preview = EvidencePreview.objects.select_related("evidence").filter(pk=preview_id).first()
    if preview is None or preview.state != PreviewState.PREPARING:
        return gettext("Tidak ada pratinjau yang perlu dibuat.")
    evidence = preview.evidence
    if not is_pdf(evidence) or evidence.file.name != preview.source_name:
        return gettext("Tidak ada pratinjau yang perlu dibuat.")
    storage = evidence.file.storage
    waiting = EvidencePreview.objects.filter(
        pk=preview.pk, state=PreviewState.PREPARING, source_name=preview.source_name
    )
    with tempfile.TemporaryDirectory(prefix="pdf-preview-") as workdir:
        source = Path(workdir) / "source.pdf"
        sha256 = _copy_hashing(evidence.file, source)
        if progress:
            progress.set_percent(10)
        shared = _rendered_already(sha256, storage=storage, exclude=preview.pk)
        if shared is not None:
            waiting.update(
                state=PreviewState.READY,
                sha256=sha256,
                page_count=shared.page_count,
                pages=shared.pages,
            )
            return gettext("Gambar halaman yang sudah ada dipakai lagi.")
        outdir = Path(workdir) / "pages"
        outdir.mkdir()
        outcome = pdf_pages.render_pages(source, outdir, LIMITS)
        if outcome.problem:
            waiting.update(state=PreviewState.FAILED, problem=outcome.problem, sha256=sha256)
            return str(PROBLEM_MESSAGES.get(outcome.problem, PREVIEW_JOB_FAILED))
        if progress:
            progress.set_percent(80)
        pages: list[dict[str, object]] = []
        for number, page in enumerate(outcome.pages, start=1):
            with page.path.open("rb") as handle:
                name = storage.save(f"{_folder(sha256)}page-{number}.webp", File(handle))
            pages.append({"name": name, "width": page.width, "height": page.height})
    written = waiting.update(
        state=PreviewState.READY, sha256=sha256, page_count=outcome.page_count, pages=pages
    )
    if not written:  # replaced or deleted meanwhile: these images belong to nobody
        for stored in pages:
            storage.delete(str(stored["name"]))
    return gettext("%(count)s halaman dirender.") % {"count": len(pages)}


def page_response(preview: EvidencePreview, number: int) -> FileResponse | None:
    """Page ``number`` (from 1) of a ready preview, or None when it has no such page.

    The caller has checked the reader's rights to the evidence. An image is an image only:
    ``nosniff``, and a sandboxing CSP in case a browser is ever led to it as a document."""
    if not preview.is_ready or not 1 <= number <= len(preview.pages):
        return None
    storage = preview.evidence.file.storage
    try:
        image = storage.open(preview.pages[number - 1]["name"], "rb")
    except OSError:
        # Gone from the storage (a clean-up, a lifecycle rule, a race with the deletion of
        # the same file's other copy): not found, rather than a 500.
        return None
    response = FileResponse(
        image,
        as_attachment=False,
        filename=f"halaman-{number}.webp",
        content_type="image/webp",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    # As a download: a seat removed is access removed at once, also for what was seen.
    response["Cache-Control"] = "private, no-store"
    return response


def forget_images(preview: EvidencePreview) -> None:
    """After the commit, delete a deleted evidence's page images unless another evidence
    (the same file uploaded again) still shows them."""
    if not preview.pages:
        return
    storage = preview.evidence.file.storage
    names = [page["name"] for page in preview.pages]
    sha256 = preview.sha256

    def drop() -> None:
        shared = EvidencePreview.objects.filter(sha256=sha256, state=PreviewState.READY)
        if sha256 and shared.exists():
            return
        for name in names:
            storage.delete(name)

    transaction.on_commit(drop)
