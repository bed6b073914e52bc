"""Reading an uploaded table (CSV or XLSX) into numbered rows, whatever spreadsheet wrote it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from lapor.core.errors import InvalidInput

XLSX_MAGIC = b"PK\x03\x04"
# What the export adds before a cell a spreadsheet would run as a formula (CSV injection).
FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")
MAX_ROWS = 100_000


def _unguard(value):
    if isinstance(value, str) and value.startswith(FORMULA_GUARD):
        return value[1:]
    return value


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _csv_rows(raw: bytes) -> Iterator[list]:
    content = _decode(raw)
    first = content.split("\n", 1)[0]
    # Spreadsheets in an Indonesian locale write ";" (the comma is the decimal mark).
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        yield from csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise InvalidInput(_("Berkas CSV tidak dapat dibaca."), field="file") from error


def _xlsx_rows(raw: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(_("Berkas XLSX tidak dapat dibaca."), field="file") from error
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def read_table(raw: bytes) -> tuple[list, list[tuple[int, list]]]:
    """(header cells, [(spreadsheet row number, cells)]) with blank rows left out.

    The type is decided by the content (an XLSX is a zip), not by the file's name.
    """
    if not raw:
        raise InvalidInput(_("Berkas kosong."), field="file")
    source = _xlsx_rows(raw) if raw.startswith(XLSX_MAGIC) else _csv_rows(raw)
    header: list | None = None
    rows: list[tuple[int, list]] = []
    for number, cells in enumerate(source, start=1):
        cells = [_unguard(c) for c in cells]
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        if header is None:
            header = cells
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(
                _("Berkas terlalu besar: paling banyak %(n)d baris sekali impor.") % {"n": MAX_ROWS}, field="file"
            )
    if header is None:
        raise InvalidInput(_("Berkas tidak berisi baris judul kolom."), field="file")
    return header, rows
