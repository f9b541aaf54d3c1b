"""The one spreadsheet reader: exactly the data, or a clear refusal, within fixed bounds."""

from __future__ import annotations

import time
import tracemalloc
from decimal import Decimal

import pytest

from smartcity import tabular
from smartcity.tabular import reader
from tests.tabular.workbooks import openpyxl_xlsx, replace_part, sheet_xml, workbook

LIMITS = tabular.Limits(max_rows=100, max_columns=10)


def _read(data: bytes, name: str = "x.xlsx", limits: tabular.Limits = LIMITS) -> list:
    return [
        (r.number, r.values) for r in tabular.read_table(data, filename=name, limits=limits).rows
    ]


def _refusal(data: bytes, name: str = "x.xlsx", limits: tabular.Limits = LIMITS) -> str:
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(data, filename=name, limits=limits)
    return error.value.messages[0]


def test_reads_text_numbers_and_booleans_exactly_with_row_numbers():
    data = openpyxl_xlsx([["kode", "level", "ok"], [" 32.75 ", 3, True], [], ["x", 2.5, None]])
    assert _read(data) == [
        (1, ("kode", "level", "ok")),
        (2, (" 32.75 ", 3, True)),
        (4, ("x", Decimal("2.5"))),
    ]


def test_the_named_sheet_is_read_else_the_first():
    data = workbook([("Sheet1", sheet_xml({(1, 1): "a"})), ("nilai", sheet_xml({(1, 1): "b"}))])
    assert tabular.read_table(data, filename="x.xlsx", limits=LIMITS, sheet_names=["nilai"]).rows[
        0
    ].values == ("b",)
    assert _read(data) == [(1, ("a",))]


def test_a_declared_dimension_beyond_the_limits_is_refused_before_parsing():
    data = workbook([("S", sheet_xml({(1, 1): "a"}, dimension="A1:XFD1048576"))])
    assert "A1:XFD1048576" in _refusal(data)


def test_a_far_cell_is_refused_naming_it_and_costs_nothing_for_the_gap():
    data = workbook([("S", sheet_xml({(1, 1): "a", (200_000, 50): "x"}))])
    tracemalloc.start()
    started = time.monotonic()
    message = _refusal(data, limits=tabular.Limits(max_rows=50_000, max_columns=60))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "AX200000" in message
    assert time.monotonic() - started < 1
    assert peak < 5 * 1024 * 1024


def test_a_cell_beyond_the_column_limit_is_refused():
    assert "K1" in _refusal(workbook([("S", sheet_xml({(1, 11): "x"}))]))


def test_too_many_cell_elements_are_refused_before_parsing():
    cells = {(r, c): None for r in range(1, 80) for c in range(1, 11)}
    cells.update({(r, c): None for r in range(1, 60) for c in range(1, 11)})
    part = sheet_xml(cells).replace(
        b"</sheetData>", b'<row r="99">' + b'<c r="A99"/>' * 3000 + b"</row></sheetData>"
    )
    assert "sel" in _refusal(workbook([("S", part)]))


def test_a_formula_without_a_stored_value_is_refused_naming_the_cell():
    data = openpyxl_xlsx([["a"], ["=1+1"]])
    assert "A2" in _refusal(data)


def test_a_formula_with_a_stored_value_reads_that_value():
    part = sheet_xml({(1, 1): 7}, formulas={(1, 1): "3+4"})
    assert _read(workbook([("S", part)])) == [(1, (7,))]


def test_an_error_value_is_refused():
    part = sheet_xml({}).replace(
        b"<sheetData></sheetData>",
        b'<sheetData><row r="1"><c r="B1" t="e"><v>#DIV/0!</v></c></row></sheetData>',
    )
    assert "#DIV/0!" in _refusal(workbook([("S", part)]))


def test_merged_cells_are_refused():
    part = sheet_xml({(1, 1): "a", (2, 1): "b"}, merged=["A2:A5"])
    assert "A2:A5" in _refusal(workbook([("S", part)]))


def test_xml_entities_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    data = replace_part(openpyxl_xlsx([["a"]]), "xl/worksheets/sheet1.xml", bomb)
    assert "tidak dapat dibaca" in _refusal(data)


def test_any_document_type_declaration_is_refused_even_without_entities():
    # A worksheet part never has one; refusing every DTD leaves no entity to expand.
    part = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    )
    data = replace_part(openpyxl_xlsx([["a"]]), "xl/worksheets/sheet1.xml", part)
    assert "tidak dapat dibaca" in _refusal(data)


def test_a_package_that_unpacks_too_far_is_refused_before_reading():
    data = openpyxl_xlsx([["x" * 100]] * 100)
    limits = tabular.Limits(max_rows=1000, max_unpacked_bytes=5000)
    assert _refusal(data, limits=limits) == str(reader.UNPACKS_TOO_LARGE)


def test_the_time_limit_stops_reading():
    data = openpyxl_xlsx([[f"t{i}", i] for i in range(3000)])
    limits = tabular.Limits(max_rows=5000, max_seconds=0.0)
    assert "detik" in _refusal(data, limits=limits)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 broken", b"kode;level\n1;2\n"])
def test_anything_else_is_unreadable_as_xlsx(data):
    assert "tidak dapat dibaca" in _refusal(data)


def test_csv_reads_semicolons_and_restores_neutralised_text():
    data = tabular.csv_bytes(["a", "b"], [["=HYPERLINK(1)", "-5"], ["'=x", "@y"]])
    assert _read(data, "x.csv") == [
        (1, ("a", "b")),
        (2, ("=HYPERLINK(1)", "-5")),
        (3, ("'=x", "@y")),
    ]
    assert _read(b"a;b\n1;2\n", "x.csv") == [(1, ("a", "b")), (2, ("1", "2"))]


def test_csv_limits_and_encoding():
    assert "UTF-8" in _refusal("a\nd\xe9j\xe0\n".encode("latin-1"), "x.csv")
    many = ("a\n" + "x\n" * 101).encode()
    assert "A102" in _refusal(many, "x.csv")
    wide = (",".join(["x"] * 11) + "\n").encode()
    assert "K1" in _refusal(wide, "x.csv")
