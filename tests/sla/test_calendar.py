"""The working-day calendar: weekends, holidays with collective leave, zones, office hours, added days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from lapor.accounts.models import TimeZone
from lapor.sla.calendar import Calendar
from lapor.sla.models import NonWorkingDay

from ..factories import make_agency, make_region_chain

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


def local_day(moment: datetime, zone) -> date:
    return moment.astimezone(zone).date()


@pytest.mark.django_db
def test_idul_fitri_and_its_collective_leave_are_days_off():
    # Tuesday 17 March 2026: 18 cuti Nyepi, 19 Nyepi, 20 cuti Idul Fitri, 21–22 Idul Fitri (weekend),
    # 23–24 cuti Idul Fitri. Three working days are 25, 26 and 27 March.
    due = Calendar().add_working_days(datetime(2026, 3, 17, 10, 0, tzinfo=WIB), 3)
    assert local_day(due, WIB) == date(2026, 3, 27)
    assert due.astimezone(WIB).time().hour == 23


@pytest.mark.django_db
@override_settings(LAPOR={**__import__("django.conf").conf.settings.LAPOR, "COLLECTIVE_LEAVE_IS_OFF": False})
def test_collective_leave_can_count_as_work():
    from lapor.sla.calendar import clear_cache

    clear_cache()
    due = Calendar().add_working_days(datetime(2026, 3, 17, 10, 0, tzinfo=WIB), 3)
    assert local_day(due, WIB) == date(2026, 3, 23)  # 18, 20 and 23 are working days again


@pytest.mark.django_db
def test_the_count_crosses_the_year_boundary():
    # Thursday 31 Dec 2026 + 2: 1 Jan is New Year, then the weekend; Monday 4 Jan, then Tuesday
    # 5 Jan is Isra Mi'raj in 2027 (an Islamic date: it moves every year), so Wednesday 6 Jan.
    due = Calendar().add_working_days(datetime(2026, 12, 31, 9, 0, tzinfo=WIB), 2)
    assert local_day(due, WIB) == date(2027, 1, 6)


@pytest.mark.django_db
def test_weekends_are_skipped_and_a_weekend_filing_counts_from_monday():
    assert local_day(Calendar().add_working_days(datetime(2026, 11, 27, 9, 0, tzinfo=WIB), 1), WIB) == date(2026, 11, 30)
    assert local_day(Calendar().add_working_days(datetime(2026, 11, 28, 9, 0, tzinfo=WIB), 0), WIB) == date(2026, 11, 30)


@pytest.mark.django_db
def test_after_office_hours_counts_from_the_next_working_day_in_the_agencys_zone():
    # 15:30 in Jakarta is 17:30 in Jayapura: still office hours in WIB, after hours in WIT.
    filed = datetime(2026, 11, 24, 15, 30, tzinfo=WIB)
    jakarta = Calendar(zone=TimeZone.WIB).add_working_days(filed, 0)
    jayapura = Calendar(zone=TimeZone.WIT).add_working_days(filed, 0)
    assert local_day(jakarta, WIB) == date(2026, 11, 24)
    assert local_day(jayapura, WIT) == date(2026, 11, 25)
    assert jayapura.astimezone(WIT).hour == 23


@pytest.mark.django_db
def test_the_three_zones_end_the_day_at_their_own_midnight():
    filed = datetime(2026, 11, 24, 8, 0, tzinfo=WIB)
    ends = [Calendar(zone=z).add_working_days(filed, 1) for z in (TimeZone.WIB, TimeZone.WITA, TimeZone.WIT)]
    assert [e.astimezone(ZoneInfo(z)).strftime("%d %H:%M") for e, z in zip(ends, TimeZone.values)] == ["25 23:59"] * 3
    assert ends[0] - ends[1] == ends[1] - ends[2]  # one hour apart each
    assert (ends[0] - ends[2]).total_seconds() == 2 * 3600


@pytest.mark.django_db
def test_admin_added_days_apply_only_where_they_were_added():
    bali = make_region_chain("51.71.01.1001", ("Bali", "Kota Denpasar", "Denpasar Selatan", "Sesetan"))
    ntb = make_region_chain("52.71.01.1001", ("NTB", "Kota Mataram", "Ampenan", "Ampenan Selatan"))
    denpasar = make_agency(region=bali.parent.parent, time_zone=TimeZone.WITA)
    mataram = make_agency(region=ntb.parent.parent, time_zone=TimeZone.WITA)
    NonWorkingDay.objects.create(date=date(2026, 11, 25), name="Hari raya daerah", province_id="51")
    filed = datetime(2026, 11, 24, 9, 0, tzinfo=WITA)

    assert local_day(Calendar.for_agency(denpasar).add_working_days(filed, 1), WITA) == date(2026, 11, 26)
    assert local_day(Calendar.for_agency(mataram).add_working_days(filed, 1), WITA) == date(2026, 11, 25)

    NonWorkingDay.objects.create(date=date(2026, 11, 26), name="Cuti bersama tambahan")  # national
    assert local_day(Calendar.for_agency(mataram).add_working_days(filed, 1), WITA) == date(2026, 11, 25)
    assert local_day(Calendar.for_agency(denpasar).add_working_days(filed, 1), WITA) == date(2026, 11, 27)
    NonWorkingDay.objects.create(date=date(2026, 11, 25), name="HUT instansi", agency=mataram)
    assert local_day(Calendar.for_agency(mataram).add_working_days(filed, 1), WITA) == date(2026, 11, 27)
