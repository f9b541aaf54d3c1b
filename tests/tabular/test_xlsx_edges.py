"""The XLSX reader at its edges, as spreadsheet programs other than Excel write files: cells
and rows without positions, prefixed element names, absolute part paths, cached formula
results, dates and booleans; and the exact limits of a sheet (its declared dimension, its
cell count, its last row and column, the longest cell). Written against the survivors of
`make mutation`."""

from __future__ import annotations

import tracemalloc

import pytest

from smartcity import tabular
from smartcity.tabular import reader
from tests.tabular.workbooks import NS, replace_part, sheet_xml, workbook

LIMITS = tabular.Limits(max_rows=100, max_columns=10)


def _part(body: str, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{head}'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def _rows(data: bytes, limits: tabular.Limits = LIMITS, **kwargs) -> list:
    table = tabular.read_table(data, filename="x.xlsx", limits=limits, **kwargs)
    return [(r.number, r.values) for r in table.rows]


def _refusal(data: bytes, limits: tabular.Limits = LIMITS) -> str:
    with pytest.raises(tabular.TableError) as error:
        tabular.read_table(data, filename="x.xlsx", limits=limits)
    return error.value.messages[0]


UNREADABLE = "Berkas tidak dapat dibaca sebagai XLSX. Gunakan templat dari portal."


def test_cells_and_rows_without_positions_follow_the_previous_one():
    part = _part(
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row><c r="C2"><v>3</v></c><c><v>4</v></c></row>'
        '<row r="5"><c><v>5</v></c></row><row><c r="B6"><v>6</v></c></row>'
    )
    assert _rows(workbook([("S", part)])) == [
        (1, (1, 2)),
        (2, (None, None, 3, 4)),
        (5, (5,)),
        (6, (None, 6)),
    ]


def test_cached_formula_text_dates_and_booleans_read_as_stored():
    part = _part(
        '<row r="1"><c r="A1" t="str"><f>UPPER("abc")</f><v>ABC</v></c>'
        '<c r="B1" t="d"><v>2026-11-30T00:00:00</v></c>'
        '<c r="C1" t="b"><v>0</v></c><c r="D1" t="b"><v>1</v></c>'
        '<c r="E1" t="b"><v> true </v></c><c r="F1" t="n"><v> 7 </v></c></row>'
    )
    assert _rows(workbook([("S", part)])) == [
        (1, ("ABC", "2026-11-30T00:00:00", False, True, True, 7)),
    ]


def test_a_text_formula_without_a_stored_value_is_refused_naming_the_cell():
    part = _part('<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="str"><f>A1&amp;"x"</f></c></row>')
    assert _refusal(workbook([("S", part)])) == (
        "Sel B1 berisi rumus tanpa nilai tersimpan. Salin sel lalu tempel sebagai nilai "
        "(Paste Values), atau buka dan simpan berkas di program lembar kerja."
    )


def test_empty_values_are_empty_cells_not_refusals():
    # A formula whose cached text result is empty, an empty inline string, an empty <v/>.
    part = _part(
        '<row r="1"><c r="A1" t="str"><f>""</f><v></v></c>'
        '<c r="B1" t="inlineStr"><is><t></t></is></c><c r="C1"><v/></c>'
        '<c r="D1" s="3"/></row><row r="2"><c r="A2"><v>1</v></c></row>'
    )
    assert _rows(workbook([("S", part)])) == [(2, (1,))]


def test_element_names_with_a_namespace_prefix_are_read():
    part = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{NS}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>kode</x:t></x:is></x:c>'
        '<x:c r="B1"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    ).encode()
    assert _rows(workbook([("S", part)])) == [(1, ("kode", 2))]
    unvalued = part.replace(b"<x:v>2</x:v>", b"")
    assert _refusal(workbook([("S", unvalued)])) == (
        "Sel B1 berisi rumus tanpa nilai tersimpan. Salin sel lalu tempel sebagai nilai "
        "(Paste Values), atau buka dan simpan berkas di program lembar kerja."
    )


def test_a_workbook_naming_its_sheets_by_absolute_path_is_read():
    data = workbook([("Petunjuk", _part("")), ("nilai", sheet_xml({(1, 1): "b"}))])
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>'
    )
    data = replace_part(data, "xl/_rels/workbook.xml.rels", rels)
    assert _rows(data, sheet_names=["nilai"]) == [(1, ("b",))]


