"""The clock of a report: SOP limits, completion tiers, holds that pause it, interim answers.

March 2025 in WITA, no holidays: Mon 3 … Fri 7, Mon 10 … Fri 14, Mon 17 … working days.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from lapor.complaints import handling, services
from lapor.complaints.models import Report, ReportEvent
from lapor.complaints.models import Status as S
from lapor.core.errors import InvalidInput
from lapor.sla.models import ServiceStandard

from ..factories import make_report

WITA = ZoneInfo("Asia/Makassar")


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=WITA)


def end_of(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 23, 59, 59, tzinfo=WITA)


def dispose(world, *, when=None, category=None, **kwargs) -> Report:
    report = make_report(reporter=world.reporter, region=world.bali_village, category=category, now=at(3, 3, 8))
    return services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a, now=when or at(3, 3), **kwargs)


def test_national_limits_by_default(world):
    report = dispose(world)
    assert report.stage_due_at == end_of(3, 10)  # 5 working days
    assert report.completion_due_at == end_of(5, 2)  # 60 calendar days


def test_an_agency_sop_shortens_the_follow_up_limit(world):
    ServiceStandard.objects.create(agency=world.agency_a, first_follow_up_days=3)
    assert dispose(world).stage_due_at == end_of(3, 6)


def test_the_shortest_of_the_agency_and_category_limits_wins(world):
    ServiceStandard.objects.create(agency=world.agency_a, first_follow_up_days=3, completion_days=20)
    ServiceStandard.objects.create(category=world.category, first_follow_up_days=2)
    report = dispose(world, category=world.category)
    assert report.stage_due_at == end_of(3, 5)
    # 20 working days: Nyepi's collective leave (Fri 28 March), Idul Fitri (31 March, 1 April)
    # and its collective leave (2–4 and 7 April) are not counted
    assert report.completion_due_at == end_of(4, 9)
    # the SOP of another agency does not apply
    other = make_report(reporter=world.reporter, region=world.bali_village, now=at(3, 3, 8))
    other = services.report_dispose(actor=world.verifier, report=other, agency=world.agency_b, now=at(3, 3))
    assert other.stage_due_at == end_of(3, 10)


def test_an_sop_may_not_be_longer_than_the_national_limit(world):
    with pytest.raises(ValidationError) as error:
        ServiceStandard(agency=world.agency_a, first_follow_up_days=7, completion_days=90).full_clean()
    assert set(error.value.message_dict) == {"first_follow_up_days", "completion_days"}


@pytest.mark.parametrize(
    ("tier", "completion", "stage"),
    [(2, end_of(3, 5), end_of(3, 5)), (5, end_of(3, 10), end_of(3, 10)), (14, end_of(3, 21), end_of(3, 10)), (60, end_of(5, 2), end_of(3, 10))],
)
def test_a_completion_tier_sets_the_completion_date_and_caps_the_stage(world, tier, completion, stage):
    report = dispose(world, completion_tier=tier)
    assert report.completion_tier == tier
    # 60 working days end after 60 calendar days: the national 60 calendar days come first
    assert (report.completion_due_at, report.stage_due_at) == (completion, stage)


def test_an_unknown_tier_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        dispose(world, completion_tier=7)
    assert error.value.field == "completion_tier"
    assert Report.objects.get().status == S.RECEIVED


def test_the_verifier_may_set_a_tier_later_and_it_is_recorded(world):
    report = dispose(world)
    report = services.report_edit(actor=world.admin_a, report=report, completion_tier="2")
    assert (report.completion_due_at, report.stage_due_at) == (end_of(3, 5), end_of(3, 5))
    event = ReportEvent.objects.filter(report=report, type="report.edited").get()
    assert event.changes["completion_tier"] == [None, 2]


def test_a_hold_pauses_the_clock_and_the_resume_keeps_the_time_left(world):
    # disposed Mon 3 (due Mon 10); held Wed 5 with Thu, Fri, Mon left
    report = dispose(world)
    report = services.report_hold(actor=world.admin_a, report=report, question="Mohon kirim foto lokasi.", now=at(3, 5, 10))
    assert report.stage_due_at is None and report.held_at == at(3, 5, 10)
    # resumed Tue 11: Thu 6, Fri 7, Mon 10, Tue 11 were spent waiting, so the deadline moves 4
    # working days, to Fri 14 (Wed, Thu, Fri left again)
    report = services.report_resume(actor=world.reporter, report=report, message="Foto lokasi terlampir.", now=at(3, 11, 10))
    assert report.status == S.DISPOSED
    assert report.stage_due_at == end_of(3, 14)
    # and the 60 calendar days of completion move by the 6 days held
    assert report.completion_due_at == datetime(2025, 5, 8, 23, 59, 59, tzinfo=WITA)
    assert report.held_at is None and report.held_stage_due_at is None


def test_a_hold_resumed_the_same_day_changes_no_deadline(world):
    report = dispose(world)
    due, completion = report.stage_due_at, report.completion_due_at
    services.report_hold(actor=world.admin_a, report=report, question="Mohon kirim foto lokasi.", now=at(3, 5, 10))
    report = services.report_resume(actor=world.admin_a, report=report, now=at(3, 5, 14))
    assert (report.stage_due_at, report.completion_due_at) == (due, completion)


def test_a_hold_over_a_holiday_counts_only_working_days(world):
    # disposed Mon 24 March (due Mon 31 March? no: Idul Fitri 31 Mar–1 Apr and collective leave
    # 28 Mar, 2–7 Apr are off: due Tue 8 April... after 5 working days: 25, 26, 27, 8, 9 April)
    report = make_report(reporter=world.reporter, region=world.bali_village, now=at(3, 24, 8))
    report = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a, now=at(3, 24))
    assert report.stage_due_at == end_of(4, 9)
    # held Wed 26 March, resumed Tue 8 April: only Thu 27 March and Tue 8 April were working days
    services.report_hold(actor=world.admin_a, report=report, question="Mohon kirim foto lokasi.", now=at(3, 26, 10))
    report = services.report_resume(actor=world.admin_a, report=report, now=at(4, 8, 10))
    assert report.stage_due_at == end_of(4, 11)


def test_an_interim_answer_moves_completion_and_the_stage_to_its_date(world):
    report = dispose(world)
    report = handling.report_interim_answer(
        actor=world.admin_a, report=report, answer="Perbaikan menunggu pengadaan material.",
        expected_date=date(2025, 6, 30), reason="Anggaran perubahan disahkan bulan depan.", now=at(3, 4),
    )
    assert report.completion_due_at == end_of(6, 30) == report.stage_due_at
