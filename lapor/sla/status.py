"""Where a report stands against the deadline of its current stage: one answer for every page.

"Due soon" is the same window the reminders use (working days), so what an officer sees on the
list matches what they were told.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from lapor.complaints.models import Status

ON_TIME, DUE_SOON, LATE, HELD, NONE = "ontime", "soon", "late", "held", "none"

LABELS = {
    ON_TIME: _("Dalam tenggat"),
    DUE_SOON: _("Segera jatuh tempo"),
    LATE: _("Terlambat"),
    HELD: _("Ditunda (tenggat berhenti)"),
    NONE: _("Tidak ada"),
}


def deadline_state(report, now: datetime, *, horizon: datetime | None = None) -> str:
    """on time, due soon, late, held (clock stopped) or none (no stage deadline: done or answered)."""
    if report.status == Status.ON_HOLD:
        return HELD
    if report.stage_due_at is None or report.status in (Status.COMPLETED, Status.ARCHIVED):
        return NONE
    if report.stage_due_at < now:
        return LATE
    if horizon is None:
        from .reminders import reminder_horizon

        horizon = reminder_horizon(now)
    return DUE_SOON if report.stage_due_at <= horizon else ON_TIME


def deadline_label(state: str) -> str:
    return str(LABELS[state])
