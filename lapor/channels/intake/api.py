"""The officer intake and the bulk import in the JSON API (`/api/v1/intake/...`).

The same services as the officer's pages: `report_intake` and `importing`. Both need a bearer
token of a national verifier or an agency admin; other roles get a 403.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Literal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Header, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import Field

from lapor.api import report_views as views
from lapor.api.auth import client_key, token_auth
from lapor.api.errors import ErrorOut
from lapor.accounts.models import Role
from lapor.api.reports import ReportIn, _submission_fields
from lapor.complaints.idempotency import submit_once
from lapor.core.errors import InvalidInput, PermissionDenied

from . import importing
from .services import can_enter_reports, report_intake

router = Router(tags=["intake"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


class ScanIn(Schema):
    file_name: str = Field(max_length=200)
    content_base64: str = Field(
        description="The file's bytes in base64 (PDF, JPEG or PNG); the request body is limited to 5 MB"
    )


class IntakeIn(ReportIn):
    channel: Literal["call_center", "walk_in", "letter"] = Field(description="Where the report came in")
    received_at: datetime | None = Field(
        None, description="When it was received (ISO 8601; without a zone: the officer's agency zone). "
        "Deadlines count from it. Empty: now."
    )
    scan: ScanIn | None = Field(None, description="The scanned letter, kept private to staff and reporter")


def _officer(request):
    user = request.auth
    if not can_enter_reports(user):
        raise PermissionDenied(
            _("Hanya Admin Nasional dan Admin Instansi yang dapat mencatat laporan atas nama pelapor.")
        )
    return user


def _scan(scan: ScanIn | None):
    if scan is None:
        return None
    try:
        content = base64.b64decode(scan.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(_("Isi pindaian bukan base64 yang sah."), field="scan") from None
    return SimpleUploadedFile(scan.file_name, content)


@router.post(
    "/intake/reports", response={201: views.SubmittedOut, **ERRORS}, auth=token_auth, url_name="intake-reports"
)
def intake_create(
    request,
    response: HttpResponse,
    payload: IntakeIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", description="A retry with the same key and body returns the first answer."
    ),
):
    """Enter a report taken by phone, at the desk or by letter, on the reporter's behalf.

    The answer holds the tracking id and the reporter's secret (also sent to the contact given);
    the first event names the officer. Agency admins enter reports for their own agency only.
    """
    officer = _officer(request)

    def submit():
        fields = _submission_fields(payload)
        done = report_intake(
            officer=officer, received_at=payload.received_at, scan=_scan(payload.scan), **fields
        )
        return done.report, views.submitted(done.report, done.secret)

    if idempotency_key is None:
        _report, body = submit()
        return Answer(201, body)
    outcome = submit_once(
        client=client_key(request), key=idempotency_key, payload=payload.model_dump(mode="json"), submit=submit
    )
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    return Answer(201, outcome.response)


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    dry_run: bool
    rows: int
    ready: int
    existing: int
    created: int
    skipped: int
    errors: list[RowErrorOut]


@router.post("/intake/imports", response={200: ImportOut, **ERRORS}, auth=token_auth, url_name="intake-imports")
def import_create(request, file: File[UploadedFile], dry_run: bool = True):
    """Check (`dry_run=true`, the default) or import an official LAPOR! admin export (CSV/XLSX).

    Every row error is listed with its row number, column and an Indonesian message. A real run
    skips rows already imported (the tracking id is the key); agency admins import for their own
    agency only. At most 5,000 rows a request (`lapor import-reports` takes more).
    """
    user = _officer(request)
    agency = user.agency if user.role == Role.AGENCY_ADMIN else None
    checked, imported = importing.import_file(
        file.read(), dry_run=dry_run, agency=agency, user=user, max_rows=importing.MAX_REQUEST_ROWS
    )
    errors = [*checked.errors, *(imported.errors if imported else [])]
    return {
        "dry_run": dry_run,
        "rows": checked.rows,
        "ready": len(checked.plans),
        "existing": len(checked.existing),
        "created": len(imported.created) if imported else 0,
        "skipped": imported.skipped if imported else len(checked.existing),
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors],
    }
