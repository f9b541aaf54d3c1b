"""The register as a spreadsheet: the XLSX import template, the import, the exports.

The import is all-or-nothing: a file with one bad cell creates nothing and reports every
problem by row and column (as Excel numbers and names them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from evaluations.models import Dimension, Element, Programme, ProgrammeStatus
from evaluations.services.evidence import validate_evidence_file
from evaluations.services.programmes.register import BUDGET_INVALID, parse_rupiah
from regions.models import Agency
from smartcity import tabular
from smartcity.tabular.reader import column_letter as get_column_letter

if TYPE_CHECKING:
    from django.contrib.auth.models import User
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
IMPORT_NOT_WHOLE = _("“%(value)s” harus bilangan bulat (tanpa pecahan).")
IMPORT_UNKNOWN_ID = _("ID %(value)s bukan program wilayah ini. Kosongkan ID untuk program baru.")
IMPORT_DUPLICATE_ID = _("ID %(value)s sudah dipakai di baris %(first)s.")

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
# Columns the export adds; the import skips them so an exported file can be re-read. The
# export's "ID" column is read: a row with an ID updates that programme, one without adds.
ID_HEADER = "ID"
EXPORT_ONLY_HEADERS = ("Wilayah", "Diarsipkan", "Jumlah bukti dukung")
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


_ENGLISH_GLOSS = re.compile(r"\(English: ([^)]+?)\.?\)\s*$")


def element_label(element: Element, language: str | None = None) -> str:
    """The element's name in the reader's language: the Indonesian name, or in English the
    gloss its description ends with ("… (English: public service.)")."""
    language = language or get_language() or "id"
    if language.startswith("en"):
        match = _ENGLISH_GLOSS.search(element.description or "")
        if match:
            gloss = match.group(1).strip()
            return gloss[:1].upper() + gloss[1:]
    return element.name


def _element_keys(element: Element) -> set[str]:
    return {
        _norm(element.code),
        _norm(element.name),
        _norm(element_label(element, "en")),
    }


class _Lookups:
    """The reference data a row is checked against, loaded once per import."""

    def __init__(self, region: Region) -> None:
        self.dimensions: dict[str, Dimension] = {}
        for dim in Dimension.objects.all():
            for key in (dim.code, dim.name, dim.name.removeprefix("Smart ")):
                self.dimensions[_norm(key)] = dim
        self.elements: dict[tuple[int, str], Element] = {}
        for el in Element.objects.all():
            for key in _element_keys(el):
                self.elements[(el.dimension_id, key)] = el
        self.agencies: dict[str, Agency] = {}
        for agency in Agency.objects.filter(region=region):
            self.agencies[_norm(agency.name)] = agency
            if agency.acronym:
                self.agencies.setdefault(_norm(agency.acronym), agency)
        self.statuses: dict[str, str] = {}
        for value, label in ProgrammeStatus.choices:
            self.statuses[_norm(value)] = value
            for language in ("id", "en"):
                with translation.override(language):
                    self.statuses[_norm(str(label))] = value


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


class _NotWhole(ValueError):
    pass


def _whole(value: object) -> int | None:
    """A whole number from a cell (3, "3"), None when empty; ``_NotWhole`` for a fraction
    (2026.7 is never rounded to a year) or anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _NotWhole
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        number = Decimal(str(value))
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            raise _NotWhole
        return int(text)
    if number != number.to_integral_value():
        raise _NotWhole
    return int(number)


def _year(value: object, problems: list[ImportProblem], row: int, header: str) -> int | None:
    try:
        year = _whole(value)
    except _NotWhole:
        problems.append(ImportProblem(str(IMPORT_NOT_WHOLE % {"value": _text(value)}), row, header))
        return None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(ImportProblem(str(IMPORT_NOT_YEAR % {"value": year}), row, header))
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

    budget = cells.get("budget")
    try:
        if isinstance(budget, Decimal | float):  # a number cell: whole rupiah only
            try:
                budget = _whole(budget)
            except _NotWhole:
                raise ValidationError(BUDGET_INVALID) from None
        values["budget"] = parse_rupiah(budget)
    except ValidationError:
        problem("budget", str(BUDGET_INVALID))

    values["description"] = _text(cells.get("description"))
    return values if len(problems) == start else None


