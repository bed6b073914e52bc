"""What the API shows of a report: list rows, the public view and the reporter's private view.

Nothing here names a person: events carry no actor, only whether a reporter, staff or the
system acted; the reporter appears as `public_reporter_name` ("Anonim" when anonymous) and
only the reporter's own private view adds their contact. The public view never shows the
original names of attached files, which often carry names ("KTP Budi.jpg").
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from ninja import Schema

from lapor.accounts.actors import SYSTEM_ROLE, Actor
from lapor.accounts.models import Role
from lapor.complaints.lifecycle import ACTION_LABELS, Action, allowed_actions
from lapor.complaints.models import Attachment, Bucket, Kind, Report, ReportEvent, Status
from lapor.complaints.selectors import attachments_visible_to, public_reporter_name, reporter_identity
from lapor.regions.models import Region
from lapor.sla.reminders import reminder_horizon
from lapor.sla.status import deadline_label, deadline_state

API = "api-v1"
# Related rows every report row needs; lists select them in the same query.
REPORT_RELATED = ("category", "region", "current_agency", "reporter")

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}


# --- schemas ------------------------------------------------------------------------------------


class CategoryRef(Schema):
    code: str
    name: str
    name_en: str


class RegionRef(Schema):
    code: str
    name: str
    level: int


class AgencyRef(Schema):
    code: str
    name: str


class ReportSummaryOut(Schema):
    tracking_id: str
    kind: str
    kind_label: str
    title: str
    text: str
    category: CategoryRef | None
    # Province first, down to the region the reporter chose.
    region: list[RegionRef]
    agency: AgencyRef | None
    status: str
    status_label: str
    bucket: str
    bucket_label: str
    # Deadline of the current stage (none while on hold or when done) and whether it passed.
    stage_due_at: datetime | None
    is_late: bool
    # "ontime", "soon" (within the reminder window), "late", "held" or "none".
    deadline_state: str
    deadline_label: str
    completion_due_at: datetime | None
    created_at: datetime
    reporter_name: str
    rating: int | None
    links: dict[str, str]


class ReportPageOut(Schema):
    items: list[ReportSummaryOut]
    # Pass as `cursor` for the next page; null on the last page.
    next_cursor: str | None


class EventOut(Schema):
    type: str
    label: str
    message: str
    time: datetime
    # "reporter", "staff" or "system": never who.
    by: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str
    uploaded_by: str
    created_at: datetime


class AnswerOut(Schema):
    message: str
    time: datetime
    attachments: list[AttachmentOut]


class RatingOut(Schema):
    value: int
    comment: str
    rated_at: datetime | None


class ActionOut(Schema):
    action: str
    label: str
    method: str
    url: str


class IdentityOut(Schema):
    name: str
    email: str
    phone: str


class ReportDetailOut(ReportSummaryOut):
    # "public", or "private" when the caller proved to be the reporter.
    view: str
    incident_date: date | None
    rating: RatingOut | None
    timeline: list[EventOut]
    answers: list[AnswerOut]
    attachments: list[AttachmentOut]
    # Private view only.
    reporter: IdentityOut | None = None
    is_anonymous: bool | None = None
    is_confidential: bool | None = None
    actions: list[ActionOut] = []


class SimilarOut(Schema):
    tracking_id: str
    title: str
    status: str
    status_label: str
    bucket: str
    bucket_label: str
    category: CategoryRef | None
    region: list[RegionRef]
    agency: AgencyRef | None
    created_at: datetime
    score: float
    # The latest public follow-up, so a citizen may find the answer already given.
    latest_answer: str | None
    links: dict[str, str]


class SubmittedOut(Schema):
    tracking_id: str
    # Only for reports filed without an account: shown once, keep it to open the private view.
    secret: str | None
    status: str
    status_label: str
    bucket: str
    bucket_label: str
    links: dict[str, str]


# --- building blocks ----------------------------------------------------------------------------


def report_url(tracking_id: str) -> str:
    return reverse(f"{API}:report-detail", kwargs={"tracking_id": tracking_id})


def links(report: Report) -> dict[str, str]:
    return {
        "self": report_url(report.tracking_id),
        "attachments": reverse(f"{API}:report-attachments", kwargs={"tracking_id": report.tracking_id}),
    }


def _codes_up_to(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def region_paths(reports) -> dict[str, list[dict]]:
    """Province → … → region for every report's region, in one query."""
    wanted = {c for r in reports if r.region_id for c in _codes_up_to(r.region_id)}
    if not wanted:
        return {}
    found = {row["code"]: row for row in Region.objects.filter(code__in=wanted).values("code", "name", "level")}
    return {
        r.region_id: [found[c] for c in _codes_up_to(r.region_id) if c in found] for r in reports if r.region_id
    }


