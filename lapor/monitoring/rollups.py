"""Daily rollups, kept current by the worker from the event log.

`refresh()` reads the events written since its last run, rebuilds the facts of the reports
they belong to, and recomputes the rollup rows of every day those facts touch (the day a report
was received, or an agency got it). A report completed months after it came in changes that old
day's row: indicators count each report in the period it was received, like the ministry's
evaluation ("95.50 % of 397 reports completed").
"""

from __future__ import annotations

import bisect
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from lapor.complaints.lifecycle import OPEN
from lapor.complaints.models import ReportEvent
from lapor.core.bulk import Row, insert_rows

from .facts import rebuild_facts
from .late import count_late
from .models import AgencyStint, DailyStat, RefreshMark, ReportFact

# Upper bounds of the duration bins, in hours; a last bin takes everything longer.
BINS_HOURS = (4, 8, 24, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1080, 1440, 2160)
# Durations kept as histograms (hours): first follow-up, completion, verification.
HISTOGRAMS = ("follow_up_hours", "completion_hours", "verify_hours")
REPORT_DIMENSIONS = ("national", "province", "regency", "category", "channel", "kind", "gender", "age", "disability")
STINT_DIMENSIONS = ("agency", "unit")
COUNTERS = tuple(
    f.name for f in DailyStat._meta.concrete_fields
    if f.name not in ("id", "span", "day", "dimension", "key", *HISTOGRAMS)
)


def boilerplate_repeats() -> int:
    """An answer repeated this many times by one agency counts as boilerplate."""
    return settings.LAPOR.get("BOILERPLATE_REPEATS", 5)


