"""Working-day arithmetic.

The arithmetic alone, weekends only by default; `lapor.sla.calendar.Calendar` passes an
`is_working_day` that knows Indonesian holidays, collective leave and days admins add.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(
    start: datetime,
    days: int,
    *,
    zone: str | None = None,
    is_working_day: Callable[[date], bool] = is_working_day,
    office_end: time | None = None,
) -> datetime:
    """The moment `days` working days after `start`, at the end of that day in `zone`.

    A start on a non-working day, or after `office_end` on a working day, counts from the next
    working day. `is_working_day` is the calendar (weekends only by default; `lapor.sla.calendar`
    adds holidays). The result is aware (UTC). A pure function: no clock, no database.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    tz = ZoneInfo(zone or settings.TIME_ZONE)
    local = timezone.localtime(start, tz)
    day = local.date()
    if office_end is not None and local.time() >= office_end and is_working_day(day):
        day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    for _ in range(days):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    end_of_day = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tz)
    return end_of_day.astimezone(ZoneInfo("UTC"))


def add_calendar_days(start: datetime, days: int, *, zone: str | None = None) -> datetime:
    tz = ZoneInfo(zone or settings.TIME_ZONE)
    day = timezone.localtime(start, tz).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tz).astimezone(ZoneInfo("UTC"))
