"""Training and evaluation data from CSV (or XLSX) files.

A CSV has a header and the columns `text` and `label` (optional `title`, prepended to the text,
and `date`; other columns are ignored). The officers' export (`lapor.complaints.exports`, in
Indonesian or English) is accepted as it is: title and the edited text become the text, and
the category, agency or unit column the label, depending on the target.
"""

from __future__ import annotations

import csv
import zipfile
from collections import Counter
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from lapor.core.errors import InvalidInput

from .models import Target
from .versions import Dataset

# Headers of the officers' export that carry what a router learns (see complaints/exports.py).
EXPORT_TEXT = ("Judul", "Isi laporan (disunting)", "Isi laporan asli")
EXPORT_LABEL = {Target.CATEGORY: "Kategori", Target.AGENCY: "Instansi", Target.UNIT: "Unit kerja"}
MIN_ROWS = 4


def _export_names(indonesian: str) -> set[str]:
    names = {indonesian}
    with translation.override("en"):
        names.add(_(indonesian))
    return names


def read_csv(path: str | Path, *, target: str = Target.AGENCY, min_examples: int = 1, training: bool = True) -> Dataset:
    """Rows of a CSV as texts and labels, or an `InvalidInput` saying what is wrong with the file.

    Training needs a few rows and two labels at least; evaluating needs one row.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(_("Berkas %(path)s tidak ditemukan.") % {"path": path}, field="data")
    if zipfile.is_zipfile(path):  # agencies exchange the export as a spreadsheet too
        header, rows = _xlsx_rows(path)
    else:
        header, rows = _csv_rows(path)
    texts, labels = _columns(rows, header, target, path)
    return _filtered(texts, labels, min_examples=min_examples, source_name=path.name, training=training)


def _csv_rows(path: Path) -> tuple[list[str], list[dict]]:
    csv.field_size_limit(2**31 - 1)  # long reports are one field
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            rows = list(reader)
    except UnicodeDecodeError:
        raise InvalidInput(_("Berkas %(path)s bukan teks UTF-8.") % {"path": path}, field="data") from None
    except csv.Error as error:
        raise InvalidInput(
            _("Berkas %(path)s bukan CSV yang sah: %(error)s") % {"path": path, "error": error}, field="data"
        ) from None
    return header, rows


def _xlsx_rows(path: Path) -> tuple[list[str], list[dict]]:
    """The first sheet of an .xlsx (the officers' XLSX export): header row, then rows."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(_("Berkas %(path)s bukan CSV atau XLSX yang sah.") % {"path": path}, field="data") from None
    values = book.worksheets[0].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(values, ())]
    rows = [
        {name: "" if value is None else str(value) for name, value in zip(header, row)}
        for row in values
    ]
    book.close()
    return header, rows


def _columns(rows: list[dict], header: list[str], target: str, path: Path) -> tuple[list[str], list[str]]:
    strip = {h: h.strip() for h in header}
    rows = [{strip.get(k, k): (v or "") for k, v in row.items() if k is not None} for row in rows]
    if "text" in header and "label" in header:
        texts = [_join(row.get("title", ""), row["text"]) for row in rows]
        return texts, [row["label"].strip() for row in rows]
    export = _export_columns(header, target)
    if export is not None:
        title, body, original, label = export
        texts = [_join(row.get(title, ""), row.get(body) or row.get(original, "")) for row in rows]
        return texts, [row.get(label, "").strip() for row in rows]
    missing = [c for c in ("text", "label") if c not in header]
    raise InvalidInput(
        _("Kolom %(missing)s tidak ada di %(path)s. Kolom yang ada: %(found)s.")
        % {"missing": ", ".join(missing), "path": path.name, "found": ", ".join(header) or "—"},
        field="data",
    )


def _export_columns(header: list[str], target: str) -> tuple[str, str, str, str] | None:
    """(title, edited text, original text, label) header names when this is the officers' export."""
    found = []
    for indonesian in (*EXPORT_TEXT, EXPORT_LABEL.get(target, "Instansi")):
        match = next((h for h in header if h in _export_names(indonesian)), None)
        found.append(match)
    title, body, original, label = found
    if (body or original) and label:
        return title or "", body or "", original or "", label
    return None


def _join(title: str, text: str) -> str:
    title, text = (title or "").strip(), (text or "").strip()
    return f"{title}. {text}" if title and not text.startswith(title) else text


def _filtered(texts: list[str], labels: list[str], *, min_examples: int, source_name: str, training: bool) -> Dataset:
    pairs = [(t, label) for t, label in zip(texts, labels) if t.strip() and label]
    counts = Counter(label for _t, label in pairs)
    dropped = {label: n for label, n in counts.items() if n < min_examples}
    kept = [(t, label) for t, label in pairs if label not in dropped]
    if not training and not kept:
        raise InvalidInput(_("Tidak ada baris berisi teks dan label di %(name)s.") % {"name": source_name}, field="data")
    if training and (len(kept) < MIN_ROWS or len({label for _t, label in kept}) < 2):
        detail = (
            _(" %(n)d label punya kurang dari %(min)d contoh.") % {"n": len(dropped), "min": min_examples}
            if dropped else ""
        )
        raise InvalidInput(
            _("Contoh terlalu sedikit: perlu paling sedikit %(rows)d baris berisi teks dan label, dengan dua label "
              "berbeda atau lebih (ada %(n)d baris, %(k)d label).")
            % {"rows": MIN_ROWS, "n": len(kept), "k": len({label for _t, label in kept})} + detail,
            field="label",
        )
    return Dataset(
        texts=[t for t, _label in kept], labels=[label for _t, label in kept], source_name=source_name, dropped=dropped
    )
