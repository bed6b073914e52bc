"""The officer's intake form: who may use it, the received date, the scan, the reporter's privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lapor.channels.intake.services import received_moment
from lapor.complaints.models import Channel, Report, Status
from lapor.notifications.models import OutboxMessage
from lapor.sla import deadlines

from .conftest import GIF_BYTES, PDF_BYTES, TEXT

URL = "/petugas/catat/"
NAME = "Siti Aminah Daeng"


def _post(client, world, **extra):
    data = {
        "channel": Channel.LETTER,
        "received_date": timezone.localdate().isoformat(),
        "kind": "complaint",
        "text": TEXT,
        "category": world.category.code,
        "province": "51", "regency": "51.71", "district": "51.71.01", "village": "51.71.01.1001",
        "contact_name": NAME,
        "contact_phone": "0812 1111 2222",
        "send": "1",
    }
    data.update(extra)
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def _pdf():
    return SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf")


@pytest.mark.parametrize("role", ["verifier", "admin_a"])
def test_verifier_and_agency_admin_enter_a_letter_with_its_scan(world, client, role):
    officer = getattr(world, role)
    client.force_login(officer)
    page = client.get(URL)
    assert page.status_code == 200 and 'id="intake-form"' in page.content.decode()

    response = _post(client, world, scan=_pdf())

    assert response.status_code == 302 and response["Location"] == "/petugas/catat/selesai/"
    report = Report.objects.get()
    assert report.channel == Channel.LETTER and report.reporter is None and report.status == Status.RECEIVED
    event = report.events.get(type="report.submitted")
    assert event.actor == officer and event.actor_role == officer.role
    assert event.changes["entered_by"][1]["id"] == officer.pk
    assert event.changes["on_behalf_of"] == [None, NAME]
    scan = report.attachments.get()
    assert scan.content_type == "application/pdf" and not scan.is_public
    if role == "admin_a":
        assert report.suggested_agency == world.agency_a  # the agency's own desk
    # The reporter hears the tracking id and the secret through the contact given.
    message = OutboxMessage.objects.get(report=report, kind="report.submitted")
    assert message.recipient == "+6281211112222" and report.tracking_id in message.body
    done = client.get(response["Location"]).content.decode()
    assert report.tracking_id in done and 'id="secret-code"' in done
    # Shown once: a reload goes back to the form.
    assert client.get(response["Location"])["Location"] == URL


def test_the_received_date_drives_the_deadline(world, client):
    client.force_login(world.verifier)
    received_day = timezone.localdate() - timedelta(days=10)

    _post(client, world, received_date=received_day.isoformat(), received_time="10:30")

    report = Report.objects.get()
    received = received_moment(world.verifier, received_day, timezone.datetime(2000, 1, 1, 10, 30).time())
    assert report.created_at == received
    assert report.stage_due_at == deadlines.verification_due(received)
    assert report.is_late()  # three working days from ten days ago have passed
    assert report.events.get(type="report.submitted").created_at == received


def test_today_without_a_time_is_now(world, client):
    client.force_login(world.verifier)
    before = timezone.now()
    _post(client, world)
    report = Report.objects.get()
    assert before <= report.created_at <= timezone.now()
    assert not report.is_late()


@pytest.mark.parametrize(
    "extra, field_text",
    [
        ({"received_date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "masa depan"),
        ({"received_date": (timezone.localdate() - timedelta(days=400)).isoformat()}, "impor"),
        ({"channel": "web"}, "Pilih kanal"),
        ({"scan": "gif"}, "PDF, JPEG, atau PNG"),
    ],
)
def test_refusals_store_nothing(world, client, media, extra, field_text):
    client.force_login(world.verifier)
    if extra.get("scan") == "gif":
        extra = {"scan": SimpleUploadedFile("surat.gif", GIF_BYTES, content_type="image/gif")}
    response = _post(client, world, **extra)
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert Report.objects.count() == 0 and OutboxMessage.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


@pytest.mark.parametrize("role", ["officer_a1", "observer", "sysadmin", "reporter"])
def test_other_roles_get_no_form(world, client, role):
    client.force_login(getattr(world, role))
    assert client.get(URL).status_code == 404
    assert _post(client, world).status_code == 404
    assert client.get("/petugas/impor/").status_code == 404
    assert Report.objects.count() == 0


def test_logged_out_goes_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_agency_admin_cannot_pick_another_agency(world, client):
    client.force_login(world.admin_a)
    page = client.get(URL).content.decode()
    assert 'name="agency"' not in page
    _post(client, world, agency=world.agency_b.code)  # ignored: the field is not on the admin's form
    assert Report.objects.get().suggested_agency == world.agency_a


def test_anonymous_reporter_is_not_named_to_staff_or_public(world, client):
    client.force_login(world.verifier)
    response = _post(client, world, is_anonymous="on", contact_email="siti@contoh.id")
    done = client.get(response["Location"]).content.decode()
    report = Report.objects.get()

    assert report.is_anonymous
    assert NAME not in done
    event = report.events.get(type="report.submitted")
    assert event.changes["on_behalf_of"] == [None, "Anonim"] and NAME not in str(event.changes)
    staff_page = client.get(f"/petugas/laporan/{report.tracking_id}/").content.decode()
    assert NAME not in staff_page and "siti@contoh.id" not in staff_page and "2222" not in staff_page
    export = b"".join(client.get("/petugas/laporan/ekspor.csv", {"tab": "semua"}).streaming_content).decode()
    assert NAME not in export and "Anonim" in export
    # The reporter still gets the tracking id through the contact given.
    assert OutboxMessage.objects.filter(report=report, recipient="siti@contoh.id").exists()


def test_workspace_links_to_the_form_and_the_import(world, client):
    client.force_login(world.admin_a)
    page = client.get("/petugas/laporan/").content.decode()
    assert 'href="/petugas/catat/"' in page and 'href="/petugas/impor/"' in page
    client.force_login(world.officer_a1)
    page = client.get("/petugas/laporan/").content.decode()
    assert "/petugas/catat/" not in page and "/petugas/impor/" not in page
