"""Every change of a report happens here, one function an action.

Each function runs inside `transitions.transition()`, which checks the actor's role and scope,
locks the report row, and writes the `ReportEvent` with the change, all in one transaction: a refused or failed step leaves the report and
its history exactly as they were. Callers (web, API, channels, jobs, admin) only call these.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency, Role, Unit, User
from lapor.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from lapor.regions.models import Region
from lapor.sla import deadlines

from . import notify, transitions
from .lifecycle import Action
from .models import (
    ArchiveReason,
    Category,
    Channel,
    Closure,
    CompletionTier,
    Kind,
    Report,
    ReportAssignment,
    ReportEvent,
    Status,
)
from .transitions import Change, audit_value

TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
MIN_TEXT_LENGTH = 20
MAX_TEXT_LENGTH = 10_000


# --- helpers ----------------------------------------------------------------------------------


def new_tracking_id() -> str:
    """`LAP-XXXX-XXXX`: 40 random bits, readable aloud, not sequential."""
    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"LAP-{chars[:4]}-{chars[4:]}"


def normalize_tracking_id(value: str) -> str:
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum())
    if cleaned.startswith("LAP"):
        cleaned = cleaned[3:]
    cleaned = cleaned.translate(str.maketrans("ILO", "110"))  # read-aloud confusions
    return f"LAP-{cleaned[:4]}-{cleaned[4:8]}" if len(cleaned) == 8 else value.strip().upper()


def _hash_secret(secret: str) -> str:
    # The secret carries 72 random bits, so a plain digest is enough and checks stay fast.
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(report: Report, secret: str) -> bool:
    return bool(report.secret_hash) and hmac.compare_digest(report.secret_hash, _hash_secret(secret or ""))


def _required_text(value: str | None, what: str, *, field: str, minimum: int = 1) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        if minimum > 1:
            raise InvalidInput(
                _("%(what)s wajib diisi, minimal %(n)d karakter.") % {"what": what, "n": minimum}, field=field
            )
        raise InvalidInput(_("%(what)s wajib diisi.") % {"what": what}, field=field)
    return text


# --- submit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    report: Report
    # Shown once to a reporter without an account; only its hash is stored.
    secret: str | None


def _parse_coordinate(value, low: int, high: int, what: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise InvalidInput(_("%(what)s tidak valid.") % {"what": what}, field=field) from None
    if not number.is_finite():
        raise InvalidInput(_("%(what)s tidak valid.") % {"what": what}, field=field)
    if not (low <= number <= high):
        raise InvalidInput(
            _("%(what)s harus di antara %(low)s dan %(high)s.") % {"what": what, "low": low, "high": high}, field=field
        )
    return number


def _normalized_contacts(phone: str, email: str) -> tuple[str, str]:
    """Contacts in the form messages can reach (E.164 phone, lower-case e-mail), or a clear refusal."""
    from lapor.accounts.services import normalize_email, normalize_phone

    phone, email = (phone or "").strip(), (email or "").strip()
    if phone:
        phone = normalize_phone(phone) or ""
        if not phone:
            raise InvalidInput(_("Nomor ponsel tidak valid."), field="contact_phone")
    if email:
        email = normalize_email(email) or ""
        if not email:
            raise InvalidInput(_("Alamat surel tidak valid."), field="contact_email")
    return phone, email


def derive_title(text: str) -> str:
    words = text.split()
    title = " ".join(words[:10])
    if len(words) > 10 or len(title) > 200:
        title = f"{title[:199]}…"
    return title


def report_submit(
    *,
    reporter: User | None,
    text: str,
    kind: str = Kind.COMPLAINT,
    title: str = "",
    category: Category | None = None,
    region: Region | str | None = None,
    latitude=None,
    longitude=None,
    incident_date: date | None = None,
    channel: str = Channel.WEB,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    reporter_gender: str = "",
    reporter_age_group: str = "",
    reporter_disability: bool | None = None,
    suggested_agency: Agency | None = None,
    now: datetime | None = None,
    entered_by: User | None = None,
    tracking_id: str = "",
) -> Submitted:
    """File a report. Without an account the reporter gets a secret for the private view.

    `now` is when the report was received (a letter may arrive days before an officer enters
    it): the creation time and the deadlines count from it. `entered_by` is the officer who
    entered it on the reporter's behalf (call centre, desk, letter); the first event names them.
    `tracking_id` keeps a number the reporter already holds (an import); taken, it is refused.
    """
    now = now or timezone.now()
    text = _required_text(text, _("Isi laporan"), field="text", minimum=MIN_TEXT_LENGTH)
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(
            _("Isi laporan terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_TEXT_LENGTH}, field="text"
        )
    if kind not in Kind.values:
        raise InvalidInput(_("Jenis laporan tidak dikenal."), field="kind")
    if channel not in Channel.values:
        raise InvalidInput(_("Kanal laporan tidak dikenal."), field="channel")
    if reporter is not None and reporter.role != Role.REPORTER:
        raise PermissionDenied(_("Akun petugas tidak dapat membuat laporan atas nama sendiri."))
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
        if region is None:
            raise InvalidInput(_("Wilayah tidak dikenal."), field="region")
    if category is not None and not category.is_active:
        raise InvalidInput(_("Kategori tidak aktif."), field="category")
    if suggested_agency is not None and not suggested_agency.is_active:
        raise InvalidInput(_("Instansi tujuan tidak aktif."), field="suggested_agency")
    contact_phone, contact_email = _normalized_contacts(contact_phone, contact_email)
    if incident_date and incident_date > timezone.localdate(now):
        raise InvalidInput(_("Tanggal kejadian tidak boleh di masa depan."), field="incident_date")
    title = (title or "").strip()[:200] or derive_title(text)

    secret = None if reporter else secrets.token_urlsafe(9)
    report = Report(
        kind=kind,
        title=title,
        original_title=title,
        original_text=text,
        text=text,
        category=category,
        region=region,
        latitude=_parse_coordinate(latitude, -90, 90, _("Lintang"), "latitude"),
        longitude=_parse_coordinate(longitude, -180, 180, _("Bujur"), "longitude"),
        suggested_agency=suggested_agency,
        incident_date=incident_date,
        channel=channel,
        reporter=reporter,
        contact_name=contact_name.strip()[:120],
        contact_phone=contact_phone.strip()[:20],
        contact_email=contact_email.strip(),
        secret_hash=_hash_secret(secret) if secret else "",
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        status=Status.RECEIVED,
        stage_due_at=deadlines.verification_due(now),
        reporter_gender=reporter_gender,
        reporter_age_group=reporter_age_group,
        reporter_disability=reporter_disability,
        contact_language="en" if (translation.get_language() or "").startswith("en") else "id",
        created_at=now,
    )
    changes = {"channel": [None, channel]}
    if entered_by is not None:
        actor = Actor.of(entered_by)
        behalf = "Anonim" if is_anonymous else (report.contact_name or "-")
        changes.update(entered_by=[None, audit_value(entered_by)], on_behalf_of=[None, behalf])
    else:
        actor = Actor.of(reporter) if reporter else Actor(role=Role.REPORTER)
    for _attempt in range(1 if tracking_id else 5):
        report.tracking_id = tracking_id or new_tracking_id()
        try:
            with transaction.atomic():
                report.save(force_insert=True)
                transitions.write_event(
                    Change(
                        report=report,
                        actor=actor,
                        action=Action.SUBMIT,
                        from_status="",
                        target=Status.RECEIVED,
                        event_type="report.submitted",
                        changes=changes,
                    ),
                    now=now,
                )
            return Submitted(report=report, secret=secret)
        except IntegrityError:
            report.pk = None  # tracking id collision: draw again
    if tracking_id:
        raise Conflict(_("Nomor pelacakan %(tracking)s sudah dipakai.") % {"tracking": tracking_id}, field="tracking_id")
    raise Conflict(_("Gagal membuat nomor pelacakan; silakan coba lagi."))


# --- verifier and agency actions --------------------------------------------------------------


def report_edit(
    *,
    actor,
    report: Report | int,
    title: str | None = None,
    text: str | None = None,
    category: Category | None = None,
    region: Region | None = None,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    completion_tier: int | str | None = None,
    note: str = "",
) -> Report:
    """Correct a report during handling; the citizen's original words stay in `original_*`.

    Staff may turn anonymity or confidentiality on, never off: that is the reporter's choice.
    """
    with transitions.transition(report, actor, Action.EDIT) as change:
        r = change.report
        if title is not None:
            change.set("title", _required_text(title, _("Judul"), field="title")[:200])
        if text is not None:
            change.set("text", _required_text(text, _("Isi laporan"), field="text", minimum=MIN_TEXT_LENGTH))
        if category is not None:
            if not category.is_active:
                raise InvalidInput(_("Kategori tidak aktif."), field="category")
            change.set_fk("category", category)
        if region is not None:
            change.set_fk("region", region)
        for flag, value in (("is_anonymous", is_anonymous), ("is_confidential", is_confidential)):
            if value is None:
                continue
            if getattr(r, flag) and not value:
                raise PermissionDenied(_("Hanya pelapor yang dapat membuka status anonim/rahasia laporannya."))
            change.set(flag, value)
        tier = _tier(completion_tier)
        if tier is not None and tier != r.completion_tier:
            change.set("completion_tier", tier)
            if r.disposed_at is not None:
                due = deadlines.completion_due(r.disposed_at, r.current_agency, r.category, tier)
                change.set("completion_due_at", due)
                if r.stage_due_at is not None and r.status != Status.FOLLOWED_UP:
                    change.set("stage_due_at", min(r.stage_due_at, due))
        if not change.changes:
            raise InvalidInput(_("Tidak ada perubahan."))
        if "is_anonymous" in change.changes and r.reporter_id:
            # Anonymity reaches back: the reporter's earlier events stop naming them. The one
            # sanctioned rewrite of history, and it only removes information.
            ReportEvent.objects.filter(report=r, actor_id=r.reporter_id).update(actor=None)
        change.message = note.strip()
    return change.report


def _tier(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        tier = int(value)
    except (TypeError, ValueError):
        tier = 0
    if tier not in CompletionTier.values:
        raise InvalidInput(_("Pilih tingkat penyelesaian 2, 5, 14 atau 60 hari kerja."), field="completion_tier")
    return tier


def report_dispose(
    *, actor, report: Report | int, agency: Agency, note: str = "", completion_tier: int | None = None,
    now: datetime | None = None, automatic: dict | None = None,
) -> Report:
    """Verify and send a report to the agency responsible for it (optionally with a completion tier).

    `automatic` (the routing model and its confidence) marks a disposition the system made.
    """
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.DISPOSE, now=now) as change:
        r = change.report
        if agency is None or not agency.is_active:
            raise InvalidInput(_("Pilih instansi tujuan yang aktif."), field="agency")
        tier = _tier(completion_tier)
        change.set_fk("current_agency", agency)
        change.set_fk("current_unit", None)
        change.set("disposed_at", now)
        if tier is not None:
            change.set("completion_tier", tier)
        if r.completion_due_at is None or tier is not None:
            change.set("completion_due_at", deadlines.completion_due(now, agency, r.category, r.completion_tier))
        change.set("stage_due_at", deadlines.agency_stage_due(now, r, agency))
        change.message = note.strip() or f"Laporan diteruskan kepada {agency.name}."
        if automatic:
            change.changes["automatic"] = [None, automatic]
        notify.notify_agency_admins(r, agency, kind="report.disposed")
    return change.report


def report_hold(*, actor, report: Report | int, question: str, now: datetime | None = None) -> Report:
    """Wait for the reporter to complete the report (tunda); the stage clock stops."""
    with transitions.transition(report, actor, Action.HOLD, now=now) as change:
        change.message = _required_text(question, _("Pertanyaan kepada pelapor"), field="question", minimum=5)
        r = change.report
        change.set("held_from_status", r.status)
        change.set("held_at", now or timezone.now())
        change.set("held_stage_due_at", r.stage_due_at)
        change.set("stage_due_at", None)
        notify.notify_reporters(
            r, kind="report.held",
            params={"question": change.message, "days": settings.LAPOR["HOLD_ARCHIVE_WORKING_DAYS"]},
        )
    return change.report


def report_resume(*, actor, report: Report | int, message: str = "", now: datetime | None = None) -> Report:
    """Continue a held report from where it stopped (the reporter completed it, or staff decided)."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.RESUME, now=now) as change:
        r = change.report
        if change.actor.role == Role.REPORTER:
            change.message = _required_text(message, _("Kelengkapan laporan"), field="message", minimum=5)
        else:
            change.message = message.strip()
        back_to = r.held_from_status or Status.RECEIVED
        change.target = back_to
        change.set("held_from_status", "")
        if r.held_at is not None and r.held_stage_due_at is not None:
            # The clock stood still while the report waited for the reporter.
            agency = r.current_agency
            change.set("stage_due_at", deadlines.shift_by_hold(r.held_stage_due_at, r.held_at, now, agency))
            change.set(
                "completion_due_at",
                deadlines.shift_by_hold(
                    r.completion_due_at, r.held_at, now, agency, calendar_days=deadlines.completion_is_calendar_days(r)
                ),
            )
        elif back_to in (Status.RECEIVED, Status.RETURNED):
            change.set("stage_due_at", deadlines.verification_due(now))
        else:
            change.set("stage_due_at", deadlines.agency_stage_due(now, r))
        change.set("held_at", None)
        change.set("held_stage_due_at", None)
    return change.report


