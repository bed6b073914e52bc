"""import(export(x)) gives x back: the officers' CSV/XLSX export read by the importer."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from lapor.channels.intake import importing
from lapor.channels.intake.columns import COLUMNS
from lapor.complaints import services
from lapor.complaints.models import Channel, Report
from lapor.complaints.models import Status as S
from lapor.regions.models import Region

from ...complaints.flow import walk_to


def _reports(world) -> None:
    walk_to(world, S.RECEIVED, reporter=None, contact_name="Ni Luh Putu", category=world.category, channel=Channel.SMS)
    walk_to(world, S.DISPOSED, category=world.category, channel=Channel.WHATSAPP)
    completed = walk_to(world, S.COMPLETED, channel=Channel.LETTER)
    services.report_rate(actor=world.reporter, report=completed, rating=5)
    walk_to(world, S.ARCHIVED)
    walk_to(world, S.RECEIVED, reporter=None, contact_name="Orang Rahasia", is_anonymous=True, is_confidential=True)
    walk_to(world, S.RECEIVED, region=Region.objects.get(pk="52.71"), title="Lampu jalan padam =SUM(A1)")


def _export(client, fmt: str) -> bytes:
    response = client.get(f"/petugas/laporan/ekspor.{fmt}", {"tab": "semua"})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(raw: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(raw), read_only=True).worksheets[0]
        rows = [["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)]
    # The last column, the unit a report was forwarded to, is for routing's training: an
    # imported report comes back at its agency, not at a unit (see importing.py).
    rows = [r[: len(COLUMNS) - 1] for r in rows]
    return [rows[0], *sorted(rows[1:])]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_of_the_export_gives_the_same_export(world, client, fmt):
    _reports(world)
    client.force_login(world.verifier)
    first = _export(client, fmt)
    assert len(_rows(first, fmt)) == 7
    Report.objects.all().delete()

    checked, imported = importing.import_file(first, dry_run=False, user=world.verifier)

    assert checked.errors == [] and imported.errors == [] and len(imported.created) == 6
    assert _rows(_export(client, fmt), fmt) == _rows(first, fmt)
    # The tracking ids the reporters hold still find their reports.
    tracking = {r[0] for r in _rows(first, fmt)[1:]}
    assert set(Report.objects.values_list("tracking_id", flat=True)) == tracking


def test_importing_the_export_into_the_same_lapor_creates_nothing(world, client):
    _reports(world)
    client.force_login(world.verifier)
    raw = _export(client, "csv")

    checked, imported = importing.import_file(raw, dry_run=False)

    assert checked.errors == [] and len(checked.existing) == 6
    assert imported.created == [] and Report.objects.count() == 6


def test_an_export_in_english_reads_back(world, client):
    _reports(world)
    client.force_login(world.verifier)
    client.cookies["django_language"] = "en"
    raw = _export(client, "csv")
    assert b"Tracking number" in raw.split(b"\n", 1)[0]
    Report.objects.all().delete()

    checked, imported = importing.import_file(raw, dry_run=False)

    assert checked.errors == [] and len(imported.created) == 6
    assert _rows(_export(client, "csv"), "csv") == _rows(raw, "csv")
