"""Late work now: the current state, not a period.

Counting the late reports among millions of open ones takes most of a second at national scale,
too slow for every view of the red-mark list. The refresh job (every 5 minutes) counts them per
agency and unit into `LateWork`; pages read that count while it is fresh and count live when it
is not (no worker running), so a figure is never older than the setting says.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from lapor.complaints.lifecycle import HANDLING
from lapor.complaints.models import Report, Status
from lapor.core.bulk import insert_rows

from .models import LateWork, RefreshMark

LATE_STAGES = (*HANDLING, Status.RECEIVED, Status.RETURNED)
BY = {"current_agency": "agency_id", "current_unit": "unit_id"}


def _late(now: datetime, agency_ids):
    late = Report.objects.filter(status__in=LATE_STAGES, stage_due_at__lt=now)
    return late if agency_ids is None else late.filter(current_agency_id__in=list(agency_ids))


def count_late(*, now: datetime | None = None) -> int:
    """Count the late reports per agency and unit into `LateWork` (the refresh job's step)."""
    now = now or timezone.now()
    groups = _late(now, None).values("current_agency_id", "current_unit_id").annotate(n=Count("id")).order_by()
    rows = [dict(agency_id=g["current_agency_id"], unit_id=g["current_unit_id"], late=g["n"]) for g in groups]
    with transaction.atomic():
        LateWork.objects.all().delete()
        insert_rows(LateWork, rows)
        RefreshMark.objects.update_or_create(pk=1, defaults={"late_counted_at": now})
    return len(rows)


def counted_at() -> datetime | None:
    """When the count the pages read was taken; None when they count live."""
    taken = RefreshMark.objects.filter(pk=1).values_list("late_counted_at", flat=True).first()
    max_age = timedelta(seconds=settings.LAPOR["LATE_COUNT_MAX_AGE_SECONDS"])
    return taken if taken is not None and timezone.now() - taken <= max_age else None


def late_now(*, by: str = "current_agency", now: datetime | None = None, agency_ids=None) -> dict[int, int]:
    """Reports whose current stage deadline has passed, per agency or per unit.

    Without `now` (the present) the fresh count is read; a given moment is always counted live.
    """
    if now is None and counted_at() is not None:
        column = BY[by]
        rows = LateWork.objects.exclude(**{f"{column}__isnull": True})
        if agency_ids is not None:
            rows = rows.filter(agency_id__in=list(agency_ids))
        return dict(rows.values_list(column).annotate(n=Sum("late")).order_by())
    late = _late(now or timezone.now(), agency_ids).exclude(**{f"{by}__isnull": True})
    return dict(late.values_list(by).annotate(n=Count("id")).order_by())


def late_count(*, now: datetime | None = None, agency_ids=None) -> int:
    """How many reports are late now, the verifiers' stage included (one count, no grouping)."""
    if now is None and counted_at() is not None:
        rows = LateWork.objects.all() if agency_ids is None else LateWork.objects.filter(agency_id__in=list(agency_ids))
        return rows.aggregate(n=Sum("late"))["n"] or 0
    return _late(now or timezone.now(), agency_ids).count()
