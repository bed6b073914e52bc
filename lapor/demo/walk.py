"""A report's life, simulated in memory: a random walk over the lifecycle table.

Every step is checked against `lapor.complaints.lifecycle.TRANSITIONS` for the role taking it,
and changes the same fields, with the same audit entries, as the matching service in
`lapor.complaints.services`; deadlines come from `lapor.sla.deadlines`. The history therefore
reads as if the services had written it, without their queries and row locks. A refused step
raises `InvalidStep`: that is a bug in this module, never something to catch.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Model

from lapor.accounts.actors import SYSTEM_ROLE
from lapor.accounts.models import Agency, Role, Unit
from lapor.complaints.lifecycle import TRANSITIONS, Action
from lapor.complaints.models import ArchiveReason, Closure, Status
from lapor.sla import deadlines

from .texts import Place, Subject, TextMaker
from .world import REASONS_AT_AGENCY, REASONS_AT_VERIFICATION, REASONS_WHEN_HELD, CategoryInfo, World

S, A = Status, Action
V, AA, UO, R = Role.VERIFIER, Role.AGENCY_ADMIN, Role.UNIT_OFFICER, Role.REPORTER
STAFF = frozenset({V, AA, UO})
UTC_OFFSET = {"Asia/Jakarta": 7, "Asia/Makassar": 8, "Asia/Jayapura": 9}
MAX_STEPS = 40
SYSTEM_CLOSE_MESSAGE = "Laporan ditutup otomatis karena tidak ada tanggapan pelapor."


class InvalidStep(AssertionError):
    """The simulation tried a step the lifecycle does not allow."""


@dataclass
class Draft:
    """What the citizen filed, and where the demo wants it to end up."""

    kind: str
    title: str
    text: str
    subject: Subject
    category: CategoryInfo | None
    region_code: str
    place: Place
    channel: str
    reporter_id: int | None = None
    is_anonymous: bool = False
    is_confidential: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    incident_date: date | None = None
    details: dict = field(default_factory=dict)  # what the text names, for later messages
    answer: str = ""  # the follow-up template that fits the text
    # Steer the first disposition and forwarding (to give demo accounts work).
    prefer_agency: Agency | None = None
    prefer_unit: Unit | None = None


@dataclass
class EventRow:
    type: str
    actor_id: int | None
    actor_role: str
    from_status: str
    to_status: str
    agency_id: int | None
    unit_id: int | None
    changes: dict
    message: str
    is_public: bool
    created_at: datetime


@dataclass
class AssignmentRow:
    unit_id: int
    is_lead: bool
    is_active: bool
    assigned_at: datetime


@dataclass
class Case:
    """A report being simulated: the fields the services change (same names), and its history."""

    draft: Draft
    created_at: datetime
    title: str = ""
    is_confidential: bool = False
    status: str = S.RECEIVED.value
    held_from_status: str = ""
    current_agency: Agency | None = None
    current_unit: Unit | None = None
    transfer_count: int = 0
    archive_reason: ArchiveReason | None = None
    closure: str = ""
    stage_due_at: datetime | None = None
    completion_due_at: datetime | None = None
    disposed_at: datetime | None = None
    followed_up_at: datetime | None = None
    closed_at: datetime | None = None
    rating: int | None = None
    rating_comment: str = ""
    rated_at: datetime | None = None
    appealed_at: datetime | None = None
    assignments: dict[int, AssignmentRow] = field(default_factory=dict)
    events: list[EventRow] = field(default_factory=list)
    # Bookkeeping of the walk, not stored.
    returned_by: set[int] = field(default_factory=set)
    held_by: str = ""
    holds: int = 0
    replies: int = 0
    forwards: int = 0
    edited: bool = False

    @property
    def last_at(self) -> datetime:
        return self.events[-1].created_at if self.events else self.created_at


@dataclass(frozen=True)
class Target:
    """Where a steered walk must stop: a status, optionally at a given agency and unit."""

    status: str
    agency: Agency | None = None
    unit: Unit | None = None

    def reached_by(self, case: Case) -> bool:
        return (
            case.status == self.status
            and (self.agency is None or case.current_agency == self.agency)
            and (self.unit is None or case.current_unit == self.unit)
        )


def _audit(value):
    if isinstance(value, Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


# The shortest plausible path to each status, for steered walks that chance did not bring there.
SCRIPTS: dict[str, list[tuple[Action, str]]] = {
    S.RECEIVED: [],
    S.ON_HOLD: [(A.HOLD, V)],
    S.ARCHIVED: [(A.ARCHIVE, V)],
    S.DISPOSED: [(A.DISPOSE, V)],
    S.RETURNED: [(A.DISPOSE, V), (A.RETURN, AA)],
    S.FORWARDED: [(A.DISPOSE, V), (A.FORWARD, AA)],
    S.FOLLOWED_UP: [(A.DISPOSE, V), (A.FORWARD, AA), (A.FOLLOW_UP, UO)],
    S.REPORTER_REPLIED: [(A.DISPOSE, V), (A.FORWARD, AA), (A.FOLLOW_UP, UO), (A.REPLY, R)],
    S.COMPLETED: [(A.DISPOSE, V), (A.FORWARD, AA), (A.FOLLOW_UP, UO), (A.CLOSE, AA)],
    S.APPEALED: [(A.DISPOSE, V), (A.FORWARD, AA), (A.FOLLOW_UP, UO), (A.RATE, R), (A.APPEAL, R)],
}


class Simulator:
    def __init__(self, world: World, texts: TextMaker, rng: random.Random, *, max_transfers: int, appeal_max_rating: int):
        self.world, self.texts, self.rng = world, texts, rng
        self.max_transfers = max_transfers
        self.appeal_max_rating = appeal_max_rating
        self._handlers: dict[Action, Callable] = {
            A.EDIT: self._edit, A.DISPOSE: self._dispose, A.HOLD: self._hold, A.RESUME: self._resume,
            A.ARCHIVE: self._archive, A.FORWARD: self._forward, A.RETURN: self._return,
            A.FOLLOW_UP: self._follow_up, A.REPLY: self._reply, A.CLOSE: self._close,
            A.CLOSE_BY_SYSTEM: self._close_by_system, A.RATE: self._rate, A.APPEAL: self._appeal,
        }

    # --- entry points -------------------------------------------------------------------------

    def simulate(self, draft: Draft, *, created_at: datetime, now: datetime, target: Target | None = None) -> Case:
        """File the report at `created_at` and let it live until `now` (or until `target`)."""
        case = self._submit(draft, created_at)
        for _ in range(MAX_STEPS):
            if target is not None and target.reached_by(case):
                break
            choice = self._choose(case)
            if choice is None:
                break
            action, role, at = choice
            if at > now:
                break
            if action == A.DISPOSE and not case.edited and self.rng.random() < 0.35:
                self._step(case, A.EDIT, V, case.last_at + (at - case.last_at) * 0.8)
            self._step(case, action, role, at)
        return case

    def scripted(self, draft: Draft, target: Target, *, created_at: datetime, now: datetime) -> Case:
        """The shortest path to `target`, its steps spread between `created_at` and `now`."""
        script = SCRIPTS[target.status]
        case = self._submit(draft, created_at)
        gap = (now - created_at) / (len(script) + 1)
        at = created_at
        for action, role in script:
            at += gap * self.rng.uniform(0.5, 1)
            options = {"rating": self.rng.randint(1, self.appeal_max_rating)} if action == A.RATE else {}
            self._step(case, action, role, at, **options)
        return case

    # --- the walk -----------------------------------------------------------------------------

    def _hours(self, median: float, *, stuck: float = 0.0) -> float:
        if stuck and self.rng.random() < stuck:
            return self.rng.uniform(4, 35) * 24  # forgotten in an inbox: these become overdue
        return min(max(median * math.exp(self.rng.gauss(0, 0.9)), 0.05), 24 * 60)

    def _office(self, at: datetime, case: Case, role: str) -> datetime:
        """Move a staff action into office hours (08–16, Monday–Friday) of the desk's zone."""
        zone = case.current_agency.time_zone if role != V and case.current_agency else "Asia/Jakarta"
        offset = timedelta(hours=UTC_OFFSET.get(zone, 7))
        local = at + offset
        if local.hour >= 16:
            local = (local + timedelta(days=1)).replace(hour=self.rng.randint(8, 11), minute=self.rng.randint(0, 59))
        elif local.hour < 8:
            local = local.replace(hour=self.rng.randint(8, 11), minute=self.rng.randint(0, 59))
        while local.weekday() >= 5:
            local += timedelta(days=1)
        return local - offset

    def _pick(self, case: Case, options: list[tuple]) -> tuple[Action, str, datetime] | None:
        """One of (weight, action, role, (median hours, stuck share; None: exactly that many hours))."""
        options = [o for o in options if o[0] > 0]
        if not options:
            return None
        weight, action, role, (median, stuck) = self.rng.choices(options, [o[0] for o in options])[0]
        if action is None:
            return None
        hours = median if stuck is None else self._hours(median, stuck=stuck)
        at = case.last_at + timedelta(hours=hours)
        if role in STAFF:
            at = self._office(at, case, role)
        return action, role, at

    def _choose(self, case: Case) -> tuple[Action, str, datetime] | None:  # noqa: C901 - a table in code
        s = case.status
        can_return = case.transfer_count < self.max_transfers
        has_units = bool(case.current_agency and self.world.units.get(case.current_agency.pk))
        if s in (S.RECEIVED, S.RETURNED):
            return self._pick(case, [
                (80, A.DISPOSE, V, (18, 0.06)),
                (9 if s == S.RECEIVED else 5, A.ARCHIVE, V, (10, 0)),
                (7 if case.holds == 0 else 0, A.HOLD, V, (12, 0)),
            ])
        if s == S.ON_HOLD:
            from_verification = case.held_from_status in (S.RECEIVED, S.RETURNED)
            return self._pick(case, [
                (60, A.RESUME, R, (30, 0)),
                (10, A.RESUME, case.held_by or V, (48, 0)),
                (30, A.ARCHIVE, V if from_verification else AA, (self.rng.uniform(240, 380), None)),
            ])
        if s == S.DISPOSED:
            return self._pick(case, [
                (70 if has_units else 0, A.FORWARD, AA, (20, 0.08)),
                (15 if has_units else 80, A.FOLLOW_UP, AA, (40, 0.08)),
                (5 if can_return else 0, A.RETURN, AA, (24, 0)),
                (4 if case.holds == 0 else 0, A.HOLD, AA, (24, 0)),
                (3, A.ARCHIVE, AA, (24, 0)),
            ])
        if s == S.FORWARDED:
            several = len(self.world.units.get(case.current_agency.pk, [])) > 1
            return self._pick(case, [
                (78, A.FOLLOW_UP, UO, (70, 0.10)),
                (6, A.FOLLOW_UP, AA, (70, 0)),
                (4 if case.holds == 0 else 0, A.HOLD, UO, (30, 0)),
                (5 if several and case.forwards < 2 else 0, A.FORWARD, AA, (30, 0)),
                (3 if can_return else 0, A.RETURN, AA, (30, 0)),
            ])
        if s == S.FOLLOWED_UP:
            return self._after_follow_up(case)
        if s == S.REPORTER_REPLIED:
            return self._pick(case, [
                (60 if case.current_unit else 0, A.FOLLOW_UP, UO, (60, 0.08)),
                (25, A.FOLLOW_UP, AA, (60, 0.08)),
                (12, A.CLOSE, AA, (48, 0)),
                (3, A.CLOSE, V, (72, 0)),
            ])
        if s == S.APPEALED:
            return self._pick(case, [
                (50, A.FOLLOW_UP, AA, (120, 0.05)),
                (40, A.CLOSE, AA, (120, 0.05)),
                (10, A.CLOSE, V, (150, 0)),
            ])
        if s == S.COMPLETED:
            appeal = case.rating is not None and case.rating <= self.appeal_max_rating and case.appealed_at is None
            return self._pick(case, [
                (45 if case.rating is None else 0, A.RATE, R, (24, 0)),
                (40 if appeal else 0, A.APPEAL, R, (48, 0)),
                (55, None, "", (0, None)),  # nothing more happens
            ])
        return None  # archived

    def _after_follow_up(self, case: Case) -> tuple[Action, str, datetime] | None:
        """The reporter reacts, an admin closes, or nobody does and the system closes it."""
        appeal = case.rating is not None and case.rating <= self.appeal_max_rating and case.appealed_at is None
        choice = self._pick(case, [
            (22 / (1 + 2 * case.replies), A.REPLY, R, (20, 0)),
            (30 if case.rating is None else 0, A.RATE, R, (20, 0)),
            (45 if appeal else 0, A.APPEAL, R, (30, 0)),
            (18, A.CLOSE, AA, (48, 0)),
            (2, A.CLOSE, V, (72, 0)),
            (30, A.CLOSE_BY_SYSTEM, SYSTEM_ROLE, (0, None)),
        ])
        system_at = case.stage_due_at + timedelta(hours=self.rng.uniform(0.1, 8))
        if choice is None or choice[0] == A.CLOSE_BY_SYSTEM or choice[2] > case.stage_due_at:
            # The sweep closes an unanswered follow-up once its period has passed.
            return A.CLOSE_BY_SYSTEM, SYSTEM_ROLE, system_at
        return choice

    # --- one step, checked --------------------------------------------------------------------

    def _submit(self, draft: Draft, created_at: datetime) -> Case:
        case = Case(draft=draft, created_at=created_at, title=draft.title, is_confidential=draft.is_confidential)
        case.stage_due_at = deadlines.verification_due(created_at)
        case.events.append(
            EventRow(
                "report.submitted", self._actor(case, R), R, "", S.RECEIVED.value, None, None,
                {"channel": [None, draft.channel]}, "", True, created_at,
            )
        )
        return case

    def _step(self, case: Case, action: Action, role: str, at: datetime, **options) -> None:
        rule = TRANSITIONS[action]
        if case.status not in rule.allowed.get(role, ()):
            raise InvalidStep(f"{role} may not {action.value} a report in status {case.status}")
        at = max(at, case.last_at + timedelta(minutes=1))
        actor_id = self._actor(case, role)  # chosen before the step: a return clears the agency
        before = case.status
        changes: dict = {}
        message, target = self._handlers[action](case, role, at, changes, **options)
        target = target or rule.target
        if target and target != case.status:
            changes["status"] = [case.status, str(target)]
            case.status = str(target)
        case.events.append(
            EventRow(
                rule.event_type, actor_id, role, before, case.status,
                case.current_agency.pk if case.current_agency else None,
                case.current_unit.pk if case.current_unit else None,
                changes, message, rule.public, at,
            )
        )

    def _actor(self, case: Case, role: str) -> int | None:
        if role == R:
            # An anonymous reporter's own actions name nobody, even in the audit row.
            return None if case.draft.is_anonymous else case.draft.reporter_id
        agency = case.current_agency.pk if case.current_agency else None
        unit = case.current_unit.pk if case.current_unit else None
        return self.world.actor(role, agency_id=agency, unit_id=unit)

    @staticmethod
    def _set(case: Case, changes: dict, name: str, value) -> None:
        old = getattr(case, name)
        if old != value:
            changes[name] = [_audit(old), _audit(value)]
            setattr(case, name, value)

    def _say(self, key: str, case: Case, at: datetime, **extra) -> str:
        return self.texts.message(key, place=case.draft.place, when=at.date(), details=case.draft.details, **extra)

    # --- the services, mirrored ---------------------------------------------------------------

    def _edit(self, case, role, at, ch):
        draft = case.draft
        name = draft.category.name if draft.category else ""
        self._set(case, ch, "title", self.texts.formal_title(draft.subject, place=draft.place, category_name=name))
        message = self._say("edit", case, at)
        if not case.is_confidential and self.rng.random() < 0.08:
            self._set(case, ch, "is_confidential", True)
            message = self._say("edit_confidential", case, at)
        if not ch:  # the service refuses an edit that changes nothing
            self._set(case, ch, "title", f"{case.title} ({draft.place.regency or draft.place.province})"[:200])
        case.edited = True
        return message, None

    def _dispose(self, case, role, at, ch):
        draft = case.draft
        if draft.prefer_agency is not None and draft.prefer_agency.pk not in case.returned_by:
            agency = draft.prefer_agency
        else:
            agency = self.world.choose_agency(draft.category, draft.region_code, exclude=case.returned_by)
        self._set(case, ch, "current_agency", agency)
        self._set(case, ch, "current_unit", None)
        self._set(case, ch, "disposed_at", at)
        self._set(case, ch, "stage_due_at", deadlines.first_follow_up_due(at, agency))
        if case.completion_due_at is None:
            self._set(case, ch, "completion_due_at", deadlines.completion_due(at, agency))
        if agency.pk in case.returned_by:
            return f"Setelah ditelaah ulang, laporan ini tetap menjadi kewenangan {agency.name}; mohon ditindaklanjuti.", None
        return self._say("dispose", case, at) or f"Laporan diteruskan kepada {agency.name}.", None

    def _hold(self, case, role, at, ch):
        self._set(case, ch, "held_from_status", case.status)
        self._set(case, ch, "stage_due_at", None)
        case.held_by, case.holds = role, case.holds + 1
        return self._say("hold", case, at), None

    def _resume(self, case, role, at, ch):
        message = self._say("resume_reporter" if role == R else "resume_staff", case, at)
        back_to = case.held_from_status or S.RECEIVED.value
        self._set(case, ch, "held_from_status", "")
        if back_to in (S.RECEIVED, S.RETURNED):
            self._set(case, ch, "stage_due_at", deadlines.verification_due(at))
        else:
            self._set(case, ch, "stage_due_at", deadlines.first_follow_up_due(at, case.current_agency))
        return message, back_to

    def _archive(self, case, role, at, ch):
        if case.status == S.ON_HOLD:
            weights = REASONS_WHEN_HELD
        elif role == AA:
            weights = REASONS_AT_AGENCY
        else:
            weights = REASONS_AT_VERIFICATION
        reason = self.world.archive_reason(weights)
        self._set(case, ch, "archive_reason", reason)
        self._set(case, ch, "held_from_status", "")
        self._set(case, ch, "stage_due_at", None)
        self._set(case, ch, "closed_at", at)
        return reason.name, None

    def _forward(self, case, role, at, ch):
        prefer = case.draft.prefer_unit if case.forwards == 0 else None
        units = self.world.choose_units(case.current_agency, case.draft.category, prefer=prefer)
        for _ in range(3):  # forwarding again means another unit should lead
            if case.forwards == 0 or units[0] != case.current_unit:
                break
            units = self.world.choose_units(case.current_agency, case.draft.category)
        chosen = {u.pk for u in units}
        for row in case.assignments.values():
            row.is_active, row.is_lead = row.unit_id in chosen, False
        for unit in units:
            case.assignments.setdefault(unit.pk, AssignmentRow(unit.pk, False, True, at))
        case.assignments[units[0].pk].is_lead = True
        self._set(case, ch, "current_unit", units[0])
        ch["units"] = [None, [u.name for u in units]]
        case.forwards += 1
        note = self._say("forward", case, at)
        return note or "Laporan diteruskan kepada " + ", ".join(u.name for u in units) + ".", None

    def _return(self, case, role, at, ch):
        if case.transfer_count >= self.max_transfers:
            raise InvalidStep("transfer limit reached")
        agency = case.current_agency
        message = self._say("return", case, at, agency=agency.name)
        ch["returned_by_agency"] = [_audit(agency), None]
        for row in case.assignments.values():
            row.is_active = row.is_lead = False
        self._set(case, ch, "transfer_count", case.transfer_count + 1)
        self._set(case, ch, "current_agency", None)
        self._set(case, ch, "current_unit", None)
        self._set(case, ch, "stage_due_at", deadlines.verification_due(at))
        case.returned_by.add(agency.pk)
        return message, None

    def _follow_up(self, case, role, at, ch):
        writer = case.current_unit if role == UO and case.current_unit else case.current_agency
        again = case.status in (S.REPORTER_REPLIED, S.APPEALED)
        d = case.draft
        message = self.texts.answer(
            d.subject, kind=d.kind, fitting=d.answer, place=d.place, when=at.date(), unit=writer.name,
            details=d.details, again=again,
        )
        self._set(case, ch, "followed_up_at", at)
        self._set(case, ch, "stage_due_at", deadlines.auto_close_due(at, case.current_agency))
        self._set(case, ch, "closure", Closure.NONE.value)
        self._set(case, ch, "closed_at", None)
        return message, None

    def _reply(self, case, role, at, ch):
        self._set(case, ch, "stage_due_at", deadlines.first_follow_up_due(at, case.current_agency))
        case.replies += 1
        return self._say("reply", case, at), None

    def _close(self, case, role, at, ch):
        message = self._say("appeal_decision" if case.status == S.APPEALED else "close", case, at)
        self._set(case, ch, "closure", Closure.BY_ADMIN.value)
        self._set(case, ch, "closed_at", at)
        self._set(case, ch, "stage_due_at", None)
        return message, None

    def _close_by_system(self, case, role, at, ch):
        if case.stage_due_at is None or case.stage_due_at > at:
            raise InvalidStep("the reply period has not passed")
        self._set(case, ch, "closure", Closure.BY_SYSTEM.value)
        self._set(case, ch, "closed_at", at)
        self._set(case, ch, "stage_due_at", None)
        return SYSTEM_CLOSE_MESSAGE, None

    def _rate(self, case, role, at, ch, rating: int | None = None):
        if case.rating is not None:
            raise InvalidStep("already rated")
        if rating is None:
            weights = (11, 11, 14, 30, 34) if case.replies == 0 else (18, 17, 25, 25, 15)
            rating = self.rng.choices((1, 2, 3, 4, 5), weights)[0]
        comment = self.texts.rating_comment(rating)
        self._set(case, ch, "rating", rating)
        self._set(case, ch, "rating_comment", comment)
        self._set(case, ch, "rated_at", at)
        return comment, None

    def _appeal(self, case, role, at, ch, **_):
        if case.rating is None or case.rating > self.appeal_max_rating or case.appealed_at is not None:
            raise InvalidStep("appeal needs one poor rating and no earlier appeal")
        self._set(case, ch, "appealed_at", at)
        self._set(case, ch, "closure", Closure.NONE.value)
        self._set(case, ch, "closed_at", None)
        self._set(case, ch, "stage_due_at", deadlines.appeal_due(at, case.current_agency))
        return self._say("appeal", case, at), None
