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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
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
from regions.codes import region_code_from_cell
from smartcity import tabular
from smartcity.tabular.reader import column_letter

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
LIMITS = tabular.Limits(max_rows=MAX_ROWS, max_columns=40)
SHEET_NAME = "nilai"

ROW_MESSAGE = _("Baris %(row)s, kolom %(column)s (%(name)s): %(problem)s")
PROBLEM_REQUIRED = _("wajib diisi.")
PROBLEM_UNKNOWN_REGION = _("wilayah “%(value)s” bukan peserta putaran ini.")
PROBLEM_EXCLUDED_REGION = _("wilayah “%(value)s” dikecualikan dari penilaian.")
PROBLEM_UNKNOWN_INDICATOR = _("indikator “%(value)s” tidak ada di instrumen putaran ini.")
PROBLEM_LEVEL = _("level “%(value)s” harus bilangan bulat 0 sampai 5.")
PROBLEM_DUPLICATE = _("wilayah dan indikator ini sudah ada di baris %(first)s.")
MISSING_COLUMN = _("Baris 1: kolom “%(name)s” tidak ditemukan di judul kolom.")
EMPTY = _("Berkas tidak berisi baris nilai.")
TOO_MANY_ROWS = _("Berkas berisi lebih dari %(max)s baris.")


@dataclass(frozen=True)
class LevelChange:
    """One row that adds or changes a verified level (the preview lists them)."""

    row: int
    region_code: str
    indicator_code: str
    old_level: int | None
    level: int
    comment_changed: bool


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    skipped: int
    # The rows behind the counts (the preview lists them); not part of a report's equality.
    changes: tuple[LevelChange, ...] = field(default=(), compare=False)


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
    return tabular.csv_bytes(header, rows)


def template_csv(round_: Round) -> bytes:
    return write_csv(COLUMNS, template_rows(round_))


def template_xlsx(round_: Round) -> bytes:
    rows = template_rows(round_)
    widths = {"wilayah": 28, "indikator": 60, "catatan": 50}
    level = COLUMNS.index("level")
    scores = tabular.Sheet(
        title=SHEET_NAME,
        header=COLUMNS,
        rows=rows,
        widths=[widths.get(name, max(12, len(name) + 4)) for name in COLUMNS],
        whole_numbers={level: (MIN_LEVEL, MAX_LEVEL)},
        whole_number_error=(
            gettext("Level tidak sah"),
            gettext("Level harus bilangan bulat 0 sampai 5."),
        ),
        validated_rows=len(rows),
    )
    help_sheet = tabular.Sheet(
        title=gettext("petunjuk"),
        header=[f"{round_.name} · {round_.instrument.name}"],
        rows=[
            [gettext("Isi kolom “level” (0–5) dan, bila perlu, “catatan” pada lembar “nilai”.")],
            [
                gettext(
                    "Baris dengan level kosong dilewati. Jangan ubah kode wilayah dan indikator."
                )
            ],
            [
                gettext(
                    "Unggahan diperiksa per baris; bila ada satu kesalahan, "
                    "tidak ada yang disimpan."
                )
            ],
        ],
        widths=[100],
    )
    return tabular.xlsx_bytes([scores, help_sheet])


# --- Upload ----------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> list[tabular.Row]:
    """The file's rows holding a value (header first), read within ``LIMITS``."""
    return tabular.read_table(data, filename=filename, limits=LIMITS, sheet_names=[SHEET_NAME]).rows


