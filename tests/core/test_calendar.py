"""Working-day arithmetic of the foundation calendar (weekends only; holidays come later)."""

from datetime import datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest

from lapor.core.calendar import add_calendar_days, add_working_days, is_working_day

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
UTC = dt_timezone.utc

# January 2025: Friday 10, Saturday 11, Sunday 12, Monday 13.
FRIDAY = datetime(2025, 1, 10, 10, 0, tzinfo=WIB)
SATURDAY = datetime(2025, 1, 11, 10, 0, tzinfo=WIB)
SUNDAY = datetime(2025, 1, 12, 10, 0, tzinfo=WIB)


def end_of(year, month, day, tz):
    return datetime(year, month, day, 23, 59, 59, tzinfo=tz)


def test_weekends_are_not_working_days():
    assert [is_working_day((FRIDAY + timedelta(days=i)).date()) for i in range(4)] == [True, False, False, True]


@pytest.mark.parametrize(
    ("days", "expected_day"),
    [(0, 10), (1, 13), (2, 14), (5, 17), (6, 20), (10, 24)],
)
def test_add_working_days_skips_weekends(days, expected_day):
    assert add_working_days(FRIDAY, days, zone="Asia/Jakarta") == end_of(2025, 1, expected_day, WIB)


@pytest.mark.parametrize("start", [SATURDAY, SUNDAY], ids=["saturday", "sunday"])
def test_a_start_on_the_weekend_counts_from_monday(start):
    assert add_working_days(start, 0, zone="Asia/Jakarta") == end_of(2025, 1, 13, WIB)
    assert add_working_days(start, 1, zone="Asia/Jakarta") == end_of(2025, 1, 14, WIB)
    assert add_working_days(start, 3, zone="Asia/Jakarta") == end_of(2025, 1, 16, WIB)


def test_zero_days_on_a_weekday_is_the_end_of_that_day():
    tuesday_night = datetime(2025, 1, 14, 23, 0, tzinfo=WIB)
    assert add_working_days(tuesday_night, 0, zone="Asia/Jakarta") == end_of(2025, 1, 14, WIB)


def test_the_result_is_the_end_of_the_day_in_the_zone_returned_in_utc():
    due = add_working_days(FRIDAY, 1, zone="Asia/Jayapura")
    assert due.utcoffset() == timedelta(0)
    assert due == datetime(2025, 1, 13, 14, 59, 59, tzinfo=UTC)  # 23:59:59 WIT (UTC+9)
    assert due.astimezone(WIT).time().isoformat() == "23:59:59"


def test_the_zone_decides_which_day_it_is():
    # Friday 23:30 in Jakarta is already Saturday 01:30 in Jayapura
    late_friday = datetime(2025, 1, 10, 16, 30, tzinfo=UTC)
    assert add_working_days(late_friday, 0, zone="Asia/Jakarta") == end_of(2025, 1, 10, WIB)
    assert add_working_days(late_friday, 0, zone="Asia/Jayapura") == end_of(2025, 1, 13, WIT)
    assert add_working_days(late_friday, 1, zone="Asia/Jakarta") == end_of(2025, 1, 13, WIB)
    assert add_working_days(late_friday, 1, zone="Asia/Jayapura") == end_of(2025, 1, 14, WIT)


def test_same_local_day_ends_earlier_in_utc_further_east():
    wib = add_working_days(FRIDAY, 0, zone="Asia/Jakarta")
    wita = add_working_days(FRIDAY, 0, zone="Asia/Makassar")
    wit = add_working_days(FRIDAY, 0, zone="Asia/Jayapura")
    assert wib - wita == timedelta(hours=1) and wita - wit == timedelta(hours=1)


def test_the_default_zone_is_the_settings_time_zone(settings):
    settings.TIME_ZONE = "Asia/Jayapura"
    assert add_working_days(FRIDAY, 0) == end_of(2025, 1, 10, WIT)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(FRIDAY, -1)


def test_add_calendar_days_counts_weekends_and_ends_the_day_in_the_zone():
    assert add_calendar_days(FRIDAY, 1, zone="Asia/Makassar") == end_of(2025, 1, 11, WITA)
    assert add_calendar_days(FRIDAY, 30, zone="Asia/Jakarta") == end_of(2025, 2, 9, WIB)
