"""Property-based: generated workbooks (huge declared dimensions, sparse far cells,
formulas with and without stored values, wrong types, merged cells, many sheets) are read
in bounded time and memory, and give exactly their data or a clear refusal; an import
that refuses a file saves nothing."""

from __future__ import annotations

import time
import tracemalloc
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.models import Programme
from evaluations.services import programmes as programme_service
from smartcity import tabular
from smartcity.tabular.reader import column_letter
from tests.tabular.workbooks import NS, cell_xml, workbook

LIMITS = tabular.Limits(max_rows=100, max_columns=10, max_seconds=5)
TIME_BOUND = 2.0  # seconds per file (a real upload may take 5)
MEMORY_BOUND = 8 * 1024 * 1024  # Python peak while reading a file of a few KB

# Text as people type it, formula-like starts included; no XML-invalid characters, and no
# CR (XML itself turns a raw CR into LF).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r")
    | st.sampled_from("=+-@\t'\"<>&"),
    min_size=1,
    max_size=30,
)
VALUES = st.one_of(
    TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(
        min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
    ),
    st.booleans(),
)
NEAR_ROW = st.integers(min_value=1, max_value=LIMITS.max_rows + 1)
FAR_ROW = st.integers(min_value=LIMITS.max_rows + 2, max_value=1_048_576)
NEAR_COLUMN = st.integers(min_value=1, max_value=LIMITS.max_columns)
FAR_COLUMN = st.integers(min_value=LIMITS.max_columns + 1, max_value=16_384)


@st.composite
def sheets(draw: Any) -> dict[str, Any]:
    cells = draw(st.dictionaries(st.tuples(NEAR_ROW, NEAR_COLUMN), VALUES, max_size=40))
    far = draw(
        st.dictionaries(
            st.one_of(st.tuples(FAR_ROW, NEAR_COLUMN), st.tuples(NEAR_ROW, FAR_COLUMN)),
            VALUES,
            max_size=2,
        )
        if draw(st.booleans())
        else st.just({})
    )
    formulas = draw(
        st.dictionaries(
            st.tuples(NEAR_ROW, NEAR_COLUMN),
            st.tuples(
                st.sampled_from(["SUM(A1:A3)", "1+1", 'HYPERLINK("http://x")']),
                st.one_of(st.none(), st.integers(0, 99)),
            ),
            max_size=2,
        )
        if draw(st.booleans())
        else st.just({})
    )
    dimension = draw(
        st.one_of(
            st.none(),
            st.tuples(NEAR_ROW, NEAR_COLUMN),
            st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384)),
        )
    )
    merged = draw(st.lists(st.sampled_from(["A1:B1", "C5:C9", "A2:A3"]), max_size=1))
    return {
        "cells": cells,
        "far": far,
        "formulas": formulas,
        "dimension": dimension,
        "merged": merged,
    }


def _part(spec: dict[str, Any]) -> tuple[bytes, dict[tuple[int, int], Any], bool]:
    """The worksheet XML, the values it holds, and whether a reader must refuse it."""
    values: dict[tuple[int, int], Any] = {**spec["cells"], **spec["far"]}
    refuse = bool(spec["far"]) or bool(spec["merged"])
    xml_cells: dict[tuple[int, int], str] = {}
    for (row, column), value in values.items():
        xml_cells[(row, column)] = cell_xml(f"{column_letter(column)}{row}", value)
    for (row, column), (formula, cached) in spec["formulas"].items():
        ref = f"{column_letter(column)}{row}"
        xml_cells[(row, column)] = cell_xml(ref, cached, formula)
        if cached is None:
            values.pop((row, column), None)
            refuse = True
        else:
            values[(row, column)] = cached
    if spec["dimension"]:
        row, column = spec["dimension"]
        if row > LIMITS.max_rows + 1 or column > LIMITS.max_columns:
            refuse = True
    by_row: dict[int, list[str]] = {}
    for (row, _column), xml in sorted(xml_cells.items()):
        by_row.setdefault(row, []).append(xml)
    body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(by_row.items()))
    dimension = ""
    if spec["dimension"]:
        row, column = spec["dimension"]
        dimension = f'<dimension ref="A1:{column_letter(column)}{row}"/>'
    merges = "".join(f'<mergeCell ref="{m}"/>' for m in spec["merged"])
    merges = f"<mergeCells>{merges}</mergeCells>" if merges else ""
    part = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dimension}'
        f"<sheetData>{body}</sheetData>{merges}</worksheet>"
    ).encode()
    return part, values, refuse


def _expected_rows(values: dict[tuple[int, int], Any]) -> list[tuple[int, tuple[Any, ...]]]:
    def exact(value: Any) -> Any:
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return value

    rows: dict[int, dict[int, Any]] = {}
    for (row, column), value in values.items():
        if value == "":
            continue
        rows.setdefault(row, {})[column] = exact(value)
    return [
        (row, tuple(cells.get(c) for c in range(1, max(cells) + 1)))
        for row, cells in sorted(rows.items())
    ]


def _read_bounded(data: bytes, sheet_names: list[str]) -> tuple[Any, tabular.TableError | None]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        table = tabular.read_table(data, filename="x.xlsx", limits=LIMITS, sheet_names=sheet_names)
        error = None
    except tabular.TableError as exc:
        table, error = None, exc
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < TIME_BOUND, f"{elapsed:.2f} s"
    assert peak < MEMORY_BOUND, f"{peak / 1e6:.1f} MB"
    return table, error


@settings(max_examples=120, deadline=None)
@given(
    target=sheets(),
    others=st.lists(sheets(), max_size=25),
    position=st.integers(min_value=0, max_value=25),
)
def test_a_generated_workbook_gives_exactly_its_data_or_a_clear_refusal(target, others, position):
    part, values, refuse = _part(target)
    parts = [(f"lain{i}", _part(spec)[0]) for i, spec in enumerate(others)]
    parts.insert(min(position, len(parts)), ("nilai", part))
    data = workbook(parts)
    table, error = _read_bounded(data, ["nilai"])
    if refuse:
        assert error is not None, "should have been refused"
        message = error.messages[0]
        assert message
        assert "%(" not in message
        return
    assert error is None, error.messages
    assert table.sheet == "nilai"
    assert [(r.number, r.values) for r in table.rows] == _expected_rows(values)


# --- Nothing saved on error ----------


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=sheets(), with_header=st.booleans())
def test_an_import_that_refuses_a_generated_file_saves_nothing(kota_bekasi, target, with_header):
    if with_header:
        headers = [c.header for c in programme_service.COLUMNS]
        for index, header in enumerate(headers, start=1):
            target["cells"][(1, index)] = header
    part, _values, _refuse = _part(target)
    data = workbook([("Program", part)])
    before = list(Programme.objects.order_by("pk").values())
    started = time.monotonic()
    refusal: programme_service.ProgrammeImportError | None = None
    try:
        plan = programme_service.programmes_import(region=kota_bekasi, data=data, by=None)
    except programme_service.ProgrammeImportError as error:
        refusal = error
    if refusal is not None:
        assert refusal.problems
        assert all(p.message for p in refusal.problems)
        assert list(Programme.objects.order_by("pk").values()) == before
    else:
        assert Programme.objects.count() == len(before) + len(plan.adds)
    assert time.monotonic() - started < TIME_BOUND * 2
