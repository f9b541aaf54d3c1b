"""Reading uploaded spreadsheets (XLSX and CSV) within fixed bounds of memory and time.

An XLSX file is a ZIP of XML parts. Before any cell is parsed the reader checks the package
(entries, unpacked size), the sheet's *declared* dimension (``<dimension ref="A1:XFD70000"/>``)
and its *real* cell count (a byte scan of the sheet part); then it streams the sheet with
expat, keeping only the cells that hold a value, and stops as soon as a cell lies beyond the
row or column limit or the time limit is spent. Nothing is ever allocated for a declared
range: a 4 KB file naming row 1,048,576 costs what its few cells cost. DTDs and entity
declarations are refused (no "billion laughs").

What comes back is exactly the data: text as typed (the CSV path removes the apostrophe the
writer put before formula-like text), whole numbers as ``int``, other numbers as ``Decimal``
(the digits the file holds, so ``35.10`` written as the number 35.1 reads ``Decimal("35.1")``),
booleans as ``bool``. What cannot be read exactly is refused with a message naming the cell:
a formula without a stored value, an error value (``#DIV/0!``), merged cells.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smartcity.tabular.writer import unneutralise

# --- Messages (tests import these) ----------
UNREADABLE = _("Berkas tidak dapat dibaca sebagai %(kind)s. Gunakan templat dari portal.")
NOT_UTF8 = _("Berkas CSV harus ber-encoding UTF-8 (simpan sebagai “CSV UTF-8”).")
UNPACKS_TOO_LARGE = _("Isi dokumen terlalu besar setelah dibuka. Berkas ditolak.")
DECLARED_TOO_LARGE = _(
    "Lembar “%(sheet)s” menyatakan ukuran %(ref)s, lebih dari %(rows)s baris atau %(columns)s "
    "kolom yang dapat dibaca. Salin data saja ke lembar baru, lalu unggah lagi."
)
TOO_MANY_CELLS = _("Lembar “%(sheet)s” berisi lebih dari %(max)s sel.")
ROW_BEYOND_LIMIT = _(
    "Sel %(cell)s: data di luar batas. Paling banyak %(max)s baris data sekali unggah."
)
COLUMN_BEYOND_LIMIT = _("Sel %(cell)s: data di luar batas. Paling banyak %(max)s kolom.")
FORMULA_WITHOUT_VALUE = _(
    "Sel %(cell)s berisi rumus tanpa nilai tersimpan. Salin sel lalu tempel sebagai nilai "
    "(Paste Values), atau buka dan simpan berkas di program lembar kerja."
)
CELL_ERROR = _("Sel %(cell)s berisi galat rumus (%(value)s).")
MERGED_CELLS = _(
    "Lembar “%(sheet)s” berisi sel gabungan (%(ref)s). Pisahkan sel (Unmerge) lalu unggah lagi."
)
CELL_TOO_LONG = _("Sel %(cell)s: teks lebih dari %(max)s karakter.")
TOO_SLOW = _(
    "Berkas terlalu lama dibaca (lebih dari %(seconds)s detik). Perkecil berkas, lalu unggah lagi."
)
NO_SHEET = _("Berkas tidak berisi lembar kerja.")

MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_ZIP_ENTRIES = 1_000
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What one import may hold. ``max_rows`` counts data rows (the header is one more)."""

    max_rows: int
    max_columns: int = 40
    max_seconds: float = 30.0
    max_unpacked_bytes: int = 40 * 1024 * 1024  # a national round's 30,000 rows: 17 MB
    max_csv_bytes: int = 20 * 1024 * 1024

    @property
    def max_cells(self) -> int:
        # Every cell element counts, empty (formatted) ones too: a sheet may hold more
        # elements than values, but not without bound.
        return (self.max_rows + 1) * self.max_columns * 2


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet program numbers it (1 = first line)
    values: tuple[Any, ...]  # None for an empty cell; trailing empty cells dropped


@dataclass(frozen=True)
class Table:
    """The rows of one sheet that hold any value, in order (the header is ``rows[0]``)."""

    sheet: str
    rows: list[Row]