def report_archive(
    *, actor, report: Report | int, reason: ArchiveReason, note: str = "", now: datetime | None = None
) -> Report:
    """Archive or reject with a reason from the admin-managed list."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.ARCHIVE, now=now) as change:
        if reason is None or not reason.is_active:
            raise InvalidInput(_("Pilih alasan pengarsipan yang berlaku."), field="reason")
        ReportAssignment.objects.filter(report=change.report, is_active=True).update(is_active=False, is_lead=False)
        change.set_fk("current_unit", None)
        change.set_fk("archive_reason", reason)
        change.set("held_from_status", "")
        change.set("held_at", None)
        change.set("held_stage_due_at", None)
        change.set("stage_due_at", None)
        change.set("closed_at", now)
        change.message = note.strip() or reason.name
    return change.report


def report_forward(
    *, actor, report: Report | int, units: Sequence[Unit], lead: Unit | None = None, note: str = "",
    now: datetime | None = None,
) -> Report:
    """Pass a report to one or more units of the agency; the lead unit answers and closes."""
    now = now or timezone.now()
    units = list(dict.fromkeys(units or []))
    with transitions.transition(report, actor, Action.FORWARD, now=now) as change:
        r = change.report
        if not units:
            raise InvalidInput(_("Pilih minimal satu unit kerja."), field="units")
        lead = lead or units[0]
        if lead not in units:
            raise InvalidInput(_("Unit utama harus termasuk unit yang dipilih."), field="lead")
        for unit in units:
            if unit.agency_id != r.current_agency_id or not unit.is_active:
                raise InvalidInput(
                    _("Unit '%(name)s' bukan unit aktif dari instansi ini.") % {"name": unit.name}, field="units"
                )
        ReportAssignment.objects.filter(report=r).exclude(unit__in=units).update(is_active=False, is_lead=False)
        ReportAssignment.objects.filter(report=r, unit__in=units).update(is_active=True, is_lead=False)
        existing = set(ReportAssignment.objects.filter(report=r).values_list("unit_id", flat=True))
        ReportAssignment.objects.bulk_create(
            [ReportAssignment(report=r, unit=u, assigned_at=now) for u in units if u.pk not in existing]
        )
        ReportAssignment.objects.filter(report=r, unit=lead).update(is_lead=True)
        change.set_fk("current_unit", lead)
        change.changes["units"] = [None, [u.name for u in units]]
        change.message = note.strip() or "Laporan diteruskan kepada " + ", ".join(u.name for u in units) + "."
        notify.notify_unit_officers(r, units, kind="report.forwarded")
    return change.report


def count_transfer(change) -> None:
    """A report leaves its agency (returned or transferred): counted, at most MAX_TRANSFERS times."""
    r, limit = change.report, settings.LAPOR["MAX_TRANSFERS"]
    if r.transfer_count >= limit:
        raise Conflict(
            _(
                "Batas pengalihan (%(n)d kali) sudah tercapai: instansi ini harus menangani laporan "
                "atau meminta Admin Nasional memutuskan."
            )
            % {"n": limit},
            code="transfer_limit",
        )
    ReportAssignment.objects.filter(report=r, is_active=True).update(is_active=False, is_lead=False)
    change.set("transfer_count", r.transfer_count + 1)


def report_return(*, actor, report: Report | int, reason: str, now: datetime | None = None) -> Report:
    """Return a report as not the agency's authority: it goes back to re-disposition, never dropped."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.RETURN, now=now) as change:
        r = change.report
        change.message = _required_text(reason, _("Alasan bukan wewenang"), field="reason", minimum=10)
        change.changes["returned_by_agency"] = [audit_value(r.current_agency), None]
        count_transfer(change)
        change.set_fk("current_agency", None)
        change.set_fk("current_unit", None)
        change.set("stage_due_at", deadlines.verification_due(now))
    return change.report


