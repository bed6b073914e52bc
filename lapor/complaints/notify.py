"""Who is told what when a report moves: rows in the outbox, in the same transaction.

Officers get in-app notices for new work; reporters (and reporters of merged duplicates) get a
message through the contact they gave. Templates, preferences and reminders before deadlines
belong to the notifications issue; these calls are where it plugs in.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lapor.accounts.models import Role, User
from lapor.notifications.models import Channel
from lapor.notifications.services import contact_channels, outbox_enqueue

from .models import Report


def _in_app(users, report: Report, *, kind: str, text: str) -> None:
    for user in users:
        outbox_enqueue(
            channel=Channel.IN_APP, recipient=user.username, subject=text[:200], body=text, kind=kind,
            user=user, report=report,
        )


def notify_agency_admins(report: Report, agency, *, kind: str, text: str) -> None:
    admins = User.objects.filter(role=Role.AGENCY_ADMIN, agency=agency, is_active=True)
    _in_app(admins, report, kind=kind, text=text)


def notify_unit_officers(report: Report, units, *, kind: str, text: str) -> None:
    officers = User.objects.filter(role=Role.UNIT_OFFICER, unit__in=list(units), is_active=True)
    _in_app(officers, report, kind=kind, text=text)


def notify_reporters(report: Report, *, kind: str, text: str) -> None:
    """The reporter of `report` and of every duplicate merged into it, through their own contact."""
    for r in [report, *report.duplicates.select_related("reporter")]:
        user = r.reporter
        if user is not None:
            targets = contact_channels(email=user.email, phone=user.phone) or [(Channel.IN_APP, user.username)]
        else:
            targets = contact_channels(email=r.contact_email, phone=r.contact_phone)
        message = text if r.pk == report.pk else _("%(text)s (laporan Anda %(mine)s digabungkan dengan laporan ini)") % {
            "text": text,
            "mine": r.tracking_id,
        }
        for channel, recipient in targets:
            outbox_enqueue(
                channel=channel, recipient=recipient, subject=message[:200], body=message, kind=kind,
                user=user, report=r,
            )
