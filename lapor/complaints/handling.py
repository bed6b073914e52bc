"""Officers' actions beyond the basic lifecycle: notes, interim answers, transfers, flags, merges
(and the system's red flags read at filing).

Each runs inside `transitions.transition()`, like the services in `services.py`: checked, locked,
applied and recorded as one event in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency, Role
from lapor.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from lapor.sla import deadlines

from . import transitions
from .lifecycle import Action
from .models import ArchiveReason, CannedAnswer, Priority, Report, ReportAssignment, ReportFlag, Status
from .notify import notify_agency_admins, notify_reporters
from .services import _required_text, count_transfer
from .transitions import Change, audit_value

DUPLICATE_REASON = "duplikat"


def report_note(*, actor, report: Report | int, note: str, now: datetime | None = None) -> Report:
    """An internal note: staff see it on the timeline, the reporter and the public never do."""
    with transitions.transition(report, actor, Action.NOTE, now=now) as change:
        change.message = _required_text(note, _("Catatan"), field="note", minimum=3)
    return change.report


def report_interim_answer(
    *, actor, report: Report | int, answer: str, expected_date: date, reason: str, now: datetime | None = None
) -> Report:
    """Answer now and promise completion by `expected_date`; the completion deadline moves there."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.INTERIM, now=now) as change:
        r = change.report
        text = _required_text(answer, _("Jawaban sementara"), field="answer", minimum=10)
        why = _required_text(reason, _("Alasan perpanjangan"), field="reason", minimum=10)
        zone = ZoneInfo(r.current_agency.time_zone if r.current_agency else settings.TIME_ZONE)
        if expected_date is None or expected_date <= timezone.localtime(now, zone).date():
            raise InvalidInput(_("Tanggal perkiraan selesai harus setelah hari ini."), field="expected_date")
        due = datetime.combine(expected_date, time(23, 59, 59), tzinfo=zone)
        change.set("completion_due_at", due)
        change.set("stage_due_at", due)
        change.message = _("%(answer)s\n\nPerkiraan selesai: %(date)s. Alasan: %(reason)s") % {
            "answer": text,
            "date": expected_date.strftime("%d-%m-%Y"),
            "reason": why,
        }
        notify_reporters(r, kind="report.interim_answer", params={"date": expected_date.strftime("%d-%m-%Y")})
    return change.report


def report_transfer(
    *, actor, report: Report | int, agency: Agency, reason: str, now: datetime | None = None
) -> Report:
    """Send a report that is not ours straight to the agency responsible (counted as a transfer)."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.TRANSFER, now=now) as change:
        r = change.report
        change.message = _required_text(reason, _("Alasan pengalihan"), field="reason", minimum=10)
        if agency is None or not agency.is_active:
            raise InvalidInput(_("Pilih instansi tujuan yang aktif."), field="agency")
        if agency.pk == r.current_agency_id:
            raise InvalidInput(_("Instansi tujuan sama dengan instansi saat ini."), field="agency")
        change.changes["transferred_from"] = [audit_value(r.current_agency), None]
        count_transfer(change)
        change.set_fk("current_agency", agency)
        change.set_fk("current_unit", None)
        change.set("disposed_at", now)
        change.set("stage_due_at", deadlines.agency_stage_due(now, r, agency))
        notify_agency_admins(r, agency, kind="report.transferred")
    return change.report


def report_flag(*, actor, report: Report | int, reason: str, now: datetime | None = None) -> Report:
    """Pass a report suggesting a violation (extortion, bribery, danger) to the inspectorate."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.FLAG, now=now) as change:
        r = change.report
        if r.flagged_at is not None:
            raise Conflict(_("Laporan ini sudah diteruskan ke inspektorat."), code="already_flagged")
        change.message = _required_text(reason, _("Alasan"), field="reason", minimum=10)
        change.set("flagged_at", now)
        change.set("flag_reason", change.message)
    return change.report


