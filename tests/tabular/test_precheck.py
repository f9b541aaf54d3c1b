"""The checks made in the request, before an upload is queued for reading
(``tabular.precheck_table``; the reviewer's score upload): a file the reader would refuse for
its format, size, declared dimension, cell count or row count is refused at once, with the
same message the reader gives, and a file that passes them is left to the background job.
Written against the mutants `make mutation` found no test for."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import pytest

from smartcity import tabular
from smartcity.tabular import reader
from tests.tabular.workbooks import openpyxl_xlsx, replace_part, sheet_xml, workbook

LIMITS = tabular.Limits(max_rows=100, max_columns=10)


def _refusal(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(tabular.TableError) as error:
        tabular.precheck_table(data, filename=name, **{"limits": LIMITS, **kwargs})
    return error.value.messages[0]


def _passes(data: bytes, name: str, **kwargs) -> bool:
    """True when the checks let the file through (they raise ``TableError`` otherwise)."""
    tabular.precheck_table(data, filename=name, **{"limits": LIMITS, **kwargs})
    return True


class _Clock:
    """A monotonic clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


# --- The format ------------------------------------------------------------------------------


def test_the_format_follows_the_file_name_and_must_be_offered():
    xlsx = openpyxl_xlsx([["kode", "level"], ["32.75", 3]])
    assert _passes(xlsx, "nilai.xlsx")
    assert _passes(xlsx, "NILAI.XLSX")  # the extension in capitals, as Windows may write it
    # The same bytes named .csv are checked as CSV: a ZIP is not UTF-8 text.
    assert _refusal(xlsx, "nilai.csv") == str(reader.NOT_UTF8)
    assert _refusal(b"kode,level\n", "nilai.csv", formats=("xlsx",)) == (
        "Berkas tidak dapat dibaca sebagai XLSX. Gunakan templat dari portal."
    )
    assert _refusal(xlsx, "nilai.xlsx", formats=("csv",)) == (
        "Berkas tidak dapat dibaca sebagai CSV. Gunakan templat dari portal."
    )


# --- CSV -------------------------------------------------------------------------------------


def test_a_csv_within_the_limits_passes_without_being_read():
    assert _passes(b"kode,level\n32.75,3\n", "nilai.csv")
    # Only the rows are counted: what a cell holds is for the reader.
    assert _passes(b"kode;catatan\n1;=HYPERLINK(1)\n", "nilai.csv")


def test_csv_size_is_checked_inclusively_and_refused_as_too_large():
    data = b"h\n" + b"x" * 8 + b"\n"  # 11 bytes
    assert _passes(data, "x.csv", limits=tabular.Limits(max_rows=10, max_csv_bytes=11))
    message = _refusal(data, "x.csv", limits=tabular.Limits(max_rows=10, max_csv_bytes=10))
    assert message == str(reader.UNPACKS_TOO_LARGE)


def test_csv_encoding_and_nul_bytes_are_refused():
    assert _refusal("kode\nd\xe9j\xe0\n".encode("latin-1"), "x.csv") == str(reader.NOT_UTF8)
    unreadable = "Berkas tidak dapat dibaca sebagai CSV. Gunakan templat dari portal."
    assert _refusal(b"kode\x00\n", "x.csv") == unreadable
    # A lone carriage return inside a field (old Mac line ends): the csv module gives up.
    assert _refusal(b"kode,level\n1\r2,3\n", "x.csv") == unreadable


def test_csv_rows_up_to_the_limit_pass_one_more_is_refused_naming_its_line():
    limits = tabular.Limits(max_rows=2)
    # Blank lines (and lines of empty fields) are not rows: the header and two data rows.
    assert _passes(b"h\n\n1\n,,\n2\n\n", "x.csv", limits=limits)
    message = _refusal(b"h\n\n1\n,,\n2\n\n3\n", "x.csv", limits=limits)
    # The line as a spreadsheet program numbers it, blank lines counted.
    assert message == "Sel A7: data di luar batas. Paling banyak 2 baris data sekali unggah."


def test_the_time_limit_is_checked_while_csv_rows_are_counted(monkeypatch):
    # Every 4,096 rows at the latest: with a clock that says the time is spent at its next
    # reading, a file of 4,096 rows is refused before it is counted to the end.
    monkeypatch.setattr(reader, "time", SimpleNamespace(monotonic=_Clock().monotonic))
    data = b"h\n" + b"1\n" * 4095
    message = _refusal(data, "x.csv", limits=tabular.Limits(max_rows=10_000, max_seconds=0.5))
    assert message == str(reader.TOO_SLOW % {"seconds": "0.5"})


