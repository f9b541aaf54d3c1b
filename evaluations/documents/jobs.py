"""Background jobs of official documents: every current letter of a round in one ZIP."""

from __future__ import annotations

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.documents.models import Document, DocumentKind
from evaluations.documents.services import document_pdf
from evaluations.models import Round
from evaluations.roles import is_manager
from smartcity.jobs.models import Job
from smartcity.jobs.services import Progress, job_handler

LETTERS_ZIP = "documents.letters_zip"
NO_LETTERS = gettext_lazy("Putaran ini belum punya surat hasil yang diterbitkan.")
NOT_A_MANAGER = gettext_lazy("Hanya pengelola putaran yang dapat mengunduh semua surat.")


def round_letters(round_: Round) -> list[Document]:
    """The round's letters that still stand (one per region), in national order."""
    return list(
        Document.objects.with_context()
        .current()
        .filter(participation__round=round_, kind=DocumentKind.LETTER)
        .select_related("participation__result")
        .order_by("participation__result__national_rank", "participation__region__code")
    )


@job_handler(LETTERS_ZIP)
def letters_zip(job: Job, progress: Progress) -> str:
    """Render (or reuse) each letter's PDF and pack them with a list of numbers and codes.

    Rights are checked again here: the job may run minutes after the click."""
    if not is_manager(job.signed_in_owner):
        raise ValidationError(NOT_A_MANAGER)
    round_ = Round.objects.get(pk=job.params["round_id"])
    letters = round_letters(round_)
    if not letters:
        raise ValidationError(NO_LETTERS)
    progress.set_total(len(letters))
    buffer = io.BytesIO()
    listing = io.StringIO()
    writer = csv.writer(listing)
    writer.writerow(
        [
            "nomor",
            "tanggal",
            "kode_wilayah",
            "wilayah",
            "berkas",
            "kode_verifikasi",
            "sha256",
            "ditandatangani",
        ]
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in letters:
            pdf = document_pdf(letter)
            archive.writestr(letter.filename, pdf)
            writer.writerow(
                [
                    letter.number,
                    letter.document_date.isoformat(),
                    letter.participation.region.code,
                    letter.participation.region.name,
                    letter.filename,
                    letter.code,
                    letter.pdf_sha256,
                    "ya" if letter.signed else "tidak",
                ]
            )
            progress.advance()
        archive.writestr("daftar-surat.csv", listing.getvalue())
    progress.save_result(
        content=buffer.getvalue(),
        filename=f"surat-hasil-{round_.slug}.zip",
        content_type="application/zip",
    )
    progress.set_next_url(reverse("documents:round", kwargs={"slug": round_.slug}))
    return _("%(count)s surat hasil dikemas dalam satu berkas ZIP.") % {"count": len(letters)}