def _bin(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return bisect.bisect_left(BINS_HOURS, (end - start).total_seconds() / 3600)


def _contribution(*, start, follow_up_at, follow_up_due, completed_at, completion_due, archived, open_now,
                  transferred, boilerplate, answered, rating, fact, now: datetime, verified_at=None) -> tuple:
    """What one report (or stint) adds to every row it counts in: computed once, added to each
    of its ten or so dimensions."""
    c = {
        "received": 1,
        "confidential": fact.is_confidential,
        "verified": fact.verified_at is not None,
        "verify_on_time": fact.verified_at is not None and fact.verified_at <= fact.verify_due_at,
        "followed_up": follow_up_at is not None,
        "completed": completed_at is not None,
        "archived": archived,
        "in_process": open_now,
        "held": fact.was_held,
        "transferred": transferred,
        "reopened": fact.reopened > 0,
        "appealed": fact.appealed,
        "answered": answered,
        "boilerplate": boilerplate,
    }
    if follow_up_due is not None and (follow_up_at is not None or follow_up_due < now):
        # Timed once answered or once its deadline passed (the sweep's escalation event then
        # brings the report back here); one still open and not yet due is not late.
        c["follow_up_timed"] = 1
        c["follow_up_on_time"] = follow_up_at is not None and follow_up_at <= follow_up_due
    if completion_due is not None and completed_at is not None:
        # Completion is timed when it happens; open reports past it show in "late now" instead.
        c["completion_timed"] = 1
        c["completion_on_time"] = completed_at <= completion_due
    if rating:
        c.update(rated=1, rating_sum=rating, rating_good=rating >= 4)
    bins = []
    for name, end in (("follow_up_hours", follow_up_at), ("completion_hours", completed_at), ("verify_hours", verified_at)):
        b = _bin(start, end)
        if b is not None:
            bins.append((name, b))
    return {k: int(v) for k, v in c.items() if v}, bins


class _Sums:
    def __init__(self):
        self.counts: Counter = Counter()
        self.hours = {name: [0] * (len(BINS_HOURS) + 1) for name in HISTOGRAMS}

    def add(self, contribution: tuple) -> None:
        counts, bins = contribution
        self.counts.update(counts)
        for name, b in bins:
            self.hours[name][b] += 1

    def row(self, day: date, dimension: str, key: str) -> dict:
        return dict(
            span=DailyStat.DAY, day=day, dimension=dimension, key=key,
            **self.hours,
            **{name: self.counts.get(name, 0) for name in COUNTERS},
        )


def _report_keys(f: ReportFact) -> list[tuple[str, str]]:
    keys = [("national", "")]
    if f.province:
        keys.append(("province", f.province))
    if f.regency:
        keys.append(("regency", f.regency))
    if f.category_root_id:
        keys.append(("category", str(f.category_root_id)))
    keys += [("channel", f.channel), ("kind", f.kind)]
    if f.gender:
        keys.append(("gender", f.gender))
    if f.age_group:
        keys.append(("age", f.age_group))
    if f.disability is not None:
        keys.append(("disability", "ya" if f.disability else "tidak"))
    return keys


def _repeated(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """(agency, answer fingerprint) pairs the agency has used at least `boilerplate_repeats()` times.

    Looked up pair by pair (row values), so each is one short range of the (agency, answer) index.
    """
    pairs = sorted(pairs)
    found: set[tuple[int, str]] = set()
    table = connection.ops.quote_name(AgencyStint._meta.db_table)
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        values = ", ".join(["(%s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT agency_id, answer_fingerprint FROM {table} "
                f"WHERE (agency_id, answer_fingerprint) IN (VALUES {values}) "
                "GROUP BY agency_id, answer_fingerprint HAVING COUNT(*) >= %s",
                [v for pair in chunk for v in pair] + [boilerplate_repeats()],
            )
            found.update(cursor.fetchall())
    return found


def rebuild_days(days: Iterable[date]) -> int:
    """Recompute every rollup row of these days from the facts; returns the rows written."""
    written = 0
    now = timezone.now()
    for day in sorted(set(days)):
        facts = {f.report_id: f for f in map(Row, ReportFact.objects.filter(day=day).values())}
        stints = list(map(Row, AgencyStint.objects.filter(day=day).values()))
        missing = {s.report_id for s in stints} - set(facts)
        facts.update({f.report_id: f for f in map(Row, ReportFact.objects.filter(report_id__in=missing).values())})
        repeated = _repeated(
            {(f.agency_id, f.answer_fingerprint) for f in facts.values() if f.answer_fingerprint and f.agency_id}
            | {(s.agency_id, s.answer_fingerprint) for s in stints if s.answer_fingerprint}
        )
        sums: dict[tuple[str, str], _Sums] = defaultdict(_Sums)
        for f in facts.values():
            if f.day != day:
                continue
            boiler = bool(f.answer_fingerprint) and (f.answer_canned or (f.agency_id, f.answer_fingerprint) in repeated)
            contribution = _contribution(
                start=f.received_at, follow_up_at=f.first_follow_up_at, follow_up_due=f.follow_up_due_at,
                completed_at=f.completed_at, completion_due=f.completion_due_at, archived=f.archived_at is not None,
                open_now=f.status in OPEN, transferred=f.transfers > 0, boilerplate=boiler,
                answered=bool(f.answer_fingerprint), fact=f, rating=f.rating, verified_at=f.verified_at, now=now,
            )
            for key in _report_keys(f):
                sums[key].add(contribution)
        for s in stints:
            f = facts[s.report_id]
            handed_over = s.end in (AgencyStint.End.TRANSFERRED, AgencyStint.End.RETURNED)
            # An agency that handed a report on without answering is not timed on it, and a
            # rating belongs to the agency that answered last.
            timed_due = None if handed_over and s.first_follow_up_at is None else s.follow_up_due_at
            boiler = bool(s.answer_fingerprint) and (s.answer_canned or (s.agency_id, s.answer_fingerprint) in repeated)
            contribution = _contribution(
                start=s.started_at, follow_up_at=s.first_follow_up_at, follow_up_due=timed_due,
                completed_at=s.completed_at,
                completion_due=f.completion_due_at if s.end in ("", AgencyStint.End.COMPLETED) else None,
                archived=s.end == AgencyStint.End.ARCHIVED,
                open_now=s.end == AgencyStint.End.OPEN and f.status in OPEN,
                transferred=handed_over, boilerplate=boiler, answered=bool(s.answer_fingerprint), fact=f,
                rating=None if handed_over else f.rating, now=now,
            )
            sums[("agency", str(s.agency_id))].add(contribution)
            if s.unit_id:
                sums[("unit", str(s.unit_id))].add(contribution)
        rows = [total.row(day, dimension, key) for (dimension, key), total in sums.items()]
        with transaction.atomic():
            DailyStat.objects.filter(span=DailyStat.DAY, day=day).delete()
            insert_rows(DailyStat, rows)
        written += len(rows)
    for month in sorted({day.replace(day=1) for day in days}):
        written += rebuild_month(month)
    return written


def rebuild_month(first: date) -> int:
    """The month's rows: the sums of its day rows, per dimension and key.

    The counters are summed by the database; the histograms come as JSON text (no per-value
    conversion) and are added up here, skipping the many empty ones.
    """
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    days = DailyStat.objects.filter(span=DailyStat.DAY, day__gte=first, day__lte=last)
    width = len(BINS_HOURS) + 1
    sums: dict[tuple[str, str], dict] = {
        (r["dimension"], r["key"]): {"span": DailyStat.MONTH, "day": first, **r, **{name: [0] * width for name in HISTOGRAMS}}
        for r in days.values("dimension", "key").annotate(**{name: Sum(name) for name in COUNTERS}).order_by()
    }
    texts = {name: Cast(name, TextField()) for name in HISTOGRAMS}
    for dimension, key, *hists in days.values_list("dimension", "key", *texts.values()).iterator(5000):
        month = sums[(dimension, key)]
        for name, text in zip(HISTOGRAMS, hists):
            if text and text not in _EMPTY:
                total = month[name]
                for i, n in enumerate(json.loads(text)):
                    total[i] += n
    with transaction.atomic():
        DailyStat.objects.filter(span=DailyStat.MONTH, day=first).delete()
        insert_rows(DailyStat, list(sums.values()))
    return len(sums)


_EMPTY = {"[]", json.dumps([0] * (len(BINS_HOURS) + 1)), json.dumps([0] * (len(BINS_HOURS) + 1), separators=(",", ":"))}


def refresh(*, batch_size: int = 2000, now: datetime | None = None) -> dict[str, int]:
    """Bring facts and rollups up to date with the events written since the last run."""
    mark, _ = RefreshMark.objects.get_or_create(pk=1)
    top = ReportEvent.objects.aggregate(top=Max("id"))["top"] or 0
    report_ids = sorted(
        set(ReportEvent.objects.filter(id__gt=mark.last_event_id, id__lte=top).values_list("report_id", flat=True))
    )
    days: set[date] = set()
    for start in range(0, len(report_ids), batch_size):
        with transaction.atomic():
            days |= rebuild_facts(report_ids[start : start + batch_size])
    rows = rebuild_days(days)
    RefreshMark.objects.filter(pk=1).update(last_event_id=top, refreshed_at=now or timezone.now())
    late = count_late(now=now)
    return {"reports": len(report_ids), "days": len(days), "rows": rows, "late_groups": late}


def rebuild_all(*, batch_size: int = 2000) -> dict[str, int]:
    """Forget every fact and rollup and derive them again from the whole event log."""
    with transaction.atomic():
        DailyStat.objects.all().delete()
        AgencyStint.objects.all().delete()
        ReportFact.objects.all().delete()
        RefreshMark.objects.update_or_create(pk=1, defaults={"last_event_id": 0})
    return refresh(batch_size=batch_size)

