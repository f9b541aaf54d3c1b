"""The score sheet reader (calamine): what it refuses before and while reading."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from evaluations.services import evidence, scores_io


def _xlsx(sheet: str = "nilai", rows=(("kode_wilayah", "kode_indikator", "level"),)) -> bytes:
    workbook = Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item))
    return out.getvalue()


def test_reads_values_and_empty_cells_as_none():
    data = _xlsx(rows=[("kode_wilayah", "level", "catatan"), ("32.75", 3, None)])
    assert scores_io.read_table(data, "nilai.xlsx") == [
        ["kode_wilayah", "level", "catatan"],
        ["32.75", 3.0, None],
    ]


def test_another_sheet_name_reads_the_first_sheet():
    data = _xlsx(sheet="Sheet1", rows=[("a",), ("b",)])
    assert scores_io.read_table(data, "x.xlsx") == [["a"], ["b"]]


def test_xml_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    data = _replace(_xlsx(), "xl/worksheets/sheet1.xml", bomb)
    with pytest.raises(ValidationError) as error:
        scores_io.read_table(data, "x.xlsx")
    assert "tidak dapat dibaca" in error.value.messages[0]


def test_a_sheet_that_inflates_too_far_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_SPREADSHEET_UNPACKED_BYTES", 5000)
    data = _xlsx(rows=[("x" * 100,)] * 100)  # small compressed, > 5000 bytes unpacked
    assert len(data) < 10_000
    with pytest.raises(ValidationError) as error:
        scores_io.read_table(data, "x.xlsx")
    assert error.value.messages == [str(evidence.FILE_ZIP_TOO_LARGE)]


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 broken", b"kode;level\n1;2\n"])
def test_anything_else_is_unreadable(data):
    with pytest.raises(ValidationError) as error:
        scores_io.read_table(data, "x.xlsx")
    assert "tidak dapat dibaca" in error.value.messages[0]