def report_follow_up(*, actor, report: Report | int, answer: str, now: datetime | None = None) -> Report:
    """Post the follow-up (tindak lanjut); the reporter may reply, rate or let it close."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.FOLLOW_UP, now=now) as change:
        r = change.report
        if change.actor.role == Role.UNIT_OFFICER and r.current_agency.review_answers:
            raise Conflict(
                _("Instansi ini meninjau jawaban unit sebelum terbit: ajukan jawaban untuk ditinjau."),
                code="review_required",
            )
        change.message = _required_text(answer, _("Tindak lanjut"), field="answer", minimum=10)
        change.set("followed_up_at", now)
        change.set("stage_due_at", deadlines.auto_close_due(now, r.current_agency))
        change.set("closure", Closure.NONE)
        change.set("closed_at", None)
        notify.notify_reporters(r, kind="report.followed_up")
    return change.report


def report_close(*, actor, report: Report | int, note: str = "", now: datetime | None = None) -> Report:
    """Close a followed-up report (or decide an appeal by closing it)."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.CLOSE, now=now) as change:
        if change.from_status == Status.APPEALED:
            change.message = _required_text(note, _("Keputusan atas banding"), field="note", minimum=10)
        else:
            change.message = note.strip()
        change.set("closure", Closure.BY_ADMIN)
        change.set("closed_at", now)
        change.set("stage_due_at", None)
    return change.report


