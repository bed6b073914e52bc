"""`/api/v1/partners/…`: the partner-app sync API, a thin door onto `push`, `sandbox` and `changes`.

A partner authenticates with `Authorization: Bearer <partner API key>` (not an account token);
each operation needs one scope of the key, and refuses with 403 `insufficient_scope`
otherwise. Requests are limited per partner (`LAPOR_PARTNER_REQUESTS_PER_MINUTE`).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Answer
from ninja.security import HttpBearer
from pydantic import Field

from lapor.api.auth import throttle
from lapor.api.errors import ErrorOut, NotAuthenticated
from lapor.api.reports import ReportIn, _submission_fields
from lapor.complaints.models import Channel, Report, ReportEvent, Status
from lapor.complaints.selectors import reporter_identity
from lapor.core.errors import PermissionDenied

from . import changes, push, registry, sandbox
from .models import PartnerKey, SandboxReport, Scope

router = Router(tags=["partners"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class PartnerKeyAuth(HttpBearer):
    """`Authorization: Bearer <partner API key>` (`lapor partners create` prints one)."""

    def __call__(self, request):
        scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
        key = registry.key_authenticate(raw.strip()) if scheme.lower() == "bearer" else None
        if key is None:
            raise NotAuthenticated(
                _("Kirim kunci API mitra yang berlaku di header 'Authorization: Bearer <kunci>'."), code="invalid_key"
            )
        return key

    def authenticate(self, request, token):  # pragma: no cover  (__call__ does the work)
        return None


partner_auth = PartnerKeyAuth()


def _partner(request, scope: str):
    """The calling partner, once its key is known to hold `scope` and it is within its rate."""
    key: PartnerKey = request.auth
    if scope not in key.scopes:
        raise PermissionDenied(
            _("Kunci API ini tidak memiliki cakupan '%(scope)s'.") % {"scope": scope}, code="insufficient_scope"
        )
    throttle(
        request, "api-partner", limit=settings.LAPOR.get("PARTNER_REQUESTS_PER_MINUTE", 600), window_seconds=60,
        client=f"partner:{key.partner_id}",
    )
    return key.partner


# --- schemas ------------------------------------------------------------------------------------


class PartnerReportIn(ReportIn):
    """A report as the partner received it; `region` is any level's code, codes as in GET /categories."""

    channel: Literal["local_app"] = Field("local_app", description="Always `local_app` for a partner's report")


class PushedOut(Schema):
    tracking_id: str
    external_id: str
    status: str
    result: str = Field(description="created, unchanged (same payload), updated (something applied) or ignored")
    applied: list[str]
    ignored: list[str] = Field(description="Changed fields a partner may no longer change (see the README)")
    sandbox: bool


class FollowUpIn(Schema):
    followup_id: str = Field(description="The partner's own id of this answer: a repeat is recognised")
    answer: str
    external_id: str | None = Field(None, description="The partner's id of a report it pushed, or …")
    tracking_id: str | None = Field(None, description="… the tracking id of a report at the partner's agency")
    officer_name: str = Field("", max_length=120, description="Who wrote it in the back office (kept for audit)")


class FollowedUpOut(Schema):
    tracking_id: str
    external_id: str | None
    followup_id: str
    status: str
    result: str = Field(description="created, or unchanged when the same follow-up was pushed before")
    event_id: int | None
    sandbox: bool


class ReporterOut(Schema):
    name: str
    phone: str
    email: str


class ChangeReportOut(Schema):
    tracking_id: str
    external_id: str | None
    status: str
    previous_status: str | None
    agency: str | None
    unit: str | None
    is_anonymous: bool
    is_confidential: bool


class ChangeOut(Schema):
    """One change: the webhook body, and an item of the pull feed (plus its `cursor`)."""

    cursor: str | None = None
    delivery_id: str
    event_id: int | None
    type: str
    occurred_at: datetime
    sandbox: bool
    report: ChangeReportOut
    actor_role: str
    message: str
    changes: dict
    reporter: ReporterOut | None = Field(description="Null for anonymous and confidential reports")


class ChangesOut(Schema):
    items: list[ChangeOut]
    next_cursor: str = Field(description="Store it and pass it as `cursor` next time")
    has_more: bool


class TimelineOut(Schema):
    type: str
    status: str
    message: str
    time: datetime


class PartnerReportOut(Schema):
    tracking_id: str
    external_id: str | None
    sandbox: bool
    status: str
    status_label: str
    kind: str
    title: str
    text: str
    category: str | None
    region: str | None
    agency: str | None
    unit: str | None
    is_anonymous: bool
    is_confidential: bool
    created_at: datetime
    stage_due_at: datetime | None
    completion_due_at: datetime | None
    reporter: ReporterOut | None
    timeline: list[TimelineOut]


class SimulateIn(Schema):
    step: Literal[tuple(sandbox.SIMULATED)]  # type: ignore[valid-type]
    message: str = ""


class MeOut(Schema):
    code: str
    name: str
    agency: str
    sandbox: bool
    webhook_url: str
    scopes: list[str]


# --- views of reports ---------------------------------------------------------------------------


def _report_out(partner, report: Report) -> dict:
    events = ReportEvent.objects.filter(report=report, is_public=True).order_by("created_at", "id")
    identity = None if report.is_confidential else reporter_identity(report, registry.partner_actor(partner))
    return {
        "tracking_id": report.tracking_id,
        "external_id": push.external_id_of(partner, report),
        "sandbox": False,
        "status": report.status,
        "status_label": str(Status(report.status).label),
        "kind": report.kind,
        "title": report.title,
        "text": report.text,
        "category": report.category.code if report.category_id else None,
        "region": report.region_id,
        "agency": report.current_agency.code if report.current_agency_id else None,
        "unit": report.current_unit.code if report.current_unit_id else None,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "created_at": report.created_at,
        "stage_due_at": report.stage_due_at,
        "completion_due_at": report.completion_due_at,
        "reporter": identity,
        "timeline": [
            {"type": e.type, "status": e.to_status, "message": e.message, "time": e.created_at} for e in events
        ],
    }


