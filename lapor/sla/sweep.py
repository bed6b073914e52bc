"""The escalation sweep: one periodic, set-based, idempotent pass over open reports.

It reminds before deadlines, escalates late work (unit → agency admin → provincial coordinator
or national verifier), closes unanswered follow-ups and archives holds never completed. Each
step selects its candidates once, by index, and hands them in primary-key batches to a report
service that changes the rows, writes their events and its messages in one transaction per
batch. A report that already got a step is no longer a candidate for it, so a second run
changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from django.conf import settings
from django.db import connection, connections
from django.db.models import Q, QuerySet
from django.utils import timezone

from lapor.complaints import automatic
from lapor.complaints.models import Report, Status

from .calendar import working_days_ago
from .reminders import remind_due_soon

log = logging.getLogger("lapor.sla")

AGENCY_STAGES = (Status.DISPOSED, Status.FORWARDED, Status.REPORTER_REPLIED, Status.APPEALED)
VERIFIER_STAGES = (Status.RECEIVED, Status.RETURNED)


def _in_batches(candidates: QuerySet, handle: Callable[[list[int]], int], *, batch_size: int) -> int:
    """Feed candidate ids to `handle` by ascending primary key: each batch is one transaction.

    The ids are selected once and sorted here: with `ORDER BY id LIMIT n` PostgreSQL walks the
    primary key through every open report instead of using the (status, stage_due_at) index.
    A report changed after the selection is re-checked under its lock by `handle` and left alone.
    With `SWEEP_WORKERS` above one (PostgreSQL only), batches run on that many connections at
    once, so one batch's Python work overlaps another's database work; the batches are disjoint
    and every row is locked, so the outcome is the same.
    """
    ids = sorted(candidates.order_by().values_list("pk", flat=True))
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    workers = sweep_workers()
    if workers <= 1 or len(batches) <= 1:
        return sum(handle(batch) for batch in batches)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(_on_own_connection(handle), batches))


def sweep_workers() -> int:
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # SQLite has one writer; inside a transaction other connections could not see its rows.
        return 1
    return max(1, settings.LAPOR.get("SWEEP_WORKERS", 1))


def _on_own_connection(handle: Callable[[list[int]], int]) -> Callable[[list[int]], int]:
    def run(batch: list[int]) -> int:
        try:
            return handle(batch)
        finally:
            connections.close_all()  # this thread's connection; the caller's is untouched

    return run


def escalate_late(*, now: datetime, batch_size: int = 2000) -> dict[str, int]:
    """Late work goes up: straight to the coordinator when very late (or at the verifiers' stage)."""
    # Deadlines that passed at least this many whole working days ago.
    very_late = working_days_ago(now, settings.LAPOR["ESCALATE_AFTER_WORKING_DAYS"] + 1)
    to_coordinator = Report.objects.filter(
        Q(status__in=AGENCY_STAGES, stage_due_at__lt=very_late) | Q(status__in=VERIFIER_STAGES, stage_due_at__lt=now),
        escalation_level__lt=automatic.COORDINATOR_LEVEL,
    )
    to_agency = Report.objects.filter(
        status__in=AGENCY_STAGES, stage_due_at__lt=now, escalation_level__lt=automatic.AGENCY_LEVEL
    )
    level2 = _in_batches(
        to_coordinator, lambda ids: automatic.reports_escalate(ids, level=automatic.COORDINATOR_LEVEL, now=now),
        batch_size=batch_size,
    )
    level1 = _in_batches(
        to_agency, lambda ids: automatic.reports_escalate(ids, level=automatic.AGENCY_LEVEL, now=now),
        batch_size=batch_size,
    )
    return {"escalated_to_agency": level1, "escalated_to_coordinator": level2}


def close_unanswered(*, now: datetime, batch_size: int = 2000) -> int:
    candidates = Report.objects.filter(status=Status.FOLLOWED_UP, stage_due_at__lt=now)
    return _in_batches(candidates, lambda ids: automatic.reports_close_by_system(ids, now=now), batch_size=batch_size)


def archive_unfinished_holds(*, now: datetime, batch_size: int = 2000) -> int:
    if automatic.unfinished_reason() is None:
        log.warning("archive reason %r missing: held reports are not archived", automatic.UNFINISHED_REASON)
        return 0
    candidates = Report.objects.filter(status=Status.ON_HOLD, held_at__lt=automatic.hold_expiry(now))
    return _in_batches(candidates, lambda ids: automatic.reports_archive_unfinished(ids, now=now), batch_size=batch_size)


def run_sweep(*, now: datetime | None = None, batch_size: int = 2000) -> dict[str, int]:
    """Every step once; returns how many reports each step changed (all zero on a second run)."""
    now = now or timezone.now()
    started = time.monotonic()
    result = {
        "closed": close_unanswered(now=now, batch_size=batch_size),
        "archived": archive_unfinished_holds(now=now, batch_size=batch_size),
        **escalate_late(now=now, batch_size=batch_size),
        "reminded": remind_due_soon(now=now, batch_size=batch_size),
    }
    log.info("sweep %s in %.2f s", result, time.monotonic() - started)
    return result