def _category(report: Report) -> dict | None:
    c = report.category
    return {"code": c.code, "name": c.name, "name_en": c.name_en} if c else None


def _agency(report: Report) -> dict | None:
    a = report.current_agency
    return {"code": a.code, "name": a.name} if a else None


def _status(report: Report) -> dict:
    bucket = Bucket(report.bucket)
    return {
        "status": report.status,
        "status_label": str(Status(report.status).label),
        "bucket": bucket.value,
        "bucket_label": str(bucket.label),
    }


def summary(report: Report, paths: dict[str, list[dict]], *, now=None, horizon=None) -> dict:
    now = now or timezone.now()
    state = deadline_state(report, now, horizon=horizon)
    return {
        "tracking_id": report.tracking_id,
        "kind": report.kind,
        "kind_label": str(Kind(report.kind).label),
        "title": report.title,
        "text": report.text,
        "category": _category(report),
        "region": paths.get(report.region_id, []),
        "agency": _agency(report),
        **_status(report),
        "stage_due_at": report.stage_due_at,
        "is_late": report.is_late(now),
        "deadline_state": state,
        "deadline_label": deadline_label(state),
        "completion_due_at": report.completion_due_at if report.bucket != "selesai" else None,
        "created_at": report.created_at,
        "reporter_name": public_reporter_name(report),
        "rating": report.rating,
        "links": links(report),
    }


def summaries(reports: list[Report]) -> list[dict]:
    paths = region_paths(reports)
    now = timezone.now()
    horizon = reminder_horizon(now)
    return [summary(r, paths, now=now, horizon=horizon) for r in reports]


def submitted(report: Report, secret: str | None) -> dict:
    return {"tracking_id": report.tracking_id, "secret": secret, **_status(report), "links": links(report)}


# --- the detail views ---------------------------------------------------------------------------


def _by(event: ReportEvent) -> str:
    if event.actor_role == Role.REPORTER:
        return "reporter"
    if event.actor_role in (SYSTEM_ROLE, ""):
        return "system"
    return "staff"


def _attachment_id(event: ReportEvent) -> int | None:
    value = (event.changes or {}).get("attachment")
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
        return value[1].get("id")
    return None


def _attachment_out(report: Report, attachment: Attachment, number: int, *, by: str, private: bool) -> dict:
    name = attachment.original_name if private else f"lampiran-{number}{EXTENSIONS.get(attachment.content_type, '')}"
    return {
        "id": attachment.pk,
        "name": name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": reverse(
            f"{API}:attachment-download", kwargs={"tracking_id": report.tracking_id, "attachment_id": attachment.pk}
        ),
        "uploaded_by": by,
        "created_at": attachment.created_at,
    }


def _events(report: Report) -> list[ReportEvent]:
    return list(report.events.order_by("created_at", "pk"))


def visible_events(events: list[ReportEvent], *, private: bool) -> list[ReportEvent]:
    """The citizen's timeline: public events, plus in the private view the reporter's own."""
    return [e for e in events if e.is_public or (private and e.actor_role == Role.REPORTER)]


def visible_attachments(
    report: Report, events: list[ReportEvent], *, reporter: Actor | None
) -> list[tuple[Attachment, str]]:
    """The files the public (or the proven reporter) may download, each with who added it."""
    by_of = {_attachment_id(e): _by(e) for e in events if e.type == "report.attachment_added"}
    files = attachments_visible_to(reporter, report).order_by("created_at", "pk")
    return [(attachment, by_of.get(attachment.pk, "staff")) for attachment in files]


