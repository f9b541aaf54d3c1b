"""Official documents: result letters and field-review minutes, numbered, signed, verifiable.

- A **letterhead** (kop surat and signatory) belongs to a round. It is append-only: a
  manager's change is a new row, and every issued document keeps the row it was issued
  with, so an old letter renders again exactly as issued.
- A **number register** (``NumberCounter``) hands out one sequence per document kind and
  year; a number is assigned once, at issue, and never reused (documents cannot be
  deleted, the counter only goes up, and the database holds every number unique).
- A **document** keeps what it states (``content``, a frozen copy made at issue), its
  number, its date (publication or meeting date, never the download date), an
  unguessable verification code and, once rendered, the PDF file that was handed out.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.models import Participation, Publication, Round

LETTERHEAD_APPEND_ONLY = _(
    "Kop surat yang sudah tersimpan tidak diubah: setiap perubahan menjadi versi baru."
)
DOCUMENT_NOT_DELETABLE = _("Dokumen yang sudah diterbitkan tidak dapat dihapus; nomornya tetap.")
DOCUMENT_FIXED = _("Isi, nomor dan tanggal dokumen yang sudah diterbitkan tidak dapat diubah.")
NUMBER_PATTERN_NEEDS_SEQ = _("Pola nomor harus memuat {seq} (nomor urut).")
NUMBER_PATTERN_UNKNOWN = _(
    "Pola nomor memuat penanda yang tidak dikenal: %(names)s. Yang dikenal: {seq}, {seq:03}, "
    "{unit}, {month}, {month_roman}, {year}."
)
NUMBER_PATTERN_TOO_LONG = _("Pola nomor terlalu panjang.")

# Placeholders a number pattern may use; {seq:0N} pads the sequence to N digits.
NUMBER_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::0(\d))?\}")
NUMBER_PLACEHOLDERS = ("seq", "unit", "month", "month_roman", "year")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def validate_number_pattern(pattern: str) -> None:
    names = [m.group(1) for m in NUMBER_PLACEHOLDER.finditer(pattern)]
    unknown = sorted({n for n in names if n not in NUMBER_PLACEHOLDERS})
    leftover = NUMBER_PLACEHOLDER.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        unknown.append(leftover)
    if unknown:
        raise ValidationError(
            NUMBER_PATTERN_UNKNOWN, code="unknown", params={"names": ", ".join(unknown)}
        )
    if "seq" not in names:
        raise ValidationError(NUMBER_PATTERN_NEEDS_SEQ, code="seq")


class DocumentKind(models.TextChoices):
    LETTER = "letter", _("Surat hasil evaluasi")
    MINUTES = "minutes", _("Berita acara tinjauan lapangan")


validate_nip = RegexValidator(
    r"^\d{18}$",
    _("NIP terdiri atas 18 angka (tanpa spasi)."),
    code="nip",
)


class LetterheadQuerySet(models.QuerySet["Letterhead"]):
    def current_for(self, round_: Round) -> Letterhead | None:
        """The round's letterhead in force: its newest version, or None."""
        return self.filter(round=round_).order_by("-created_at", "-pk").first()


