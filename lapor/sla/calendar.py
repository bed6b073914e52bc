"""The working-day calendar of an agency: weekends, Indonesian holidays, collective leave and
the days admins add, counted in the agency's zone with office hours.

Holidays come from the `holidays` package (Indonesia, public and — by setting — government
collective leave, Islamic dates included); admin-added days from `NonWorkingDay`. Both are
cached per process and year; saving a day clears the cache.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, time

import holidays
from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lapor.core.calendar import add_working_days as _add

from .models import NonWorkingDay

_lock = threading.Lock()
_national: dict[int, frozenset[date]] = {}
_added: dict[tuple[str, int, int], frozenset[date]] = {}


def _categories() -> tuple[str, ...]:
    return ("public", "government") if settings.LAPOR.get("COLLECTIVE_LEAVE_IS_OFF", True) else ("public",)


def national_holidays(year: int) -> frozenset[date]:
    days = _national.get(year)
    if days is None:
        days = frozenset(holidays.country_holidays("ID", years=year, categories=_categories()))
        with _lock:
            _national[year] = days
    return days


def added_days(year: int, *, province: str = "", agency_id: int = 0) -> frozenset[date]:
    key = (province, agency_id or 0, year)
    days = _added.get(key)
    if days is None:
        scope = Q(province__isnull=True, agency__isnull=True)
        if province:
            scope |= Q(province_id=province)
        if agency_id:
            scope |= Q(agency_id=agency_id)
        days = frozenset(NonWorkingDay.objects.filter(scope, date__year=year).values_list("date", flat=True))
        with _lock:
            _added[key] = days
    return days


def clear_cache() -> None:
    with _lock:
        _national.clear()
        _added.clear()


@receiver([post_save, post_delete], sender=NonWorkingDay)
def _forget(**kwargs):
    clear_cache()


class Calendar:
    """Working days for one agency (or nationally, with no agency)."""

    def __init__(self, *, province: str = "", agency_id: int | None = None, zone: str | None = None):
        self.province = province
        self.agency_id = agency_id or 0
        self.zone = zone or settings.TIME_ZONE

    @classmethod
    def for_agency(cls, agency) -> "Calendar":
        if agency is None:
            return cls()
        province = agency.region_id.split(".")[0] if agency.region_id else ""
        return cls(province=province, agency_id=agency.pk, zone=agency.time_zone)

    @property
    def tzinfo(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.zone)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        if day in national_holidays(day.year):
            return False
        return day not in added_days(day.year, province=self.province, agency_id=self.agency_id)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        return _add(start, days, zone=self.zone, is_working_day=self.is_working_day, office_end=office_end())


def working_days_ago(now: datetime, days: int, *, calendar: "Calendar | None" = None) -> datetime:
    """The end of the working day `days` working days before today: deadlines before it are
    at least that late."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    calendar = calendar or Calendar()
    tz = calendar.tzinfo
    day = now.astimezone(tz).date()
    for _ in range(days):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    end = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tz)
    return min(end.astimezone(ZoneInfo("UTC")), now)


def office_end() -> time:
    hour, minute = settings.LAPOR.get("OFFICE_HOURS_END", "16:00").split(":")
    return time(int(hour), int(minute))