def precheck_upload(data: bytes, filename: str) -> None:
    """What can be refused before the file is read in full (format, size, the sheet's
    declared dimension and cell count): checked in the request, before the preview job is
    queued. Raises ``ValidationError``."""
    tabular.precheck_table(data, filename=filename, limits=LIMITS, sheet_names=[SHEET_NAME])


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _level(value: Any) -> int | None:
    """An integer 0–5 from a cell (3, "3", or "3.0" as a program that types the column as
    decimals writes it), or None: a fraction is never rounded to a level."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        try:
            decimal = Decimal(_text(value))
        except InvalidOperation:
            return None
        if not decimal.is_finite() or decimal != decimal.to_integral_value():
            return None
        number = int(decimal)
    return number if MIN_LEVEL <= number <= MAX_LEVEL else None


@dataclass(frozen=True)
class _Row:
    number: int
    participation: Participation
    indicator: Indicator
    level: int
    comment: str


def _validate(round_: Round, table: list[tabular.Row]) -> tuple[list[_Row], int, list[str]]:
    """Check every row; returns (good rows, skipped count, messages)."""
    if len(table) > MAX_ROWS + 1:
        return [], 0, [str(TOO_MANY_ROWS % {"max": MAX_ROWS})]
    header = [_text(h).lower() for h in (table[0].values if table else [])]
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

    def cell(values: tuple[Any, ...], name: str) -> Any:
        i = position.get(name)
        return values[i] if i is not None and i < len(values) else None

    def error(number: int, name: str, problem: object, **params: Any) -> None:
        errors.append(
            str(
                ROW_MESSAGE
                % {
                    "row": number,
                    "column": column_letter(position[name] + 1),
                    "name": name,
                    "problem": str(problem) % params if params else str(problem),
                }
            )
        )

    for row in table[1:]:
        number, values = row.number, row.values
        if all(_text(v) == "" for v in values):
            continue
        raw_level = cell(values, "level")
        if _text(raw_level) == "":
            skipped += 1
            continue
        count_before = len(errors)
        # "35.10" may arrive as the number 35.1 (a program that typed the column as numbers)
        region_code = region_code_from_cell(cell(values, "kode_wilayah"))
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
            # Without an error, the region, the indicator and the level were all found.
            assert participation is not None
            assert indicator is not None
            assert level is not None
            rows.append(
                _Row(
                    number=number,
                    participation=participation,
                    indicator=indicator,
                    level=level,
                    # Exactly as written: an unchanged export must compare equal.
                    comment=_comment(cell(values, "catatan")),
                )
            )
    if not errors and not rows:  # nothing to set (every level empty): say so
        errors.append(str(EMPTY))
    return rows, skipped, errors


def _comment(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _plan(
    round_: Round, data: bytes, filename: str
) -> tuple[list[tuple[_Row, VerifiedScore | None]], ImportReport]:
    """Every row checked (``ValidationError`` naming each problem) and compared with the
    stored levels: (rows that add or change, with the stored score), and the report."""
    rows, skipped, errors = _validate(round_, read_table(data, filename))
    if errors:
        raise ValidationError(errors, code="upload")
    existing = {
        (v.participation_id, v.indicator_id): v
        for v in VerifiedScore.objects.filter(participation__round=round_)
    }
    work: list[tuple[_Row, VerifiedScore | None]] = []
    changes: list[LevelChange] = []
    created = unchanged = 0
    for row in rows:
        current = existing.get((row.participation.pk, row.indicator.pk))
        if current is not None and (current.level, current.comment) == (row.level, row.comment):
            unchanged += 1
            continue
        created += current is None
        work.append((row, current))
        changes.append(
            LevelChange(
                row=row.number,
                region_code=row.participation.region.code,
                indicator_code=row.indicator.code,
                old_level=current.level if current else None,
                level=row.level,
                comment_changed=current is not None and current.comment != row.comment,
            )
        )
    report = ImportReport(
        created=created,
        updated=len(work) - created,
        unchanged=unchanged,
        skipped=skipped,
        changes=tuple(changes),
    )
    return work, report


def verified_levels_import_preview(
    *, round: Round, data: bytes, filename: str, by: User
) -> ImportReport:
    """What the upload would add and change (``changes``), without writing anything;
    raises ``ValidationError`` naming every problem, as the import does."""
    if not is_manager(by):
        raise PermissionDenied
    if not round.accepts_scores:
        raise ValidationError(SCORES_LOCKED, code="scores_locked")
    return _plan(round, data, filename)[1]


@transaction.atomic
def verified_levels_import(*, round: Round, data: bytes, filename: str, by: User) -> ImportReport:
    """Set verified levels from an uploaded template: every row valid, or nothing changes.

    Raises ``ValidationError`` whose messages name the row and column of every problem.
    A row whose level and comment equal the stored ones is left alone (an exported
    template uploaded unchanged changes nothing). A fixed number of queries whatever the
    number of rows.
    """
    if not is_manager(by):
        raise PermissionDenied
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if not round_.accepts_scores:
        raise ValidationError(SCORES_LOCKED, code="scores_locked")
    work, report = _plan(round_, data, filename)
    to_create: list[VerifiedScore] = []
    to_update: list[VerifiedScore] = []
    for row, current in work:
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
    return report