def test_a_column_beyond_zz_is_placed_and_refused_by_its_name():
    part = _part('<row r="3"><c r="AAA3"><v>1</v></c></row>')
    assert _refusal(workbook([("S", part)])) == (
        "Sel AAA3: data di luar batas. Paling banyak 10 kolom."
    )
    wide = tabular.Limits(max_rows=10, max_columns=800)
    assert _rows(workbook([("S", part)]), wide) == [(3, (None,) * 702 + (1,))]


@pytest.mark.parametrize("ref", ["1A", "A0x", "AAAA1", "A-1"])
def test_a_cell_with_a_broken_position_is_unreadable(ref):
    assert _refusal(workbook([("S", _part(f'<row r="1"><c r="{ref}"><v>1</v></c></row>'))])) == (
        UNREADABLE
    )


def test_a_string_index_that_is_not_a_number_is_unreadable():
    part = _part('<row r="1"><c r="A1" t="s"><v>x</v></c></row>')
    assert _refusal(workbook([("S", part)])) == UNREADABLE


def test_a_number_cell_that_is_not_a_number_is_unreadable():
    for raw in ["abc", "NaN", "Infinity"]:
        part = _part(f'<row r="1"><c r="A1"><v>{raw}</v></c></row>')
        assert _refusal(workbook([("S", part)])) == UNREADABLE, raw


# --- Exact limits ----------------------------------------------------------------------------


def test_a_declared_dimension_at_the_limits_is_read_one_beyond_is_refused():
    assert _rows(workbook([("S", sheet_xml({(1, 1): "a"}, dimension="A1:J101"))])) == [(1, ("a",))]
    for ref in ["A1:J102", "A1:K101", "A1:??"]:
        data = workbook([("S", sheet_xml({(1, 1): "a"}, dimension=ref))])
        assert _refusal(data) == (
            f"Lembar “S” menyatakan ukuran {ref}, lebih dari 101 baris atau 10 kolom yang dapat "
            "dibaca. Salin data saja ke lembar baru, lalu unggah lagi."
        )
    # A one-cell dimension names its only cell.
    assert _rows(workbook([("S", sheet_xml({(1, 1): "a"}, dimension="A1"))])) == [(1, ("a",))]


def _cells(count: int) -> bytes:
    # ``count`` cell elements, empty (formatted) but for the first: the sheet's real size.
    return _part('<row r="1"><c r="A1"><v>1</v></c>' + '<c s="1"/>' * (count - 1) + "</row>")


def test_a_sheet_may_hold_as_many_cell_elements_as_its_limits_allow_not_one_more():
    assert LIMITS.max_cells == 101 * 10 * 2
    assert _rows(workbook([("S", _cells(LIMITS.max_cells))])) == [(1, (1,))]
    assert _refusal(workbook([("S", _cells(LIMITS.max_cells + 1))])) == (
        f"Lembar “S” berisi lebih dari {LIMITS.max_cells} sel."
    )
    # Counted across the reader's chunks, a tag split between two of them counted once.
    limits = tabular.Limits(max_rows=5000, max_columns=10)
    assert _rows(workbook([("S", _cells(limits.max_cells))]), limits) == [(1, (1,))]
    assert _refusal(workbook([("S", _cells(limits.max_cells + 1))]), limits) == (
        f"Lembar “S” berisi lebih dari {limits.max_cells} sel."
    )


def test_the_last_row_and_column_within_the_limits_are_read_the_next_are_refused():
    limits = tabular.Limits(max_rows=3, max_columns=2)
    inside = sheet_xml({(1, 1): "h", (4, 2): "x"})
    assert _rows(workbook([("S", inside)]), limits) == [(1, ("h",)), (4, (None, "x"))]
    assert _refusal(workbook([("S", sheet_xml({(5, 1): "x"}))]), limits) == (
        "Sel A5: data di luar batas. Paling banyak 3 baris data sekali unggah."
    )
    assert _refusal(workbook([("S", sheet_xml({(1, 3): "x"}))]), limits) == (
        "Sel C1: data di luar batas. Paling banyak 2 kolom."
    )


