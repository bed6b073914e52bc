"""What a report page shows: its public timeline, the answers and their attachments."""

from __future__ import annotations

from django.utils import timezone

from lapor.complaints.models import Report, ReportEvent, Status
from lapor.complaints.selectors import attachments_visible_to
from lapor.sla.status import deadline_label, deadline_state

ANSWER = "report.followed_up"


def report_details(report: Report, viewer=None) -> dict:
    """Timeline, answers, attachments and deadline of `report` as `viewer` may see them.

    Only public events are shown, to the public and to the reporter alike: internal notes and
    edits stay with the staff. Attachments are those `viewer` may download.
    """
    events = list(ReportEvent.objects.filter(report=report, is_public=True).order_by("created_at", "id"))
    now = timezone.now()
    attachments = list(attachments_visible_to(viewer, report).order_by("created_at", "id"))
    by_event: dict[int, list] = {}
    for attachment in attachments:
        if attachment.event_id:
            by_event.setdefault(attachment.event_id, []).append(attachment)
    answers = [(event, by_event.get(event.pk, [])) for event in events if event.type == ANSWER]
    question = None
    if report.status == Status.ON_HOLD:
        held = [event for event in events if event.type == "report.held"]
        question = held[-1] if held else None
    return {
        "events": events,
        "answers": answers,
        "attachments": attachments,
        "question": question,
        "late": report.is_late(),
        "deadline": deadline_state(report, now),
        "deadline_label": deadline_label(deadline_state(report, now)),
        "now": now,
    }
