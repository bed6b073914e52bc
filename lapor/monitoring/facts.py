"""Deriving each report's facts from its event history: a pure replay, so it can be redone.

The replay walks a report's events in order. A disposition or a transfer starts a stint at the
agency named by the event; a transfer, a return (not its authority), completion or archiving
ends it. The first follow-up of each stint is timed against that agency's limit, moved by the
working days the report was held meanwhile (the clock pauses while it waits for the reporter).
An appeal of a completed report reopens it: the completion no longer counts until closed again.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from lapor.accounts.models import Agency
from lapor.complaints.models import CannedAnswer, Category, Report, ReportEvent, Status
from lapor.sla.calendar import Calendar
from lapor.sla.deadlines import shift_by_hold, verification_due

from .models import AgencyStint, ReportFact

# Days are counted in Western Indonesian Time, the national reference.
NATIONAL_ZONE = ZoneInfo("Asia/Jakarta")
CANNED_SIMILARITY = 0.8
STARTS = {"report.disposed", "report.transferred"}
COMPLETES = {"report.closed", "report.closed_by_system"}
ARCHIVES = {"report.archived", "report.archived_by_system"}


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment, NATIONAL_ZONE).date()


_TRACKING = re.compile(r"\b[a-z]{2,4}-?\d{4,}\S*", re.I)
_NON_WORDS = re.compile(r"[^a-z]+")


def answer_words(text: str) -> list[str]:
    """An answer's words without numbers, tracking ids or punctuation (names and dates vary)."""
    return [w for w in _NON_WORDS.split(_TRACKING.sub(" ", text.lower())) if len(w) > 1]


def fingerprint(text: str) -> str:
    words = answer_words(text)
    return hashlib.sha1(" ".join(words).encode()).hexdigest() if words else ""


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass
class _Stint:
    seq: int
    agency_id: int
    started_at: datetime
    unit_id: int | None = None
    first_follow_up_at: datetime | None = None
    follow_up_due_at: datetime | None = None
    held_since: datetime | None = None
    ended_at: datetime | None = None
    end: str = ""
    completed_at: datetime | None = None
    answer: str = ""


@dataclass
class _Context:
    """What a batch of replays looks up once: agencies, category roots, SOP limits, canned answers."""

    agencies: dict[int, Agency] = field(default_factory=dict)
    roots: dict[int, int] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)
    sop: dict[tuple, int] = field(default_factory=dict)
    canned: dict[int, list[set[str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, agency_ids: set[int]) -> "_Context":
        from lapor.sla.models import ServiceStandard

        ctx = cls()
        ctx.agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids)}
        parents = dict(Category.objects.values_list("pk", "parent_id"))
        ctx.parents = parents
        for pk in parents:
            root = pk
            while parents.get(root):
                root = parents[root]
            ctx.roots[pk] = root
        for agency_id, category_id, days in ServiceStandard.objects.exclude(first_follow_up_days=None).values_list(
            "agency_id", "category_id", "first_follow_up_days"
        ):
            key = (agency_id, category_id)
            ctx.sop[key] = min(days, ctx.sop.get(key, days))
        for agency_id, body in CannedAnswer.objects.filter(agency_id__in=agency_ids, is_active=True).values_list(
            "agency_id", "body"
        ):
            ctx.canned.setdefault(agency_id, []).append(set(answer_words(body)))
        return ctx

    def follow_up_days(self, agency_id: int, category_id: int | None) -> int:
        days = settings.LAPOR["FIRST_FOLLOW_UP_WORKING_DAYS"]
        categories = [category_id, self.parents.get(category_id)] if category_id else []
        keys = [(agency_id, None)] + [(a, c) for c in categories if c for a in (None, agency_id)]
        limits = [self.sop[k] for k in keys if k in self.sop]
        return min([days, *limits])

    def is_canned(self, agency_id: int, text: str) -> bool:
        words = set(answer_words(text))
        return any(similarity(words, c) >= CANNED_SIMILARITY for c in self.canned.get(agency_id, ()))


