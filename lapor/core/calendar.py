"""Working-day arithmetic.

This is the simple calendar of the foundation: weekends are not working days. The deadlines
issue replaces `is_working_day` with one that knows public holidays, collective leave and the
agency's zone; callers only use `add_working_days`, so they need not change.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(start: datetime, days: int, *, zone: str | None = None) -> datetime:
    """The moment `days` working days after `start`, at the end of that day in `zone`.

    A start on a non-working day counts from the next working day. The result is aware (UTC).
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    tz = ZoneInfo(zone or settings.TIME_ZONE)
    local = timezone.localtime(start, tz)
    day = local.date()
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
