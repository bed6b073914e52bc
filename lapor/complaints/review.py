"""Answers reviewed before publication, for agencies that switch `review_answers` on.

The unit proposes, the agency admin publishes (through the ordinary follow-up) or returns the
draft with a note. Without the setting, units publish their follow-ups directly.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.core.errors import Conflict

from . import transitions
from .lifecycle import Action
from .models import AnswerDraft, Report
from .notify import notify_agency_admins, notify_unit_officers
from .services import _required_text, report_follow_up


def _pending(report_id: int) -> AnswerDraft:
    draft = AnswerDraft.objects.select_for_update().filter(report_id=report_id, state=AnswerDraft.State.PENDING).first()
    if draft is None:
        raise Conflict(_("Tidak ada jawaban unit yang menunggu tinjauan."), code="no_pending_answer")
    return draft


def answer_propose(*, actor, report: Report | int, text: str, now: datetime | None = None) -> AnswerDraft:
    """A unit's answer, waiting for its agency admin."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.PROPOSE, now=now) as change:
        r = change.report
        body = _required_text(text, _("Tindak lanjut"), field="answer", minimum=10)
        if AnswerDraft.objects.filter(report=r, state=AnswerDraft.State.PENDING).exists():
            raise Conflict(_("Sudah ada jawaban yang menunggu tinjauan."), code="answer_pending")
        draft = AnswerDraft.objects.create(
            report=r, unit_id=change.actor.unit_id, author=change.actor.user, text=body, created_at=now
        )
        change.message = body
        notify_agency_admins(r, r.current_agency, kind="report.answer_proposed")
    return draft


def answer_publish(*, actor, report: Report | int, text: str = "", now: datetime | None = None) -> Report:
    """Approve the pending draft (optionally edited) and publish it as the follow-up."""
    now = now or timezone.now()
    report_id = report.pk if isinstance(report, Report) else report
    with transaction.atomic():
        draft = _pending(report_id)
        published = report_follow_up(actor=actor, report=report_id, answer=text or draft.text, now=now)
        draft.state = AnswerDraft.State.PUBLISHED
        draft.reviewed_by = Actor.of(actor).user
        draft.reviewed_at = now
        draft.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    return published


def answer_return(*, actor, report: Report | int, note: str, now: datetime | None = None) -> AnswerDraft:
    """Send the pending draft back to its unit with what to change."""
    now = now or timezone.now()
    with transitions.transition(report, actor, Action.REVIEW, now=now) as change:
        draft = _pending(change.report.pk)
        change.message = _required_text(note, _("Catatan perbaikan"), field="note", minimum=5)
        draft.state = AnswerDraft.State.RETURNED
        draft.reviewed_by = change.actor.user
        draft.reviewed_at = now
        draft.review_note = change.message
        draft.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        notify_unit_officers(change.report, [draft.unit], kind="report.answer_returned")
    return draft


def review_setting_save(*, actor, enabled: bool):
    """An agency admin switches review-before-publication on or off for their own agency."""
    from lapor.accounts.models import Agency, Role
    from lapor.core.errors import PermissionDenied

    actor = Actor.of(actor)
    if actor.role != Role.AGENCY_ADMIN or actor.agency_id is None:
        raise PermissionDenied(_("Hanya admin instansi yang mengubah pengaturan instansinya."))
    Agency.objects.filter(pk=actor.agency_id).update(review_answers=bool(enabled))
    return Agency.objects.get(pk=actor.agency_id)
