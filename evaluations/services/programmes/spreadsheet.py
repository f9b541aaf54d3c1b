"""The register as a spreadsheet: the XLSX import template, the import, the exports.

The import is all-or-nothing: a file with one bad cell creates nothing and reports every
problem by row and column (as Excel numbers and names them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from evaluations.models import Dimension, Element, Programme, ProgrammeStatus
from evaluations.services.evidence import validate_evidence_file
from evaluations.services.programmes.register import BUDGET_INVALID, parse_rupiah
from regions.models import Agency
from smartcity import tabular
from smartcity.tabular.reader import column_letter as get_column_letter

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files.uploadedfile import UploadedFile

    from regions.models import Region

# --- Messages (tests import these) ----------
IMPORT_NOT_XLSX = _("Berkas impor harus lembar kerja Excel (.xlsx) dari templat.")
IMPORT_EMPTY = _("Lembar kerja tidak berisi program apa pun.")
IMPORT_TOO_MANY_ROWS = _("Terlalu banyak baris: paling banyak %(max)s program sekali impor.")
IMPORT_MISSING_COLUMN = _("Kolom wajib “%(column)s” tidak ada di baris judul.")
IMPORT_UNKNOWN_COLUMN = _("Kolom “%(column)s” tidak dikenal. Pakai judul kolom dari templat.")
IMPORT_DUPLICATE_COLUMN = _("Kolom “%(column)s” muncul lebih dari sekali.")
IMPORT_REQUIRED = _("Wajib diisi.")
IMPORT_UNKNOWN_DIMENSION = _("“%(value)s” bukan dimensi yang dikenal.")
IMPORT_UNKNOWN_ELEMENT = _("“%(value)s” bukan elemen dimensi %(dimension)s.")
IMPORT_UNKNOWN_AGENCY = _("“%(value)s” bukan OPD wilayah ini. Tambahkan dulu di daftar OPD.")
IMPORT_UNKNOWN_STATUS = _("“%(value)s” bukan status yang dikenal (%(choices)s).")
IMPORT_NOT_YES_NO = _("Isi “ya” atau “tidak”.")
IMPORT_NOT_YEAR = _("“%(value)s” bukan tahun antara 2000 dan 2100.")
IMPORT_YEARS_ORDER = _("Tahun selesai tidak boleh sebelum tahun mulai.")
IMPORT_TOO_LONG = _("Terlalu panjang: paling banyak %(max)s karakter.")

MAX_IMPORT_ROWS = 2000
IMPORT_LIMITS = tabular.Limits(max_rows=MAX_IMPORT_ROWS, max_columns=30, max_seconds=20)
MIN_YEAR, MAX_YEAR = 2000, 2100


# --- Spreadsheet columns (import template, import, export) ----------


@dataclass(frozen=True)
class Column:
    """A column of the import template. ``header`` is the same in every language (a file
    made by one operator imports for any other); ``label`` explains it in the reader's."""

    key: str
    header: str
    required: bool = False
    width: int = 18

    @property
    def label(self) -> str:
        return gettext(self.header)


COLUMNS: tuple[Column, ...] = (
    Column("title", gettext_noop("Nama program"), required=True, width=40),
    Column("dimension", gettext_noop("Dimensi"), required=True, width=20),
    Column("element", gettext_noop("Elemen"), width=28),
    Column("agency", gettext_noop("OPD pelaksana"), width=28),
    Column("status", gettext_noop("Status"), width=16),
    Column("is_quick_win", gettext_noop("Quick win"), width=12),
    Column("start_year", gettext_noop("Tahun mulai"), required=True, width=13),
    Column("end_year", gettext_noop("Tahun selesai"), width=13),
    Column("budget", gettext_noop("Anggaran (Rp)"), width=20),
    Column("description", gettext_noop("Deskripsi"), width=50),
)
# Columns the export adds; the import skips them so an exported file can be re-read.
EXPORT_ONLY_HEADERS = ("ID", "Wilayah", "Diarsipkan", "Jumlah bukti dukung")
YES = {"ya", "y", "yes", "true", "1", "benar"}
NO = {"tidak", "t", "no", "false", "0", "salah", ""}


