"""Officers entering reports on someone's behalf: call centre, walk-in desk, letters.

Who may: national verifiers (for any agency) and agency admins (at their own agency's desk: the
report names their agency as the one the reporter turned to, and goes to the verifiers like every
new report, because only a verifier disposes; see `lifecycle.TRANSITIONS`). The report is filed
through `report_file` like any other, with `now` set to the moment it was received, so the
verification deadline counts from the day the letter or call came in, not from the day it was
typed. The first event names the officer; the reporter hears the tracking id through the
contact given (the outbox).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.models import Agency, Role, User
from lapor.complaints.attachments import validate_upload
from lapor.complaints.filing import report_file
from lapor.complaints.models import Channel
from lapor.complaints.services import Submitted
from lapor.core.errors import InvalidInput, PermissionDenied

INTAKE_CHANNELS = (Channel.CALL_CENTER, Channel.WALK_IN, Channel.LETTER)
INTAKE_ROLES = (Role.VERIFIER, Role.AGENCY_ADMIN)
# Older mail belongs in a bulk import (with its history), not in the desk's form.
MAX_RECEIVED_AGE = timedelta(days=365)
# A received date without a time: the morning of that day, when the post is opened.
DEFAULT_RECEIVED_TIME = time(9, 0)
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")


def can_enter_reports(user) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role not in INTAKE_ROLES:
        return False
    return user.role != Role.AGENCY_ADMIN or user.agency_id is not None


def desk_zone(officer: User) -> ZoneInfo:
    """The officer's wall clock: their agency's zone (WIB/WITA/WIT), else the server's."""
    agency = officer.agency if officer.agency_id else None
    return ZoneInfo(agency.time_zone) if agency else timezone.get_current_timezone()


def received_moment(officer: User, day: date | None, at: time | None, *, now: datetime | None = None) -> datetime:
    """The moment a report was received from the date (and time) the officer wrote.

    Today without a time is now; another day without a time is 09:00 on that day, in the desk's zone.
    """
    now = now or timezone.now()
    zone = desk_zone(officer)
    if day is None or (at is None and day == timezone.localtime(now, zone).date()):
        return now
    return datetime.combine(day, at or DEFAULT_RECEIVED_TIME, tzinfo=zone)


def _check_received(received_at: datetime, now: datetime) -> None:
    if received_at > now + timedelta(minutes=5):
        raise InvalidInput(_("Tanggal diterima tidak boleh di masa depan."), field="received_at")
    if received_at < now - MAX_RECEIVED_AGE:
        raise InvalidInput(
            _("Tanggal diterima lebih dari setahun yang lalu: gunakan impor laporan untuk data lama."),
            field="received_at",
        )


def report_intake(
    *,
    officer: User,
    channel: str,
    received_at: datetime | None = None,
    scan=None,
    suggested_agency: Agency | None = None,
    **fields,
) -> Submitted:
    """File a report an officer took by phone, at the desk or by letter, on the reporter's behalf.

    Refuses other roles, other channels, a received time in the future or over a year ago, and a
    scan that is not a PDF, JPEG or PNG. The scan is attached privately (a letter carries the
    writer's name, address and signature). The report has no account: its secret is in the
    answer, for the officer to hand over when the reporter left no contact.
    """
    if not can_enter_reports(officer):
        raise PermissionDenied(
            _("Hanya Admin Nasional dan Admin Instansi yang dapat mencatat laporan atas nama pelapor.")
        )
    if channel not in INTAKE_CHANNELS:
        raise InvalidInput(_("Pilih kanal: pusat panggilan, loket pengaduan, atau surat."), field="channel")
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, desk_zone(officer))
    _check_received(received_at, now)
    if officer.role == Role.AGENCY_ADMIN:
        if suggested_agency is not None and suggested_agency.pk != officer.agency_id:
            raise PermissionDenied(_("Admin Instansi hanya mencatat laporan untuk instansinya sendiri."))
        suggested_agency = officer.agency
    scans = []
    if scan is not None:
        if validate_upload(scan) not in SCAN_TYPES:
            raise InvalidInput(_("Pindaian surat harus berupa PDF, JPEG, atau PNG."), field="scan")
        scans.append(scan)
    return report_file(
        reporter=None,
        attachments=scans,
        attachments_public=False,
        channel=channel,
        now=received_at,
        entered_by=officer,
        suggested_agency=suggested_agency,
        **fields,
    )
