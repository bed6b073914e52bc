"""Deadlines of each stage of a report (DOMAIN.md's table), in the handling agency's zone.

The report services call these; the deadlines issue refines the calendar and adds per-agency
and per-category limits behind the same functions.
"""

from datetime import datetime

from django.conf import settings

from lapor.core.calendar import add_calendar_days

from .calendar import Calendar


def _limits() -> dict:
    return settings.LAPOR


def _zone(agency) -> str | None:
    return agency.time_zone if agency is not None else None


def verification_due(start: datetime) -> datetime:
    """National verifiers verify and dispose within 3 working days (national calendar)."""
    return Calendar().add_working_days(start, _limits()["VERIFY_WORKING_DAYS"])


def first_follow_up_due(start: datetime, agency) -> datetime:
    """The agency posts its first follow-up within 5 working days of disposition."""
    return Calendar.for_agency(agency).add_working_days(start, _limits()["FIRST_FOLLOW_UP_WORKING_DAYS"])


def auto_close_due(start: datetime, agency) -> datetime:
    """A follow-up with no reply for 10 working days closes by itself."""
    return Calendar.for_agency(agency).add_working_days(start, _limits()["AUTO_CLOSE_WORKING_DAYS"])


def completion_due(start: datetime, agency) -> datetime:
    """The whole case: 60 days (Perpres 76/2013), calendar or working days by setting."""
    days = _limits()["COMPLETION_DAYS"]
    if _limits()["COMPLETION_DAYS_ARE_WORKING_DAYS"]:
        return Calendar.for_agency(agency).add_working_days(start, days)
    return add_calendar_days(start, days, zone=_zone(agency))


def appeal_due(start: datetime, agency) -> datetime:
    """An appeal is decided within 30 days (as CPGRAMS does)."""
    return add_calendar_days(start, 30, zone=_zone(agency))
