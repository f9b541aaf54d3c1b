"""Hand-made XLSX packages: what a spreadsheet program or an attacker can put in a file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl import Workbook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def openpyxl_xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item))
    return out.getvalue()


def cell_xml(ref: str, value: object, formula: str | None = None) -> str:
    f = f"<f>{escape(formula)}</f>" if formula else ""
    if value is None:
        return f'<c r="{ref}">{f}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b">{f}<v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}">{f}<v>{value}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr">{f}<is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(
    cells: Mapping[tuple[int, int], object],
    *,
    dimension: str | None = None,
    merged: Sequence[str] = (),
    formulas: dict[tuple[int, int], str] | None = None,
) -> bytes:
    """A worksheet part with ``cells`` ((row, column) 1-based → value)."""
    from smartcity.tabular.reader import column_letter

    formulas = formulas or {}
    by_row: dict[int, list[str]] = {}
    for (row, column), value in sorted(cells.items()):
        ref = f"{column_letter(column)}{row}"
        by_row.setdefault(row, []).append(cell_xml(ref, value, formulas.get((row, column))))
    for (row, column), formula in formulas.items():
        if (row, column) not in cells:
            ref = f"{column_letter(column)}{row}"
            by_row.setdefault(row, []).append(cell_xml(ref, None, formula))
    body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(by_row.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merges = (
        f'<mergeCells count="{len(merged)}">'
        + "".join(f'<mergeCell ref="{m}"/>' for m in merged)
        + "</mergeCells>"
        if merged
        else ""
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}'
        f"<sheetData>{body}</sheetData>{merges}</worksheet>"
    ).encode()


def shared_strings_xml(items: Sequence[str]) -> bytes:
    """A shared-strings part; each item is the inner XML of one ``<si>``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{len(items)}" '
        f'uniqueCount="{len(items)}">' + "".join(f"<si>{i}</si>" for i in items) + "</sst>"
    ).encode()


def workbook(sheets: list[tuple[str, bytes]], shared_strings: bytes | None = None) -> bytes:
    """An XLSX package of the given (name, worksheet part) pairs, and the shared strings
    part if one is given."""
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    sheet_list = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _) in enumerate(sheets, start=1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            f'sheet.main+xml"/>{overrides}</Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://'
            "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
            '" Target="xl/workbook.xml"/></Relationships>',
        )
        package.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheet_list}</sheets></workbook>",
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>',
        )
        for i, (_, part) in enumerate(sheets, start=1):
            package.writestr(f"xl/worksheets/sheet{i}.xml", part)
        if shared_strings is not None:
            package.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()
