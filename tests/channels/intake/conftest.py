"""Intake fixtures: uploads in a temporary folder, fresh rate limits, export-shaped files."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache

from lapor.complaints.exports import export_header

# A valid one-page PDF is not needed: the upload check reads the first bytes only.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The upload check reads the first bytes: a GIF is a photo the portal takes, not a letter scan.
GIF_BYTES = b"GIF89a" + bytes(32)
TEXT = "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam."


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def row(**cells) -> dict:
    """One export row as a dict keyed by column key, with valid defaults."""
    values = {
        "tracking_id": "EXT-1",
        "received_at": "2025-03-03 10:15",
        "reporter": "Made Sukerta",
        "category": "Jalan rusak",
        "title": "Jalan berlubang di depan pasar",
        "original_text": TEXT,
        "text": TEXT,
        "is_anonymous": "Tidak",
        "is_confidential": "Tidak",
        "channel": "SMS 1708",
        "agency": "",
        "status": "Diterima (belum terverifikasi)",
        "reason": "",
        "province": "Bali",
        "regency": "Kota Denpasar",
        "district": "Denpasar Selatan",
        "village": "Sesetan",
        "rating": "",
    }
    values.update(cells)
    return values


def csv_bytes(rows: list[dict], *, delimiter: str = ",") -> bytes:
    from lapor.channels.intake.columns import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([str(h) for h in export_header()])
    for values in rows:
        writer.writerow([values.get(key, "") for key in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_bytes(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    from lapor.channels.intake.columns import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append([str(h) for h in export_header()])
    for values in rows:
        sheet.append([values.get(key, "") for key in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