def test_xlsx_cells_up_to_excels_limit_are_read_one_more_is_refused_naming_the_cell():
    longest = "x" * reader.MAX_CELL_CHARS
    assert _rows(workbook([("S", sheet_xml({(2, 2): longest}))]))[0][1] == (None, longest)
    assert _refusal(workbook([("S", sheet_xml({(2, 2): longest + "y"}))])) == (
        f"Sel B2: teks lebih dari {reader.MAX_CELL_CHARS} karakter."
    )


def test_an_error_value_is_refused_naming_the_cell_and_the_error():
    part = _part('<row r="4"><c r="C4" t="e"><v>#N/A</v></c></row>')
    assert _refusal(workbook([("S", part)])) == "Sel C4 berisi galat rumus (#N/A)."


def test_rich_text_runs_of_an_inline_string_are_joined():
    part = _part(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr>'
        '<t xml:space="preserve">Kota </t></r><r><t>Bekasi</t></r></is></c></row>'
    )
    assert _rows(workbook([("S", part)])) == [(1, ("Kota Bekasi",))]


def test_a_value_split_between_two_chunks_of_the_file_reads_whole():
    # The reader feeds the parser 64 KB at a time; a number or a text cut by that boundary
    # arrives in two pieces and must read as one.
    cells = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{1000000 + r}</v></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>teks nomor {r}</t></is></c></row>'
        for r in range(1, 101)
    )
    rows = [(r, (1000000 + r, f"teks nomor {r}")) for r in range(1, 101)]
    for marker in (b"<v>1000050", b"<t>teks nomor 50"):
        # Padding (spaces between elements) puts the chunk boundary inside that value.
        probe = _part(cells)
        padding = reader._CHUNK - probe.index(marker) - len(marker) + 3
        part = _part(cells.replace('<row r="1">', " " * padding + '<row r="1">', 1))
        start = part.index(marker)
        assert start < reader._CHUNK < start + len(marker)
        assert _rows(workbook([("S", part)])) == rows


def test_a_declared_dimension_that_is_not_ascii_is_refused_as_a_dimension():
    data = workbook([("S", sheet_xml({(1, 1): "a"}, dimension="A1:Ä9"))])
    assert _refusal(data) == (
        "Lembar “S” menyatakan ukuran A1:\ufffd\ufffd9, lebih dari 101 baris atau 10 kolom yang "
        "dapat dibaca. Salin data saja ke lembar baru, lalu unggah lagi."
    )


def test_the_request_time_check_of_a_large_sheet_reads_it_in_small_pieces():
    # A 5 KB upload whose sheet unpacks to 4 MB: counting its cells in the request costs a
    # few chunks of memory, never the whole part.
    data = workbook([("S", sheet_xml({(1, 1): "x" * 4_000_000, (2, 1): "y"}))])
    assert len(data) < 10_000
    tracemalloc.start()
    try:
        tabular.precheck_table(data, filename="x.xlsx", limits=LIMITS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, f"{peak / 1e6:.1f} MB"


def test_a_sheet_whose_xml_stops_midway_is_refused_not_read_in_part():
    cut = _part('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>')
    cut = cut[: cut.index(b'<row r="2">')]
    assert _refusal(workbook([("S", cut)])) == UNREADABLE


def test_reading_a_large_sheet_holds_a_few_chunks_of_it_in_memory():
    # 4 MB of layout between two rows (a 5 KB upload): read in 64 KB pieces.
    part = _part(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        + " " * 4_000_000
        + '<row r="2"><c r="A2"><v>2</v></c></row>'
    )
    data = workbook([("S", part)])
    assert len(data) < 10_000
    tracemalloc.start()
    try:
        assert _rows(data) == [(1, (1,)), (2, (2,))]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, f"{peak / 1e6:.1f} MB"
