"""Rules at the end of a case: rating, appeal, closing by an admin and by the system."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lapor.complaints import services
from lapor.complaints.models import Closure, Report
from lapor.complaints.models import Status as S
from lapor.core.errors import Conflict, InvalidInput

from .flow import assert_refused, due_passed, last_event, walk, walk_to

APPEAL_REASON = "Perbaikan tidak dilakukan sama sekali."


def _rate(world, report, rating, **kw):
    return services.report_rate(actor=world.reporter, report=report.pk, rating=rating, **kw)


def _appeal(world, report, reason=APPEAL_REASON):
    return services.report_appeal(actor=world.reporter, report=report.pk, reason=reason)


# --- rating ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [1, 5, "3"])
def test_rating_from_one_to_five_is_recorded_without_changing_status(world, rating):
    report = walk_to(world, S.FOLLOWED_UP)
    rated = _rate(world, report, rating, comment="  Cepat ditangani.  ")
    assert (rated.status, rated.rating, rated.rating_comment) == (S.FOLLOWED_UP, int(rating), "Cepat ditangani.")
    assert rated.rated_at is not None
    assert last_event(report).type == "report.rated"


@pytest.mark.parametrize("rating", [0, 6, -1, "lima", None, 2.5j])
def test_rating_outside_one_to_five_is_refused(world, rating):
    report = walk_to(world, S.COMPLETED)
    assert_refused(InvalidInput, report, lambda: _rate(world, report, rating))


@pytest.mark.parametrize("rating", [4.5, 1.9])
def test_a_fractional_rating_is_refused_not_truncated(world, rating):
    report = walk_to(world, S.FOLLOWED_UP)
    assert_refused(InvalidInput, report, lambda: _rate(world, report, rating))


def test_a_report_is_rated_only_once(world):
    report = walk_to(world, S.FOLLOWED_UP)
    _rate(world, report, 4)
    # even after the case is closed
    report = walk(world, report, ["close"])
    assert_refused(Conflict, report, lambda: _rate(world, report, 5))
    assert Report.objects.get(pk=report.pk).rating == 4


# --- appeal ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [1, 2])
def test_appeal_after_a_poor_rating_reopens_a_closed_case(world, rating):
    # given a closed report rated poorly
    report = walk_to(world, S.COMPLETED)
    _rate(world, report, rating)
    # when the reporter appeals
    appealed = _appeal(world, report)
    # then it is open again for the agency, with a deadline for the decision
    assert appealed.status == S.APPEALED
    assert (appealed.closure, appealed.closed_at) == (Closure.NONE, None)
    assert appealed.appealed_at is not None and appealed.stage_due_at is not None
    assert last_event(report).message == APPEAL_REASON


@pytest.mark.parametrize("rating", [None, 3, 5])
def test_appeal_without_a_poor_rating_is_refused(world, rating):
    report = walk_to(world, S.COMPLETED)
    if rating is not None:
        _rate(world, report, rating)
    error = assert_refused(Conflict, report, lambda: _appeal(world, report))
    assert "2" in str(error)


def test_appeal_needs_a_reason(world):
    report = walk_to(world, S.COMPLETED)
    _rate(world, report, 1)
    assert_refused(InvalidInput, report, lambda: _appeal(world, report, reason="jelek"))


def test_a_report_is_appealed_only_once(world):
    # given an appeal that the agency answered again
    report = walk_to(world, S.APPEALED)
    report = services.report_follow_up(actor=world.admin_a, report=report, answer="Perbaikan ulang sudah selesai.")
    assert report.status == S.FOLLOWED_UP
    # when / then a second appeal is refused
    assert_refused(Conflict, report, lambda: _appeal(world, report))


def test_the_poor_rating_limit_for_appeals_follows_the_setting(world, settings):
    settings.LAPOR = {**settings.LAPOR, "APPEAL_MAX_RATING": 3}
    report = walk_to(world, S.COMPLETED)
    _rate(world, report, 3)
    assert _appeal(world, report).status == S.APPEALED


# --- closing by an admin -----------------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   ", "tidak"])
def test_closing_an_appealed_report_needs_a_reasoned_decision(world, note):
    report = walk_to(world, S.APPEALED)
    assert_refused(InvalidInput, report, lambda: services.report_close(actor=world.admin_a, report=report, note=note))


def test_closing_an_appealed_report_with_a_decision(world):
    report = walk_to(world, S.APPEALED)
    closed = services.report_close(actor=world.verifier, report=report, note="Banding ditolak: perbaikan sesuai SOP.")
    assert (closed.status, closed.closure) == (S.COMPLETED, Closure.BY_ADMIN)
    assert last_event(report).message == "Banding ditolak: perbaikan sesuai SOP."


def test_closing_a_followed_up_report_needs_no_note(world):
    report = walk_to(world, S.FOLLOWED_UP)
    closed = services.report_close(actor=world.admin_a, report=report)
    assert (closed.status, closed.closure, closed.stage_due_at) == (S.COMPLETED, Closure.BY_ADMIN, None)
    assert closed.closed_at is not None


# --- closing by the system ---------------------------------------------------------------------


def test_system_close_is_refused_before_the_reply_period_ends(world):
    report = walk_to(world, S.FOLLOWED_UP)
    early = report.stage_due_at - timedelta(minutes=1)
    assert_refused(Conflict, report, lambda: services.report_close_by_system(report=report, now=early))


def test_system_close_after_the_reply_period(world):
    report = walk_to(world, S.FOLLOWED_UP)
    now = due_passed(report)
    closed = services.report_close_by_system(report=report, now=now)
    assert (closed.status, closed.closure, closed.closed_at) == (S.COMPLETED, Closure.BY_SYSTEM, now)
    event = last_event(report)
    assert (event.actor_id, event.actor_role, event.created_at) == (None, "system", now)


def test_follow_up_deadline_is_ten_working_days_in_the_agencys_zone(world):
    report = walk_to(world, S.FORWARDED)
    # a Monday morning in Denpasar (WITA)
    monday = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    followed = services.report_follow_up(
        actor=world.officer_a1, report=report, answer="Sudah diperbaiki hari ini.", now=monday
    )
    assert followed.stage_due_at == datetime(2025, 3, 17, 23, 59, 59, tzinfo=ZoneInfo("Asia/Makassar"))
    assert followed.followed_up_at == monday
