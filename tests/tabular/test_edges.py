"""The spreadsheet module at its edges: exact limits, exact messages, what the writer promises
a person filling a template in (dropdowns, whole-number checks, hidden reference sheets,
column widths, number formats). Written against the survivors of `make mutation`."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from smartcity import tabular
from smartcity.tabular import reader
from tests.tabular.workbooks import NS, shared_strings_xml, workbook

LIMITS = tabular.Limits(max_rows=100, max_columns=10)


def _table(data: bytes, name: str = "x.csv", limits: tabular.Limits = LIMITS) -> tabular.Table:
    return tabular.read_table(data, filename=name, limits=limits)


def _rows(data: bytes, limits: tabular.Limits = LIMITS) -> list:
    return [(r.number, r.values) for r in _table(data, limits=limits).rows]


def _rows_xlsx(data: bytes, limits: tabular.Limits = LIMITS) -> list:
    return [(r.number, r.values) for r in _table(data, name="x.xlsx", limits=limits).rows]


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
    # A lone carriage return inside a field (a file saved with old Mac line ends).
    assert _refusal(b"a,b\n1\r2,3\n") == expected
    assert _refusal(b"a,b\r1,2\r") == expected


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


def test_quoted_commas_in_the_data_do_not_change_the_headers_delimiter():
    # Python's sniffer trusts quotes over counts: a note with 'quoted', words would make it
    # guess "," from the data lines. Only the header line is sniffed.
    data = "nama;catatan\nKota Bekasi;pilih 'ya', 'tidak', atau kosong\nKota Bandung;ya\n"
    assert _rows(data.encode()) == [
        (1, ("nama", "catatan")),
        (2, ("Kota Bekasi", "pilih 'ya', 'tidak', atau kosong")),
        (3, ("Kota Bandung", "ya")),
    ]


def test_only_comma_semicolon_and_tab_can_separate_columns():
    # A one-column file: no letter of its header is taken for a delimiter.
    assert _rows(b"INDEX\n3,31\n") == [(1, ("INDEX",)), (2, ("3", "31"))]
    assert _rows(b"kode kota\n32 75\n") == [(1, ("kode kota",)), (2, ("32 75",))]


def test_a_long_field_is_refused_by_its_cell_whatever_the_processs_csv_field_limit():
    # Python's own limit is 131,072 characters; a library imported earlier may have raised
    # it (frictionless does). Both ways the answer names the cell.
    previous = csv.field_size_limit()
    try:
        csv.field_size_limit(131_072)
        huge_field = b'kode,catatan\n1,"' + b"x" * 200_000 + b'"\n'
        assert _refusal(huge_field) == "Sel B2: teks lebih dari 32767 karakter."
    finally:
        csv.field_size_limit(previous)


def test_the_time_limit_is_checked_every_4096_csv_rows(monkeypatch):
    # With a clock that says the time is spent at its second reading, the check at the first
    # row passes and the one after 4,096 rows refuses the file.
    clock = iter(range(1, 10_000))
    monkeypatch.setattr(reader, "time", SimpleNamespace(monotonic=lambda: float(next(clock))))
    data = b"h\n" + b"1\n" * 4096
    message = _refusal(data, limits=tabular.Limits(max_rows=10_000, max_seconds=1.5))
    assert message == str(reader.TOO_SLOW % {"seconds": "1.5"})


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
    unix = tabular.csv_bytes(["nama"], [["Kota Bandung"]], bom=False, lineterminator="\n")
    assert unix == b"nama\nKota Bandung\n"


def test_open_data_csv_streams_have_the_line_ends_asked_for_windows_by_default():
    # The open-data files and the data package write "\n" (evaluations/opendata.py).
    stream = io.StringIO()
    tabular.write_csv(stream, ["kode", "nilai"], [["32.75", "=1"]], lineterminator="\n")
    assert stream.getvalue() == "kode,nilai\n32.75,'=1\n"
    stream = io.StringIO()
    tabular.write_csv(stream, ["kode"], [["32.75"]])
    assert stream.getvalue() == "kode\r\n32.75\r\n"


def test_an_open_data_workbooks_last_sheet_is_called_metadata():
    # evaluations/opendata.py writes to its file through write_xlsx, with the default title.
    stream = io.BytesIO()
    tabular.write_xlsx(
        stream, [tabular.Sheet(title="hasil", header=["kode"])], metadata=[("lisensi", "CC BY")]
    )
    assert load_workbook(io.BytesIO(stream.getvalue())).sheetnames == ["hasil", "metadata"]


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


# --- XLSX as spreadsheet programs write it ----------------------------------------------------


def _shared_cells(refs: dict[str, int]) -> bytes:
    """A sheet whose cells point into the shared strings: {"A1": 0, ...}."""
    rows: dict[int, list[str]] = {}
    for ref, index in refs.items():
        row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        rows.setdefault(row, []).append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
    body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def test_shared_strings_read_as_their_text_rich_runs_joined_phonetic_guides_left_out():
    strings = shared_strings_xml(
        [
            "<t>kode</t>",
            '<r><rPr><b/></rPr><t xml:space="preserve">Kota </t></r><r><t>Bekasi</t></r>',
            # A Japanese spreadsheet's reading aid (furigana) is not part of the cell's text.
            '<t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/>',
            "<t>sesudah</t>",
        ]
    )
    part = _shared_cells({"A1": 0, "A2": 1, "A3": 2, "A4": 3})
    assert _rows_xlsx(workbook([("S", part)], shared_strings=strings)) == [
        (1, ("kode",)),
        (2, ("Kota Bekasi",)),
        (3, ("東京",)),
        (4, ("sesudah",)),
    ]


def test_a_cell_pointing_past_the_shared_strings_is_unreadable():
    strings = shared_strings_xml(["<t>kode</t>"])
    data = workbook([("S", _shared_cells({"A1": 0, "A2": 1}))], shared_strings=strings)
    assert _refusal(data, name="x.xlsx") == (
        "Berkas tidak dapat dibaca sebagai XLSX. Gunakan templat dari portal."
    )


def test_more_shared_strings_than_the_sheet_can_hold_cells_are_refused():
    limits = tabular.Limits(max_rows=1, max_columns=2)  # two rows of two cells: 4 strings
    four = shared_strings_xml([f"<t>s{i}</t>" for i in range(4)])
    five = shared_strings_xml([f"<t>s{i}</t>" for i in range(5)])
    part = _shared_cells({"A1": 0, "B1": 1, "A2": 2, "B2": 3})
    assert _rows_xlsx(workbook([("S", part)], shared_strings=four), limits) == [
        (1, ("s0", "s1")),
        (2, ("s2", "s3")),
    ]
    message = _refusal(workbook([("S", part)], shared_strings=five), name="x.xlsx", limits=limits)
    assert message == "Lembar “sharedStrings” berisi lebih dari 4 sel."


def test_an_inline_string_with_a_phonetic_guide_reads_as_its_text_only():
    part = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>東京</t>'
        '<rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Kota Bekasi</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    assert _rows_xlsx(workbook([("S", part)])) == [(1, ("東京", "Kota Bekasi"))]


def _cell_value(raw: str) -> object:
    part = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
        f'<row r="1"><c r="A1"><v>{raw}</v></c></row></sheetData></worksheet>'
    ).encode()
    return _table(workbook([("S", part)]), name="x.xlsx").rows[0].values[0]


def test_whole_numbers_below_a_quadrillion_read_as_integers_larger_ones_exactly_as_decimals():
    # Beyond 15 digits a spreadsheet's doubles are no longer exact whole numbers: they are
    # kept as the decimal the file holds, never made into a different integer.
    for raw, expected in [
        ("151", 151),
        ("3.0", 3),
        ("999999999999999", 999_999_999_999_999),
        ("-999999999999999", -999_999_999_999_999),
    ]:
        value = _cell_value(raw)
        assert (type(value), value) == (int, expected), raw
    for raw in ["1000000000000000", "-1000000000000000", "1E+16"]:
        value = _cell_value(raw)
        assert (type(value), value) == (Decimal, Decimal(raw)), raw


def test_a_number_in_scientific_notation_keeps_its_digits_not_its_notations_zeros():
    assert str(_cell_value("1.50E-3")) == "0.0015"
    assert str(_cell_value("35.10")) == "35.10"  # written as is: the digits the file holds
    assert _cell_value("2.5E+1") == 25


def test_merged_cells_are_refused_even_when_the_merge_names_no_range():
    part = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
        '<row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
        '<mergeCells count="1"><mergeCell/></mergeCells></worksheet>'
    ).encode()
    message = _refusal(workbook([("S", part)]), name="x.xlsx")
    assert message == (
        "Lembar “S” berisi sel gabungan (?). Pisahkan sel (Unmerge) lalu unggah lagi."
    )


def test_indented_shared_strings_read_without_their_layout():
    # Some programs and libraries write the part indented, one element a line.
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}" count="2">\n'
        "  <si>\n    <t>kode</t>\n  </si>\n"
        "  <si>\n    <r>\n      <t>Kota </t>\n    </r>\n    <r>\n      <t>Bekasi</t>\n"
        "    </r>\n  </si>\n</sst>\n"
    ).encode()
    part = _shared_cells({"A1": 0, "A2": 1})
    assert _rows_xlsx(workbook([("S", part)], shared_strings=strings)) == [
        (1, ("kode",)),
        (2, ("Kota Bekasi",)),
    ]
