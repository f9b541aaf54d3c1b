"""The spreadsheet module at its edges: exact limits, exact messages, what the writer promises
a person filling a template in (dropdowns, whole-number checks, hidden reference sheets,
column widths, number formats). Written against the survivors of `make mutation`."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from smartcity import tabular
from smartcity.tabular import reader

LIMITS = tabular.Limits(max_rows=100, max_columns=10)


def _table(data: bytes, name: str = "x.csv", limits: tabular.Limits = LIMITS) -> tabular.Table:
    return tabular.read_table(data, filename=name, limits=limits)


def _rows(data: bytes, limits: tabular.Limits = LIMITS) -> list:
    return [(r.number, r.values) for r in _table(data, limits=limits).rows]


def _refusal(data: bytes, name: str = "x.csv", **kwargs) -> str:
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(data, filename=name, **{"limits": LIMITS, **kwargs})
    return error.value.messages[0]


# --- CSV ------------------------------------------------------------------------------------


def test_csv_size_limit_is_inclusive_and_its_refusal_says_so():
    data = b"a\n" + b"x" * 8 + b"\n"  # 11 bytes
    assert _rows(data, tabular.Limits(max_rows=10, max_csv_bytes=11)) == [
        (1, ("a",)),
        (2, ("x" * 8,)),
    ]
    message = _refusal(data, limits=tabular.Limits(max_rows=10, max_csv_bytes=10))
    assert message == str(reader.UNPACKS_TOO_LARGE)


def test_a_nul_byte_or_broken_quoting_is_unreadable_as_csv():
    expected = "Berkas tidak dapat dibaca sebagai CSV. Gunakan templat dari portal."
    assert _refusal(b"a\x00b\n") == expected


def test_a_field_too_long_for_a_spreadsheet_cell_is_refused_by_its_cell():
    # Longer than an XLSX cell may hold (and than csv.field_size_limit()): the reader names
    # the cell before the csv module would give up on the whole file.
    huge_field = b'"' + b"x" * 200_000 + b'"\n'
    assert _refusal(huge_field) == "Sel A1: teks lebih dari 32767 karakter."


def test_a_format_not_offered_names_the_first_format_offered():
    message = _refusal(b"a\n", formats=("xlsx",))
    assert message == "Berkas tidak dapat dibaca sebagai XLSX. Gunakan templat dari portal."


def test_csv_cells_up_to_excels_limit_are_read_one_more_is_refused_naming_the_cell():
    longest = "x" * reader.MAX_CELL_CHARS
    assert _rows(f"a,b\n1,{longest}\n".encode())[1] == (2, ("1", longest))
    message = _refusal(f"a,b\n1,{longest}y\n".encode())
    assert message == f"Sel B2: teks lebih dari {reader.MAX_CELL_CHARS} karakter."


def test_csv_columns_up_to_the_limit_are_read():
    row = ",".join(str(i) for i in range(10))
    assert _rows(f"{row}\n".encode())[0][1] == tuple(str(i) for i in range(10))
    message = _refusal(f"{row},x\n".encode())
    assert message == "Sel K1: data di luar batas. Paling banyak 10 kolom."


def test_csv_rows_up_to_the_limit_are_read():
    limits = tabular.Limits(max_rows=2)
    assert len(_rows(b"h\n1\n2\n", limits)) == 3  # the header and two data rows
    assert _refusal(b"h\n1\n2\n3\n", limits=limits) == (
        "Sel A4: data di luar batas. Paling banyak 2 baris data sekali unggah."
    )


def test_csv_blank_lines_are_skipped_and_reading_goes_on_with_line_numbers():
    data = b"a,b,c\n,,\n\n1,,3\n4,5,\n"
    table = _table(data)
    assert table.sheet == ""
    assert [(r.number, r.values) for r in table.rows] == [
        (1, ("a", "b", "c")),
        (4, ("1", None, "3")),  # an empty cell inside a row reads None
        (5, ("4", "5")),  # trailing empty cells are dropped
    ]


def test_the_delimiter_is_guessed_from_the_header_line_only():
    # Excel in an Indonesian locale writes ";" and a decimal comma in the data.
    assert _rows(b"nama;nilai\nKota Bekasi;3,31\nKota Bandung;3,05\n") == [
        (1, ("nama", "nilai")),
        (2, ("Kota Bekasi", "3,31")),
        (3, ("Kota Bandung", "3,05")),
    ]
    assert _rows(b"nama\tnilai\nA\t1\n") == [(1, ("nama", "nilai")), (2, ("A", "1"))]
    # A header without any delimiter: commas.
    assert _rows(b"nama\nA,1\n") == [(1, ("nama",)), (2, ("A", "1"))]


def test_quotes_follow_excel_even_when_the_header_has_none():
    assert _rows(b'a,b\n"x ""kutip""","1,5"\n') == [(1, ("a", "b")), (2, ('x "kutip"', "1,5"))]


def test_the_time_limit_applies_to_csv_from_the_first_row():
    # A deadline already past (a clock cannot be trusted to move between two readings).
    message = _refusal(b"a\n", limits=tabular.Limits(max_rows=10, max_seconds=-1))
    assert message == str(reader.TOO_SLOW % {"seconds": "-1"})


# --- XLSX written by the portal ---------------------------------------------------------------


