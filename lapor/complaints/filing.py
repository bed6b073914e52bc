"""Filing a report from any door (web form, API, later the channels): one call does it all.

Attachments are checked before anything is written; the report, its attachments, its first
event, its red flags and the confirmation messages are one transaction. Reading the red flags
may fail without failing the filing: it runs in a savepoint and a failure is only logged.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.notifications.models import Channel
from lapor.notifications.services import contact_channels, outbox_enqueue

from .attachments import report_attach, validate_uploads
from .models import Report
from .services import Submitted, report_submit


def report_file(
    *, reporter, attachments=(), confirm_to=None, attachments_public: bool = True, **fields
) -> Submitted:
    """Submit, attach and confirm; returns the report and, without an account, its secret.

    `confirm_to` ([(channel, recipient)]) sends the confirmation there instead of to the contact
    given: a WhatsApp conversation is answered on WhatsApp; `[]` sends none.
    `attachments_public=False` keeps the files off the public timeline (a scanned letter
    carries the writer's name, address and signature).
    """
    attachments = list(attachments or [])
    validate_uploads(attachments)
    stored: list = []
    try:
        with transaction.atomic():
            submitted = report_submit(reporter=reporter, **fields)
            report = submitted.report
            actor = reporter if reporter else Actor.reporter_with_secret(report.pk)
            for upload in attachments:
                stored.append(
                    report_attach(actor=actor, report=report, upload=upload, is_public=attachments_public).file
                )
            _confirm(report, secret=submitted.secret, targets=confirm_to)
            _read_signals(report)
            transaction.on_commit(lambda: _after_filing(report.pk))
    except BaseException:
        # The rows rolled back; the files they named must not outlive them (they may hold personal data).
        for file in stored:
            file.storage.delete(file.name)
        raise
    return submitted


def _read_signals(report: Report) -> None:
    """Red flags (priority, the inspectorate's copy); never a reason to refuse a report."""
    from lapor.routing.flags import flag_report_safely

    flag_report_safely(report)
    report.refresh_from_db(fields=["priority", "flagged_at", "flag_reason"])


def _after_filing(report_id: int) -> None:
    """Routing's automatic disposition, where a category enables it (it never raises)."""
    from lapor.routing.suggestions import after_filing

    after_filing(report_id)


def confirmation_text(report: Report, secret: str | None) -> str:
    text = _("Laporan Anda telah diterima dengan nomor %(tracking)s.") % {"tracking": report.tracking_id}
    if secret:
        text += " " + _("Kode rahasia untuk melihat dan menanggapi laporan: %(secret)s. Simpan kode ini.") % {
            "secret": secret
        }
    return text


def _confirm(report: Report, *, secret: str | None, targets=None) -> None:
    """Tell the reporter the tracking id (and secret) through the contact they gave."""
    user = report.reporter
    if targets is not None:
        targets = list(targets)
    elif user is not None:
        targets = contact_channels(email=user.email, phone=user.phone) or [(Channel.IN_APP, user.username)]
    else:
        targets = contact_channels(email=report.contact_email, phone=report.contact_phone)
    body = confirmation_text(report, secret)
    for channel, recipient in targets:
        outbox_enqueue(
            channel=channel,
            recipient=recipient,
            subject=_("Laporan %(tracking)s diterima") % {"tracking": report.tracking_id},
            body=body,
            kind="report.submitted",
            user=user,
            report=report,
            sensitive=bool(secret),
        )