def _norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


_HEADER_LOOKUP = {_norm(c.header): c for c in COLUMNS} | {_norm(c.key): c for c in COLUMNS}
_EXPORT_ONLY = {_norm(h) for h in EXPORT_ONLY_HEADERS}


@dataclass
class ImportProblem:
    """One problem found in an import file; ``row`` and ``column`` as Excel shows them."""

    message: str
    row: int | None = None
    column: str | None = None


class ProgrammeImportError(ValidationError):
    """The import was refused; ``problems`` lists every reason, row by row."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__([p.message for p in problems], code="import")


class _Lookups:
    """The reference data a row is checked against, loaded once per import."""

    def __init__(self, region: Region) -> None:
        self.dimensions: dict[str, Dimension] = {}
        for dim in Dimension.objects.all():
            for key in (dim.code, dim.name, dim.name.removeprefix("Smart ")):
                self.dimensions[_norm(key)] = dim
        self.elements: dict[tuple[int, str], Element] = {}
        for el in Element.objects.all():
            for key in (el.code, el.name):
                self.elements[(el.dimension_id, _norm(key))] = el
        self.agencies: dict[str, Agency] = {}
        for agency in Agency.objects.filter(region=region):
            self.agencies[_norm(agency.name)] = agency
            if agency.acronym:
                self.agencies.setdefault(_norm(agency.acronym), agency)
        self.statuses: dict[str, str] = {}
        for value, label in ProgrammeStatus.choices:
            self.statuses[_norm(value)] = value
            self.statuses[_norm(label)] = value
            self.statuses[_norm(gettext(label))] = value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _year(value: object, problems: list[ImportProblem], row: int, header: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        year = int(float(text))
    except ValueError:
        year = None
    if year is None or str(year) != text.split(".")[0] or not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(ImportProblem(str(IMPORT_NOT_YEAR % {"value": text}), row, header))
        return None
    return year


def _parse_row(
    cells: dict[str, object], row: int, lookups: _Lookups, problems: list[ImportProblem]
) -> dict[str, Any] | None:
    start = len(problems)
    header = {c.key: c.header for c in COLUMNS}

    def problem(key: str, message: str) -> None:
        problems.append(ImportProblem(message, row, header[key]))

    values: dict[str, Any] = {}
    for column in COLUMNS:
        if column.required and not _text(cells.get(column.key)):
            problem(column.key, str(IMPORT_REQUIRED))

    title = _text(cells.get("title"))
    if len(title) > 200:
        problem("title", str(IMPORT_TOO_LONG % {"max": 200}))
    values["title"] = title

    dim_text = _text(cells.get("dimension"))
    dimension = lookups.dimensions.get(_norm(dim_text)) if dim_text else None
    if dim_text and dimension is None:
        problem("dimension", str(IMPORT_UNKNOWN_DIMENSION % {"value": dim_text}))
    values["dimension"] = dimension

    el_text = _text(cells.get("element"))
    element = None
    if el_text and dimension is not None:
        element = lookups.elements.get((dimension.pk, _norm(el_text)))
        if element is None:
            problem(
                "element",
                str(IMPORT_UNKNOWN_ELEMENT % {"value": el_text, "dimension": dimension.name}),
            )
    values["element"] = element

    agency_text = _text(cells.get("agency"))
    agency = lookups.agencies.get(_norm(agency_text)) if agency_text else None
    if agency_text and agency is None:
        problem("agency", str(IMPORT_UNKNOWN_AGENCY % {"value": agency_text}))
    values["agency"] = agency

    status_text = _text(cells.get("status"))
    status = lookups.statuses.get(_norm(status_text)) if status_text else ProgrammeStatus.PLANNED
    if status is None:
        choices = ", ".join(str(label).lower() for label in ProgrammeStatus.labels)
        problem("status", str(IMPORT_UNKNOWN_STATUS % {"value": status_text, "choices": choices}))
    values["status"] = status

    qw = _norm(cells.get("is_quick_win"))
    if qw in YES:
        values["is_quick_win"] = True
    elif qw in NO:
        values["is_quick_win"] = False
    else:
        problem("is_quick_win", str(IMPORT_NOT_YES_NO))

    values["start_year"] = _year(cells.get("start_year"), problems, row, header["start_year"])
    values["end_year"] = _year(cells.get("end_year"), problems, row, header["end_year"])
    if values["start_year"] and values["end_year"] and values["end_year"] < values["start_year"]:
        problem("end_year", str(IMPORT_YEARS_ORDER))

    try:
        values["budget"] = parse_rupiah(cells.get("budget"))
    except ValidationError:
        problem("budget", str(BUDGET_INVALID))

    values["description"] = _text(cells.get("description"))
    return values if len(problems) == start else None


def _read_sheet(upload: UploadedFile) -> list[tuple[int, tuple[object, ...]]]:
    try:
        kind = validate_evidence_file(upload)
    except ValidationError as exc:
        raise ProgrammeImportError(
            [ImportProblem(str(IMPORT_NOT_XLSX))] + [ImportProblem(m) for m in exc.messages]
        ) from None
    if kind.code != "xlsx":
        raise ProgrammeImportError([ImportProblem(str(IMPORT_NOT_XLSX))])
    upload.seek(0)
    try:
        table = tabular.read_table(
            upload.read(),
            filename="import.xlsx",
            limits=IMPORT_LIMITS,
            sheet_names=["Program"],
            formats=("xlsx",),
        )
    except tabular.TableError as exc:
        raise ProgrammeImportError([ImportProblem(m) for m in exc.messages]) from None
    return [(row.number, row.values) for row in table.rows if any(_text(v) for v in row.values)]


def _map_header(header_row: tuple[object, ...]) -> tuple[dict[int, Column], list[ImportProblem]]:
    problems: list[ImportProblem] = []
    mapping: dict[int, Column] = {}
    seen: set[str] = set()
    for index, cell in enumerate(header_row):
        text = _text(cell)
        if not text or _norm(text) in _EXPORT_ONLY:
            continue
        column = _HEADER_LOOKUP.get(_norm(text))
        letter = get_column_letter(index + 1)
        if column is None:
            problems.append(ImportProblem(str(IMPORT_UNKNOWN_COLUMN % {"column": text}), 1, letter))
        elif column.key in seen:
            problems.append(
                ImportProblem(str(IMPORT_DUPLICATE_COLUMN % {"column": text}), 1, letter)
            )
        else:
            seen.add(column.key)
            mapping[index] = column
    for column in COLUMNS:
        if column.required and column.key not in seen:
            problems.append(
                ImportProblem(str(IMPORT_MISSING_COLUMN % {"column": column.header}), 1, None)
            )
    return mapping, problems


@transaction.atomic
def programmes_import(
    *, region: Region, upload: UploadedFile, by: AbstractBaseUser
) -> list[Programme]:
    """Create every programme in the XLSX file, or none: raises ``ProgrammeImportError``."""
    rows = _read_sheet(upload)
    if len(rows) < 2:
        raise ProgrammeImportError([ImportProblem(str(IMPORT_EMPTY))])
    (_, header_row), data_rows = rows[0], rows[1:]
    if len(data_rows) > MAX_IMPORT_ROWS:
        raise ProgrammeImportError(
            [ImportProblem(str(IMPORT_TOO_MANY_ROWS % {"max": MAX_IMPORT_ROWS}))]
        )
    mapping, problems = _map_header(header_row)
    if problems:
        raise ProgrammeImportError(problems)
    lookups = _Lookups(region)
    parsed: list[dict[str, Any]] = []
    for number, row in data_rows:
        cells = {column.key: row[index] for index, column in mapping.items() if index < len(row)}
        values = _parse_row(cells, number, lookups, problems)
        if values is not None:
            parsed.append(values)
    if problems:
        raise ProgrammeImportError(problems)
    programmes = [Programme(region=region, **values) for values in parsed]
    for programme in programmes:
        # Field checks only: the references and the year order were checked above, and
        # re-checking them here would cost queries per row.
        programme.full_clean(
            exclude=["region", "dimension", "element", "agency"], validate_constraints=False
        )
    return Programme.objects.bulk_create(programmes)


# --- Export ----------


def export_rows(programmes: Iterable[Programme]) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the register; ``programmes`` must select dimension, element,
    agency and region and annotate ``evidence_count`` (no query per row)."""
    header = ["ID", *[c.header for c in COLUMNS], "Wilayah", "Diarsipkan", "Jumlah bukti dukung"]
    rows: list[list[object]] = []
    for p in programmes:
        rows.append(
            [
                p.pk,
                p.title,
                p.dimension.code,
                p.element.code if p.element else "",
                p.agency.name if p.agency else "",
                p.status,
                "ya" if p.is_quick_win else "tidak",
                p.start_year,
                p.end_year,
                p.budget,
                p.description,
                p.region.code,
                timezone.localtime(p.archived_at).strftime("%Y-%m-%d") if p.archived_at else "",
                getattr(p, "evidence_count", None),
            ]
        )
    return header, rows


