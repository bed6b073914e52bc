"""Reminding the officers concerned before a stage deadline passes.

Set-based and idempotent: a report is reminded once per deadline (`reminded_due_at`), so running
the job twice, or after a crash, sends nothing twice. Each recipient gets one message per batch
listing the reports due, not one message per report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lapor.complaints.notify import staff_for
from lapor.core.bulk import pk_in
from lapor.complaints.models import Report, Status
from lapor.notifications.services import build_for_user, outbox_bulk_enqueue

from .calendar import Calendar

AGENCY_STAGE = (Status.DISPOSED, Status.FORWARDED, Status.REPORTER_REPLIED, Status.APPEALED)
MAX_LISTED = 20


def reminder_horizon(now: datetime) -> datetime:
    """Deadlines up to the end of the working day this many working days ahead are 'due soon'."""
    return Calendar().add_working_days(now, settings.LAPOR["REMIND_BEFORE_WORKING_DAYS"])


def _due(now: datetime):
    return Report.objects.filter(
        status__in=AGENCY_STAGE, stage_due_at__gt=now, stage_due_at__lte=reminder_horizon(now)
    ).filter(Q(reminded_due_at__isnull=True) | ~Q(reminded_due_at=F("stage_due_at")))


def _remind_batch(ids: list[int], now: datetime) -> int:
    with transaction.atomic():
        rows = list(
            _due(now).filter(pk_in(ids)).order_by().select_for_update(skip_locked=True, of=("self",))
            .values("pk", "tracking_id", "status", "stage_due_at", "current_agency_id", "current_unit_id")
        )
        # Claim them: only the run that moves the marker sends the reminder.
        Report.objects.filter(pk_in([r["pk"] for r in rows])).update(reminded_due_at=F("stage_due_at"))
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for r in rows:
            if r["status"] == Status.FORWARDED and r["current_unit_id"]:
                groups[("unit", r["current_unit_id"])].append(r)
            elif r["current_agency_id"]:
                groups[("agency", r["current_agency_id"])].append(r)
        messages = []
        recipients = staff_for(groups)
        for group, reports in groups.items():
            reports.sort(key=lambda r: r["stage_due_at"])
            listed = ", ".join(
                f"{r['tracking_id']} ({timezone.localtime(r['stage_due_at']):%d-%m %H:%M})" for r in reports[:MAX_LISTED]
            ) + (" …" if len(reports) > MAX_LISTED else "")
            params = {"count": len(reports), "trackings": listed}
            for user in recipients[group]:
                messages += build_for_user(user, kind="report.due_soon", params=params)
        outbox_bulk_enqueue(messages)
    return len(rows)


def remind_due_soon(*, now: datetime | None = None, batch_size: int = 2000) -> int:
    """Tell the unit officers (or the agency admins) about deadlines within the window."""
    from .sweep import _in_batches

    now = now or timezone.now()
    return _in_batches(_due(now), lambda ids: _remind_batch(ids, now), batch_size=batch_size)
