"""Reminding the officers concerned before a stage deadline passes.

Set-based and idempotent: a report is reminded once per deadline (`reminded_due_at`), so running
the job twice, or after a crash, sends nothing twice. The deadlines issue adds working-day
windows and escalation on top.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.complaints.models import Report, Status
from lapor.complaints.notify import notify_agency_admins, notify_unit_officers

AGENCY_STAGE = (Status.DISPOSED, Status.REPORTER_REPLIED, Status.APPEALED)


def remind_due_soon(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Tell agency admins (or the lead unit's officers) about deadlines within the window."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.LAPOR["REMIND_BEFORE_HOURS"])
    due = (
        Report.objects.filter(status__in=(*AGENCY_STAGE, Status.FORWARDED), stage_due_at__gt=now, stage_due_at__lte=horizon)
        .filter(Q(reminded_due_at__isnull=True) | ~Q(reminded_due_at=F("stage_due_at")))
        .select_related("current_agency", "current_unit")
        .order_by("stage_due_at")[:batch_size]
    )
    sent = 0
    for report in due:
        with transaction.atomic():
            # Claim it: only the first run that moves the marker sends the reminder.
            claimed = (
                Report.objects.filter(pk=report.pk, stage_due_at=report.stage_due_at)
                .filter(Q(reminded_due_at__isnull=True) | ~Q(reminded_due_at=F("stage_due_at")))
                .update(reminded_due_at=F("stage_due_at"))
            )
            if not claimed:
                continue
            local = timezone.localtime(report.stage_due_at)
            text = _("Tenggat laporan %(tracking)s berakhir %(when)s.") % {
                "tracking": report.tracking_id,
                "when": local.strftime("%d-%m-%Y %H:%M"),
            }
            if report.status == Status.FORWARDED and report.current_unit_id:
                notify_unit_officers(report, [report.current_unit], kind="report.due_soon", text=text)
            elif report.current_agency_id:
                notify_agency_admins(report, report.current_agency, kind="report.due_soon", text=text)
            sent += 1
    return sent