class Letterhead(models.Model):
    """A round's kop surat and signatory, one immutable row per version."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="letterheads", verbose_name=_("putaran")
    )
    institution = models.CharField(
        _("instansi"), max_length=200, help_text=_("Mis. Kementerian Komunikasi dan Digital")
    )
    unit = models.CharField(
        _("unit kerja"),
        max_length=200,
        help_text=_("Mis. Direktorat Jenderal Aplikasi Informatika"),
    )
    unit_code = models.CharField(
        _("kode unit"),
        max_length=30,
        validators=[RegexValidator(r"^[A-Za-z0-9.\-]+$", _("Huruf, angka, titik atau tanda -."))],
        help_text=_("Dipakai dalam nomor surat, mis. DJAI."),
    )
    address = models.CharField(_("alamat"), max_length=300)
    contact = models.CharField(
        _("kontak"), max_length=200, blank=True, help_text=_("Telepon, surel, laman.")
    )
    place = models.CharField(
        _("tempat penandatanganan"), max_length=100, help_text=_("Mis. Jakarta")
    )
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=True)
    logo_type = models.CharField(_("jenis berkas logo"), max_length=30, blank=True)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signatory_position = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signatory_nip = models.CharField(
        _("NIP penanda tangan"), max_length=18, validators=[validate_nip]
    )
    letter_number_pattern = models.CharField(
        _("pola nomor surat hasil"),
        max_length=100,
        default="{seq:03}/{unit}/SC/{month_roman}/{year}",
        validators=[validate_number_pattern],
    )
    minutes_number_pattern = models.CharField(
        _("pola nomor berita acara"),
        max_length=100,
        default="{seq:03}/{unit}/BA-SC/{month_roman}/{year}",
        validators=[validate_number_pattern],
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    objects = LetterheadQuerySet.as_manager()

    class Meta:
        ordering = ["round", "-created_at", "-pk"]
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")
        constraints = [
            models.CheckConstraint(
                condition=Q(signatory_nip__regex=r"^[0-9]{18}$"),
                name="%(app_label)s_%(class)s_nip_18_digits",
                violation_error_message=_("NIP terdiri atas 18 angka (tanpa spasi)."),
            ),
            models.CheckConstraint(
                condition=Q(letter_number_pattern__contains="{seq")
                & Q(minutes_number_pattern__contains="{seq"),
                name="%(app_label)s_%(class)s_patterns_have_sequence",
                violation_error_message=NUMBER_PATTERN_NEEDS_SEQ,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} – {self.round}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError(LETTERHEAD_APPEND_ONLY, code="append_only")
        super().save(*args, **kwargs)

    def number_pattern(self, kind: str) -> str:
        return (
            self.letter_number_pattern
            if kind == DocumentKind.LETTER
            else (self.minutes_number_pattern)
        )


class NumberCounter(models.Model):
    """The last sequence number handed out in one register (document kind and year)."""

    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    last = models.PositiveIntegerField(_("nomor urut terakhir"), default=0)

    class Meta:
        ordering = ["kind", "year"]
        verbose_name = _("register nomor")
        verbose_name_plural = _("register nomor")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year"],
                name="%(app_label)s_%(class)s_one_per_kind_year",
                violation_error_message=_("Register untuk jenis dan tahun ini sudah ada."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.last}"


def new_verification_code() -> str:
    """16 URL-safe characters from 96 random bits: unguessable, short enough for a QR."""
    return secrets.token_urlsafe(12)


class DocumentQuerySet(models.QuerySet["Document"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(DOCUMENT_NOT_DELETABLE, code="not_deletable")

    def current(self) -> DocumentQuerySet:
        """Documents no later issue has replaced."""
        return self.filter(superseded_by__isnull=True)

    def with_context(self) -> DocumentQuerySet:
        return self.select_related(
            "participation__region__province",
            "participation__round",
            "publication",
            "letterhead",
            "superseded_by",
        )


class Document(models.Model):
    """An issued result letter or set of field-review minutes: numbered, dated, verifiable."""

    # What may change after issue: the rendered file and the pointer to a later issue.
    MUTABLE_FIELDS = frozenset({"pdf", "pdf_sha256", "signed", "superseded_by"})

    kind = models.CharField(_("jenis"), max_length=20, choices=DocumentKind.choices)
    participation = models.ForeignKey(
        Participation,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("peserta"),
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("publikasi (revisi)"),
        help_text=_("Untuk surat hasil: publikasi yang dilaporkan."),
    )
    letterhead = models.ForeignKey(
        Letterhead, on_delete=models.PROTECT, related_name="documents", verbose_name=_("kop surat")
    )
    number = models.CharField(_("nomor"), max_length=150)
    year = models.PositiveSmallIntegerField(_("tahun register"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    code = models.CharField(
        _("kode verifikasi"), max_length=32, default=new_verification_code, editable=False
    )
    document_date = models.DateField(_("tanggal dokumen"))
    content = models.JSONField(_("isi yang dinyatakan"), default=dict)
    issued_at = models.DateTimeField(_("diterbitkan pada"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("digantikan oleh"),
    )
    pdf = models.FileField(_("berkas PDF"), upload_to="documents/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 berkas PDF"), max_length=64, blank=True)
    signed = models.BooleanField(_("ditandatangani secara elektronik"), default=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("dokumen resmi")
        verbose_name_plural = _("dokumen resmi")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("Nomor dokumen ini sudah pernah dipakai."),
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"],
                name="%(app_label)s_%(class)s_unique_sequence",
                violation_error_message=_("Nomor urut ini sudah dipakai dalam register."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("Kode verifikasi sudah dipakai."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Jenis dokumen tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=DocumentKind.LETTER) | Q(publication__isnull=False),
                name="%(app_label)s_%(class)s_letter_has_publication",
                violation_error_message=_("Surat hasil harus menyebut publikasinya."),
            ),
        ]
        indexes = [
            # The city's document list and "is there a current letter" look-ups.
            models.Index(fields=["participation", "kind"], name="documents_doc_part_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (
            update_fields is None
            or not set(cast(Iterable[str], update_fields)) <= self.MUTABLE_FIELDS
        ):
            raise ValidationError(DOCUMENT_FIXED, code="fixed")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:verify", kwargs={"code": self.code})

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError(DOCUMENT_NOT_DELETABLE, code="not_deletable")

    @property
    def is_letter(self) -> bool:
        return self.kind == DocumentKind.LETTER

    @property
    def filename(self) -> str:
        prefix = "surat-hasil" if self.is_letter else "berita-acara"
        slug_number = re.sub(r"[^A-Za-z0-9]+", "-", self.number).strip("-")
        return f"{prefix}-{self.participation.region.slug}-{slug_number}.pdf"
