"""Writes on official documents: letterheads, issuing letters and minutes, storing PDFs.

Keyword-only, transactional; ``ValidationError`` carries one of the message constants
below, ``PermissionDenied`` answers a user without the right.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from evaluations.documents import content as doc_content
from evaluations.documents.access import can_issue_minutes
from evaluations.documents.models import (
    NUMBER_PLACEHOLDER,
    ROMAN_MONTHS,
    Document,
    DocumentKind,
    Letterhead,
    NumberCounter,
)
from evaluations.documents.rendering import render_document
from evaluations.documents.sources import current_publication
from evaluations.models import (
    Attendee,
    AttendeeSide,
    FieldReview,
    Participation,
    Publication,
    Result,
    Round,
    RoundStatus,
)
from evaluations.roles import is_manager

NO_LETTERHEAD = _(
    "Putaran ini belum punya kop surat dan penanda tangan. Isi kop surat terlebih dahulu."
)
ROUND_NOT_PUBLISHED = _("Surat hasil hanya diterbitkan untuk putaran yang sudah dipublikasikan.")
NOTHING_TO_ISSUE = _("Semua surat hasil publikasi terakhir sudah diterbitkan.")
NO_FIELD_REVIEW = _("Belum ada tinjauan lapangan untuk peserta ini.")
MEETING_NOT_HELD = _("Berita acara diterbitkan setelah tinjauan lapangan selesai ({date}).")
SIGNATORY_NOT_REGION_ATTENDEE = _(
    "Penanda tangan pihak daerah harus salah satu peserta hadir dari pemerintah daerah."
)
SIGNATORY_REQUIRED = _("Pilih penanda tangan dari pihak pemerintah daerah.")
LOGO_TOO_LARGE = _("Logo terlalu besar (maksimal 512 KB).")
LOGO_NOT_IMAGE = _("Logo harus berkas PNG atau JPEG.")

LOGO_MAX_BYTES = 512 * 1024


def _require_manager(by: User) -> None:
    if not is_manager(by):
        raise PermissionDenied


def check_logo(data: bytes) -> str:
    """The logo's content type, after checking it is a small, real PNG or JPEG image."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(LOGO_TOO_LARGE, code="logo_size")
    try:
        with Image.open(BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(LOGO_NOT_IMAGE, code="logo_type") from None
    if kind not in ("PNG", "JPEG"):
        raise ValidationError(LOGO_NOT_IMAGE, code="logo_type")
    return f"image/{kind.lower()}"


@transaction.atomic
def letterhead_set(
    *, round: Round, by: User, logo: bytes | None = None, **fields: Any
) -> Letterhead:
    """A new letterhead version for the round. ``logo=None`` keeps the current logo;
    ``b""`` removes it. Documents already issued keep the version they were issued with."""
    _require_manager(by)
    current = Letterhead.objects.current_for(round)
    letterhead = Letterhead(round=round, created_by=by, **fields)
    if logo is None:
        if current is not None:
            letterhead.logo, letterhead.logo_type = current.logo, current.logo_type
    elif logo:
        letterhead.logo_type = check_logo(logo)
        letterhead.logo = logo
    letterhead.full_clean(exclude=["round", "created_by"])
    letterhead.save()
    return letterhead


def _in_indonesian(build: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Official documents are Indonesian texts whatever the issuer's language."""
    with translation.override("id"):
        return build(*args, **kwargs)


# --- Numbers --------------------------------------------------------------------------------


def format_number(pattern: str, *, seq: int, unit: str, on: date) -> str:
    values = {
        "seq": seq,
        "unit": unit,
        "month": f"{on.month:02d}",
        "month_roman": ROMAN_MONTHS[on.month - 1],
        "year": str(on.year),
    }

    def fill(match: Any) -> str:
        name, width = match.group(1), match.group(2)
        if name == "seq" and width:
            return f"{seq:0{int(width)}d}"
        return str(values[name])

    return NUMBER_PLACEHOLDER.sub(fill, pattern)


def _next_sequence(kind: str, year: int) -> int:
    """Take the next number of the (kind, year) register under a row lock: two issues at
    once wait for each other, and a rolled-back issue gives its number back (nothing was
    handed out)."""
    try:
        with transaction.atomic():
            NumberCounter.objects.get_or_create(kind=kind, year=year)
    except IntegrityError:  # created meanwhile by a concurrent issue
        pass
    counter = NumberCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _issue(
    *,
    kind: str,
    participation: Participation,
    letterhead: Letterhead,
    on: date,
    content: dict[str, Any],
    by: User,
    publication: Publication | None = None,
) -> Document:
    sequence = _next_sequence(kind, on.year)
    document = Document.objects.create(
        kind=kind,
        participation=participation,
        publication=publication,
        letterhead=letterhead,
        number=format_number(
            letterhead.number_pattern(kind), seq=sequence, unit=letterhead.unit_code, on=on
        ),
        year=on.year,
        sequence=sequence,
        document_date=on,
        content=content,
        issued_by=by,
    )
    # Earlier documents of the same kind for the same participation are replaced by this one.
    for older in Document.objects.filter(
        participation=participation, kind=kind, superseded_by__isnull=True
    ).exclude(pk=document.pk):
        older.superseded_by = document
        older.save(update_fields=["superseded_by"])
    return document


@transaction.atomic
def letters_issue(*, round: Round, by: User) -> list[Document]:
    """Issue a numbered letter to every ranked participant of the round's latest publication
    that has none yet; dated with the publication. Returns the new letters."""
    _require_manager(by)
    locked = Round.objects.select_for_update().select_related("instrument").get(pk=round.pk)
    if locked.status != RoundStatus.PUBLISHED:
        raise ValidationError(ROUND_NOT_PUBLISHED, code="not_published")
    letterhead = Letterhead.objects.current_for(locked)
    if letterhead is None:
        raise ValidationError(NO_LETTERHEAD, code="no_letterhead")
    publication = current_publication(locked)
    if publication is None:
        raise ValidationError(ROUND_NOT_PUBLISHED, code="not_published")
    on = timezone.localdate(publication.published_at)
    done = set(
        Document.objects.filter(kind=DocumentKind.LETTER, publication=publication).values_list(
            "participation_id", flat=True
        )
    )
    results = (
        Result.objects.for_round(locked)
        .filter(participation__excluded=False)
        .exclude(participation_id__in=done)
        .select_related("participation__region__province", "participation__round__instrument")
        .order_by("national_rank", "participation__region__code")
    )
    issued = [
        _issue(
            kind=DocumentKind.LETTER,
            participation=result.participation,
            letterhead=letterhead,
            on=on,
            content=_in_indonesian(doc_content.letter_content, result, publication),
            by=by,
            publication=publication,
        )
        for result in results
    ]
    if not issued:
        raise ValidationError(NOTHING_TO_ISSUE, code="nothing_to_issue")
    _render_after_commit([d.pk for d in issued])
    return issued


def _render_after_commit(document_ids: list[int]) -> None:
    from evaluations.documents.tasks import render_documents

    transaction.on_commit(lambda: render_documents.enqueue(document_ids))


def minutes_signatory_choices(participation: Participation) -> list[Attendee]:
    return list(
        Attendee.objects.filter(
            field_review__participation=participation, side=AttendeeSide.REGION
        ).order_by("name", "pk")
    )


@transaction.atomic
def minutes_issue(
    *, participation: Participation, by: User, region_signatory: Attendee | None
) -> Document:
    """Issue the field-review minutes, numbered and dated with the (last) meeting day."""
    if not can_issue_minutes(by, participation):
        raise PermissionDenied
    review = FieldReview.objects.filter(participation=participation).first()
    if review is None:
        raise ValidationError(NO_FIELD_REVIEW, code="no_field_review")
    if review.end_date > timezone.localdate():
        raise ValidationError(
            MEETING_NOT_HELD.format(date=review.end_date.strftime("%d-%m-%Y")), code="not_held"
        )
    choices = minutes_signatory_choices(participation)
    if region_signatory is None and choices:
        raise ValidationError(SIGNATORY_REQUIRED, code="signatory_required")
    if region_signatory is not None and region_signatory.pk not in {a.pk for a in choices}:
        raise ValidationError(SIGNATORY_NOT_REGION_ATTENDEE, code="signatory")
    letterhead = Letterhead.objects.current_for(participation.round)
    if letterhead is None:
        raise ValidationError(NO_LETTERHEAD, code="no_letterhead")
    document = _issue(
        kind=DocumentKind.MINUTES,
        participation=participation,
        letterhead=letterhead,
        on=review.end_date,
        content=_in_indonesian(
            doc_content.minutes_content,
            participation,
            region_signatory_id=region_signatory.pk if region_signatory else None,
        ),
        by=by,
    )
    _render_after_commit([document.pk])
    return document


# --- Files ----------------------------------------------------------------------------------


def _stored(document: Document) -> bytes | None:
    """The stored file, when it exists and may still be handed out as it is."""
    from evaluations.documents import signing

    if not document.pdf or not (document.signed or not signing.signing_configured()):
        return None
    try:
        with document.pdf.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:  # lost from the storage: rendered again from the frozen copy
        return None


def document_pdf(document: Document) -> bytes:
    """The document's PDF as handed out: the stored file, rendered (and signed) the first
    time. An unsigned draft stored before a certificate was configured is rendered again
    and signed; a signed file is never replaced."""
    stored = _stored(document)
    if stored is not None:
        return stored
    with transaction.atomic():
        locked = Document.objects.select_for_update(of=("self",)).with_context().get(pk=document.pk)
        stored = _stored(locked)
        if stored is not None:
            return stored
        rendered = render_document(locked)
        locked.pdf.save(locked.filename, ContentFile(rendered.pdf), save=False)
        locked.pdf_sha256 = rendered.sha256
        locked.signed = rendered.signed
        locked.save(update_fields=["pdf", "pdf_sha256", "signed"])
    document.pdf, document.pdf_sha256 = locked.pdf, locked.pdf_sha256
    document.signed = locked.signed
    return rendered.pdf


# --- Demo data --------------------------------------------------------------------------------


def documents_purge_demo(*, rounds: Any) -> int:
    """Remove the documents and letterheads of demo rounds, so that ``load_demo --reset`` can
    delete the rounds. The only path that deletes issued documents; the number registers
    keep their counters, so a number is still never handed out twice. Returns how many
    documents went."""
    documents = Document.objects.filter(participation__round__in=rounds)
    documents.update(superseded_by=None)
    # Document.objects.delete() refuses on purpose; this purge is the one exception.
    deleted, _by_model = models.QuerySet.delete(documents)
    Letterhead.objects.filter(round__in=rounds).delete()
    return deleted