def export_csv(programmes: Iterable[Programme]) -> bytes:
    header, rows = export_rows(programmes)
    return tabular.csv_bytes(header, rows)


def export_xlsx(programmes: Iterable[Programme]) -> bytes:
    header, rows = export_rows(programmes)
    budget = header.index("Anggaran (Rp)")
    sheet = tabular.Sheet(
        title="Program",
        header=header,
        rows=rows,
        widths=[8, *[c.width for c in COLUMNS], 10, 12, 10],
        number_formats={budget: "#,##0"},
    )
    return tabular.xlsx_bytes([sheet])


def import_template_xlsx(region: Region) -> bytes:
    """The XLSX template: a "Program" sheet to fill, and the codes it accepts."""
    # Required columns are marked "*", as the import page explains; the import reads a
    # header with or without the mark.
    headers = [f"{c.header} *" if c.required else c.header for c in COLUMNS]
    elements = list(Element.objects.select_related("dimension"))
    agencies = [a.name for a in Agency.objects.filter(region=region)]
    statuses = [str(value) for value in ProgrammeStatus.values]
    dims = [d.code for d in Dimension.objects.all()]
    length = max(len(elements), len(agencies), len(statuses), len(dims), 2)
    reference_rows = []
    for i in range(length):
        el = elements[i] if i < len(elements) else None
        reference_rows.append(
            [
                dims[i] if i < len(dims) else None,
                el.code if el else None,
                f"{el.dimension.code}: {el.name}" if el else None,
                statuses[i] if i < len(statuses) else None,
                ["ya", "tidak"][i] if i < 2 else None,
                agencies[i] if i < len(agencies) else None,
            ]
        )
    keys = [c.key for c in COLUMNS]
    dropdowns = [
        tabular.Dropdown(keys.index(key), f"=Referensi!${source}$2:${source}${count + 1}")
        for key, source, count in (
            ("dimension", "A", len(dims)),
            ("element", "B", len(elements)),
            ("status", "D", len(statuses)),
            ("is_quick_win", "E", 2),
            ("agency", "F", len(agencies)),
        )
        if count
    ]
    program = tabular.Sheet(
        title="Program",
        header=headers,
        widths=[c.width for c in COLUMNS],
        dropdowns=dropdowns,
        validated_rows=MAX_IMPORT_ROWS,
    )
    reference = tabular.Sheet(
        title="Referensi",
        header=["Dimensi", "Kode elemen", "Nama elemen", "Status", "Quick win", "OPD"],
        rows=reference_rows,
        widths=[16, 22, 40, 14, 10, 40],
    )
    return tabular.xlsx_bytes([program, reference])
