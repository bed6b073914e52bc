"""The admins' import page: upload, dry-run table, confirm; the file is deleted once used."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from lapor.channels.intake.models import ImportedReport, ImportUpload
from lapor.complaints.models import Report

from .conftest import csv_bytes, row, xlsx_bytes

URL = "/petugas/impor/"


def _upload(client, raw: bytes, name: str = "ekspor.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, raw)})


def test_dry_run_table_then_confirm(world, client, media):
    client.force_login(world.verifier)
    rows = [
        row(tracking_id="A-1"),
        row(tracking_id="A-2", received_at="2025-13-01"),
        row(tracking_id="A-3", channel="Telegram", category="Entah"),
        row(tracking_id="A-4", status="Selesai", agency="Pemerintah Kota Mataram", rating="5"),
    ]
    page = _upload(client, csv_bytes(rows))

    html = page.content.decode()
    assert page.status_code == 200 and 'id="dry-run"' in html
    assert "<td>3</td><td>Tanggal diterima</td>" in html
    assert "<td>4</td><td>Kanal</td>" in html and "<td>4</td><td>Kategori</td>" in html
    assert Report.objects.count() == 0
    upload = ImportUpload.objects.get()
    assert upload.imported_at is None and upload.file

    done = client.post(URL, {"action": "confirm", "upload": str(upload.pk)})

    assert done.status_code == 200 and 'id="import-result"' in done.content.decode()
    assert set(ImportedReport.objects.values_list("external_id", flat=True)) == {"A-1", "A-4"}
    upload.refresh_from_db()
    assert upload.imported_at is not None and not upload.file and upload.result["created"] == 2
    assert not [p for p in (media / "imports").rglob("*") if p.is_file()]
    # A confirmed upload cannot be imported twice.
    assert client.post(URL, {"action": "confirm", "upload": str(upload.pk)}).status_code == 404


def test_agency_admin_imports_for_own_agency_only(world, client):
    client.force_login(world.admin_a)
    rows = [
        row(tracking_id="B-1", status="Terverifikasi dan terdisposisi"),
        row(tracking_id="B-2", status="Terverifikasi dan terdisposisi", agency="Pemerintah Kota Mataram"),
    ]
    html = _upload(client, xlsx_bytes(rows), "ekspor.xlsx").content.decode()
    assert "<td>3</td><td>Instansi</td>" in html

    upload = ImportUpload.objects.get()
    assert upload.agency == world.agency_a
    client.post(URL, {"action": "confirm", "upload": str(upload.pk)})
    assert Report.objects.get().current_agency == world.agency_a
    # Another admin cannot confirm someone else's upload.
    client.force_login(world.admin_b)
    assert client.post(URL, {"action": "confirm", "upload": str(upload.pk)}).status_code == 404


def test_a_file_without_the_columns_is_refused_on_the_form(world, client):
    client.force_login(world.verifier)
    response = _upload(client, b"judul,isi\nx,y\n")
    assert response.status_code == 400 and "Nomor pelacakan" in response.content.decode()
    assert ImportUpload.objects.count() == 0


def test_an_unconfirmed_upload_is_dropped_by_the_next_one(world, client, media):
    client.force_login(world.verifier)
    _upload(client, csv_bytes([row(tracking_id="D-1")]))
    first = ImportUpload.objects.get()
    _upload(client, csv_bytes([row(tracking_id="D-2")]))

    assert list(ImportUpload.objects.values_list("pk", flat=True)) != [first.pk]
    assert ImportUpload.objects.count() == 1
    assert len([p for p in (media / "imports").rglob("*") if p.is_file()]) == 1


def test_large_files_go_to_the_command(world, client, monkeypatch):
    from lapor.channels.intake import importing

    monkeypatch.setattr(importing, "MAX_REQUEST_ROWS", 2)
    client.force_login(world.verifier)
    rows = [row(tracking_id=f"E-{n}") for n in range(3)]
    response = _upload(client, csv_bytes(rows))
    assert response.status_code == 400 and "import-reports" in response.content.decode()
    assert ImportUpload.objects.count() == 0