def _workbook(*sheets: tabular.Sheet, **kwargs):
    return load_workbook(io.BytesIO(tabular.xlsx_bytes(list(sheets), **kwargs)))


def test_dropdowns_and_whole_number_checks_cover_the_rows_to_fill_in():
    book = _workbook(
        tabular.Sheet(
            title="Nilai",
            header=["kode", "wilayah", "level"],
            dropdowns=[
                tabular.Dropdown(
                    column=1,
                    source="Referensi!$A$2:$A$7",
                    error_title="Wilayah tidak dikenal",
                    error="Pilih dari daftar.",
                )
            ],
            whole_numbers={2: (0, 5)},
            whole_number_error=("Level salah", "Isi 0 sampai 5."),
            validated_rows=30,
        )
    )
    validations = book["Nilai"].data_validations.dataValidation
    assert len(validations) == 2
    listing, whole = validations
    assert listing.type == "list"
    assert listing.formula1 == "Referensi!$A$2:$A$7"
    assert str(listing.sqref) == "B2:B31"
    assert listing.allow_blank
    assert listing.showErrorMessage
    assert listing.errorStyle == "stop"
    assert (listing.errorTitle, listing.error) == ("Wilayah tidak dikenal", "Pilih dari daftar.")
    assert whole.type == "whole"
    assert whole.operator == "between"
    assert (whole.formula1, whole.formula2) == ("0", "5")
    assert str(whole.sqref) == "C2:C31"
    assert whole.allow_blank
    assert whole.showErrorMessage
    assert whole.errorStyle == "stop"
    assert (whole.errorTitle, whole.error) == ("Level salah", "Isi 0 sampai 5.")


def test_checks_without_messages_and_rows_cover_at_least_the_first_row():
    book = _workbook(
        tabular.Sheet(
            title="Nilai",
            header=["kode", "level"],
            dropdowns=[tabular.Dropdown(column=0, source="Kode")],
            whole_numbers={1: (1, 9)},
        )
    )
    listing, whole = book["Nilai"].data_validations.dataValidation
    assert str(listing.sqref) == "A2"
    assert str(whole.sqref) == "B2"
    assert (listing.errorTitle, listing.error) == (None, None)
    assert (whole.errorTitle, whole.error) == (None, None)


def test_hidden_reference_sheets_widths_header_and_number_formats():
    long_header = "x" * 80
    book = _workbook(
        tabular.Sheet(
            title="Hasil",
            header=["kode", "indeks pencapaian", long_header, "lebar"],
            rows=[["A", Decimal("3.31"), 7, "z"]],
            widths=[0, 0, 0, 25],
            number_formats={1: "0.00", 2: "#,##0"},
        ),
        tabular.Sheet(title="Referensi", header=["daftar"], hidden=True),
    )
    shown, hidden = book["Hasil"], book["Referensi"]
    assert shown.sheet_state == "visible"
    assert hidden.sheet_state == "hidden"
    widths = [shown.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == [10, len("indeks pencapaian") + 4, 60, 25]
    assert [c.value for c in shown[1]] == ["kode", "indeks pencapaian", long_header, "lebar"]
    assert shown["A1"].font.bold
    data = shown[2]
    assert [c.value for c in data] == ["A", 3.31, 7, "z"]
    assert data[1].number_format == "0.00"
    assert data[2].number_format == "#,##0"
    assert data[0].number_format == "General"
    assert shown.freeze_panes == "A2"


def test_csv_files_open_in_excel_as_utf8_with_windows_line_ends():
    data = tabular.csv_bytes(["nama", "catatan"], [["Kota Bekasi", None]])
    assert data == "\ufeffnama,catatan\r\nKota Bekasi,\r\n".encode()
    plain = tabular.csv_bytes(["nama"], [["Kota Bandung"]], bom=False)
    assert plain == b"nama\r\nKota Bandung\r\n"


def test_metadata_sheet_and_defined_names_for_dropdown_sources():
    book = _workbook(
        tabular.Sheet(title="Nilai", header=["kode"]),
        tabular.Sheet(title="Referensi", header=["kode"], rows=[["A"], ["B"]]),
        metadata=[("sumber", "Portal Smart City")],
        defined_names={"Kode": "Referensi!$A$2:$A$3"},
    )
    assert book.sheetnames == ["Nilai", "Referensi", "metadata"]
    meta = book["metadata"]
    assert [[c.value for c in row] for row in meta.iter_rows()] == [
        ["key", "value"],
        ["sumber", "Portal Smart City"],
    ]
    assert (meta.column_dimensions["A"].width, meta.column_dimensions["B"].width) == (24, 100)
    assert book.defined_names["Kode"].attr_text == "Referensi!$A$2:$A$3"
    named = _workbook(
        tabular.Sheet(title="Nilai", header=["kode"]), metadata=[("a", 1)], metadata_title="info"
    )
    assert named.sheetnames == ["Nilai", "info"]


def test_an_xlsx_file_is_recognised_by_its_zip_signature():
    assert reader.is_xlsx(tabular.xlsx_bytes([tabular.Sheet(title="a", header=["x"])]))
    assert not reader.is_xlsx(b"PK\x03\x05rest")
    assert not reader.is_xlsx(b"nama,nilai\r\n")
