"""Writing spreadsheets (XLSX and CSV) for every export, template and open-data file.

- Text a spreadsheet program would run as a formula (it begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) is neutralised (OWASP "CSV injection"). In XLSX it is
  stored as a text cell with Excel's "quote prefix" (shown as typed, stays text when edited);
  in CSV, which has no cell types, it gets a leading apostrophe, which ``unneutralise`` (the
  reader's CSV path) removes again. Text that already begins with apostrophes before such a
  character gets one more, so the mapping is exactly reversible: an export imported
  unchanged reads back the very same text. A number written as text ("-5", "+62") is not a
  formula and is left alone.
- XLSX sheets have a bold, frozen header row and column widths, and are written in
  openpyxl's write-only mode: memory stays flat whatever the number of rows.
- ``metadata``: an optional last sheet of (key, value) lines, e.g. licence and source of an
  open-data file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

# A leading character that makes a spreadsheet program read text as a formula (OWASP).
_RISKY = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
# Plain numbers written as text are not formulas: "-5", "+62 21", "-0.25" stay as they are.
_NUMBER = re.compile(r"^[+-]?\d[\d ]*([.,]\d+)?$")

MAX_SHEET_TITLE = 31  # Excel's limit
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def is_risky(text: str) -> bool:
    """True when ``text`` would be read as a formula (or is already apostrophe-escaped)."""
    return bool(_RISKY.match(text)) and not _NUMBER.match(text)


def neutralise(value: Any) -> Any:
    """``value`` safe for a CSV cell: risky text gets one leading apostrophe."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """The inverse of ``neutralise`` (the CSV reader applies it to every text cell)."""
    if isinstance(value, str) and _QUOTED.match(value) and is_risky(value[1:]):
        return value[1:]
    return value


@dataclass(frozen=True)
class Dropdown:
    """A strict list validation on a column: only values of ``source`` are accepted.

    ``source`` is a formula giving the list, e.g. ``Referensi!$A$2:$A$7`` or an
    ``OFFSET(...)`` expression for a list that depends on another column of the row.
    """

    column: int  # 0-based index in the sheet's header
    source: str
    error_title: str = ""
    error: str = ""


@dataclass
class Sheet:
    """One worksheet: a header row, then ``rows`` (any iterable: written as it is consumed)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]] = ()
    widths: Sequence[int] = ()  # per column; default from the header's length
    number_formats: dict[int, str] = field(default_factory=dict)  # column index -> format
    dropdowns: Sequence[Dropdown] = ()
    validated_rows: int = 0  # how many rows below the header the dropdowns cover
    whole_numbers: dict[int, tuple[int, int]] = field(default_factory=dict)  # column -> bounds
    whole_number_error: tuple[str, str] = ("", "")  # title, message
    hidden: bool = False
    header_style: bool = True


def _cell(sheet: Any, value: Any, number_format: str | None) -> Any:
    if isinstance(value, Decimal):
        # Stored as a number (a spreadsheet computes with it); the format shows its places.
        value = float(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and is_risky(value):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True  # and it stays text when someone edits the cell
    if number_format and isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


def _add_sheet(workbook: Workbook, spec: Sheet) -> None:
    sheet = workbook.create_sheet(title=spec.title[:MAX_SHEET_TITLE])
    if spec.hidden:
        sheet.sheet_state = "hidden"
    for index, name in enumerate(spec.header):
        width = spec.widths[index] if index < len(spec.widths) else None
        sheet.column_dimensions[get_column_letter(index + 1)].width = width or max(
            10, min(60, len(str(name)) + 4)
        )
    if spec.header:
        sheet.freeze_panes = "A2"
    last_row = max(2, spec.validated_rows + 1)
    for dropdown in spec.dropdowns:
        letter = get_column_letter(dropdown.column + 1)
        validation = DataValidation(
            type="list",
            formula1=dropdown.source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=dropdown.error_title or None,
            error=dropdown.error or None,
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.data_validations.append(validation)
    for column, (low, high) in spec.whole_numbers.items():
        letter = get_column_letter(column + 1)
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=spec.whole_number_error[0] or None,
            error=spec.whole_number_error[1] or None,
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.data_validations.append(validation)
    header_cells = []
    for name in spec.header:
        cell = _cell(sheet, str(name), None)
        if spec.header_style:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = spec.number_formats
    for row in spec.rows:
        sheet.append([_cell(sheet, v, formats.get(i)) for i, v in enumerate(row)])


def write_xlsx(
    fp: IO[bytes],
    sheets: Sequence[Sheet],
    *,
    metadata: Sequence[tuple[str, Any]] = (),
    metadata_title: str = "metadata",
    defined_names: dict[str, str] | None = None,
) -> None:
    """Write a workbook of ``sheets`` (the first is the one shown on opening) to ``fp``.

    ``metadata`` adds a last sheet of (key, value) lines. ``defined_names`` maps workbook
    names to ranges (e.g. for dropdown sources).
    """
    workbook = Workbook(write_only=True)
    for spec in sheets:
        _add_sheet(workbook, spec)
    if metadata:
        _add_sheet(
            workbook,
            Sheet(
                title=metadata_title,
                header=("key", "value"),
                rows=[(k, v) for k, v in metadata],
                widths=(24, 100),
            ),
        )
    if defined_names:
        from openpyxl.workbook.defined_name import DefinedName

        for name, ref in defined_names.items():
            workbook.defined_names[name] = DefinedName(name, attr_text=ref)
    workbook.save(fp)


def xlsx_bytes(
    sheets: Sequence[Sheet],
    *,
    metadata: Sequence[tuple[str, Any]] = (),
    metadata_title: str = "metadata",
    defined_names: dict[str, str] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        sheets,
        metadata=metadata,
        metadata_title=metadata_title,
        defined_names=defined_names,
    )
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    return neutralise(value)


def write_csv(
    fp: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    lineterminator: str = "\r\n",
) -> None:
    """Comma-separated rows to the text stream ``fp``; risky text neutralised."""
    writer = csv.writer(fp, lineterminator=lineterminator)
    writer.writerow([_csv_value(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bom: bool = True,
    lineterminator: str = "\r\n",
) -> bytes:
    """UTF-8 CSV; with ``bom`` a byte-order mark, so that Excel reads the accents right."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows, lineterminator=lineterminator)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
