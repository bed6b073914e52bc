"""What the system itself does to reports: escalate late work, close unanswered follow-ups,
archive holds the reporter never completed.

Each action exists for one report (through `transitions.transition`, like every officer action)
and for a batch of reports (through `transitions.bulk_transition`: one transaction per batch with
the events and the outbox rows, so the sweep over a million open reports stays set-based).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency, User
from lapor.core.errors import Conflict
from lapor.notifications.services import build_for_user, outbox_bulk_enqueue
from lapor.notifications.templates import LEVEL_NAMES

from . import transitions
from .lifecycle import Action
from .models import ArchiveReason, Closure, Report, ReportAssignment, Status
from .notify import reporter_messages, staff_for

UNFINISHED_REASON = "tidak-dilengkapi"
AGENCY_LEVEL = 1
COORDINATOR_LEVEL = 2
VERIFIER_STAGES = (Status.RECEIVED, Status.RETURNED)
MAX_LISTED = 20
# What telling a reporter reads from a report row (the bulk paths load no more).
REPORTER_FIELDS = ("tracking_id", "reporter_id", "contact_email", "contact_phone", "contact_language")


# --- escalation -------------------------------------------------------------------------------


def escalation_target(report: Report, level: int, agencies: dict[int, Agency]) -> tuple:
    """Who a late report goes to: its agency's admins, the province's admins, or national verifiers."""
    agency = agencies.get(report.current_agency_id)
    if level == AGENCY_LEVEL and agency is not None:
        return ("agency", agency.pk)
    if agency is not None and agency.kind in (Agency.Kind.REGENCY, Agency.Kind.CITY) and agency.parent_id:
        return ("agency", agency.parent_id)
    return ("verifiers", None)


def _target_label(target: tuple, agencies: dict[int, Agency]) -> str:
    if target[0] == "agency":
        agency = agencies.get(target[1])
        return f"admin {agency.name}" if agency else "admin"
    return "Admin Nasional"


def _agencies_for(reports) -> dict[int, Agency]:
    ids = {r.current_agency_id for r in reports if r.current_agency_id}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    parents = {a.parent_id for a in agencies.values() if a.parent_id} - set(agencies)
    agencies.update({a.pk: a for a in Agency.objects.filter(pk__in=parents)})
    return agencies


def _escalate(change, level: int, agencies: dict[int, Agency]) -> tuple:
    """Record the step on the report; returns the target the digest goes to."""
    r = change.report
    target = escalation_target(r, level, agencies)
    label = _target_label(target, agencies)
    change.set("escalation_level", level)
    change.changes["escalated_to"] = [None, label]
    change.message = "Tenggat %s terlewati; dieskalasi kepada %s." % (
        timezone.localtime(r.stage_due_at).strftime("%d-%m-%Y %H:%M"), label,
    )
    return target


def _digests(by_target: dict[tuple, list[str]], level: int, *, report: Report | None = None) -> list:
    """One message per person a target names, listing the reports escalated to them."""
    recipients = staff_for(by_target)
    messages = []
    for target, trackings in by_target.items():
        listed = ", ".join(trackings[:MAX_LISTED]) + (" …" if len(trackings) > MAX_LISTED else "")
        params = {"count": len(trackings), "level": LEVEL_NAMES[level], "trackings": listed}
        for user in recipients[target]:
            messages += build_for_user(user, kind="report.escalated", params=params, report=report)
    return messages


def reports_escalate(ids, *, level: int, now: datetime | None = None) -> int:
    """Move late reports up to `level`; each gets an event, each recipient one digest message."""
    now = now or timezone.now()
    with transaction.atomic():
        agencies: dict[int, Agency] = {}
        by_target: dict[tuple, list[str]] = defaultdict(list)

        def prepare(reports) -> None:
            agencies.update(_agencies_for(reports))

        def apply(change) -> bool:
            r = change.report
            if r.escalation_level >= level or r.stage_due_at is None or r.stage_due_at >= now:
                return False
            by_target[_escalate(change, level, agencies)].append(r.tracking_id)
            return True

        done = transitions.bulk_transition(
            ids, Action.ESCALATE, apply, now=now, fields=("tracking_id",), prepare=prepare
        )
        outbox_bulk_enqueue(_digests(by_target, level))
    return len(done)


def report_escalate(*, report: Report | int, level: int, now: datetime | None = None) -> Report:
    """Escalate one late report (the sweep does the same for many at once)."""
    now = now or timezone.now()
    report_id = report.pk if isinstance(report, Report) else report
    with transitions.transition(report_id, Actor.system(), Action.ESCALATE, now=now) as change:
        r = change.report
        if r.stage_due_at is None or r.stage_due_at >= now:
            raise Conflict(_("Tenggat tahap ini belum lewat."), code="not_late")
        if r.escalation_level >= level:
            raise Conflict(_("Laporan ini sudah dieskalasi."), code="already_escalated")
        target = _escalate(change, level, _agencies_for([r]))
        outbox_bulk_enqueue(_digests({target: [r.tracking_id]}, level, report=r))
    return change.report


# --- closing and archiving --------------------------------------------------------------------


def _duplicates_of(ids) -> dict[int, list[Report]]:
    out: dict[int, list[Report]] = defaultdict(list)
    for dup in Report.objects.filter(merged_into_id__in=list(ids)).select_related("reporter"):
        out[dup.merged_into_id].append(dup)
    return out


def _tell_reporters(done, *, kind: str, params: dict) -> None:
    ids = [c.report.pk for c in done]
    duplicates = _duplicates_of(ids)
    reporters = {u.pk: u for u in User.objects.filter(pk__in={c.report.reporter_id for c in done if c.report.reporter_id})}
    messages = []
    for change in done:
        r = change.report
        if r.reporter_id:
            r.reporter = reporters.get(r.reporter_id)
            if r.reporter is None:
                r.reporter_id = None
        messages += reporter_messages(r, kind=kind, params=params, duplicates=duplicates.get(r.pk, []))
    outbox_bulk_enqueue(messages)


def _close_by_system(change, now: datetime) -> None:
    change.message = "Laporan ditutup otomatis karena tidak ada tanggapan pelapor."
    change.set("closure", Closure.BY_SYSTEM)
    change.set("closed_at", now)
    change.set("stage_due_at", None)


def _closed_params() -> dict:
    return {"days": settings.LAPOR["AUTO_CLOSE_WORKING_DAYS"]}


def report_close_by_system(*, report: Report | int, now: datetime | None = None) -> Report:
    """Close one follow-up the reporter left unanswered past its period ("ditutup oleh sistem")."""
    now = now or timezone.now()
    with transitions.transition(report, Actor.system(), Action.CLOSE_BY_SYSTEM, now=now) as change:
        r = change.report
        if r.stage_due_at is None or r.stage_due_at >= now:
            raise Conflict(_("Batas waktu tanggapan pelapor belum lewat."))
        _close_by_system(change, now)
        _tell_reporters([change], kind="report.closed_by_system", params=_closed_params())
    return change.report


def reports_close_by_system(ids, *, now: datetime | None = None) -> int:
    """Close follow-ups the reporters left unanswered past their period, a batch at a time."""
    now = now or timezone.now()

    def apply(change) -> bool:
        r = change.report
        if r.stage_due_at is None or r.stage_due_at >= now:
            return False
        _close_by_system(change, now)
        return True

    with transaction.atomic():
        done = transitions.bulk_transition(
            ids, Action.CLOSE_BY_SYSTEM, apply, now=now, fields=(*REPORTER_FIELDS, "closure", "closed_at")
        )
        _tell_reporters(done, kind="report.closed_by_system", params=_closed_params())
    return len(done)


def unfinished_reason() -> ArchiveReason | None:
    return ArchiveReason.objects.filter(code=UNFINISHED_REASON, is_active=True).first()


def _archive_unfinished(change, reason: ArchiveReason, now: datetime) -> None:
    change.message = reason.name
    change.set("archive_reason_id", reason.pk)
    change.set("current_unit_id", None)
    change.set("held_from_status", "")
    change.set("held_at", None)
    change.set("held_stage_due_at", None)
    change.set("stage_due_at", None)
    change.set("closed_at", now)


_ARCHIVE_FIELDS = ("archive_reason_id", "held_from_status", "held_at", "held_stage_due_at", "closed_at")


def report_archive_unfinished(*, report: Report | int, now: datetime | None = None) -> Report:
    """Archive one held report whose completion period has passed."""
    now = now or timezone.now()
    reason = unfinished_reason()
    report_id = report.pk if isinstance(report, Report) else report
    with transitions.transition(report_id, Actor.system(), Action.ARCHIVE_BY_SYSTEM, now=now) as change:
        r = change.report
        if r.held_at is None or r.held_at >= hold_expiry(now):
            raise Conflict(_("Batas waktu kelengkapan laporan belum lewat."), code="not_expired")
        if reason is None:
            raise Conflict(_("Alasan arsip 'tidak-dilengkapi' belum tersedia; muat data referensi."))
        _archive_unfinished(change, reason, now)
        ReportAssignment.objects.filter(report=r, is_active=True).update(is_active=False, is_lead=False)
        _tell_reporters([change], kind="report.archived_by_system", params={"days": settings.LAPOR["HOLD_ARCHIVE_WORKING_DAYS"]})
    return change.report


def hold_expiry(now: datetime) -> datetime:
    """Reports held before this moment have waited the whole completion period."""
    from lapor.sla.calendar import working_days_ago

    return working_days_ago(now, settings.LAPOR["HOLD_ARCHIVE_WORKING_DAYS"])


def reports_archive_unfinished(ids, *, now: datetime | None = None) -> int:
    """Archive held reports the reporter never completed within the period."""
    now = now or timezone.now()
    older_than = hold_expiry(now)
    reason = unfinished_reason()
    if reason is None:
        raise Conflict(_("Alasan arsip 'tidak-dilengkapi' belum tersedia; muat data referensi."))

    def apply(change) -> bool:
        r = change.report
        if r.held_at is None or r.held_at >= older_than:
            return False
        _archive_unfinished(change, reason, now)
        return True

    with transaction.atomic():
        done = transitions.bulk_transition(
            ids, Action.ARCHIVE_BY_SYSTEM, apply, now=now, fields=(*REPORTER_FIELDS, *_ARCHIVE_FIELDS)
        )
        ReportAssignment.objects.filter(report_id__any=[c.report.pk for c in done], is_active=True).update(
            is_active=False, is_lead=False
        )
        _tell_reporters(done, kind="report.archived_by_system", params={"days": settings.LAPOR["HOLD_ARCHIVE_WORKING_DAYS"]})
    return len(done)