def _answers(events: list[ReportEvent], files: dict[int, dict]) -> list[dict]:
    """Follow-ups with the staff files attached next to them (just before or after, nothing between)."""
    answers = {
        e.pk: {"message": e.message, "time": e.created_at, "attachments": []}
        for e in events
        if e.type == "report.followed_up"
    }
    pending: list[dict] = []
    previous: ReportEvent | None = None
    for e in [*events, None]:
        if e is not None and e.type == "report.attachment_added" and _by(e) == "staff":
            if (file := files.get(_attachment_id(e))) is not None:
                pending.append(file)
            continue
        if pending:
            if previous is not None and previous.pk in answers:
                answers[previous.pk]["attachments"].extend(pending)
            elif e is not None and e.pk in answers:
                answers[e.pk]["attachments"].extend(pending)
            pending = []
        if e is not None:
            previous = e
    return list(answers.values())


def reporter_actions(report: Report) -> list[dict]:
    """What the reporter may do now, with where to do it."""
    allowed = set(allowed_actions(report.status, Role.REPORTER))
    paths = {
        Action.REPLY: "report-reply",
        Action.RESUME: "report-resume",
        Action.RATE: "report-rate",
        Action.APPEAL: "report-appeal",
        Action.ATTACH: "report-attachments",
    }
    out = []
    for action, url_name in paths.items():
        if action not in allowed:
            continue
        if action == Action.RATE and report.rating is not None:
            continue
        if action == Action.APPEAL and (
            report.rating is None
            or report.rating > settings.LAPOR["APPEAL_MAX_RATING"]
            or report.appealed_at is not None
        ):
            continue
        out.append({
            "action": action.value,
            "label": str(ACTION_LABELS[action]),
            "method": "POST",
            "url": reverse(f"{API}:{url_name}", kwargs={"tracking_id": report.tracking_id}),
        })
    return out


def detail(report: Report, *, reporter: Actor | None = None) -> dict:
    """The public view, or with `reporter` (already proven) the private one."""
    private = reporter is not None
    every_event = _events(report)
    events = visible_events(every_event, private=private)
    attachments = visible_attachments(report, every_event, reporter=reporter)
    files = {
        a.pk: _attachment_out(report, a, n, by=by, private=private)
        for n, (a, by) in enumerate(attachments, start=1)
    }
    out = summary(report, region_paths([report]))
    out.update(
        view="private" if private else "public",
        incident_date=report.incident_date,
        rating=(
            {"value": report.rating, "comment": report.rating_comment, "rated_at": report.rated_at}
            if report.rating is not None
            else None
        ),
        timeline=[
            {
                "type": e.type,
                "label": e.label,
                # File names stay out of the public view (see the module docstring).
                "message": "" if (e.type == "report.attachment_added" and not private) else e.message,
                "time": e.created_at,
                "by": _by(e),
            }
            for e in events
        ],
        answers=_answers(events, files),
        attachments=list(files.values()),
    )
    if private:
        out.update(
            reporter=reporter_identity(report, reporter),
            is_anonymous=report.is_anonymous,
            is_confidential=report.is_confidential,
            actions=reporter_actions(report),
        )
    return out


def own_attachment(report: Report, attachment: Attachment) -> dict:
    """A file the reporter just added, as their private view shows it."""
    return _attachment_out(report, attachment, 0, by="reporter", private=True)


def visible_attachment(report: Report, attachment_id: int, *, reporter: Actor | None) -> tuple[Attachment, str] | None:
    """One file of the detail view (same rules), with the name it is served under."""
    private = reporter is not None
    for n, (attachment, by) in enumerate(visible_attachments(report, _events(report), reporter=reporter), start=1):
        if attachment.pk == attachment_id:
            return attachment, _attachment_out(report, attachment, n, by=by, private=private)["name"]
    return None


# --- similar reports ----------------------------------------------------------------------------


def similar(found: list[tuple[Report, float]]) -> list[dict]:
    reports = [r for r, _score in found]
    paths = region_paths(reports)
    latest: dict[int, str] = {}
    answers = ReportEvent.objects.filter(
        report_id__in=[r.pk for r in reports], type="report.followed_up", is_public=True
    ).order_by("created_at", "pk")
    for report_id, message in answers.values_list("report_id", "message"):
        latest[report_id] = message
    return [
        {
            "tracking_id": r.tracking_id,
            "title": r.title,
            **_status(r),
            "category": _category(r),
            "region": paths.get(r.region_id, []),
            "agency": _agency(r),
            "created_at": r.created_at,
            "score": score,
            "latest_answer": latest.get(r.pk),
            "links": links(r),
        }
        for r, score in found
    ]