def report_red_flag(*, actor, report: Report | int, flags, now: datetime | None = None) -> Report:
    """Record red flags read in a report's words (the system's act, at filing).

    Each flag (kind, score, lexicon_score, model_score, terms, route, label) becomes a
    `ReportFlag`; the report becomes a priority; flags routed to the inspectorate put it in the
    inspectorate's queue unless it is there already. One internal event lists them.
    """
    now = now or timezone.now()
    flags = list(flags)
    if not flags:
        raise InvalidInput(_("Tidak ada tanda bahaya untuk dicatat."), field="flags")
    with transitions.transition(report, actor, Action.RED_FLAG, now=now) as change:
        r = change.report
        ReportFlag.objects.filter(report=r, kind__in=[f.kind for f in flags]).delete()
        ReportFlag.objects.bulk_create(
            ReportFlag(report=r, kind=f.kind, score=f.score, lexicon_score=f.lexicon_score,
                       model_score=f.model_score, terms=list(f.terms), created_at=now)
            for f in flags
        )
        change.set("priority", Priority.HIGH)
        lines = [f"{f.label} ({f.score:.0%})" for f in flags]
        integrity = [f for f in flags if f.route == "inspectorate"]
        if integrity and r.flagged_at is None:
            found = "; ".join(f"{f.label} ({f.score:.0%})" for f in integrity)
            change.set("flagged_at", now)
            change.set("flag_reason", _("Otomatis: %(flags)s") % {"flags": found})
            lines.append(_("Salinan diteruskan ke inspektorat."))
        change.changes["red_flags"] = [None, [f.kind for f in flags]]
        change.message = "\n".join(lines)
    return change.report


def report_merge(*, actor, report: Report | int, into: Report, now: datetime | None = None) -> Report:
    """Merge a duplicate into an open case: archived as a duplicate, its reporter follows the case."""
    now = now or timezone.now()
    reason = ArchiveReason.objects.filter(code=DUPLICATE_REASON, is_active=True).first()
    if reason is None:
        raise Conflict(_("Alasan arsip 'duplikat' belum tersedia; muat data referensi."))
    with transaction.atomic():
        with transitions.transition(report, actor, Action.MERGE, now=now) as change:
            r = change.report
            main = Report.objects.select_for_update().filter(pk=getattr(into, "pk", None)).first()
            if main is None:
                raise NotFound(_("Laporan tujuan penggabungan tidak ditemukan."))
            if main.pk == r.pk:
                raise InvalidInput(_("Laporan tidak dapat digabungkan dengan dirinya sendiri."), field="into")
            if main.merged_into_id is not None or main.status == Status.ARCHIVED:
                raise Conflict(_("Laporan tujuan sudah diarsipkan atau digabungkan ke laporan lain."))
            change.set_fk("merged_into", main)
            change.set_fk("archive_reason", reason)
            change.set("held_from_status", "")
            change.set("stage_due_at", None)
            change.set("closed_at", now)
            change.message = _("Digabungkan dengan laporan %(tracking)s; jawabannya berlaku juga untuk laporan ini.") % {
                "tracking": main.tracking_id
            }
        # The main case records it too (internal: the duplicate's reporter is not named there).
        transitions.write_event(
            Change(
                report=main,
                actor=Actor.of(actor),
                action=Action.MERGE,
                from_status=main.status,
                target=None,
                public=False,
                event_type="report.duplicate_merged",
                changes={"duplicate": [None, {"id": r.pk, "label": r.tracking_id}]},
                message=r.tracking_id,
            ),
            now=now,
        )
    return change.report


# --- canned answers ---------------------------------------------------------------------------


def _own_agency(actor) -> int:
    actor = Actor.of(actor)
    if actor.role != Role.AGENCY_ADMIN or actor.agency_id is None:
        raise PermissionDenied(_("Hanya admin instansi yang mengelola jawaban baku."))
    return actor.agency_id


def canned_answer_save(*, actor, title: str, body: str, answer: CannedAnswer | None = None) -> CannedAnswer:
    agency_id = _own_agency(actor)
    title = _required_text(title, _("Judul"), field="title")[:120]
    body = _required_text(body, _("Isi jawaban"), field="body", minimum=10)
    if answer is not None and answer.agency_id != agency_id:
        raise PermissionDenied(_("Jawaban baku ini milik instansi lain."))
    if CannedAnswer.objects.filter(agency_id=agency_id, title=title).exclude(pk=getattr(answer, "pk", None)).exists():
        raise Conflict(_("Judul jawaban baku sudah dipakai."), field="title")
    answer = answer or CannedAnswer(agency_id=agency_id)
    answer.title, answer.body, answer.is_active = title, body, True
    answer.save()
    return answer


def canned_answer_delete(*, actor, answer: CannedAnswer) -> None:
    if answer.agency_id != _own_agency(actor):
        raise PermissionDenied(_("Jawaban baku ini milik instansi lain."))
    answer.delete()


def canned_answers_for(user) -> list[CannedAnswer]:
    """The active canned answers of the user's agency (admins and its unit officers use them)."""
    agency_id = getattr(user, "agency_id", None)
    if not agency_id:
        return []
    return list(CannedAnswer.objects.filter(agency_id=agency_id, is_active=True))


def flagged_reports(user):
    """The inspectorate's queue: flagged reports the user may see, oldest flag first."""
    from .selectors import reports_visible_to

    return reports_visible_to(user).filter(flagged_at__isnull=False).order_by("flagged_at", "pk")

