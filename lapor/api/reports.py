"""Reports: file, attach, track, list, find similar; the reporter replies, rates and appeals.

Handlers parse, prove who is calling, and call the same services as the web portal. A caller
proves to be the reporter of a report with the account's bearer token or, for a report filed
without an account, with its secret in the `X-Report-Secret` header. A secret that does not
match is a 404 that says no more than "wrong tracking id or secret", so it reveals nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Header, Query, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import Field

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency
from lapor.complaints import selectors, services
from lapor.complaints.attachments import report_attach
from lapor.complaints.filing import report_file
from lapor.complaints.idempotency import submit_once
from lapor.complaints.models import BUCKET_OF_STATUS, Bucket, Category, Kind, Report, Status
from lapor.core.errors import InvalidInput, NotFound
from lapor.regions.models import Region
from lapor.routing.similar import similar_reports

from . import report_views as views
from .auth import OPTIONAL_TOKEN_OPENAPI, caller, client_key, optional_token_auth, throttle, token_auth
from .errors import ErrorOut, NotAuthenticated
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page

router = Router(tags=["reports"])

ERRORS = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut,
    429: ErrorOut,
}
SUBMISSION_WINDOW_SECONDS = 3600
SECRET_HEADER = "X-Report-Secret"
# Operations open to everyone, where a token (checked when sent) makes the caller an account.
TOKEN_OPTIONAL = {"auth": optional_token_auth, "openapi_extra": OPTIONAL_TOKEN_OPENAPI}


# --- who is the reporter ------------------------------------------------------------------------


def _not_found(tracking_id: str) -> NotFound:
    return NotFound(_("Laporan %(tracking)s tidak ditemukan.") % {"tracking": tracking_id})


def reporter_proof(request, tracking_id: str) -> tuple[Actor, Report] | None:
    """The reporter acting and their report, when the caller proves to be it; else None.

    A secret is checked first (a wrong one is a 404); a token of another account is simply
    not the reporter's (the public view, or a 404 for an action).
    """
    secret = request.headers.get(SECRET_HEADER, "").strip()
    if secret:
        try:
            report = selectors.report_get_by_secret(tracking_id=tracking_id, secret=secret)
        except NotFound as error:
            error.field = SECRET_HEADER
            raise
        return Actor.reporter_with_secret(report.pk), report
    user = caller(request)
    if user is None:
        return None
    try:
        report = selectors.report_get_for_actor(user, tracking_id=tracking_id)
    except NotFound:
        return None
    actor = Actor.of(user)
    return (actor, report) if actor.is_reporter_of(report) else None


def require_reporter(request, tracking_id: str) -> tuple[Actor, Report]:
    if not request.headers.get(SECRET_HEADER, "").strip() and caller(request) is None:
        raise NotAuthenticated(
            _("Hanya pelapor yang dapat melakukan ini: kirim token akun atau kode rahasia laporan (X-Report-Secret).")
        )
    proof = reporter_proof(request, tracking_id)
    if proof is None:
        raise _not_found(tracking_id)
    return proof


def _tracking(value: str) -> str:
    return services.normalize_tracking_id(value)


# --- filing -------------------------------------------------------------------------------------


class ReportIn(Schema):
    kind: Kind = Kind.COMPLAINT
    title: str = Field("", max_length=200)
    text: str
    category: str | None = Field(None, description="Category code (GET /categories); empty: let the verifier choose")
    region: str = Field(description="Region code of any level (GET /regions)")
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    incident_date: date | None = None
    suggested_agency: str | None = Field(None, description="Agency code (GET /agencies); empty: I don't know")
    is_anonymous: bool = False
    is_confidential: bool = False
    contact_name: str = Field("", max_length=120)
    contact_phone: str = Field("", max_length=40)
    contact_email: str = Field("", max_length=254)
    reporter_gender: str = Field("", max_length=10)
    reporter_age_group: str = Field("", max_length=10)
    reporter_disability: bool | None = None
    channel: Literal["mobile", "web"] = Field(
        "mobile", description="The door the citizen used: the mobile app (default) or a web client of this API"
    )


def _submission_fields(payload: ReportIn) -> dict:
    """The service's arguments, codes looked up; an unknown code is a 400 naming its field."""
    category = None
    if payload.category:
        category = Category.objects.filter(code=payload.category).first()
        if category is None:
            raise InvalidInput(_("Kategori tidak dikenal."), field="category")
    region = Region.objects.filter(code=payload.region.strip()).first()
    if region is None:
        raise InvalidInput(_("Wilayah tidak dikenal."), field="region")
    agency = None
    if payload.suggested_agency:
        agency = Agency.objects.filter(code=payload.suggested_agency).first()
        if agency is None:
            raise InvalidInput(_("Instansi tidak dikenal."), field="suggested_agency")
    return dict(
        kind=payload.kind,
        title=payload.title,
        text=payload.text,
        category=category,
        region=region,
        latitude=payload.latitude,
        longitude=payload.longitude,
        incident_date=payload.incident_date,
        suggested_agency=agency,
        is_anonymous=payload.is_anonymous,
        is_confidential=payload.is_confidential,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        reporter_gender=payload.reporter_gender,
        reporter_age_group=payload.reporter_age_group,
        reporter_disability=payload.reporter_disability,
        channel=payload.channel,
    )


