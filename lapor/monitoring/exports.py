"""Small tables of figures and their CSV and XLSX writers, shared by the statistics exports.

A `Table` holds aggregate figures only (names of regions, categories, channels and counts);
whoever builds one is responsible for keeping personal data and report content out of it.
Text cells are made safe for spreadsheets: no control bytes, and nothing a spreadsheet would
run as a formula (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters openpyxl refuses in a cell (XML 1.0 control characters).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Characters a sheet title may not hold, and its maximum length.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


@dataclass
class Table:
    """A titled table: column headings and rows of plain values (str, int, float or None)."""

    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def __post_init__(self):
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row {row!r} does not match the {len(self.columns)} columns of {self.title!r}")


def safe_cell(value):
    """A value a spreadsheet shows as typed: text is never read as a formula."""
    if value is None:
        return None  # an empty cell (CSV writes it as "")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    value = _ILLEGAL.sub("", str(value))
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark (so spreadsheet programs read it as UTF-8), comma-separated."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([safe_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", _ILLEGAL.sub("", title)).strip().strip("'") or "Tabel"
    base = base[:SHEET_TITLE_MAX]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def to_xlsx(tables: list[Table]) -> bytes:
    """One workbook, one sheet per table (its title on the tab), headings in the first row."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        sheet.append([safe_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
    if not tables:
        book.create_sheet("Tabel")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
