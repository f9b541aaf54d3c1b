"""Evidence (bukti dukung): checking uploads by their content, storing and serving them.

An uploaded file is accepted only when its *content* is one of the allowed kinds and its
name agrees with that content: a ``laporan.pdf`` that is really an HTML page or a Windows
program is refused with a message that says so. Office documents are ZIP packages, so the
package's inner structure is checked too (the main part must be there, macros are refused,
and the unpacked size is bounded so that a "zip bomb" is refused before anyone opens it).

Files go through Django's storage API under a random name (see ``evidence_upload_to``);
``evidence_response`` is the only way a file leaves storage, always as an attachment.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any, cast

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from evaluations.models import Evidence, EvidencePreview, Programme
from evaluations.services import evidence_previews

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

    from regions.models import Region

# --- Messages (tests import these) ----------
FILE_TOO_LARGE = _("Berkas terlalu besar (%(size)s MB). Ukuran maksimum %(max)s MB.")
FILE_EMPTY = _("Berkas kosong.")
FILE_EXTENSION_NOT_ALLOWED = _(
    "Jenis berkas .%(ext)s tidak diterima. Unggah PDF, gambar PNG/JPEG, atau dokumen "
    "Word, Excel, PowerPoint atau OpenDocument."
)
FILE_IS_HTML = _(
    "Berkas ini bernama .%(ext)s tetapi isinya halaman web (HTML), bukan %(expected)s. "
    "Berkas ditolak."
)
FILE_IS_EXECUTABLE = _(
    "Berkas ini bernama .%(ext)s tetapi isinya program yang dapat dijalankan, bukan "
    "%(expected)s. Berkas ditolak."
)
FILE_CONTENT_MISMATCH = _(
    "Berkas ini bernama .%(ext)s tetapi isinya %(detected)s. Unggah %(expected)s yang benar "
    "atau sesuaikan nama berkasnya."
)
FILE_CONTENT_UNKNOWN = _(
    "Isi berkas tidak dikenali sebagai %(expected)s. Berkas mungkin rusak atau jenisnya lain."
)
FILE_DAMAGED = _("Berkas %(expected)s ini rusak atau tidak dapat dibaca.")
FILE_HAS_MACROS = _(
    "Dokumen dengan makro tidak diterima. Simpan ulang sebagai .docx, .xlsx atau .pptx biasa."
)
FILE_ZIP_TOO_LARGE = _("Isi dokumen terlalu besar setelah dibuka. Berkas ditolak.")
EVIDENCE_OTHER_REGION = _("Bukti dukung ini bukan milik wilayah Anda.")
EVIDENCE_IN_USE = _(
    "Bukti dukung ini masih dipakai oleh %(programmes)s program dan %(answers)s jawaban "
    "penilaian mandiri. Lepaskan dulu dari sana."
)
LINK_REQUIRED = _("Isi tautan.")

# Bounds for the unpacked contents of an office document (a ZIP package).
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNPACKED_BYTES = 300 * 1024 * 1024
# A spreadsheet that is *read* (imports) has its own bounds: smartcity.tabular.Limits.
_HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of evidence file."""

    code: str
    label: StrOrPromise
    content_type: str
    extensions: tuple[str, ...]


