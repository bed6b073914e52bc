"""CSV and XLSX exports of the current list: anonymity kept, scope kept, filters kept."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from lapor.complaints.exports import export_rows
from lapor.complaints.models import Report, Status

from ...complaints.flow import walk_to


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_keeps_anonymity_and_scope(world, client):
    anonymous = walk_to(world, Status.FORWARDED, is_anonymous=True, category=world.category)
    named = walk_to(world, Status.DISPOSED)
    elsewhere = walk_to(world, Status.DISPOSED, agency=world.agency_b)
    client.force_login(world.admin_a)

    response = client.get(reverse("web:staff_export", args=["csv"]) + "?tab=semua")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    assert header[:3] == ["Nomor pelacakan", "Tanggal diterima", "Pelapor"]
    assert set(body) == {anonymous.tracking_id, named.tracking_id}
    assert elsewhere.tracking_id not in body
    row = body[anonymous.tracking_id]
    assert row[2] == "Anonim" and row[7] == "Ya"
    assert world.reporter.first_name not in "".join(row)
    assert row[3] == world.category.name and row[13:16] == ["Bali", "Kota Denpasar", "Denpasar Selatan"]
    assert body[named.tracking_id][2] == world.reporter.get_full_name()


def test_export_follows_the_filters(world, client):
    received = walk_to(world, Status.RECEIVED)
    disposed = walk_to(world, Status.DISPOSED)
    client.force_login(world.verifier)
    rows = csv_rows(client.get(reverse("web:staff_export", args=["csv"]) + "?tab=semua&status=disposed"))
    assert [row[0] for row in rows[1:]] == [disposed.tracking_id]
    assert received.tracking_id not in str(rows)


def test_xlsx_export(world, client):
    anonymous = walk_to(world, Status.RECEIVED, is_anonymous=True, title="=HYPERLINK(\"http://x\")")
    client.force_login(world.verifier)
    response = client.get(reverse("web:staff_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nomor pelacakan"
    assert rows[1][0] == anonymous.tracking_id and rows[1][2] == "Anonim"
    assert rows[1][4].startswith("'=")  # never a live formula


def test_export_needs_staff(world, client):
    assert client.get(reverse("web:staff_export", args=["csv"])).status_code == 302
    client.force_login(world.reporter)
    assert client.get(reverse("web:staff_export", args=["csv"])).status_code == 404
    client.force_login(world.verifier)
    assert client.get(reverse("web:staff_export", args=["pdf"])).status_code == 404


def test_export_rows_scope_and_constant_queries(world, django_assert_num_queries):
    walk_to(world, Status.DISPOSED, agency=world.agency_b)
    for _ in range(3):
        walk_to(world, Status.DISPOSED)
    with django_assert_num_queries(1):
        rows = list(export_rows(Report.objects.all(), world.admin_a))
    assert len(rows) == 3
    assert list(export_rows(Report.objects.all(), None)) == []