def _sandbox_out(report: SandboxReport) -> dict:
    return {
        "tracking_id": report.tracking_id,
        "external_id": report.external_id,
        "sandbox": True,
        "status": report.status,
        "status_label": str(Status(report.status).label),
        "kind": report.kind,
        "title": report.title,
        "text": report.text,
        "category": report.category_code or None,
        "region": report.region_code or None,
        "agency": report.partner.agency.code,
        "unit": None,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "created_at": report.created_at,
        "stage_due_at": None,
        "completion_due_at": None,
        "reporter": None,
        "timeline": [
            {"type": d["type"], "status": d["report"]["status"], "message": d["message"], "time": d["occurred_at"]}
            for d in report.partner.deliveries.filter(tracking_id=report.tracking_id).order_by("id").values_list(
                "payload", flat=True
            )
        ],
    }


# --- endpoints ----------------------------------------------------------------------------------


@router.get("/partners/me", response={200: MeOut, **ERRORS}, auth=partner_auth)
def me(request):
    """The partner and the scopes of the key this request was made with."""
    key: PartnerKey = request.auth
    partner = key.partner
    return {
        "code": partner.code, "name": partner.name, "agency": partner.agency.code, "sandbox": partner.is_sandbox,
        "webhook_url": partner.webhook_url, "scopes": key.scopes,
    }


@router.put(
    "/partners/reports/{external_id}", response={200: PushedOut, 201: PushedOut, **ERRORS}, auth=partner_auth,
    url_name="partner-report-push",
)
def report_push(request, external_id: str, payload: PartnerReportIn):
    """Push a report under the partner's own id (scope `reports:push`); idempotent upsert.

    201 when filed now; 200 when this id was pushed before: `unchanged` for the same body,
    otherwise `updated` or `ignored` with the fields applied and those a partner may no longer
    change. Never a second report. The suggested agency defaults to the partner's.
    """
    partner = _partner(request, Scope.REPORTS_PUSH)
    fields = _submission_fields(payload)
    fields["channel"] = Channel.LOCAL_APP
    fields["suggested_agency"] = fields["suggested_agency"] or partner.agency
    done = push.report_push(
        partner=partner, external_id=external_id, payload=payload.model_dump(mode="json", exclude={"channel"}),
        fields=fields,
    )
    return Answer(201 if done.result == "created" else 200, asdict(done))


@router.get("/partners/reports/{external_id}", response={200: PartnerReportOut, **ERRORS}, auth=partner_auth)
def report_get(request, external_id: str):
    """A report the partner pushed, as it stands now, with its public timeline (`reports:read`)."""
    partner = _partner(request, Scope.REPORTS_READ)
    if partner.is_sandbox:
        return _sandbox_out(sandbox.report_get(partner, external_id=external_id))
    return _report_out(partner, push.report_for_partner(partner, external_id=external_id))


@router.get(
    "/partners/agency/reports/{tracking_id}", response={200: PartnerReportOut, **ERRORS}, auth=partner_auth
)
def agency_report_get(request, tracking_id: str):
    """A report at the partner's agency (or pushed by it) by tracking id (`reports:read`)."""
    partner = _partner(request, Scope.REPORTS_READ)
    if partner.is_sandbox:
        return _sandbox_out(sandbox.report_get(partner, tracking_id=tracking_id))
    return _report_out(partner, push.report_for_partner(partner, tracking_id=tracking_id))


@router.post("/partners/followups", response={200: FollowedUpOut, 201: FollowedUpOut, **ERRORS}, auth=partner_auth)
def follow_up_push(request, payload: FollowUpIn):
    """An answer written in the partner's back office (scope `followups:push`).

    Posted as a follow-up by the partner's officer (an agency admin of its agency): only reports
    currently at its agency, in a status that takes a follow-up. The same `followup_id` with the
    same body answers 200 `unchanged`; with another body 409.
    """
    partner = _partner(request, Scope.FOLLOWUPS_PUSH)
    done = push.follow_up_push(
        partner=partner, followup_id=payload.followup_id, answer=payload.answer, external_id=payload.external_id,
        tracking_id=payload.tracking_id, officer_name=payload.officer_name,
    )
    return Answer(201 if done.result == "created" else 200, asdict(done))


@router.get("/partners/changes", response={200: ChangesOut, **ERRORS}, auth=partner_auth)
def changes_pull(
    request,
    cursor: str | None = Query(None, description="The `next_cursor` of the last call; empty: from the start"),
    limit: int = Query(100, ge=1, le=changes.MAX_FEED_LIMIT),
):
    """Changes since `cursor`, oldest first (scope `changes:pull`): the same items the webhooks carry."""
    partner = _partner(request, Scope.CHANGES_PULL)
    return changes.feed(partner, cursor=cursor, limit=limit)


@router.post(
    "/partners/sandbox/reports/{external_id}/simulate", response={200: PartnerReportOut, **ERRORS}, auth=partner_auth
)
def sandbox_simulate(request, external_id: str, payload: SimulateIn):
    """Sandbox partners only: take an officer's or the reporter's step on a sandbox report.

    The step must be one the lifecycle allows from the report's status; its change reaches the
    feed and the webhook like a real one. Scope `reports:push`.
    """
    partner = _partner(request, Scope.REPORTS_PUSH)
    return _sandbox_out(sandbox.simulate(partner=partner, external_id=external_id, step=payload.step, message=payload.message))
