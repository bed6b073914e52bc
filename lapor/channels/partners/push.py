"""Reports and answers a partner pushes, idempotent by the partner's own ids.

A report is filed through the filing service (channel `local_app`) the first time its
`external_id` is pushed; the same payload again changes nothing and answers with the same
tracking id. A changed payload is checked like a new report, never files a second one, and
changes only what a partner, acting for the citizen, may still change (`plan_update`):

- the citizen's words are kept as first written (as on the web), so content fields are not
  overwritten, except that a report held for more information (*tunda*) whose `text` changed
  is resumed with the new text as the citizen's completion;
- anonymity and confidentiality may be switched on (never off) while the report is with the
  partner's agency, through the officers' edit service;
- anything else (contact, kind, category, region, ...) is left as it is and listed in
  `ignored`. Ignored fields stay pending: the same payload pushed again is looked at again (a
  flag applies once the report has reached the agency); applied fields are remembered.

An answer (`follow_up_push`) goes through the follow-up service as the partner's officer (an
agency admin of its agency), so only reports currently at its agency can be answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Role
from lapor.complaints import selectors, services
from lapor.complaints.filing import report_file
from lapor.complaints.idempotency import request_digest
from lapor.complaints.lifecycle import TRANSITIONS, Action
from lapor.complaints.models import Report, ReportEvent, Status
from lapor.core.errors import Conflict, InvalidInput, NotFound

from .changes import pushing
from .models import Partner, PartnerFollowUp, PartnerReport
from .registry import partner_actor

MAX_ID_LENGTH = 100
FLAGS = ("is_anonymous", "is_confidential")
# Where the agency admin may edit a report (and so switch its flags on).
FLAG_STATUSES = TRANSITIONS[Action.EDIT].allowed[Role.AGENCY_ADMIN]


@dataclass(frozen=True)
class Pushed:
    tracking_id: str
    external_id: str
    status: str
    # created | unchanged (same payload) | updated (something applied) | ignored (nothing applicable)
    result: str
    applied: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    sandbox: bool = False


@dataclass(frozen=True)
class FollowedUp:
    tracking_id: str
    external_id: str | None
    followup_id: str
    status: str
    # created | unchanged (the same follow-up pushed again)
    result: str
    event_id: int | None
    sandbox: bool = False


@dataclass(frozen=True)
class Plan:
    """What a changed payload changes: a completion for a held report, flags to switch on."""

    resume_with: str | None
    flags_on: dict
    ignored: list[str]


def clean_id(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise InvalidInput(
            _("%(field)s harus berisi 1 sampai %(n)d karakter.") % {"field": field, "n": MAX_ID_LENGTH}, field=field
        )
    return value


class _DryRun(Exception):
    """Raised to roll a filing back once it has passed every check."""


def check_like_a_new_report(fields: dict) -> None:
    """Refuse what the filing service would refuse, writing nothing: a changed payload (and a
    sandbox report) gets the refusals a new report gets."""
    try:
        with transaction.atomic():
            report_file(reporter=None, confirm_to=[], **fields)  # no message: it is rolled back
            raise _DryRun
    except _DryRun:
        pass


def field_digests(payload: dict) -> dict[str, str]:
    """One digest per field: enough to tell what changed, without keeping personal data twice."""
    return {name: request_digest(value) for name, value in payload.items()}


def changed_fields(old: dict, new: dict) -> list[str]:
    return sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))


def remembered(old_digest: str, old: dict, digest: str, new: dict, ignored: list[str]) -> dict:
    """What the next push is compared with: the new payload, except the fields left aside, which
    stay "changed" so that a later push applies them once they may be (a flag after disposition)."""
    fields = {**new, **{name: old[name] for name in ignored if name in old}}
    for name in ignored:
        if name not in old:
            fields.pop(name, None)
    return {"payload_digest": old_digest if ignored else digest, "field_digests": fields}


def plan_update(*, status: str, changed: list[str], payload: dict, flags: dict, flags_editable: bool) -> Plan:
    """The rule of the module docstring, for live and sandbox reports alike."""
    resume_with, flags_on, ignored = None, {}, []
    for name in changed:
        if name == "text" and status == Status.ON_HOLD:
            resume_with = payload["text"]
        elif name in FLAGS and payload.get(name) is True and not flags[name] and flags_editable:
            flags_on[name] = True
        else:
            ignored.append(name)
    return Plan(resume_with=resume_with, flags_on=flags_on, ignored=ignored)


# --- reports ------------------------------------------------------------------------------------


def report_push(*, partner: Partner, external_id: str, payload: dict, fields: dict) -> Pushed:
    """File or update the report the partner calls `external_id`.

    `payload` is the request as the partner sent it (compared digest by digest), `fields` the
    filing service's arguments built from it (codes looked up). Refusals store nothing.
    """
    external_id = clean_id(external_id, field="external_id")
    if partner.is_sandbox:
        from . import sandbox

        return sandbox.report_push(partner=partner, external_id=external_id, payload=payload, fields=fields)
    digest = request_digest(payload)
    link = _pushed(partner, external_id)
    if link is None:
        try:
            with transaction.atomic(), pushing(partner.pk, external_id):
                report = report_file(reporter=None, **fields).report
                PartnerReport.objects.create(
                    partner=partner, external_id=external_id, report=report, payload_digest=digest,
                    field_digests=field_digests(payload),
                )
            return Pushed(report.tracking_id, external_id, report.status, "created")
        except IntegrityError:
            # The same id pushed concurrently: the other request filed it, ours rolled back whole.
            link = _pushed(partner, external_id)
            if link is None:
                raise
    if link["payload_digest"] == digest:
        return Pushed(link["report__tracking_id"], external_id, link["report__status"], "unchanged")
    check_like_a_new_report(fields)
    return _update(partner, _link(partner, external_id), payload, digest)


def _pushed(partner: Partner, external_id: str) -> dict | None:
    """What a repeat needs of an earlier push (a light read: most pushes are new or repeats)."""
    found = PartnerReport.objects.filter(partner=partner, external_id=external_id).values(
        "payload_digest", "report__tracking_id", "report__status"
    )[:1]
    return found[0] if found else None


def _link(partner: Partner, external_id: str) -> PartnerReport | None:
    return PartnerReport.objects.select_related("report").filter(partner=partner, external_id=external_id).first()


def _update(partner: Partner, link: PartnerReport, payload: dict, digest: str) -> Pushed:
    new_digests = field_digests(payload)
    report = link.report
    actor = partner_actor(partner)
    plan = plan_update(
        status=report.status,
        changed=changed_fields(link.field_digests, new_digests),
        payload=payload,
        flags={name: getattr(report, name) for name in FLAGS},
        flags_editable=report.status in FLAG_STATUSES and selectors.is_in_scope(actor, report),
    )
    applied = []
    with transaction.atomic():
        if plan.resume_with is not None:
            services.report_resume(actor=Actor.reporter_with_secret(report.pk), report=report.pk, message=plan.resume_with)
            applied.append("text")
        if plan.flags_on:
            services.report_edit(
                actor=actor, report=report.pk, note=_("Diminta pelapor melalui %(app)s.") % {"app": partner.name},
                **plan.flags_on,
            )
            applied += sorted(plan.flags_on)
        PartnerReport.objects.filter(pk=link.pk).update(
            **remembered(link.payload_digest, link.field_digests, digest, new_digests, plan.ignored)
        )
    report.refresh_from_db(fields=["status"])
    return Pushed(
        report.tracking_id, link.external_id, report.status, "updated" if applied else "ignored", applied, plan.ignored
    )


def report_for_partner(partner: Partner, *, external_id: str | None = None, tracking_id: str | None = None) -> Report:
    """A report the partner pushed (by its id) or one at its agency (by tracking id); else 404."""
    if external_id:
        link = _link(partner, external_id.strip())
        if link is None:
            raise NotFound(_("Laporan dengan external_id %(id)s tidak ditemukan.") % {"id": external_id})
        return link.report
    tracking_id = services.normalize_tracking_id(tracking_id or "")
    link = PartnerReport.objects.select_related("report").filter(partner=partner, report__tracking_id=tracking_id)
    if found := link.first():
        return found.report
    return selectors.report_get_for_actor(partner_actor(partner), tracking_id=tracking_id)


def external_id_of(partner: Partner, report: Report) -> str | None:
    return PartnerReport.objects.filter(partner=partner, report=report).values_list("external_id", flat=True).first()


# --- answers ------------------------------------------------------------------------------------


def follow_up_push(
    *, partner: Partner, followup_id: str, answer: str, external_id: str | None = None,
    tracking_id: str | None = None, officer_name: str = "",
) -> FollowedUp:
    """Post an answer written in the partner's back office, once per `followup_id`."""
    followup_id = clean_id(followup_id, field="followup_id")
    if bool(external_id) == bool(tracking_id):
        raise InvalidInput(_("Isi salah satu: external_id atau tracking_id."), field="external_id")
    digest = request_digest({"answer": answer, "external_id": external_id, "tracking_id": tracking_id})
    if partner.is_sandbox:
        from . import sandbox

        return sandbox.follow_up_push(
            partner=partner, followup_id=followup_id, answer=answer, external_id=external_id,
            tracking_id=tracking_id, officer_name=officer_name, digest=digest,
        )
    if (done := _pushed_follow_up(partner, followup_id, digest)) is not None:
        return done
    report = report_for_partner(partner, external_id=external_id, tracking_id=tracking_id)
    try:
        with transaction.atomic():
            report = services.report_follow_up(actor=partner_actor(partner), report=report.pk, answer=answer)
            event = ReportEvent.objects.filter(report=report, type="report.followed_up").order_by("-id").first()
            PartnerFollowUp.objects.create(
                partner=partner, external_id=followup_id, report=report, event=event,
                officer_name=(officer_name or "").strip()[:120], payload_digest=digest,
            )
    except IntegrityError:
        done = _pushed_follow_up(partner, followup_id, digest)
        if done is None:
            raise
        return done
    return FollowedUp(report.tracking_id, external_id_of(partner, report), followup_id, report.status, "created", event.pk)


def _pushed_follow_up(partner: Partner, followup_id: str, digest: str) -> FollowedUp | None:
    """The answer of an earlier push of this follow-up id, or None; another body is refused."""
    done = PartnerFollowUp.objects.select_related("report", "sandbox_report").filter(
        partner=partner, external_id=followup_id
    ).first()
    if done is None:
        return None
    if done.payload_digest != digest:
        raise Conflict(
            _("followup_id ini sudah dipakai untuk tindak lanjut lain. Gunakan id baru untuk jawaban baru."),
            code="followup_id_reused", field="followup_id",
        )
    if done.sandbox_report is not None:
        r = done.sandbox_report
        return FollowedUp(r.tracking_id, r.external_id, followup_id, r.status, "unchanged", None, sandbox=True)
    r = done.report
    return FollowedUp(r.tracking_id, external_id_of(partner, r), followup_id, r.status, "unchanged", done.event_id)