_KINDS: tuple[FileKind, ...] = (
    FileKind("pdf", "PDF", "application/pdf", ("pdf",)),
    FileKind("png", _("gambar PNG"), "image/png", ("png",)),
    FileKind("jpeg", _("gambar JPEG"), "image/jpeg", ("jpg", "jpeg")),
    FileKind(
        "docx",
        _("dokumen Word"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    FileKind(
        "xlsx",
        _("lembar kerja Excel"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    FileKind(
        "pptx",
        _("presentasi PowerPoint"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    FileKind("odt", _("dokumen OpenDocument"), "application/vnd.oasis.opendocument.text", ("odt",)),
    FileKind(
        "ods",
        _("lembar kerja OpenDocument"),
        "application/vnd.oasis.opendocument.spreadsheet",
        ("ods",),
    ),
    FileKind(
        "odp",
        _("presentasi OpenDocument"),
        "application/vnd.oasis.opendocument.presentation",
        ("odp",),
    ),
)
KINDS: dict[str, FileKind] = {kind.code: kind for kind in _KINDS}
KIND_BY_EXTENSION: dict[str, FileKind] = {ext: k for k in _KINDS for ext in k.extensions}
ALLOWED_EXTENSIONS: tuple[str, ...] = tuple(KIND_BY_EXTENSION)
# For the file input's ``accept`` attribute (a hint to the browser, not a check).
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)

_OOXML_MAIN_PART = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_ODF_MIMETYPES = {kind.content_type: kind.code for kind in _KINDS if kind.code.startswith("od")}

# Pseudo-kinds that are never accepted but deserve their own message.
_HTML, _EXECUTABLE, _DAMAGED, _MACROS, _ZIP_BOMB = (
    "html",
    "executable",
    "damaged",
    "macros",
    "zip_bomb",
)
_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O, both word sizes and byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # a script with an interpreter line
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg")


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _looks_like_html(head: bytes) -> bool:
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") and (b"<html" in text or b"<svg" in text):
        return True
    return any(text.startswith(marker) for marker in _HTML_MARKERS) or (
        text.startswith(b"<") and (b"<html" in text or b"<script" in text)
    )


def _inspect_zip(fileobj: IO[bytes]) -> str | None:
    """Classify a ZIP package by its inner structure: an office document or nothing."""
    try:
        with zipfile.ZipFile(fileobj) as package:
            infos = package.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or (
                sum(info.file_size for info in infos) > MAX_ZIP_UNPACKED_BYTES
            ):
                return _ZIP_BOMB
            names = {info.filename for info in infos}
            if "mimetype" in names:
                info = package.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                mimetype = package.read(info).decode("ascii", "replace").strip()
                code = _ODF_MIMETYPES.get(mimetype)
                if code and "META-INF/manifest.xml" in names and "content.xml" in names:
                    return code
                return None
            if "[Content_Types].xml" not in names:
                return None
            content_types = package.read("[Content_Types].xml")
            if any(name.lower().endswith("vbaproject.bin") for name in names) or (
                b"macroenabled" in content_types.lower()
            ):
                return _MACROS
            for part, code in _OOXML_MAIN_PART.items():
                if part in names:
                    return code
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
        return _DAMAGED


def _check_image(fileobj: IO[bytes], code: str) -> str:
    try:
        with Image.open(fileobj) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return _DAMAGED
    expected = {"png": "PNG", "jpeg": "JPEG"}[code]
    return code if fmt == expected else _DAMAGED


def detect_kind(fileobj: IO[bytes]) -> tuple[str | None, str | None]:
    """What the content of ``fileobj`` is: (kind code or pseudo-kind, a label for others).

    Leaves the file positioned at its start.
    """
    fileobj.seek(0)
    head = fileobj.read(_HEAD_BYTES)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf", None
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return _check_image(fileobj, "png"), None
        if head.startswith(b"\xff\xd8\xff"):
            return _check_image(fileobj, "jpeg"), None
        if head.startswith(b"PK\x03\x04"):
            code = _inspect_zip(fileobj)
            return code, (None if code else str(_("arsip ZIP")))
        if head.startswith(_EXECUTABLE_MAGIC):
            return _EXECUTABLE, None
        if _looks_like_html(head):
            return _HTML, None
        guess = filetype.guess(head)
        if guess is not None:
            if guess.mime in ("application/x-msdownload", "application/x-executable"):
                return _EXECUTABLE, None
            return None, guess.extension.upper()
        return None, None
    finally:
        fileobj.seek(0)


def validate_evidence_file(upload: UploadedFile) -> FileKind:
    """Accept ``upload`` only if its size, name and content agree; return its kind."""
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            FILE_TOO_LARGE,
            code="too_large",
            params={
                "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                "max": settings.EVIDENCE_MAX_UPLOAD_MB,
            },
        )
    if not upload.size:
        raise ValidationError(FILE_EMPTY, code="empty")
    ext = _extension(upload.name or "")
    named_kind = KIND_BY_EXTENSION.get(ext)
    if named_kind is None:
        raise ValidationError(
            FILE_EXTENSION_NOT_ALLOWED, code="extension", params={"ext": ext or "?"}
        )
    params = {"ext": ext, "expected": named_kind.label}
    code, other_label = detect_kind(upload)
    if code == _HTML:
        raise ValidationError(FILE_IS_HTML, code="html", params=params)
    if code == _EXECUTABLE:
        raise ValidationError(FILE_IS_EXECUTABLE, code="executable", params=params)
    if code == _MACROS:
        raise ValidationError(FILE_HAS_MACROS, code="macros")
    if code == _ZIP_BOMB:
        raise ValidationError(FILE_ZIP_TOO_LARGE, code="zip_bomb")
    if code == _DAMAGED:
        raise ValidationError(FILE_DAMAGED, code="damaged", params=params)
    if code is None:
        if other_label:
            raise ValidationError(
                FILE_CONTENT_MISMATCH, code="mismatch", params={**params, "detected": other_label}
            )
        raise ValidationError(FILE_CONTENT_UNKNOWN, code="unknown", params=params)
    kind = KINDS[code]
    if kind is not named_kind:
        raise ValidationError(
            FILE_CONTENT_MISMATCH, code="mismatch", params={**params, "detected": kind.label}
        )
    return kind


def _clean_original_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name
    try:
        safe = get_valid_filename(base)
    except SuspiciousFileOperation:  # names such as ".."
        safe = "berkas"
    return safe[-255:]


def _default_title(name: str) -> str:
    return (PurePath(name).stem.replace("_", " ").strip() or name)[:200]


@transaction.atomic
def evidence_create_file(
    *, region: Region, upload: UploadedFile, by: User, title: str = ""
) -> Evidence:
    """Check ``upload`` and store it as evidence of ``region`` under a random name."""
    kind = validate_evidence_file(upload)
    original = _clean_original_name(upload.name or f"berkas.{kind.extensions[0]}")
    evidence = Evidence(
        region=region,
        title=(title.strip() or _default_title(original))[:200],
        original_name=original,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    # The stored name comes from the detected kind, never from what the user typed.
    evidence.file.save(f"evidence.{kind.extensions[0]}", upload, save=False)
    stored = cast(str, evidence.file.name)  # named by file.save just above
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_create_link(*, region: Region, url: str, by: User, title: str = "") -> Evidence:
    url = url.strip()
    if not url:
        raise ValidationError(LINK_REQUIRED, code="required")
    evidence = Evidence(region=region, url=url, title=(title.strip() or url)[:200], uploaded_by=by)
    evidence.full_clean(exclude=["file"])
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: User) -> None:
    """Delete evidence nobody uses any more; its file (and its PDF page images, unless the
    same file is evidence elsewhere) leave storage after the commit."""
    programmes = evidence.programmes.count()
    answers = evidence.answers.count()
    if programmes or answers:
        raise ValidationError(
            EVIDENCE_IN_USE,
            code="in_use",
            params={"programmes": programmes, "answers": answers},
        )
    name, storage = evidence.file.name, evidence.file.storage
    preview = EvidencePreview.objects.filter(evidence=evidence).first()
    evidence.delete()
    if preview is not None:
        preview.evidence = evidence
        evidence_previews.forget_images(preview)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def require_same_region(evidence: Iterable[Evidence], region: Region) -> None:
    if any(ev.region_id != region.pk for ev in evidence):
        raise ValidationError(EVIDENCE_OTHER_REGION, code="other_region")


@transaction.atomic
def programme_attach_evidence(
    *, programme: Programme, evidence: Iterable[Evidence], by: User
) -> None:
    items = list(evidence)
    require_same_region(items, programme.region)
    programme.evidence.add(*items)


@transaction.atomic
def programme_detach_evidence(*, programme: Programme, evidence: Evidence, by: User) -> None:
    programme.evidence.remove(evidence)


@transaction.atomic
def programme_evidence_add(
    *,
    programme: Programme,
    by: User,
    upload: UploadedFile | None = None,
    url: str = "",
    title: str = "",
) -> Evidence:
    """Store one new file (or else link) as the programme's region's evidence and attach it
    to the programme: both or neither."""
    if upload:
        item = evidence_create_file(region=programme.region, upload=upload, by=by, title=title)
    else:
        item = evidence_create_link(region=programme.region, url=url, by=by, title=title)
    programme_attach_evidence(programme=programme, evidence=[item], by=by)
    return item


@transaction.atomic
def programme_save_with_evidence(
    *,
    region: Region,
    programme: Programme | None,
    values: dict[str, Any],
    by: User,
    attach: Iterable[Evidence] = (),
    new_file: UploadedFile | None = None,
    new_link: str = "",
) -> Programme:
    """Create (``programme`` None) or change a programme of ``region`` and attach its evidence:
    ``attach`` (already stored, the region's), a new file and a new link. All or nothing."""
    from evaluations.services import programmes as register

    if programme is None:
        saved = register.programme_create(region=region, by=by, values=values)
    else:
        saved = register.programme_update(programme=programme, by=by, values=values)
    items = list(attach)
    if new_file:
        items.append(evidence_create_file(region=region, upload=new_file, by=by))
    if new_link:
        items.append(evidence_create_link(region=region, url=new_link, by=by))
    if items:
        programme_attach_evidence(programme=saved, evidence=items, by=by)
    return saved


def evidence_response(evidence: Evidence) -> FileResponse:
    """Stream an evidence file to a reader the caller has already checked.

    Always an attachment, with the type found when it was uploaded and ``nosniff``, so a
    browser never renders an uploaded file inside the portal's origin.
    """
    handle = evidence.file.open("rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or PurePath(cast(str, evidence.file.name)).name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Kinds a browser shows by itself, without a plug-in or a script of the file's own.
PREVIEW_CONTENT_TYPES: frozenset[str] = frozenset(
    {KINDS["pdf"].content_type, KINDS["png"].content_type, KINDS["jpeg"].content_type}
)


def can_preview(evidence: Evidence) -> bool:
    """A stored PDF or image (links and office files are opened or downloaded instead)."""
    return bool(evidence.file) and evidence.content_type in PREVIEW_CONTENT_TYPES


def evidence_preview_response(evidence: Evidence) -> FileResponse:
    """Show a PDF or an image inline, for the sandboxed preview frame beside an indicator.

    The same checks as a download happen before (the caller's scoped queryset). The file
    itself is served sandboxed (a unique origin, no script, no form, no plug-in of its
    own), with the type found at upload and ``nosniff``; only the portal's own pages may
    frame it (``frame-ancestors 'self'``, ``X-Frame-Options: SAMEORIGIN``)."""
    if not can_preview(evidence):
        raise ValueError("Only stored PDF and image evidence has a preview.")
    handle = evidence.file.open("rb")
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=evidence.original_name or PurePath(cast(str, evidence.file.name)).name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
        "frame-ancestors 'self'"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response