def replay(report: dict, events: list[dict], ctx: _Context) -> tuple[ReportFact, list[AgencyStint]]:
    stints: list[_Stint] = []
    current: _Stint | None = None
    fact = dict(verified_at=None, first_follow_up_at=None, completed_at=None, archived_at=None,
                transfers=0, reopened=0, appealed=False, was_held=False)

    def close(at: datetime, end: str) -> None:
        nonlocal current
        if current is not None:
            current.ended_at, current.end = at, end
            current = None

    for e in events:
        kind, at = e["type"], e["created_at"]
        if kind in STARTS and e["agency_id"]:
            if kind == "report.transferred":
                fact["transfers"] += 1
                close(at, AgencyStint.End.TRANSFERRED)
            fact["verified_at"] = fact["verified_at"] or at
            current = _Stint(seq=len(stints) + 1, agency_id=e["agency_id"], started_at=at)
            agency = ctx.agencies.get(e["agency_id"])
            days = ctx.follow_up_days(e["agency_id"], report["category_id"])
            current.follow_up_due_at = Calendar.for_agency(agency).add_working_days(at, days)
            stints.append(current)
        elif kind == "report.returned":
            fact["transfers"] += 1
            close(at, AgencyStint.End.RETURNED)
        elif kind == "report.forwarded" and current is not None:
            current.unit_id = e["unit_id"]
        elif kind == "report.held":
            fact["was_held"] = True
            if current is not None:
                current.held_since = at
        elif kind in ("report.resumed", "report.archived_by_system") and current is not None and current.held_since:
            if current.first_follow_up_at is None:
                agency = ctx.agencies.get(current.agency_id)
                current.follow_up_due_at = shift_by_hold(current.follow_up_due_at, current.held_since, at, agency)
            current.held_since = None
        if kind == "report.followed_up":
            fact["first_follow_up_at"] = fact["first_follow_up_at"] or at
            if current is not None:
                current.first_follow_up_at = current.first_follow_up_at or at
                current.answer = e["message"] or current.answer
        elif kind in COMPLETES:
            fact["completed_at"] = at
            if current is not None:
                current.completed_at = at
                current.ended_at, current.end = at, AgencyStint.End.COMPLETED
        elif kind in ARCHIVES:
            fact["archived_at"] = at
            close(at, AgencyStint.End.ARCHIVED)
        elif kind == "report.appealed":
            fact["appealed"] = True
            if e["from_status"] == Status.COMPLETED:
                fact["reopened"] += 1
                fact["completed_at"] = None
                last = stints[-1] if stints else None
                if last is not None and last.end == AgencyStint.End.COMPLETED:
                    last.completed_at, last.ended_at, last.end = None, None, AgencyStint.End.OPEN
                    current = last

    region = report["region_id"] or ""
    received = report["created_at"]
    last = stints[-1] if stints else None
    answer = last.answer if last else ""
    report_fact = ReportFact(
        report_id=report["id"],
        day=local_day(received),
        received_at=received,
        kind=report["kind"],
        channel=report["channel"],
        province=region[:2],
        regency=region[:5] if len(region) >= 5 else "",
        category_root_id=ctx.roots.get(report["category_id"]),
        is_confidential=report["is_confidential"],
        gender=report["reporter_gender"],
        age_group=report["reporter_age_group"],
        disability=report["reporter_disability"],
        status=report["status"],
        verify_due_at=verification_due(received),
        completion_due_at=report["completion_due_at"],
        rating=report["rating"],
        agency_id=last.agency_id if last else None,
        follow_up_due_at=stints[0].follow_up_due_at if stints else None,
        answer_fingerprint=fingerprint(answer),
        answer_canned=bool(answer) and ctx.is_canned(last.agency_id, answer),
        **fact,
    )
    agency_stints = [
        AgencyStint(
            report_id=report["id"], seq=s.seq, agency_id=s.agency_id, unit_id=s.unit_id, day=local_day(s.started_at),
            started_at=s.started_at, follow_up_due_at=s.follow_up_due_at, first_follow_up_at=s.first_follow_up_at,
            ended_at=s.ended_at, end=s.end, completed_at=s.completed_at, answer_fingerprint=fingerprint(s.answer),
            answer_canned=bool(s.answer) and ctx.is_canned(s.agency_id, s.answer),
        )
        for s in stints
    ]
    return report_fact, agency_stints


REPORT_FIELDS = (
    "id", "created_at", "kind", "channel", "region_id", "category_id", "is_confidential", "reporter_gender",
    "reporter_age_group", "reporter_disability", "status", "completion_due_at", "rating",
)
EVENT_FIELDS = ("report_id", "type", "from_status", "agency_id", "unit_id", "created_at", "message")


def rebuild_facts(report_ids) -> set[date]:
    """Replace the facts of these reports; returns every day whose rollups they touch (old and new)."""
    from lapor.core.bulk import insert_many

    ids = list(report_ids)
    old_days = set(ReportFact.objects.filter(report_id__in=ids).values_list("day", flat=True))
    old_days |= set(AgencyStint.objects.filter(report_id__in=ids).values_list("day", flat=True))
    reports = list(Report.objects.filter(pk__in=ids).values(*REPORT_FIELDS))
    events: dict[int, list[dict]] = defaultdict(list)
    for e in ReportEvent.objects.filter(report_id__in=ids).order_by("report_id", "created_at", "id").values(*EVENT_FIELDS):
        events[e["report_id"]].append(e)
    agency_ids = {e["agency_id"] for evs in events.values() for e in evs if e["agency_id"]}
    ctx = _Context.load(agency_ids)
    facts, stints = [], []
    for report in reports:
        fact, report_stints = replay(report, events[report["id"]], ctx)
        facts.append(fact)
        stints += report_stints
    ReportFact.objects.filter(report_id__in=ids).delete()
    AgencyStint.objects.filter(report_id__in=ids).delete()
    insert_many(facts)
    insert_many(stints)
    return old_days | {f.day for f in facts} | {s.day for s in stints}
