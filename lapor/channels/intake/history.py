"""The state an imported report had in the system it came from, applied once by the system.

An export is a snapshot: it names the status, the agency and the rating, never when each step
happened nor the answers given. So lapor invents no history: the report is filed at its received
date (its first event carries that date), and one `report.imported` event, written by the system
at the time of the import, sets the state the export states and records it (the status as
written there, who imported it). Steps between receipt and import are not replayed; monitoring
therefore counts an imported report in the period it was received, and times no step of it
before the import.

How statuses map (the export knows no units, no held question, no answer text):
- received (Diterima) stays received: the verification deadline counts from the received date;
- on hold or returned (Ditunda, Dikembalikan): received again, or disposed when the row names an
  agency, for the handlers to continue;
- disposed, forwarded, followed up, replied, appealed: disposed to the named agency at the time
  of the import; the agency's deadlines count from then (lapor has had the case since then);
- completed (Selesai) and archived (Diarsipkan, with its reason): closed as they were, no
  deadlines, the rating kept.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency, User
from lapor.complaints import transitions
from lapor.complaints.lifecycle import Action
from lapor.complaints.models import ArchiveReason, Report, Status
from lapor.complaints.transitions import audit_value
from lapor.core.errors import InvalidInput
from lapor.sla import deadlines

# The status lapor gives a report the export shows in each status (see the module docstring).
AT_AGENCY = (Status.DISPOSED, Status.FORWARDED, Status.FOLLOWED_UP, Status.REPORTER_REPLIED, Status.APPEALED)
BACK_TO_START = (Status.ON_HOLD, Status.RETURNED)


def imported_status(source: str, has_agency: bool) -> str:
    """lapor's status for a row the export shows in `source`."""
    if source in AT_AGENCY:
        return Status.DISPOSED
    if source in BACK_TO_START:
        return Status.DISPOSED if has_agency else Status.RECEIVED
    return source


def report_import_state(
    *,
    report: Report | int,
    source_status: str,
    agency: Agency | None = None,
    archive_reason: ArchiveReason | None = None,
    rating: int | None = None,
    text: str = "",
    imported_by: User | None = None,
    now: datetime | None = None,
) -> Report:
    """Apply the exported state to a report just filed (status received), in one event."""
    now = now or timezone.now()
    status = imported_status(source_status, agency is not None)
    if status == Status.DISPOSED and agency is None:
        raise InvalidInput(_("Instansi wajib diisi untuk laporan yang sudah ditangani."), field="agency")
    if status == Status.ARCHIVED and archive_reason is None:
        raise InvalidInput(_("Alasan arsip wajib diisi untuk laporan yang diarsipkan."), field="archive_reason")
    with transitions.transition(report, Actor.system(), Action.IMPORT, now=now) as change:
        r = change.report
        change.target = status
        if text and text != r.text:
            change.set("text", text)
        if agency is not None and status != Status.RECEIVED:
            change.set_fk("current_agency", agency)
        if status == Status.DISPOSED:
            change.set("disposed_at", now)
            change.set("completion_due_at", deadlines.completion_due(now, agency, r.category, r.completion_tier))
            change.set("stage_due_at", deadlines.agency_stage_due(now, r, agency))
        elif status in (Status.COMPLETED, Status.ARCHIVED):
            change.set("stage_due_at", None)
            if status == Status.ARCHIVED:
                change.set_fk("archive_reason", archive_reason)
        if rating and status != Status.RECEIVED:
            change.set("rating", rating)
        change.changes["source_status"] = [None, source_status]
        if imported_by is not None:
            change.changes["imported_by"] = [None, audit_value(imported_by)]
        change.message = _("Diimpor dari data LAPOR! lain; status di sana: %(status)s.") % {
            "status": Status(source_status).label
        }
    return change.report