class TableError(ValidationError):
    """The file was refused; ``messages`` says why, naming the cell where there is one."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message), code="spreadsheet")


# --- Cell references ----------

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


def _parse_ref(ref: str) -> tuple[int, int] | None:
    match = _REF.match(ref.upper())
    if not match:
        return None
    return int(match.group(2)), _column_index(match.group(1))


# Column letters → index for the first 702 columns (A to ZZ): the common case costs a lookup.
_COLUMNS = {column_letter(i): i for i in range(1, 703)}


def _cell_name(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


# --- XML with expat: no DTD, no entities ----------


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()

    def refuse(*args: Any) -> None:
        raise ValueError("DTD or entity declaration")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]  # raises, never returns
    parser.buffer_text = True
    return parser


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _feed(parser: expat.XMLParserType, stream: IO[bytes], deadline: _Deadline) -> None:
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
        deadline.check()
    parser.Parse(b"", True)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise TableError(TOO_SLOW % {"seconds": f"{self.seconds:g}"})


# --- XLSX ----------

_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheets(package: zipfile.ZipFile, deadline: _Deadline) -> list[tuple[str, str]]:
    """(name, part path) of each worksheet, in workbook order."""
    targets: dict[str, str] = {}

    def rel_start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs.get("Id", "")] = target

    parser = _parser()
    parser.StartElementHandler = rel_start
    with package.open("xl/_rels/workbook.xml.rels") as stream:
        _feed(parser, stream, deadline)

    sheets: list[tuple[str, str]] = []

    def wb_start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            if rid in targets:
                sheets.append((attrs.get("name", ""), targets[rid]))

    parser = _parser()
    parser.StartElementHandler = wb_start
    with package.open("xl/workbook.xml") as stream:
        _feed(parser, stream, deadline)
    return sheets


def _shared_strings(package: zipfile.ZipFile, deadline: _Deadline, limit: int) -> list[str]:
    if "xl/sharedStrings.xml" not in package.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_si": False, "in_t": False, "skip": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            state["in_si"] = True
            parts.clear()
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] += 1  # phonetic guides are not part of the text
        elif tag == "t" and state["in_si"] and not state["skip"]:
            state["in_t"] = True

    def end(name: str) -> None:
        tag = _local(name)
        if tag == "si":
            state["in_si"] = False
            strings.append("".join(parts))
            if len(strings) > limit:
                raise TableError(TOO_MANY_CELLS % {"sheet": "sharedStrings", "max": limit})
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data: str) -> None:
        if state["in_t"]:
            parts.append(data)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with package.open("xl/sharedStrings.xml") as stream:
        _feed(parser, stream, deadline)
    return strings


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")


def _precheck_sheet(
    package: zipfile.ZipFile, part: str, sheet: str, limits: Limits, deadline: _Deadline
) -> None:
    """The declared dimension and the real number of cells, before anything is parsed."""
    with package.open(part) as stream:
        head = stream.read(4096)
        match = _DIMENSION.search(head)
        if match:
            ref = match.group(1).decode("ascii", "replace")
            last = _parse_ref(ref.split(":")[-1])
            if last is None or last[0] > limits.max_rows + 1 or last[1] > limits.max_columns:
                raise TableError(
                    DECLARED_TOO_LARGE
                    % {
                        "sheet": sheet,
                        "ref": ref,
                        "rows": limits.max_rows + 1,
                        "columns": limits.max_columns,
                    }
                )
        count = len(_CELL_TAG.findall(head))
        tail = head[-8:]
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            count += len(_CELL_TAG.findall(window)) - len(_CELL_TAG.findall(tail))
            tail = window[-8:]
            if count > limits.max_cells:
                raise TableError(TOO_MANY_CELLS % {"sheet": sheet, "max": limits.max_cells})
            deadline.check()


def _number(text: str) -> int | Decimal:
    text = text.strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    return value.normalize() if "E" in text.upper() else value


class _SheetReader:
    """expat handlers that keep the cells holding a value, within the limits."""

    def __init__(self, sheet: str, strings: list[str], limits: Limits, deadline: _Deadline) -> None:
        self.sheet = sheet
        self.strings = strings
        self.limits = limits
        self.deadline = deadline
        self.rows: list[Row] = []
        self.row_number = 0
        self.row_cells: dict[int, Any] = {}
        self.column = 0
        self.cell_type = "n"
        self.has_formula = False
        self.text: list[str] = []
        self.capture = False
        self.value_text: str | None = None
        self.inline_text: list[str] | None = None
        self.skip = 0
        self.merged: str | None = None
        self.seen = 0
        self._starts = {
            "c": self._start_c,
            "row": self._start_row,
            "v": self._start_v,
            "f": self._start_f,
            "is": self._start_is,
            "t": self._start_t,
            "rPh": self._start_phonetic,
            "phoneticPr": self._start_phonetic,
            "mergeCell": self._start_merge,
        }
        self._ends = {
            "c": self.cell_end,
            "row": self.flush,
            "v": self._end_v,
            "t": self._end_t,
            "rPh": self._end_phonetic,
            "phoneticPr": self._end_phonetic,
        }

    # Row and cell positions may be omitted (then they follow the previous one). Handlers
    # are looked up by the element's name as written (no namespace processing: most files
    # use the default namespace; a prefixed name is reduced to its local part).
    def start(self, name: str, attrs: dict[str, str]) -> None:
        handler = self._starts.get(name)
        if handler is None and ":" in name:
            handler = self._starts.get(_local(name))
        if handler is not None:
            handler(attrs)

    def end(self, name: str) -> None:
        handler = self._ends.get(name)
        if handler is None and ":" in name:
            handler = self._ends.get(_local(name))
        if handler is not None:
            handler()

    def _start_c(self, attrs: dict[str, str]) -> None:
        self.seen += 1
        if not self.seen & 4095:
            self.deadline.check()
        ref = attrs.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            column = _COLUMNS.get(letters)
            if column is None:
                position = _parse_ref(ref)
                if position is None:
                    raise ValueError(ref)
                column = position[1]
            self.column = column
        else:
            self.column += 1
        self.cell_type = attrs.get("t", "n")
        self.has_formula = False
        self.value_text = None
        self.inline_text = None

    def _start_row(self, attrs: dict[str, str]) -> None:
        self.flush()
        number = attrs.get("r")
        self.row_number = int(number) if number and number.isdigit() else self.row_number + 1
        self.column = 0

    def _start_v(self, attrs: dict[str, str]) -> None:
        self.capture = True
        self.text = []

    def _start_f(self, attrs: dict[str, str]) -> None:
        self.has_formula = True

    def _start_is(self, attrs: dict[str, str]) -> None:
        self.inline_text = []

    def _start_phonetic(self, attrs: dict[str, str]) -> None:
        self.skip += 1

    def _start_t(self, attrs: dict[str, str]) -> None:
        if self.inline_text is not None and not self.skip:
            self.capture = True
            self.text = []

    def _start_merge(self, attrs: dict[str, str]) -> None:
        if self.merged is None:
            self.merged = attrs.get("ref", "?")

    def _end_v(self) -> None:
        self.capture = False
        self.value_text = "".join(self.text)

    def _end_t(self) -> None:
        if self.inline_text is not None and self.capture:
            self.capture = False
            self.inline_text.append("".join(self.text))

    def _end_phonetic(self) -> None:
        self.skip -= 1

    def data(self, text: str) -> None:
        if self.capture:
            self.text.append(text)

    def cell_end(self) -> None:
        kind = self.cell_type
        raw = self.value_text
        if raw == "" and kind != "str":
            raw = None  # <v/>: a formula that was never calculated, or an empty value
        value: Any
        if kind == "s" and raw is not None:
            try:
                value = self.strings[int(raw)]
            except (ValueError, IndexError):
                raise TableError(UNREADABLE % {"kind": "XLSX"}) from None
        elif kind == "inlineStr":
            value = "".join(self.inline_text or [])
        elif raw is None:
            if self.has_formula:
                raise TableError(FORMULA_WITHOUT_VALUE % {"cell": self.name})
            return  # an empty (perhaps formatted) cell
        elif kind in ("str", "d"):
            value = raw
        elif kind == "b":
            value = raw.strip() in ("1", "true")
        elif kind == "e":
            raise TableError(CELL_ERROR % {"cell": self.name, "value": raw})
        else:
            try:
                value = _number(raw)
            except ValueError:
                raise TableError(UNREADABLE % {"kind": "XLSX"}) from None
        if value == "":
            return
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise TableError(CELL_TOO_LONG % {"cell": self.name, "max": MAX_CELL_CHARS})
        if self.row_number > self.limits.max_rows + 1:
            raise TableError(ROW_BEYOND_LIMIT % {"cell": self.name, "max": self.limits.max_rows})
        if self.column > self.limits.max_columns:
            raise TableError(
                COLUMN_BEYOND_LIMIT % {"cell": self.name, "max": self.limits.max_columns}
            )
        self.row_cells[self.column] = value

    @property
    def name(self) -> str:
        return _cell_name(self.row_number, self.column)

    def flush(self) -> None:
        if self.row_cells:
            width = max(self.row_cells)
            values = tuple(self.row_cells.get(i) for i in range(1, width + 1))
            self.rows.append(Row(self.row_number, values))
            self.row_cells = {}


# What a damaged or hostile package raises while it is read.
_UNREADABLE_XLSX = (
    KeyError,
    ValueError,
    OSError,
    EOFError,
    expat.ExpatError,
    zipfile.BadZipFile,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # an encrypted entry
)


def _open_package(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The XLSX package, its entries and unpacked size checked."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise TableError(UNREADABLE % {"kind": "XLSX"}) from None
    infos = package.infolist()
    if len(infos) > MAX_ZIP_ENTRIES or (
        sum(info.file_size for info in infos) > limits.max_unpacked_bytes
    ):
        package.close()
        raise TableError(UNPACKS_TOO_LARGE)
    return package


def _checked_sheet(
    package: zipfile.ZipFile, limits: Limits, sheet_names: Sequence[str], deadline: _Deadline
) -> tuple[str, str]:
    """The name and part of the sheet to read, its dimension and cell count checked."""
    sheets = _sheets(package, deadline)
    if not sheets:
        raise TableError(NO_SHEET)
    by_name = dict(sheets)
    name = next((n for n in sheet_names if n in by_name), sheets[0][0])
    part = by_name[name]
    _precheck_sheet(package, part, name, limits, deadline)
    return name, part


def _read_xlsx(data: bytes, limits: Limits, sheet_names: Sequence[str]) -> Table:
    deadline = _Deadline(limits.max_seconds)
    unreadable = TableError(UNREADABLE % {"kind": "XLSX"})
    with _open_package(data, limits) as package:
        try:
            name, part = _checked_sheet(package, limits, sheet_names, deadline)
            # A cell refers to at most one string: more strings than cells can be is refused.
            strings = _shared_strings(package, deadline, (limits.max_rows + 1) * limits.max_columns)
            reader = _SheetReader(name, strings, limits, deadline)
            parser = _parser()
            parser.StartElementHandler = reader.start
            parser.EndElementHandler = reader.end
            parser.CharacterDataHandler = reader.data
            with package.open(part) as stream:
                _feed(parser, stream, deadline)
            reader.flush()
        except TableError:
            raise
        except _UNREADABLE_XLSX:
            raise unreadable from None
    if reader.merged is not None:
        raise TableError(MERGED_CELLS % {"sheet": name, "ref": reader.merged})
    return Table(sheet=name, rows=reader.rows)


# --- CSV ----------


def _csv_reader(data: bytes, limits: Limits) -> Any:
    """A csv reader over the file, its size, encoding and delimiter checked."""
    if len(data) > limits.max_csv_bytes:
        raise TableError(UNPACKS_TOO_LARGE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(NOT_UTF8) from None
    if "\x00" in text:
        raise TableError(UNREADABLE % {"kind": "CSV"})
    # Only the delimiter is guessed (from the header line: Excel in an Indonesian locale
    # writes ";"); quoting is always Excel's, with "" for a quote inside a field. A dialect
    # sniffed from a header without quotes would read "" wrongly.
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # csv's field limit is one number for the whole process, and some libraries raise it
    # when imported (frictionless sets it to sys.maxsize): a long field would then be
    # refused by its cell in one process and as an unreadable file in another. Raising it to
    # the file size bound here (the whole file is already in memory) makes the answer the
    # same everywhere: the cell, named, longer than a spreadsheet cell may hold.
    if csv.field_size_limit() < limits.max_csv_bytes:
        csv.field_size_limit(limits.max_csv_bytes)
    return csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)


def _precheck_csv(data: bytes, limits: Limits) -> None:
    """The number of rows holding a value, counted without keeping any (about 50 ms for
    30,000 rows)."""
    reader = _csv_reader(data, limits)
    deadline = _Deadline(limits.max_seconds)
    rows = 0
    try:
        for values in reader:
            if not any(values):
                continue
            rows += 1
            if rows > limits.max_rows + 1:
                cell = _cell_name(reader.line_num, 1)
                raise TableError(ROW_BEYOND_LIMIT % {"cell": cell, "max": limits.max_rows})
            if rows % 4096 == 0:
                deadline.check()
    except csv.Error:
        raise TableError(UNREADABLE % {"kind": "CSV"}) from None


def _read_csv(data: bytes, limits: Limits) -> Table:
    reader = _csv_reader(data, limits)
    deadline = _Deadline(limits.max_seconds)
    rows: list[Row] = []
    try:
        for values in reader:
            number = reader.line_num
            if len(rows) % 4096 == 0:
                deadline.check()
            cleaned = [unneutralise(v) for v in values]
            for index, value in enumerate(cleaned, start=1):
                if len(value) > MAX_CELL_CHARS:
                    cell = _cell_name(number, index)
                    raise TableError(CELL_TOO_LONG % {"cell": cell, "max": MAX_CELL_CHARS})
            while cleaned and cleaned[-1] == "":
                cleaned.pop()
            if not cleaned:
                continue
            if len(cleaned) > limits.max_columns:
                cell = _cell_name(number, limits.max_columns + 1)
                raise TableError(COLUMN_BEYOND_LIMIT % {"cell": cell, "max": limits.max_columns})
            if len(rows) > limits.max_rows:
                cell = _cell_name(number, 1)
                raise TableError(ROW_BEYOND_LIMIT % {"cell": cell, "max": limits.max_rows})
            rows.append(Row(number, tuple(None if v == "" else v for v in cleaned)))
    except csv.Error:
        raise TableError(UNREADABLE % {"kind": "CSV"}) from None
    return Table(sheet="", rows=rows)


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def precheck_table(
    data: bytes,
    *,
    filename: str,
    limits: Limits,
    sheet_names: Sequence[str] = (),
    formats: Sequence[str] = ("xlsx", "csv"),
) -> None:
    """The checks ``read_table`` makes before it parses any cell: the format; for XLSX the
    package's entries and unpacked size, the sheet's declared dimension and its real cell
    count (a byte scan); for CSV the size and encoding. Cheap enough for a request, so a
    file that cannot be read is refused at once instead of by a background job that reads
    it in full. Raises ``TableError``."""
    kind = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    if kind not in formats:
        raise TableError(UNREADABLE % {"kind": formats[0].upper()})
    if kind == "csv":
        _precheck_csv(data, limits)
        return
    with _open_package(data, limits) as package:
        try:
            _checked_sheet(package, limits, sheet_names, _Deadline(limits.max_seconds))
        except TableError:
            raise
        except _UNREADABLE_XLSX:
            raise TableError(UNREADABLE % {"kind": "XLSX"}) from None


def read_table(
    data: bytes,
    *,
    filename: str,
    limits: Limits,
    sheet_names: Sequence[str] = (),
    formats: Sequence[str] = ("xlsx", "csv"),
) -> Table:
    """The rows holding a value of the first sheet named in ``sheet_names`` (else the
    workbook's first sheet), or of a CSV file; raises ``TableError``.

    The format follows the file name (``.xlsx`` or anything else: CSV) and must be one of
    ``formats``.
    """
    kind = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    if kind not in formats:
        raise TableError(UNREADABLE % {"kind": formats[0].upper()})
    if kind == "xlsx":
        return _read_xlsx(data, limits, sheet_names)
    return _read_csv(data, limits)
