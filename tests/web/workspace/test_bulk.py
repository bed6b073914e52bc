"""Bulk disposition: each report on its own; refusals are listed with their reason."""

from django.urls import reverse

from lapor.complaints.models import Report, Status

from ...complaints.flow import snapshot, walk_to
from ..conftest import html


def test_verifier_disposes_many_and_sees_each_refusal(world, client):
    good = [walk_to(world, Status.RECEIVED), walk_to(world, Status.RETURNED), walk_to(world, Status.RECEIVED)]
    already = walk_to(world, Status.FORWARDED)
    before = snapshot(already)
    client.force_login(world.verifier)

    response = client.post(
        reverse("web:staff_bulk_dispose"),
        {"reports": [good[0].tracking_id, already.tracking_id, good[1].tracking_id, good[2].tracking_id,
                     "LAP-0000-0000"],
         "agency": world.agency_b.code, "query": "tab=antrean"},
        follow=True,
    )

    page = html(response)
    assert "3 dari 5 laporan didisposisikan ke Pemerintah Kota Mataram." in page
    assert f"{already.tracking_id}: Tindakan" in page and "tidak dapat dilakukan" in page
    assert "LAP-0000-0000: laporan tidak ditemukan." in page
    for report in good:
        report.refresh_from_db()
        assert report.status == Status.DISPOSED and report.current_agency == world.agency_b
    assert snapshot(already) == before


def test_other_roles_cannot_dispose_in_bulk(world, client):
    report = walk_to(world, Status.DISPOSED)
    before = snapshot(report)
    client.force_login(world.admin_a)
    response = client.post(
        reverse("web:staff_bulk_dispose"), {"reports": [report.tracking_id], "agency": world.agency_b.code}, follow=True
    )
    assert "0 dari 1 laporan" in html(response)
    assert "tidak berwenang" in html(response)
    assert snapshot(report) == before


def test_bulk_needs_an_agency_and_reports(world, client):
    report = walk_to(world, Status.RECEIVED)
    client.force_login(world.verifier)
    page = html(client.post(reverse("web:staff_bulk_dispose"), {"reports": [report.tracking_id]}, follow=True))
    assert "Pilih instansi tujuan." in page
    page = html(client.post(reverse("web:staff_bulk_dispose"), {"agency": world.agency_a.code}, follow=True))
    assert "Pilih minimal satu laporan." in page
    assert Report.objects.get(pk=report.pk).status == Status.RECEIVED


def test_only_the_verifier_gets_checkboxes(world, client):
    walk_to(world, Status.RECEIVED)
    walk_to(world, Status.DISPOSED)
    client.force_login(world.verifier)
    assert html(client.get(reverse("web:staff_reports"))).count('name="reports"') == 1
    client.force_login(world.observer)
    assert 'name="reports"' not in html(client.get(reverse("web:staff_reports")))