@router.post(
    "/reports", response={201: views.SubmittedOut, **ERRORS}, **TOKEN_OPTIONAL, url_name="reports",
)
def report_create(
    request,
    response: HttpResponse,
    payload: ReportIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key",
        description="A random key per report: a retry with the same key and body returns the first answer.",
    ),
):
    """File a report (with a token: as the account; without: the answer holds the report's secret).

    Attachments follow on `POST /reports/{tracking_id}/attachments`. With `Idempotency-Key`, a
    retry returns the first answer (header `Idempotent-Replayed: true`) and files nothing.
    """
    user = caller(request)
    client = client_key(request)

    def submit():
        throttle(
            request, "api-submit", limit=settings.LAPOR["SUBMISSIONS_PER_HOUR"],
            window_seconds=SUBMISSION_WINDOW_SECONDS, client=client,
        )
        done = report_file(reporter=user, **_submission_fields(payload))
        return done.report, views.submitted(done.report, done.secret)

    if idempotency_key is None:
        _report, body = submit()
        return Answer(201, body)
    outcome = submit_once(client=client, key=idempotency_key, payload=payload.model_dump(mode="json"), submit=submit)
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    return Answer(201, outcome.response)


@router.post(
    "/reports/{tracking_id}/attachments", response={201: views.AttachmentOut, **ERRORS},
    **TOKEN_OPTIONAL, url_name="report-attachments",
)
def attachment_create(request, tracking_id: str, file: File[UploadedFile]):
    """Add a photo or PDF (multipart field `file`), as the reporter (token or X-Report-Secret).

    The type is decided by the content; the size limit is `LAPOR_MAX_ATTACHMENT_MB`. A refused
    file stores nothing.
    """
    actor, report = require_reporter(request, _tracking(tracking_id))
    try:
        attachment = report_attach(actor=actor, report=report.pk, upload=file)
    except InvalidInput as error:
        if error.field == "attachments":
            error.field = "file"
        raise
    return Answer(201, views.own_attachment(report, attachment))


@router.get(
    "/reports/{tracking_id}/attachments/{attachment_id}", **TOKEN_OPTIONAL,
    response={404: ErrorOut, 401: ErrorOut}, url_name="attachment-download",
)
def attachment_download(request, tracking_id: str, attachment_id: int):
    """The file itself, under the same rules as the report's view."""
    tracking_id = _tracking(tracking_id)
    proof = reporter_proof(request, tracking_id)
    if proof is not None:
        reporter, report = proof
    else:
        reporter, report = None, _public_report(tracking_id)
    found = views.visible_attachment(report, attachment_id, reporter=reporter)
    if found is None:
        raise NotFound(_("Lampiran tidak ditemukan."))
    attachment, name = found
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=name, content_type=attachment.content_type
    )


# --- reading ------------------------------------------------------------------------------------


def _public_report(tracking_id: str) -> Report:
    report = selectors.public_reports().select_related(*views.REPORT_RELATED).filter(tracking_id=tracking_id).first()
    if report is None:
        raise _not_found(tracking_id)
    return report


class ReportFilters(Schema):
    category: str | None = Field(None, description="Category code; its sub-categories are included")
    region: str | None = Field(None, description="Region code; every report inside it is included")
    agency: str | None = Field(None, description="Agency code (the agency handling the report)")
    status: Status | None = None
    bucket: Bucket | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = Field(None, max_length=200, description="Words in the title or text, or a tracking id")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _filtered(reports, f: ReportFilters):
    if f.category:
        reports = reports.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.region:
        code = f.region.strip().rstrip(".")
        reports = reports.filter(Q(region_id=code) | Q(region__code__startswith=f"{code}."))
    if f.agency:
        reports = reports.filter(current_agency__code=f.agency)
    if f.status:
        reports = reports.filter(status=f.status)
    if f.bucket:
        reports = reports.filter(status__in=[s for s, b in BUCKET_OF_STATUS.items() if b == f.bucket])
    if f.date_from:
        reports = reports.filter(created_at__date__gte=f.date_from)
    if f.date_to:
        reports = reports.filter(created_at__date__lte=f.date_to)
    if f.q and f.q.strip():
        q = f.q.strip()
        reports = reports.filter(
            Q(title__icontains=q) | Q(text__icontains=q) | Q(tracking_id=services.normalize_tracking_id(q))
        )
    return reports


