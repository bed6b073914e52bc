"""Bulk import from the official export's columns: dry run, real run, re-import, CSV and XLSX."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lapor.channels.intake import importing
from lapor.channels.intake.models import ImportedReport
from lapor.complaints.models import Channel, Report, ReportEvent, Status
from lapor.sla import deadlines

from ...factories import make_report
from .conftest import csv_bytes, row, xlsx_bytes

BAD_ROWS = [
    row(tracking_id="EXT-1"),  # row 2: fine
    row(tracking_id="EXT-2", received_at="31/31/2025"),  # row 3: bad date
    row(tracking_id="EXT-3", category="Kategori Khayalan"),  # row 4: unknown category
    row(tracking_id="EXT-4", agency="Pemerintah Kota Atlantis", status="Terverifikasi dan terdisposisi"),  # row 5
    row(tracking_id="EXT-5", original_text="", text=""),  # row 6: missing text
    row(tracking_id="EXT-6", channel="Merpati pos"),  # row 7: bad channel
    row(tracking_id="EXT-7", received_at="kemarin", channel="Faks", category="Tidak ada"),  # row 8: three at once
]


def _errors(checked) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in checked.errors}


def test_dry_run_lists_every_row_error_and_writes_nothing(world):
    checked = importing.check_file(csv_bytes(BAD_ROWS))

    assert _errors(checked) == {
        (3, "Tanggal diterima"),
        (4, "Kategori"),
        (5, "Instansi"),
        (6, "Isi laporan asli"),
        (7, "Kanal"),
        (8, "Tanggal diterima"), (8, "Kanal"), (8, "Kategori"),
    }
    messages = {(e.row, e.column): e.message for e in checked.errors}
    assert "tidak terbaca" in messages[(3, "Tanggal diterima")]
    assert "Kategori Khayalan" in messages[(4, "Kategori")] and "tidak dikenal" in messages[(4, "Kategori")]
    assert "Pemerintah Kota Atlantis" in messages[(5, "Instansi")]
    assert "minimal 20 karakter" in messages[(6, "Isi laporan asli")]
    assert "Merpati pos" in messages[(7, "Kanal")]
    assert [p.row for p in checked.plans] == [2]
    assert checked.error_rows == 6
    assert Report.objects.count() == 0 and ImportedReport.objects.count() == 0

    checked, imported = importing.import_file(csv_bytes(BAD_ROWS), dry_run=True)
    assert imported is None and Report.objects.count() == 0


def test_file_without_the_export_columns_is_refused(world):
    from lapor.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        importing.check_file(b"nama,isi\nA,B\n")
    assert "Nomor pelacakan" in str(error.value) and "Tanggal diterima" in str(error.value)


def _valid_rows(world) -> list[dict]:
    world.agency_a.refresh_from_db()
    return [
        row(tracking_id="EXT-10", received_at="2025-03-03 10:15"),
        row(
            tracking_id="EXT-11", received_at="2025-02-10 08:00", agency="Pemerintah Kota Denpasar",
            status="Ditindaklanjuti", channel="Surat",
        ),
        row(
            tracking_id="EXT-12", received_at="2024-11-05 14:30", agency="kota-denpasar", status="Selesai",
            rating="4", text=TEXT_EDITED, is_anonymous="Ya", reporter="Anonim",
        ),
        row(tracking_id="EXT-13", received_at="2024-10-01 09:00", status="Diarsipkan", reason="Spam", reporter=""),
    ]


TEXT_EDITED = "Jalan di depan Pasar Badung berlubang besar dan membahayakan pengendara (disunting admin)."


def _local(text: str) -> datetime:
    return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def test_real_import_keeps_dates_channel_and_maps_status(world):
    before = timezone.now()
    checked, imported = importing.import_file(csv_bytes(_valid_rows(world)), dry_run=False)

    assert checked.errors == [] and imported.errors == []
    assert len(imported.created) == 4
    by_key = {r.external_id: r.report for r in ImportedReport.objects.select_related("report")}

    received = by_key["EXT-10"]
    assert received.status == Status.RECEIVED and received.channel == Channel.SMS
    assert received.created_at == _local("2025-03-03 10:15")
    assert received.stage_due_at == deadlines.verification_due(_local("2025-03-03 10:15"))
    assert received.contact_name == "Made Sukerta" and received.region == world.bali_village
    assert not received.events.filter(type="report.imported").exists()

    handled = by_key["EXT-11"]
    assert handled.status == Status.DISPOSED and handled.current_agency == world.agency_a
    assert handled.channel == Channel.LETTER and handled.created_at == _local("2025-02-10 08:00")
    assert handled.disposed_at >= before  # the agency's clock in lapor starts at the import
    event = handled.events.get(type="report.imported")
    assert event.actor_id is None and event.actor_role == "system"
    assert event.changes["source_status"] == [None, Status.FOLLOWED_UP]
    assert "Ditindaklanjuti" in event.message

    done = by_key["EXT-12"]
    assert done.status == Status.COMPLETED and done.rating == 4 and done.stage_due_at is None
    assert done.is_anonymous and done.contact_name == ""
    assert done.original_text == row()["original_text"] and done.text == TEXT_EDITED

    archived = by_key["EXT-13"]
    assert archived.status == Status.ARCHIVED and archived.archive_reason == world.archive_reason
    # The submission is dated when it was received, the import when it happened.
    submitted = archived.events.get(type="report.submitted")
    assert submitted.created_at == _local("2024-10-01 09:00")
    assert archived.events.get(type="report.imported").created_at >= before


def test_reimport_creates_nothing_new(world):
    raw = csv_bytes(_valid_rows(world))
    _checked, first = importing.import_file(raw, dry_run=False)
    events = ReportEvent.objects.count()

    checked, second = importing.import_file(raw, dry_run=False)

    assert len(first.created) == 4
    assert second.created == [] and second.skipped == 4 and len(checked.existing) == 4
    assert Report.objects.count() == 4 and ReportEvent.objects.count() == events


def test_xlsx_reads_like_csv(world):
    rows = _valid_rows(world) + BAD_ROWS[1:3]
    from_csv = importing.check_file(csv_bytes(rows))
    from_xlsx = importing.check_file(xlsx_bytes(rows))

    assert _errors(from_xlsx) == _errors(from_csv) == {(6, "Tanggal diterima"), (7, "Kategori")}
    assert [p.external_id for p in from_xlsx.plans] == [p.external_id for p in from_csv.plans]
    _checked, imported = importing.import_file(xlsx_bytes(rows), dry_run=False)
    assert len(imported.created) == 4


def test_semicolon_csv_from_an_indonesian_spreadsheet(world):
    checked = importing.check_file(csv_bytes(_valid_rows(world), delimiter=";"))
    assert checked.errors == [] and len(checked.plans) == 4


def test_a_row_refused_while_filing_does_not_lose_the_others(world):
    rows = _valid_rows(world)
    rows[1]["tracking_id"] = "LAP-AAAA-BBBB"  # a lapor number: kept when free
    checked = importing.check_file(csv_bytes(rows))
    assert checked.errors == [] and checked.plans[1].tracking_id == "LAP-AAAA-BBBB"
    # Between the check and the run another report takes that number.
    taken = make_report(text=TEXT_EDITED)
    Report.objects.filter(pk=taken.pk).update(tracking_id="LAP-AAAA-BBBB")

    result = importing.run_import(checked, batch_size=2)

    assert [(e.row, e.column) for e in result.errors] == [(3, "Nomor pelacakan")]
    assert "sudah dipakai" in result.errors[0].message
    assert len(result.created) == 3
    assert set(ImportedReport.objects.values_list("external_id", flat=True)) == {"EXT-10", "EXT-12", "EXT-13"}


def test_a_lapor_tracking_id_is_kept(world):
    rows = _valid_rows(world)[:1]
    rows[0]["tracking_id"] = "lap-abcd-2345"
    _checked, imported = importing.import_file(csv_bytes(rows), dry_run=False)
    assert imported.created == ["LAP-ABCD-2345"]
    assert ImportedReport.objects.get().external_id == "LAP-ABCD-2345"


def test_agency_scope(world):
    rows = [
        row(tracking_id="EXT-20", status="Terverifikasi dan terdisposisi"),  # empty agency: the import's
        row(tracking_id="EXT-21", agency="Pemerintah Kota Mataram", status="Terverifikasi dan terdisposisi"),
    ]
    checked, imported = importing.import_file(csv_bytes(rows), dry_run=False, agency=world.agency_a)

    assert [(e.row, e.column) for e in checked.errors] == [(3, "Instansi")]
    assert "Pemerintah Kota Mataram" in checked.errors[0].message
    report = ImportedReport.objects.get(external_id="EXT-20").report
    assert report.current_agency == world.agency_a and report.status == Status.DISPOSED


def test_command_dry_run_and_real_run(world, tmp_path, capsys):
    path = tmp_path / "ekspor.csv"
    path.write_bytes(csv_bytes(BAD_ROWS))

    with pytest.raises(CommandError):
        call_command("import-reports", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "baris 3\tTanggal diterima" in out and "baris 7\tKanal" in out
    assert Report.objects.count() == 0

    path.write_bytes(csv_bytes(_valid_rows(world)))
    call_command("import-reports", str(path), "--agency", "kota-denpasar")
    out = capsys.readouterr().out
    assert "4 laporan dibuat" in out
    assert Report.objects.count() == 4

    with pytest.raises(CommandError):
        call_command("import-reports", str(path), "--agency", "tidak-ada")


def test_checking_costs_the_same_queries_for_few_or_many_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ntb = dict(province="Nusa Tenggara Barat", regency="Kota Mataram", district="Ampenan", village="Ampenan Selatan")
    few = [row(tracking_id="Q-1"), row(tracking_id="Q-2", **ntb)]
    many = [row(tracking_id=f"Q-{n}", **(ntb if n % 2 else {})) for n in range(40)]
    with CaptureQueriesContext(connection) as small:
        assert importing.check_file(csv_bytes(few)).errors == []
    with CaptureQueriesContext(connection) as large:
        checked = importing.check_file(csv_bytes(many))
    assert checked.errors == [] and len(checked.plans) == 40
    assert len(large) == len(small)


def test_region_names_in_another_case_and_partial_regions(world):
    rows = [
        row(tracking_id="R-1", province="BALI", regency="kota denpasar", district="", village=""),
        row(tracking_id="R-2", province="", regency="Kota Denpasar", district="", village=""),
        row(tracking_id="R-3", province="Bali", regency="Kota Denpasar", district="Denpasar Utara", village=""),
    ]
    checked = importing.check_file(csv_bytes(rows))
    assert [p.fields["region"].code for p in checked.plans] == ["51.71"]
    assert {(e.row, e.column) for e in checked.errors} == {(3, "Provinsi"), (4, "Kecamatan")}
