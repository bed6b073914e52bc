"""Deadlines of each stage of a report (DOMAIN.md's table), in the handling agency's zone.

National limits come from settings; an agency's or a category's SOP (`ServiceStandard`) may only
shorten them, and a report may carry a completion tier (2 / 5 / 14 / 60 working days). A hold
pauses the clock: on resume, the deadlines move by the working days the report spent held.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lapor.core.calendar import add_calendar_days, add_working_days

from .calendar import Calendar


def _limits() -> dict:
    return settings.LAPOR


def _zone(agency) -> str | None:
    return agency.time_zone if agency is not None else None


def sop_limits(agency, category) -> dict[str, int | None]:
    """The shortest SOP limits that apply to a report of `category` handled by `agency`."""
    from .models import ServiceStandard

    scope = Q()
    if agency is not None:
        scope |= Q(agency=agency, category__isnull=True)
    if category is not None:
        categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
        scope |= Q(agency__isnull=True, category_id__in=categories)
        if agency is not None:
            scope |= Q(agency=agency, category_id__in=categories)
    if not scope:
        return {"first_follow_up_days": None, "completion_days": None}
    rows = list(ServiceStandard.objects.filter(scope).values_list("first_follow_up_days", "completion_days"))
    follow = [f for f, _ in rows if f]
    complete = [c for _, c in rows if c]
    return {
        "first_follow_up_days": min(follow) if follow else None,
        "completion_days": min(complete) if complete else None,
    }


def verification_due(start: datetime) -> datetime:
    """National verifiers verify and dispose within 3 working days (national calendar)."""
    return Calendar().add_working_days(start, _limits()["VERIFY_WORKING_DAYS"])


def first_follow_up_due(start: datetime, agency, category=None) -> datetime:
    """The agency posts its first follow-up within 5 working days of disposition, or its SOP's."""
    days = _limits()["FIRST_FOLLOW_UP_WORKING_DAYS"]
    sop = sop_limits(agency, category)["first_follow_up_days"]
    if sop:
        days = min(days, sop)
    return Calendar.for_agency(agency).add_working_days(start, days)


def auto_close_due(start: datetime, agency) -> datetime:
    """A follow-up with no reply for 10 working days closes by itself."""
    return Calendar.for_agency(agency).add_working_days(start, _limits()["AUTO_CLOSE_WORKING_DAYS"])


def completion_due(start: datetime, agency, category=None, tier: int | None = None) -> datetime:
    """The whole case: 60 days (Perpres 76/2013) or the report's tier or SOP, whichever is first."""
    calendar = Calendar.for_agency(agency)
    days = _limits()["COMPLETION_DAYS"]
    if _limits()["COMPLETION_DAYS_ARE_WORKING_DAYS"]:
        due = calendar.add_working_days(start, days)
    else:
        due = add_calendar_days(start, days, zone=_zone(agency))
    sop = sop_limits(agency, category)["completion_days"]
    for working_days in (tier, sop):
        if working_days:
            due = min(due, calendar.add_working_days(start, working_days))
    return due


def agency_stage_due(start: datetime, report, agency=None) -> datetime:
    """The agency's next answer is due at its follow-up limit, or at completion if that is sooner."""
    agency = agency if agency is not None else report.current_agency
    due = first_follow_up_due(start, agency, report.category)
    if report.completion_due_at and report.completion_due_at > start:
        due = min(due, report.completion_due_at)
    return due


def appeal_due(start: datetime, agency) -> datetime:
    """An appeal is decided within 30 days (as CPGRAMS does)."""
    return add_calendar_days(start, 30, zone=_zone(agency))


def working_days_between(start: datetime, end: datetime, agency) -> int:
    """Working days after `start`'s day up to and including `end`'s day, in the agency's zone."""
    calendar = Calendar.for_agency(agency)
    first = timezone.localtime(start, calendar.tzinfo).date()
    last = timezone.localtime(end, calendar.tzinfo).date()
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def shift_by_hold(due: datetime | None, held_at: datetime, now: datetime, agency, *, calendar_days: bool = False):
    """A deadline moved by the time its report was held: the clock did not run meanwhile."""
    if due is None:
        return None
    calendar = Calendar.for_agency(agency)
    if calendar_days:
        days = (timezone.localtime(now, calendar.tzinfo).date() - timezone.localtime(held_at, calendar.tzinfo).date()).days
        return due + timedelta(days=days)
    days = working_days_between(held_at, now, agency)
    if days == 0:
        return due
    return add_working_days(due, days, zone=calendar.zone, is_working_day=calendar.is_working_day)


def completion_is_calendar_days(report) -> bool:
    return not report.completion_tier and not _limits()["COMPLETION_DAYS_ARE_WORKING_DAYS"]
