"""The portal's one spreadsheet reader and one spreadsheet writer.

Every import reads through ``reader.read_table`` and every export or template is written by
``writer``: the limits (size, rows, columns, time) and the formula neutralisation live in one
place, and what the writer neutralises the reader restores, so that an exported file imported
unchanged is read back exactly.
"""

from smartcity.tabular.reader import Limits, Row, Table, TableError, precheck_table, read_table
from smartcity.tabular.writer import (
    Dropdown,
    Sheet,
    csv_bytes,
    neutralise,
    unneutralise,
    write_csv,
    write_xlsx,
    xlsx_bytes,
)

__all__ = [
    "Dropdown",
    "Limits",
    "Row",
    "Sheet",
    "Table",
    "TableError",
    "csv_bytes",
    "neutralise",
    "precheck_table",
    "read_table",
    "unneutralise",
    "write_csv",
    "write_xlsx",
    "xlsx_bytes",
]