def _page(reports, f: ReportFilters) -> dict:
    rows, next_cursor = keyset_page(
        reports.select_related(*views.REPORT_RELATED), fields=("created_at", "id"), cursor=f.cursor,
        limit=f.limit, descending=True,
    )
    return {"items": views.summaries(rows), "next_cursor": next_cursor}


@router.get("/reports", response={200: views.ReportPageOut, **ERRORS}, url_name="report-list")
def report_list(request, filters: Query[ReportFilters]):
    """Public reports (verified, not confidential), newest first, a page at a time."""
    return _page(_filtered(selectors.public_reports(), filters), filters)


@router.get("/reports/similar", response={200: list[views.SimilarOut], **ERRORS}, url_name="report-similar")
def report_similar(
    request,
    text: str = Query(..., max_length=10_000),
    category: str | None = None,
    region: str | None = None,
    limit: int = Query(5, ge=1, le=20),
):
    """Public reports like the one about to be filed (same category and regency), answered first."""
    category_obj = region_obj = None
    if category:
        category_obj = Category.objects.filter(code=category).first()
        if category_obj is None:
            raise InvalidInput(_("Kategori tidak dikenal."), field="category")
    if region:
        region_obj = Region.objects.filter(code=region.strip()).first()
        if region_obj is None:
            raise InvalidInput(_("Wilayah tidak dikenal."), field="region")
    found = similar_reports(text=text, category=category_obj, region=region_obj, limit=limit)
    return views.similar(found)


@router.get("/me/reports", response={200: views.ReportPageOut, **ERRORS}, auth=token_auth, url_name="my-reports")
def my_reports(request, filters: Query[ReportFilters]):
    """The token holder's own reports, confidential and unverified ones included."""
    user = request.auth
    mine = selectors.reports_visible_to(user).filter(reporter_id=user.pk)
    return _page(_filtered(mine, filters), filters)


@router.get(
    "/reports/{tracking_id}", response={200: views.ReportDetailOut, **ERRORS}, **TOKEN_OPTIONAL,
    url_name="report-detail",
)
def report_detail(request, tracking_id: str):
    """The public view; the private view for the reporter (token, or `X-Report-Secret`)."""
    tracking_id = _tracking(tracking_id)
    proof = reporter_proof(request, tracking_id)
    if proof is not None:
        actor, report = proof
        return views.detail(report, reporter=actor)
    return views.detail(_public_report(tracking_id))


# --- the reporter's actions ---------------------------------------------------------------------


class ReplyIn(Schema):
    message: str


class RateIn(Schema):
    rating: int
    comment: str = ""


class AppealIn(Schema):
    reason: str


def _after_action(actor: Actor, report: Report) -> dict:
    fresh = selectors.report_get_for_actor(actor, tracking_id=report.tracking_id)
    return views.detail(fresh, reporter=actor)


@router.post(
    "/reports/{tracking_id}/reply", response={200: views.ReportDetailOut, **ERRORS}, **TOKEN_OPTIONAL,
    url_name="report-reply",
)
def report_reply(request, tracking_id: str, payload: ReplyIn):
    """Answer a follow-up (the report goes back to its handlers)."""
    actor, report = require_reporter(request, _tracking(tracking_id))
    services.report_reply(actor=actor, report=report.pk, message=payload.message)
    return _after_action(actor, report)


@router.post(
    "/reports/{tracking_id}/resume", response={200: views.ReportDetailOut, **ERRORS}, **TOKEN_OPTIONAL,
    url_name="report-resume",
)
def report_resume(request, tracking_id: str, payload: ReplyIn):
    """Complete a report held for more information (it continues where it stopped)."""
    actor, report = require_reporter(request, _tracking(tracking_id))
    services.report_resume(actor=actor, report=report.pk, message=payload.message)
    return _after_action(actor, report)


@router.post(
    "/reports/{tracking_id}/rate", response={200: views.ReportDetailOut, **ERRORS}, **TOKEN_OPTIONAL,
    url_name="report-rate",
)
def report_rate(request, tracking_id: str, payload: RateIn):
    """Rate the answer 1–5, once."""
    actor, report = require_reporter(request, _tracking(tracking_id))
    services.report_rate(actor=actor, report=report.pk, rating=payload.rating, comment=payload.comment)
    return _after_action(actor, report)


@router.post(
    "/reports/{tracking_id}/appeal", response={200: views.ReportDetailOut, **ERRORS}, **TOKEN_OPTIONAL,
    url_name="report-appeal",
)
def report_appeal(request, tracking_id: str, payload: AppealIn):
    """Appeal a poor answer (after a rating of 1–2), once."""
    actor, report = require_reporter(request, _tracking(tracking_id))
    services.report_appeal(actor=actor, report=report.pk, reason=payload.reason)
    return _after_action(actor, report)
