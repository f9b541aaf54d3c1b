"""Bulk work on a round's scores: template download and validated upload.

The template has one row per participant (not excluded) and indicator, pre-filled with the
current verified level. A manager fills the ``level`` (and ``catatan``) column and uploads
it back, as XLSX or CSV (comma or semicolon separated, UTF-8). The upload is checked row by
row first, and every problem is reported with its row and column ("Baris 7, kolom H
(level): …"); if there is any problem, nothing is written. Rows with an empty level are
skipped, so a partly filled template can be uploaded.

A round's results are exported by ``evaluations.opendata`` (the public download's columns).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluations.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    Indicator,
    Participation,
    Round,
    SelfAssessmentAnswer,
    VerifiedScore,
)
from evaluations.models.scoring import SCORES_LOCKED
from evaluations.roles import is_manager
from evaluations.services.evidence import FILE_ZIP_TOO_LARGE, spreadsheet_too_large

# The template's columns, in order. Names are stable: uploads are matched by name, so a
# user may reorder columns or add their own.
COLUMNS = [
    "kode_wilayah",
    "wilayah",
    "kode_indikator",
    "indikator",
    "komponen",
    "dimensi",
    "level_klaim",
    "level",
    "catatan",
]
REQUIRED_COLUMNS = ["kode_wilayah", "kode_indikator", "level"]
MAX_ROWS = 50_000
SHEET_NAME = "nilai"

ROW_MESSAGE = _("Baris %(row)s, kolom %(column)s (%(name)s): %(problem)s")
PROBLEM_REQUIRED = _("wajib diisi.")
PROBLEM_UNKNOWN_REGION = _("wilayah “%(value)s” bukan peserta putaran ini.")
PROBLEM_EXCLUDED_REGION = _("wilayah “%(value)s” dikecualikan dari penilaian.")
PROBLEM_UNKNOWN_INDICATOR = _("indikator “%(value)s” tidak ada di instrumen putaran ini.")
PROBLEM_LEVEL = _("level “%(value)s” harus bilangan bulat 0 sampai 5.")
PROBLEM_DUPLICATE = _("wilayah dan indikator ini sudah ada di baris %(first)s.")
MISSING_COLUMN = _("Baris 1: kolom “%(name)s” tidak ditemukan di judul kolom.")
UNREADABLE = _("Berkas tidak dapat dibaca sebagai %(kind)s. Gunakan templat dari portal.")
NOT_UTF8 = _("Berkas CSV harus ber-encoding UTF-8 (simpan sebagai “CSV UTF-8”).")
EMPTY = _("Berkas tidak berisi baris nilai.")
TOO_MANY_ROWS = _("Berkas berisi lebih dari %(max)s baris.")


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    skipped: int


# --- Template ----------------------------------------------------------------------------------


def template_rows(round_: Round) -> list[list[Any]]:
    """One row per (participant, indicator), pre-filled with the current verified level.

    Four queries whatever the size of the round.
    """
    participations = list(
        Participation.objects.filter(round=round_, excluded=False)
        .select_related("region")
        .order_by("region__code")
    )
    indicators = list(
        Indicator.objects.filter(instrument_id=round_.instrument_id)
        .select_related("dimension")
        .order_by("order", "code")
    )
    verified = {
        (v.participation_id, v.indicator_id): v
        for v in VerifiedScore.objects.filter(participation__round=round_)
    }
    claimed = {
        (a[0], a[1]): a[2]
        for a in SelfAssessmentAnswer.objects.filter(participation__round=round_).values_list(
            "participation_id", "indicator_id", "claimed_level"
        )
    }
    rows = []
    for p in participations:
        for ind in indicators:
            v = verified.get((p.pk, ind.pk))
            rows.append(
                [
                    p.region.code,
                    p.region.name,
                    ind.code,
                    ind.name,
                    ind.get_component_display(),
                    ind.dimension.name if ind.dimension else "",
                    claimed.get((p.pk, ind.pk)),
                    v.level if v else None,
                    v.comment if v else "",
                ]
            )
    return rows


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
    sheet.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(60, len(name) + 4))
    return workbook


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(round_: Round) -> bytes:
    return write_csv(COLUMNS, template_rows(round_))


def template_xlsx(round_: Round) -> bytes:
    rows = template_rows(round_)
    workbook = _xlsx(COLUMNS, rows, SHEET_NAME)
    sheet = workbook[SHEET_NAME]
    for name, width in (("wilayah", 28), ("indikator", 60), ("catatan", 50)):
        sheet.column_dimensions[get_column_letter(COLUMNS.index(name) + 1)].width = width
    level_col = get_column_letter(COLUMNS.index("level") + 1)
    check = DataValidation(
        type="whole",
        operator="between",
        formula1=str(MIN_LEVEL),
        formula2=str(MAX_LEVEL),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=gettext("Level tidak sah"),
        error=gettext("Level harus bilangan bulat 0 sampai 5."),
    )
    sheet.add_data_validation(check)
    check.add(f"{level_col}2:{level_col}{max(2, len(rows) + 1)}")
    help_sheet = workbook.create_sheet(gettext("petunjuk"))
    for line in (
        gettext("Isi kolom “level” (0–5) dan, bila perlu, “catatan” pada lembar “nilai”."),
        gettext("Baris dengan level kosong dilewati. Jangan ubah kode wilayah dan indikator."),
        gettext("Unggahan diperiksa per baris; bila ada satu kesalahan, tidak ada yang disimpan."),
        f"{round_.name} · {round_.instrument.name}",
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    return _save(workbook)


# --- Upload ----------------------------------------------------------------------------------


def _fail(message: object) -> ValidationError:
    return ValidationError(message, code="upload")


def _read_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(NOT_UTF8) from None
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        raise _fail(UNREADABLE % {"kind": "CSV"}) from None


def _read_xlsx(data: bytes) -> list[list[Any]]:
    """Rows of the "nilai" sheet (else the first one), read with calamine: an order of
    magnitude faster than openpyxl on a national round's 30,000 rows (README, "Benchmark"),
    and it expands no XML entities. It holds the sheet in memory, so a package that would
    unpack too far (a zip bomb) is refused before it is read."""
    if spreadsheet_too_large(io.BytesIO(data)):
        raise _fail(FILE_ZIP_TOO_LARGE)
    unreadable = _fail(UNREADABLE % {"kind": "XLSX"})
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        if not names:
            raise unreadable
        sheet = workbook.get_sheet_by_name(SHEET_NAME if SHEET_NAME in names else names[0])
        rows = []
        for row in sheet.iter_rows():
            rows.append([None if value == "" else value for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except (CalamineError, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise unreadable from None


def read_table(data: bytes, filename: str) -> list[list[Any]]:
    """The file's rows (header first) as lists of cell values."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _level(value: Any) -> int | None:
    """An integer 0–5 from a cell ("3", 3, 3.0), or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        number = int(value)
    else:
        text = _text(value)
        if not text.lstrip("-").isdigit():
            return None
        number = int(text)
    return number if MIN_LEVEL <= number <= MAX_LEVEL else None


@dataclass(frozen=True)
class _Row:
    number: int
    participation: Participation
    indicator: Indicator
    level: int
    comment: str


def _validate(round_: Round, table: list[list[Any]]) -> tuple[list[_Row], int, list[str]]:
    """Check every row; returns (good rows, skipped count, messages)."""
    if len(table) > MAX_ROWS + 1:
        return [], 0, [str(TOO_MANY_ROWS % {"max": MAX_ROWS})]
    header = [_text(h).lower() for h in (table[0] if table else [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], 0, [str(MISSING_COLUMN % {"name": name}) for name in missing]
    position = {name: header.index(name) for name in COLUMNS if name in header}

    participations = {
        p.region.code: p
        for p in Participation.objects.filter(round=round_).select_related("region", "round")
    }
    indicators = {i.code: i for i in Indicator.objects.filter(instrument_id=round_.instrument_id)}

    errors: list[str] = []
    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    skipped = 0

    def cell(values: list[Any], name: str) -> Any:
        i = position.get(name)
        return values[i] if i is not None and i < len(values) else None

    def error(number: int, name: str, problem: object, **params: Any) -> None:
        errors.append(
            str(
                ROW_MESSAGE
                % {
                    "row": number,
                    "column": get_column_letter(position[name] + 1),
                    "name": name,
                    "problem": str(problem) % params if params else str(problem),
                }
            )
        )

    for number, values in enumerate(table[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue
        raw_level = cell(values, "level")
        if _text(raw_level) == "":
            skipped += 1
            continue
        count_before = len(errors)
        region_code = _text(cell(values, "kode_wilayah"))
        indicator_code = _text(cell(values, "kode_indikator"))
        participation = participations.get(region_code)
        indicator = indicators.get(indicator_code)
        if not region_code:
            error(number, "kode_wilayah", PROBLEM_REQUIRED)
        elif participation is None:
            error(number, "kode_wilayah", PROBLEM_UNKNOWN_REGION, value=region_code)
        elif participation.excluded:
            error(number, "kode_wilayah", PROBLEM_EXCLUDED_REGION, value=region_code)
        if not indicator_code:
            error(number, "kode_indikator", PROBLEM_REQUIRED)
        elif indicator is None:
            error(number, "kode_indikator", PROBLEM_UNKNOWN_INDICATOR, value=indicator_code)
        level = _level(raw_level)
        if level is None:
            error(number, "level", PROBLEM_LEVEL, value=_text(raw_level))
        key = (region_code, indicator_code)
        if region_code and indicator_code:
            if key in seen:
                error(number, "kode_indikator", PROBLEM_DUPLICATE, first=seen[key])
            else:
                seen[key] = number
        if len(errors) == count_before:
            rows.append(
                _Row(
                    number=number,
                    participation=participation,
                    indicator=indicator,
                    level=level,
                    comment=_text(cell(values, "catatan"))[:4000],
                )
            )
    if not errors and not rows and not skipped:
        errors.append(str(EMPTY))
    return rows, skipped, errors


@transaction.atomic
def verified_levels_import(
    *, round: Round, data: bytes, filename: str, by: AbstractBaseUser
) -> ImportReport:
    """Set verified levels from an uploaded template: every row valid, or nothing changes.

    Raises ``ValidationError`` whose messages name the row and column of every problem.
    A fixed number of queries whatever the number of rows.
    """
    if not is_manager(by):
        raise PermissionDenied
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if not round_.accepts_scores:
        raise ValidationError(SCORES_LOCKED, code="scores_locked")
    rows, skipped, errors = _validate(round_, read_table(data, filename))
    if errors:
        raise ValidationError(errors, code="upload")

    existing = {
        (v.participation_id, v.indicator_id): v
        for v in VerifiedScore.objects.filter(participation__round=round_)
    }
    to_create: list[VerifiedScore] = []
    to_update: list[VerifiedScore] = []
    unchanged = 0
    for row in rows:
        current = existing.get((row.participation.pk, row.indicator.pk))
        if current is None:
            to_create.append(
                VerifiedScore(
                    participation=row.participation,
                    indicator=row.indicator,
                    level=row.level,
                    comment=row.comment,
                    set_by=by,
                    version=1,
                )
            )
        elif (current.level, current.comment) == (row.level, row.comment):
            unchanged += 1
        else:
            current.level = row.level
            current.comment = row.comment
            current.set_by = by
            current.version += 1
            to_update.append(current)
    if to_create:
        bulk_create_with_history(to_create, VerifiedScore, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update,
            VerifiedScore,
            ["level", "comment", "set_by", "version"],
            default_user=by,
        )
    return ImportReport(
        created=len(to_create), updated=len(to_update), unchanged=unchanged, skipped=skipped
    )
