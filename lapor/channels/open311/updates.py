"""The servicerequestupdates extension (mySociety's, used by FixMyStreet), both ways.

GET lists the public events of the requests a client may read: every change of status and every
answer, the citizen's timeline on the web. Each update's `update_id` is the event's id.

POST writes an update through the existing services, and who may write what follows the key:
- a citizen-facing app (a key bound to no agency) writes for the citizen, on reports it filed
  itself only: a reply to the agency's follow-up (`report_reply`) or, while the report waits for
  the citizen, the missing details (`report_resume`). It never changes a status by itself;
- an agency's own back office (a key bound to that agency) writes the agency's answer, on reports
  currently at that agency only: the follow-up (`report_follow_up`), or with status CLOSED or
  FIXED on a report already answered, the closure (`report_close`).
Anything the lifecycle does not allow is refused (400) and changes nothing. The client's
`update_id` is an idempotency key: a retry gets the first answer and writes nothing more.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.complaints import services
from lapor.complaints.idempotency import submit_once
from lapor.complaints.models import Report, ReportEvent, Status
from lapor.complaints.services import normalize_tracking_id

from .formats import Open311Error, parse_w3c
from .models import ApiKey, FiledRequest
from .service_requests import MAX_ROWS, NOTE_TYPES, visible_q

# The extension's statuses (lower case when listed, upper case when posted).
EXTENDED_STATUSES = (
    "open", "closed", "fixed", "in_progress", "action_scheduled", "investigating", "duplicate",
    "not_councils_responsibility", "no_further_action", "internal_referral", "reopen", "for_triage",
)
EXTENDED_OF_STATUS = {
    Status.RECEIVED: "open",
    Status.ON_HOLD: "open",
    Status.RETURNED: "open",
    Status.DISPOSED: "investigating",
    Status.FORWARDED: "in_progress",
    Status.FOLLOWED_UP: "in_progress",
    Status.REPORTER_REPLIED: "in_progress",
    Status.APPEALED: "reopen",
    Status.COMPLETED: "closed",
    Status.ARCHIVED: "no_further_action",
}
CLOSING = frozenset({"closed", "fixed"})
MAX_UPDATE_ID = 120


def _extended(event: ReportEvent) -> str:
    if event.type == "report.merged":
        return "duplicate"
    return EXTENDED_OF_STATUS.get(event.to_status, "open")


def updates_list(key: ApiKey | None, *, start, end, page: int = 1, page_size: int = MAX_ROWS) -> list[dict]:
    """Public status changes and answers between `start` and `end`, oldest first (one query)."""
    events = (
        ReportEvent.objects.filter(visible_q(key), is_public=True, type__in=NOTE_TYPES)
        .filter(created_at__gte=start, created_at__lte=end)
        .select_related("report")
        .order_by("created_at", "pk")
    )
    first = (page - 1) * page_size
    return [
        {
            "update_id": str(event.pk),
            "service_request_id": event.report.tracking_id,
            "status": _extended(event),
            "updated_datetime": event.created_at,
            "description": event.message or event.label,
            "media_url": "",
        }
        for event in events[first:first + page_size]
    ]


# --- posting ------------------------------------------------------------------------------------


def _field(data, name: str) -> str:
    return (data.get(name) or "").strip()


def _checked(data) -> tuple[str, str, str, str]:
    """service_request_id, update_id, status and description, or one 400 listing every fault."""
    errors = []
    tracking, update_id = _field(data, "service_request_id"), _field(data, "update_id")
    status, description = _field(data, "status").lower(), _field(data, "description")
    if not tracking:
        errors.append(_("service_request_id wajib diisi."))
    if not update_id or len(update_id) > MAX_UPDATE_ID or not update_id.isprintable():
        errors.append(_("update_id wajib diisi, 1 sampai %(n)d karakter.") % {"n": MAX_UPDATE_ID})
    if status and status not in EXTENDED_STATUSES:
        errors.append(_("status '%(value)s' tidak dikenal.") % {"value": status})
    if not description:
        errors.append(_("description wajib diisi."))
    if updated := _field(data, "updated_datetime"):
        try:
            parse_w3c(updated, field="updated_datetime")
        except Open311Error as error:
            errors.extend(e["description"] for e in error.errors)
    media_url = _field(data, "media_url")
    if media_url and not media_url.startswith(("http://", "https://")):
        errors.append(_("media_url harus alamat http(s)."))
    if errors:
        raise Open311Error(400, *errors)
    if media_url:
        description += "\n\n" + _("Foto/media (tautan dari aplikasi): %(url)s") % {"url": media_url}
    return normalize_tracking_id(tracking), update_id, status, description


def _report_for(key: ApiKey, tracking_id: str) -> Report:
    """The report this key may update: one it filed, or (agency keys) one at its agency."""
    if key.agency_id:
        report = Report.objects.filter(tracking_id=tracking_id, current_agency_id=key.agency_id).first()
    else:
        filing = FiledRequest.objects.select_related("report").filter(key=key, report__tracking_id=tracking_id).first()
        report = filing.report if filing else None
    if report is None:
        raise Open311Error(404, _("service_request_id '%(id)s' tidak ditemukan.") % {"id": tracking_id})
    return report


def _write(key: ApiKey, report: Report, status: str, text: str) -> Report:
    """The one service call this key's update stands for."""
    if key.agency_id:
        actor = Actor.of(key.acting_user)
        if status in CLOSING and report.status in (Status.FOLLOWED_UP, Status.REPORTER_REPLIED, Status.APPEALED):
            return services.report_close(actor=actor, report=report, note=text)
        return services.report_follow_up(actor=actor, report=report, answer=text)
    actor = Actor.reporter_with_secret(report.pk)
    if report.status == Status.ON_HOLD:
        return services.report_resume(actor=actor, report=report, message=text)
    if report.status != Status.FOLLOWED_UP:
        raise Open311Error(
            400,
            _("Tanggapan pelapor hanya dapat dikirim setelah instansi menindaklanjuti laporan, atau saat laporan "
              "ditunda menunggu kelengkapan (status sekarang: %(status)s).") % {"status": Status(report.status).label},
        )
    return services.report_reply(actor=actor, report=report, message=text)


def update_create(*, key: ApiKey, data) -> dict:
    """Post one update; the answer names the event written (`update_id`)."""
    tracking_id, client_update_id, status, text = _checked(data)
    report = _report_for(key, tracking_id)
    account_id = _field(data, "account_id")[:100] or None

    def submit() -> tuple[Report, dict]:
        with transaction.atomic():
            done = _write(key, report, status, text)
            event = ReportEvent.objects.filter(report=done).order_by("-created_at", "-pk").first()
        answer = {"update_id": str(event.pk), "account_id": account_id}
        return done, {"service_request_updates": [answer]}

    payload = {name: data.getlist(name) for name in sorted(data) if name not in ("api_key", "updated_datetime")}
    outcome = submit_once(client=f"open311-update:{key.pk}", key=client_update_id, payload=payload, submit=submit)
    return outcome.response