def report_close_by_system(*, report: Report | int, now: datetime | None = None) -> Report:
    """Close a follow-up the reporter left unanswered past its period ("ditutup oleh sistem")."""
    from .automatic import report_close_by_system as close

    return close(report=report, now=now)


# --- reporter actions -------------------------------------------------------------------------


def report_reply(*, actor, report: Report | int, message: str, now: datetime | None = None) -> Report:
    """The reporter answers a follow-up: the report goes back to its handlers."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.REPLY, now=now) as change:
        r = change.report
        change.message = _required_text(message, _("Tanggapan"), field="message", minimum=5)
        change.set("stage_due_at", deadlines.agency_stage_due(now, r))
    return change.report


def report_rate(*, actor, report: Report | int, rating: int, comment: str = "", now: datetime | None = None) -> Report:
    """Rate the answer 1–5, once."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.RATE, now=now) as change:
        rating = _whole_rating(rating)
        if change.report.rating is not None:
            raise Conflict(_("Laporan ini sudah dinilai."), code="already_rated")
        change.set("rating", rating)
        change.set("rating_comment", comment.strip())
        change.set("rated_at", now)
        change.message = comment.strip()
    return change.report


def _whole_rating(value) -> int:
    """1–5 as a whole number; 4.5 or "4,5" is refused rather than rounded."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(_("Penilaian harus berupa bilangan bulat 1 sampai 5."), field="rating")
    return value


def report_appeal(*, actor, report: Report | int, reason: str, now: datetime | None = None) -> Report:
    """Appeal a poor answer (after a rating of 1–2): the agency admin must decide again."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.APPEAL, now=now) as change:
        r = change.report
        max_rating = settings.LAPOR["APPEAL_MAX_RATING"]
        if r.rating is None or r.rating > max_rating:
            raise Conflict(
                _("Banding hanya dapat diajukan setelah memberi penilaian %(n)d atau kurang.") % {"n": max_rating}
            )
        if r.appealed_at is not None:
            raise Conflict(_("Banding untuk laporan ini sudah pernah diajukan."), code="already_appealed")
        change.message = _required_text(reason, _("Alasan banding"), field="reason", minimum=10)
        change.set("appealed_at", now)
        change.set("closure", Closure.NONE)
        change.set("closed_at", None)
        change.set("stage_due_at", deadlines.appeal_due(now, r.current_agency))
    return change.report


# --- periodic ---------------------------------------------------------------------------------


def close_unanswered_follow_ups(*, now: datetime | None = None, batch_size: int = 2000) -> int:
    """Close every follow-up whose reply period has passed. Idempotent: a closed report is skipped."""
    from lapor.sla.sweep import close_unanswered

    return close_unanswered(now=now or timezone.now(), batch_size=batch_size)