# --- XLSX ------------------------------------------------------------------------------------


def test_an_xlsx_within_the_limits_passes_even_with_cells_the_reader_will_refuse():
    # A formula without a stored value is refused by the reader, in the background job.
    data = openpyxl_xlsx([["kode"], ["=1+1"]])
    assert _passes(data, "x.xlsx")
    with pytest.raises(tabular.TableError):
        tabular.read_table(data, filename="x.xlsx", limits=LIMITS)


def test_a_broken_or_empty_xlsx_package_is_unreadable():
    expected = "Berkas tidak dapat dibaca sebagai XLSX. Gunakan templat dari portal."
    assert _refusal(b"PK\x03\x04 broken", "x.xlsx") == expected
    # A ZIP without the workbook's parts.
    assert _refusal(tabular.csv_bytes(["a"], []), "x.xlsx") == expected
    no_workbook = workbook([("S", sheet_xml({(1, 1): "a"}))])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(no_workbook)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            if item.filename != "xl/workbook.xml":
                target.writestr(item.filename, source.read(item))
    assert _refusal(out.getvalue(), "x.xlsx") == expected


def test_a_workbook_without_sheets_is_refused():
    assert _refusal(workbook([]), "x.xlsx") == str(reader.NO_SHEET)
    # A sheet entry that points at no part (no relationship id) is no sheet either.
    data = workbook([("S", sheet_xml({(1, 1): "a"}))])
    listing = (
        b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>'
    )
    assert _refusal(replace_part(data, "xl/workbook.xml", listing), "x.xlsx") == str(
        reader.NO_SHEET
    )


def test_an_xlsx_that_unpacks_too_far_is_refused():
    data = openpyxl_xlsx([["x" * 100]] * 100)
    limits = tabular.Limits(max_rows=1000, max_unpacked_bytes=5000)
    assert _refusal(data, "x.xlsx", limits=limits) == str(reader.UNPACKS_TOO_LARGE)


def test_the_named_sheets_declared_dimension_is_checked_not_another_sheets():
    small = sheet_xml({(1, 1): "a"}, dimension="A1:A1")
    huge = sheet_xml({(1, 1): "a"}, dimension="A1:XFD1048576")
    named_huge = workbook([("Petunjuk", small), ("nilai", huge)])
    assert _refusal(named_huge, "x.xlsx", sheet_names=["nilai"]) == (
        "Lembar “nilai” menyatakan ukuran A1:XFD1048576, lebih dari 101 baris atau 10 kolom "
        "yang dapat dibaca. Salin data saja ke lembar baru, lalu unggah lagi."
    )
    # Without the named sheet, the first sheet is the one checked.
    assert _passes(named_huge, "x.xlsx", sheet_names=["lain"])
    assert _passes(
        workbook([("Petunjuk", huge), ("nilai", small)]), "x.xlsx", sheet_names=["nilai"]
    )


def test_too_many_cell_elements_are_refused_in_the_request():
    part = sheet_xml({(1, 1): "a"}).replace(
        b"</sheetData>",
        b'<row r="2">' + b'<c r="A2"/>' * (LIMITS.max_cells + 1) + b"</row></sheetData>",
    )
    assert _refusal(workbook([("S", part)]), "x.xlsx") == (
        f"Lembar “S” berisi lebih dari {LIMITS.max_cells} sel."
    )


def test_the_time_limit_applies_to_the_xlsx_checks():
    data = openpyxl_xlsx([["kode"], ["32.75"]])
    limits = tabular.Limits(max_rows=10, max_seconds=-1)
    assert _refusal(data, "x.xlsx", limits=limits) == str(reader.TOO_SLOW % {"seconds": "-1"})


def _with_entries(data: bytes, extra: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
        for index in range(extra):
            target.writestr(f"customXml/item{index}.xml", b"")
    return out.getvalue()


def test_a_package_may_have_as_many_entries_and_unpack_as_far_as_allowed_not_more():
    data = openpyxl_xlsx([["kode"], ["32.75"]])
    entries = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert _passes(_with_entries(data, reader.MAX_ZIP_ENTRIES - entries), "x.xlsx")
    too_many = _with_entries(data, reader.MAX_ZIP_ENTRIES - entries + 1)
    assert _refusal(too_many, "x.xlsx") == str(reader.UNPACKS_TOO_LARGE)
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert _passes(data, "x.xlsx", limits=tabular.Limits(max_rows=10, max_unpacked_bytes=unpacked))
    assert _refusal(
        data, "x.xlsx", limits=tabular.Limits(max_rows=10, max_unpacked_bytes=unpacked - 1)
    ) == str(reader.UNPACKS_TOO_LARGE)
