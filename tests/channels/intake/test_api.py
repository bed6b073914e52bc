"""The intake endpoints of the JSON API: entering a report and importing a file."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.utils import timezone

from lapor.accounts import services as accounts
from lapor.channels.intake.models import ImportedReport
from lapor.complaints.models import Channel, Report
from lapor.sla import deadlines

from ...api.conftest import Api, assert_error
from .conftest import GIF_BYTES, PDF_BYTES, TEXT, csv_bytes, row

URL = "/intake/reports"


def _body(world, **extra) -> dict:
    body = {
        "channel": "call_center",
        "text": TEXT,
        "region": world.bali_village.code,
        "category": world.category.code,
        "contact_name": "Wayan Sudana",
        "contact_phone": "081299998888",
    }
    body.update(extra)
    return body


def test_officer_enters_a_report_by_api(world, client):
    api = Api(client)
    token = accounts.token_issue(user=world.verifier)
    received = (timezone.now() - timedelta(days=6)).replace(microsecond=0)
    scan = {"file_name": "surat.pdf", "content_base64": base64.b64encode(PDF_BYTES).decode()}

    response = api.post(URL, _body(world, channel="letter", received_at=received.isoformat(), scan=scan), token=token)

    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(tracking_id=body["tracking_id"])
    assert body["secret"] and report.channel == Channel.LETTER
    assert report.created_at == received and report.stage_due_at == deadlines.verification_due(received)
    assert report.events.get(type="report.submitted").actor == world.verifier
    assert not report.attachments.get().is_public


def test_idempotency_key_replays(world, client):
    api = Api(client)
    token = accounts.token_issue(user=world.admin_a)
    first = api.post(URL, _body(world), token=token, headers={"Idempotency-Key": "k-1"})
    again = api.post(URL, _body(world), token=token, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and Report.objects.count() == 1
    assert Report.objects.get().suggested_agency == world.agency_a


def test_refusals(world, client):
    api = Api(client)
    assert_error(api.post(URL, _body(world)), 401, "not_authenticated")
    reporter = accounts.token_issue(user=world.reporter)
    assert_error(api.post(URL, _body(world), token=reporter), 403, "forbidden")
    token = accounts.token_issue(user=world.verifier)
    future = (timezone.now() + timedelta(days=3)).isoformat()
    assert_error(api.post(URL, _body(world, received_at=future), token=token), 400, "invalid", "received_at")
    gif = {"file_name": "a.gif", "content_base64": base64.b64encode(GIF_BYTES).decode()}
    assert_error(api.post(URL, _body(world, scan=gif), token=token), 400, "invalid", "scan")
    bad = {"file_name": "a.pdf", "content_base64": "not base64!"}
    assert_error(api.post(URL, _body(world, scan=bad), token=token), 400, "invalid", "scan")
    assert Report.objects.count() == 0


def test_import_by_api_dry_run_then_real(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = Api(client)
    token = accounts.token_issue(user=world.verifier)
    raw = csv_bytes([row(tracking_id="C-1"), row(tracking_id="C-2", channel="Merpati")])

    dry = api.upload("/intake/imports", SimpleUploadedFile("e.csv", raw), token=token)
    assert dry.status_code == 200, dry.content
    assert dry.json()["errors"] == [{"row": 3, "column": "Kanal", "message": "Kanal “Merpati” tidak dikenal."}]
    assert dry.json()["ready"] == 1 and Report.objects.count() == 0

    real = client.post(
        "/api/v1/intake/imports?dry_run=false", {"file": SimpleUploadedFile("e.csv", raw)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert real.status_code == 200 and real.json()["created"] == 1
    assert ImportedReport.objects.get().external_id == "C-1"


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/intake/reports" in paths and "/api/v1/intake/imports" in paths