def _parse_id(value: object, row: int, problems: list[ImportProblem]) -> int | None:
    try:
        return _whole(value)
    except _NotWhole:
        problems.append(
            ImportProblem(str(IMPORT_UNKNOWN_ID % {"value": _text(value)}), row, ID_HEADER)
        )
        return None


def read_upload(upload: UploadedFile) -> bytes:
    """The bytes of an uploaded import file, once it is known to be an XLSX workbook."""
    try:
        kind = validate_evidence_file(upload)
    except ValidationError as exc:
        raise ProgrammeImportError(
            [ImportProblem(str(IMPORT_NOT_XLSX))] + [ImportProblem(m) for m in exc.messages]
        ) from None
    if kind.code != "xlsx":
        raise ProgrammeImportError([ImportProblem(str(IMPORT_NOT_XLSX))])
    upload.seek(0)
    return upload.read()


def _read_sheet(data: bytes) -> list[tuple[int, tuple[object, ...]]]:
    try:
        table = tabular.read_table(
            data,
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
        if _norm(text) == _norm(ID_HEADER):
            mapping[index] = ID_COLUMN
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


ID_COLUMN = Column("id", ID_HEADER)
# The fields an import sets, compared with a stored programme to tell a change.
IMPORTED_FIELDS = tuple(c.key for c in COLUMNS)


@dataclass
class ProgrammeChange:
    """A row that changes a stored programme: which columns differ."""

    row: int
    programme: Programme
    columns: list[str]


@dataclass
class ImportPlan:
    """What an import file would do (``programmes_import_preview``) or did."""

    adds: list[tuple[int, Programme]]
    changes: list[ProgrammeChange]
    unchanged: int

    @property
    def created(self) -> list[Programme]:
        return [programme for _row, programme in self.adds]


def _plan(*, region: Region, data: bytes) -> ImportPlan:
    """Every row checked; raises ``ProgrammeImportError`` listing all problems. No writes.

    A fixed number of queries whatever the number of rows."""
    rows = _read_sheet(data)
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
    existing = {p.pk: p for p in Programme.objects.filter(region=region)}
    seen_ids: dict[int, int] = {}
    plan = ImportPlan(adds=[], changes=[], unchanged=0)
    for number, row in data_rows:
        cells = {column.key: row[index] for index, column in mapping.items() if index < len(row)}
        pk = _parse_id(cells.pop("id", None), number, problems)
        if pk is not None:
            if pk not in existing:
                problems.append(
                    ImportProblem(str(IMPORT_UNKNOWN_ID % {"value": pk}), number, ID_HEADER)
                )
            elif pk in seen_ids:
                problems.append(
                    ImportProblem(
                        str(IMPORT_DUPLICATE_ID % {"value": pk, "first": seen_ids[pk]}),
                        number,
                        ID_HEADER,
                    )
                )
            else:
                seen_ids[pk] = number
        values = _parse_row(cells, number, lookups, problems)
        if values is None or problems:
            continue
        if pk is None:
            programme = Programme(region=region, **values)
            plan.adds.append((number, programme))
            continue
        programme = existing[pk]
        changed = [c.header for c in COLUMNS if getattr(programme, c.key) != values[c.key]]
        if not changed:
            plan.unchanged += 1
            continue
        for key, value in values.items():
            setattr(programme, key, value)
        plan.changes.append(ProgrammeChange(number, programme, changed))
    if problems:
        raise ProgrammeImportError(problems)
    for programme in [p for _n, p in plan.adds] + [c.programme for c in plan.changes]:
        # Field checks only: the references and the year order were checked above, and
        # re-checking them here would cost queries per row.
        programme.full_clean(
            exclude=["region", "dimension", "element", "agency"], validate_constraints=False
        )
    return plan


def programmes_import_preview(*, region: Region, data: bytes) -> ImportPlan:
    """What importing ``data`` would add and change, without writing anything (raises
    ``ProgrammeImportError`` with every problem)."""
    return _plan(region=region, data=data)


@transaction.atomic
def programmes_import(
    *,
    region: Region,
    by: User | None,
    upload: UploadedFile | None = None,
    data: bytes | None = None,
) -> ImportPlan:
    """Apply an import file: rows with an ID update that programme of the region, rows
    without one are added; every row valid, or nothing changes (``ProgrammeImportError``).
    The plan is computed again from the file and the register as they are now."""
    if data is None:
        if upload is None:
            raise ValueError("an upload or its data")
        data = read_upload(upload)
    plan = _plan(region=region, data=data)
    if plan.adds:
        created = Programme.objects.bulk_create([p for _n, p in plan.adds])
        plan.adds = [(n, p) for (n, _old), p in zip(plan.adds, created, strict=True)]
    if plan.changes:
        now = timezone.now()
        for change in plan.changes:
            change.programme.updated_at = now
        Programme.objects.bulk_update(
            [c.programme for c in plan.changes], [*IMPORTED_FIELDS, "updated_at"], batch_size=500
        )
    return plan


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


TEMPLATE_REFERENCE = "Referensi"


def import_template_xlsx(region: Region) -> bytes:
    """The XLSX template: a "Program" sheet to fill and a "Referensi" sheet of what it
    accepts. Every coded column has a strict dropdown (another value is refused by the
    spreadsheet program) labelled in the reader's language; the element dropdown lists
    only the elements of the dimension chosen on that row."""
    # Required columns are marked "*", as the import page explains; the import reads a
    # header with or without the mark.
    headers = [f"{c.header} *" if c.required else c.header for c in COLUMNS]
    dimensions = list(Dimension.objects.order_by("order", "code"))
    elements = list(
        Element.objects.select_related("dimension").order_by("dimension__order", "order", "code")
    )
    agencies = [a.name for a in Agency.objects.filter(region=region)]
    statuses = [str(label) for label in ProgrammeStatus.labels]
    yes_no = [gettext("ya"), gettext("tidak")]
    lists = [[d.name for d in dimensions], statuses, yes_no, agencies]
    length = max(len(elements), *(len(values) for values in lists), 1)
    reference_rows = []
    for i in range(length):
        el = elements[i] if i < len(elements) else None
        reference_rows.append(
            [
                *(values[i] if i < len(values) else None for values in lists),
                None,
                el.dimension.name if el else None,
                element_label(el) if el else None,
                el.code if el else None,
            ]
        )
    keys = [c.key for c in COLUMNS]
    dimension_cell = f"${get_column_letter(keys.index('dimension') + 1)}2"
    error_title = gettext("Nilai tidak sah")
    error = gettext("Pilih salah satu nilai dari daftar (lembar “Referensi”).")

    def listed(key: str, column: str, count: int) -> tabular.Dropdown:
        return tabular.Dropdown(
            keys.index(key),
            f"{TEMPLATE_REFERENCE}!${column}$2:${column}${count + 1}",
            error_title,
            error,
        )

    dropdowns = [
        listed("dimension", "A", len(dimensions)),
        listed("status", "B", len(statuses)),
        listed("is_quick_win", "C", 2),
        # Only the elements of the row's dimension: the block of column G whose column F
        # holds the chosen dimension (the reference rows are sorted by dimension).
        tabular.Dropdown(
            keys.index("element"),
            f"OFFSET({TEMPLATE_REFERENCE}!$G$1,"
            f"MATCH({dimension_cell},{TEMPLATE_REFERENCE}!$F:$F,0)-1,0,"
            f"COUNTIF({TEMPLATE_REFERENCE}!$F:$F,{dimension_cell}),1)",
            error_title,
            error,
        ),
    ]
    if agencies:
        dropdowns.append(listed("agency", "D", len(agencies)))
    whole = {
        keys.index("start_year"): (MIN_YEAR, MAX_YEAR),
        keys.index("end_year"): (MIN_YEAR, MAX_YEAR),
    }
    program = tabular.Sheet(
        title="Program",
        header=headers,
        widths=[c.width for c in COLUMNS],
        dropdowns=dropdowns,
        whole_numbers=whole,
        whole_number_error=(
            error_title,
            gettext("Isi tahun sebagai bilangan bulat antara 2000 dan 2100."),
        ),
        validated_rows=MAX_IMPORT_ROWS,
    )
    reference = tabular.Sheet(
        title=TEMPLATE_REFERENCE,
        header=[
            gettext("Dimensi"),
            gettext("Status"),
            gettext("Quick win"),
            gettext("OPD"),
            "",
            gettext("Dimensi"),
            gettext("Elemen"),
            gettext("Kode elemen"),
        ],
        rows=reference_rows,
        widths=[20, 16, 10, 40, 4, 20, 32, 28],
    )
    return tabular.xlsx_bytes([program, reference])
