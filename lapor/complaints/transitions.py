"""The transition engine: check role and scope, lock the row, apply, write the event.

`lapor.complaints.services` defines one function per action on top of `transition()`; this
module is the one place where a report's row is locked and its history row written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Role
from lapor.core.bulk import Row, insert_rows, pk_in
from lapor.core.errors import Conflict, NotFound, PermissionDenied

from .lifecycle import ACTION_LABELS, TRANSITIONS, Action
from .models import Report, ReportEvent, Status
from .selectors import is_in_scope

def audit_value(value):
    if isinstance(value, Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value



@dataclass
class Change:
    """What a service did inside `_transition`; becomes the event row."""

    report: Report
    actor: Actor
    action: Action
    from_status: str
    target: str | None
    message: str = ""
    changes: dict = field(default_factory=dict)
    public: bool = True
    event_type: str = ""
    # The columns loaded when not all were (the bulk path); others must not be set.
    loaded: tuple[str, ...] | None = None

    def set(self, name: str, value) -> None:
        if self.loaded is not None and name not in self.loaded and name not in _EVENT_FIELDS:
            raise ValueError(f"{name} was not loaded for this bulk transition")
        old = getattr(self.report, name)
        if old != value:
            key = name[:-3] if name.endswith("_id") else name
            self.changes[key] = [audit_value(old), audit_value(value)]
            setattr(self.report, name, value)

    def set_fk(self, name: str, obj: Model | None) -> None:
        old = getattr(self.report, name)
        if (old.pk if old else None) != (obj.pk if obj else None):
            self.changes[name] = [audit_value(old), audit_value(obj)]
            setattr(self.report, name, obj)


def check_allowed(rule, actor: Actor, report: Report, action: Action) -> None:
    allowed_from = rule.allowed.get(actor.role)
    if allowed_from is None:
        raise PermissionDenied(
            _("Peran Anda tidak berwenang melakukan tindakan '%(action)s'.") % {"action": ACTION_LABELS[action]}
        )
    if not is_in_scope(actor, report):
        raise PermissionDenied(_("Laporan ini di luar lingkup instansi/unit Anda."))
    if report.status not in allowed_from:
        raise Conflict(
            _("Tindakan '%(action)s' tidak dapat dilakukan pada laporan berstatus '%(status)s'.")
            % {"action": ACTION_LABELS[action], "status": Status(report.status).label},
            code="invalid_state",
        )


@contextmanager
def transition(report: Report | int, who, action: Action, *, now: datetime | None = None) -> Iterator[Change]:
    """Check, lock, let the caller change the report, then save it and write its event."""
    actor = Actor.of(who)
    rule = TRANSITIONS[action]
    report_id = report.pk if isinstance(report, Report) else report
    with transaction.atomic():
        try:
            locked = Report.objects.select_for_update().get(pk=report_id)
        except Report.DoesNotExist:
            raise NotFound(_("Laporan tidak ditemukan.")) from None
        check_allowed(rule, actor, locked, action)
        change = Change(
            report=locked,
            actor=actor,
            action=action,
            from_status=locked.status,
            target=rule.target,
            public=rule.public,
            event_type=rule.event_type,
        )
        yield change
        _finish(change)
        locked.save()
        write_event(change, now=now)


def _finish(change: Change) -> None:
    """The target status, and a fresh escalation level for a new stage deadline."""
    if change.target and change.target != change.report.status:
        change.set("status", change.target)
    if "stage_due_at" in change.changes and change.report.escalation_level:
        change.set("escalation_level", 0)


def bulk_transition(
    ids,
    action: Action,
    apply: Callable[[Change], bool],
    *,
    now: datetime,
    lock: bool = True,
    fields: tuple[str, ...] | None = None,
    prepare: Callable[[list[Row]], None] | None = None,
) -> list[Change]:
    """One system action on many reports in one transaction: the set-based path of the sweeps.

    The same rule as `transition()` applies to each row (allowed source status); rows another
    transaction holds are skipped and picked up by the next run. Each report is a `Row` of the
    columns every event needs plus `fields` (all columns when not given); setting any other
    field is refused. `prepare` sees the locked rows first (to look up what they refer to in
    one query); `apply` sets the fields and returns False to leave a row alone. Rows with the
    same new values are updated by one statement and the events are inserted together.
    """
    rule = TRANSITIONS[action]
    actor = Actor.system()
    allowed = rule.allowed[actor.role]
    names = ("id", *_EVENT_FIELDS, *(fields if fields is not None else _ALL_COLUMNS))
    rows = Report.objects.filter(pk_in(ids), status__in=allowed).order_by()
    if lock:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    reports = [Row(values) for values in rows.values(*dict.fromkeys(names))]
    if prepare is not None:
        prepare(reports)
    done: list[Change] = []
    groups: dict[tuple, list[int]] = defaultdict(list)
    for report in reports:
        change = Change(
            report=report, actor=actor, action=action, from_status=report.status, target=rule.target,
            public=rule.public, event_type=rule.event_type, loaded=fields,
        )
        if apply(change) is False:
            continue
        _finish(change)
        values = {}
        for name in change.changes:
            field = _REPORT_FIELDS.get(name)
            if field is not None:
                values[field.attname] = getattr(report, field.attname)
        groups[tuple(sorted(values.items()))].append(report.pk)
        done.append(change)
    for values, pks in groups.items():
        Report.objects.filter(pk_in(pks)).update(**dict(values), updated_at=now)
    events = [_event(change, now) for change in done]
    for event, pk in zip(events, insert_rows(ReportEvent, events, returning=True)):
        event["id"] = pk
    _announce(events)
    return done


# What `_finish` and every event row read from the report.
_EVENT_FIELDS = ("status", "escalation_level", "stage_due_at", "current_agency_id", "current_unit_id", "is_anonymous")
_REPORT_FIELDS = {f.name: f for f in Report._meta.concrete_fields}
_ALL_COLUMNS = tuple(f.attname for f in Report._meta.concrete_fields)


def write_event(change: Change, *, now: datetime | None = None) -> ReportEvent:
    values = _event(change, now or timezone.now())
    event = ReportEvent.objects.create(**values)
    _announce([{**values, "id": event.pk}])
    return event


def _announce(events: list[dict]) -> None:
    """The changes partner apps are owed, written in the transaction of the events (their outbox)."""
    from lapor.channels.partners.changes import events_written

    events_written(events)


def _event(change: Change, now: datetime) -> dict:
    report, actor = change.report, change.actor
    # An anonymous reporter's own actions name nobody, even in the audit row.
    hide_actor = actor.role == Role.REPORTER and report.is_anonymous
    return dict(
        report_id=report.pk,
        type=change.event_type,
        actor_id=None if hide_actor or actor.user is None else actor.user.pk,
        actor_role=actor.role,
        from_status=change.from_status,
        to_status=report.status,
        agency_id=report.current_agency_id,
        unit_id=report.current_unit_id,
        changes=change.changes,
        message=change.message,
        is_public=change.public,
        created_at=now,
    )
