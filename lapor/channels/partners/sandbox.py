"""Sandbox partners: the same API, refused for the same reasons, kept apart from real work.

A sandbox partner's report is checked by running the real filing service in a transaction
that is then rolled back, so every refusal is the one a live partner would get, and is kept
as a `SandboxReport` with an `SBX-` tracking id. It is never a `Report`: no verifier, list,
statistic, public page or message ever sees it. Its changes reach the partner's own feed and
webhooks exactly like real ones, marked `"sandbox": true`; `simulate` moves a sandbox report
through the lifecycle table (the officers' steps) so a partner can test its receiver. A
sandbox partner gets no real report's changes either.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lapor.accounts.models import Role
from lapor.complaints.idempotency import request_digest
from lapor.complaints.lifecycle import ACTION_LABELS, TRANSITIONS, Action
from lapor.complaints.models import EVENT_LABELS, Status
from lapor.complaints.services import _required_text, derive_title, new_tracking_id
from lapor.core.errors import Conflict, InvalidInput, NotFound

from . import push
from .changes import sandbox_change
from .models import Partner, PartnerFollowUp, SandboxReport

# The officers' and reporters' steps a sandbox report can be put through, by name.
SIMULATED = {
    "dispose": Action.DISPOSE,
    "forward": Action.FORWARD,
    "hold": Action.HOLD,
    "resume": Action.RESUME,
    "return": Action.RETURN,
    "follow_up": Action.FOLLOW_UP,
    "reply": Action.REPLY,
    "close": Action.CLOSE,
    "close_by_system": Action.CLOSE_BY_SYSTEM,
    "archive": Action.ARCHIVE,
}


def _new_tracking_id() -> str:
    for _attempt in range(10):
        tracking_id = "SBX" + new_tracking_id()[3:]
        if not SandboxReport.objects.filter(tracking_id=tracking_id).exists():
            return tracking_id
    raise Conflict(_("Gagal membuat nomor pelacakan; silakan coba lagi."))


def report_push(*, partner: Partner, external_id: str, payload: dict, fields: dict) -> push.Pushed:
    digest = request_digest(payload)
    existing = SandboxReport.objects.filter(partner=partner, external_id=external_id).first()
    if existing is not None and existing.payload_digest == digest:
        return push.Pushed(existing.tracking_id, external_id, existing.status, "unchanged", sandbox=True)
    push.check_like_a_new_report(fields)
    if existing is not None:
        return _update(partner, existing, payload, digest)
    text = fields["text"].strip()
    try:
        with transaction.atomic():
            report = SandboxReport.objects.create(
                partner=partner, external_id=external_id, tracking_id=_new_tracking_id(), status=Status.RECEIVED,
                kind=fields.get("kind") or "complaint", title=(fields.get("title") or "").strip()[:200] or derive_title(text),
                text=text, category_code=getattr(fields.get("category"), "code", ""),
                region_code=getattr(fields.get("region"), "code", ""),
                is_anonymous=bool(fields.get("is_anonymous")), is_confidential=bool(fields.get("is_confidential")),
                payload_digest=digest, field_digests=push.field_digests(payload),
            )
            sandbox_change(partner, report, type="report.submitted", from_status="", changes={"channel": [None, "local_app"]})
    except IntegrityError:
        report = SandboxReport.objects.filter(partner=partner, external_id=external_id).first()
        if report is None:
            raise
        return push.Pushed(report.tracking_id, external_id, report.status, "unchanged", sandbox=True)
    return push.Pushed(report.tracking_id, external_id, report.status, "created", sandbox=True)


def _update(partner: Partner, report: SandboxReport, payload: dict, digest: str) -> push.Pushed:
    new_digests = push.field_digests(payload)
    plan = push.plan_update(
        status=report.status,
        changed=push.changed_fields(report.field_digests, new_digests),
        payload=payload,
        flags={name: getattr(report, name) for name in push.FLAGS},
        flags_editable=report.status in push.FLAG_STATUSES,
    )
    applied = []
    with transaction.atomic():
        if plan.resume_with is not None:
            _step(partner, report, Action.RESUME, Role.REPORTER, _required_text(
                plan.resume_with, _("Kelengkapan laporan"), field="message", minimum=5
            ))
            applied.append("text")
        for name in plan.flags_on:  # an officer's edit: internal, announced to nobody (as live)
            setattr(report, name, True)
            applied.append(name)
        kept = push.remembered(report.payload_digest, report.field_digests, digest, new_digests, plan.ignored)
        report.payload_digest, report.field_digests = kept["payload_digest"], kept["field_digests"]
        report.save()
    return push.Pushed(
        report.tracking_id, report.external_id, report.status, "updated" if applied else "ignored", applied,
        plan.ignored, sandbox=True,
    )


def _step(partner: Partner, report: SandboxReport, action: Action, role: str, message: str) -> None:
    """Move the sandbox report as the lifecycle table moves a real one, and announce it."""
    rule = TRANSITIONS[action]
    if report.status not in rule.allowed.get(role, ()):
        # The refusal a real report in this status gets (`transitions.check_allowed`).
        raise Conflict(
            _("Tindakan '%(action)s' tidak dapat dilakukan pada laporan berstatus '%(status)s'.")
            % {"action": ACTION_LABELS[action], "status": Status(report.status).label},
            code="invalid_state",
        )
    from_status = report.status
    if action == Action.HOLD:
        report.held_from_status = from_status
        report.status = Status.ON_HOLD
    elif action == Action.RESUME:
        report.status, report.held_from_status = report.held_from_status or Status.RECEIVED, ""
    elif rule.target:
        report.status = rule.target
    report.save()
    if rule.public:
        sandbox_change(partner, report, type=rule.event_type, from_status=from_status, message=message)


def _sandbox_report(partner: Partner, *, external_id: str | None, tracking_id: str | None) -> SandboxReport:
    reports = SandboxReport.objects.filter(partner=partner)
    found = reports.filter(external_id=external_id.strip()).first() if external_id else reports.filter(
        tracking_id=(tracking_id or "").strip().upper()
    ).first()
    if found is None:
        raise NotFound(_("Laporan sandbox tidak ditemukan."))
    return found


def report_get(partner: Partner, *, external_id: str | None = None, tracking_id: str | None = None) -> SandboxReport:
    return _sandbox_report(partner, external_id=external_id, tracking_id=tracking_id)


def follow_up_push(
    *, partner: Partner, followup_id: str, answer: str, external_id: str | None, tracking_id: str | None,
    officer_name: str, digest: str,
) -> push.FollowedUp:
    if (done := push._pushed_follow_up(partner, followup_id, digest)) is not None:
        return done
    report = _sandbox_report(partner, external_id=external_id, tracking_id=tracking_id)
    text = _required_text(answer, _("Tindak lanjut"), field="answer", minimum=10)
    with transaction.atomic():
        _step(partner, report, Action.FOLLOW_UP, Role.AGENCY_ADMIN, text)
        PartnerFollowUp.objects.create(
            partner=partner, external_id=followup_id, sandbox_report=report,
            officer_name=(officer_name or "").strip()[:120], payload_digest=digest,
        )
    return push.FollowedUp(report.tracking_id, report.external_id, followup_id, report.status, "created", None, sandbox=True)


def simulate(*, partner: Partner, external_id: str, step: str, message: str = "") -> SandboxReport:
    """Take an officer's (or the reporter's) step on a sandbox report, as the lifecycle allows it."""
    if not partner.is_sandbox:
        raise Conflict(_("Simulasi hanya untuk mitra sandbox."), code="not_sandbox")
    action = SIMULATED.get(step)
    if action is None:
        raise InvalidInput(
            _("Langkah tidak dikenal; pilihan: %(choices)s.") % {"choices": ", ".join(SIMULATED)}, field="step"
        )
    report = _sandbox_report(partner, external_id=external_id, tracking_id=None)
    rule = TRANSITIONS[action]
    role = next((r for r, statuses in rule.allowed.items() if report.status in statuses), next(iter(rule.allowed)))
    with transaction.atomic():
        _step(partner, report, action, role, (message or "").strip() or str(EVENT_LABELS[rule.event_type]))
    return report
