"""A failed step leaves the report and its history exactly as they were; steps do not race."""

import threading

import pytest
from django.db import connection, connections

from lapor.complaints import services, transitions
from lapor.complaints.models import Report, ReportAssignment, ReportEvent
from lapor.complaints.models import Status as S
from lapor.core.errors import Conflict

from .flow import due_passed, snapshot, walk_to


class Boom(RuntimeError):
    pass


def _explode(*args, **kwargs):
    raise Boom("database went away")


def test_a_failure_while_writing_the_event_rolls_back_the_status_change(world, monkeypatch):
    # given a followed-up report, and an event table that fails on insert
    report = walk_to(world, S.FOLLOWED_UP)
    before = snapshot(report)
    monkeypatch.setattr(ReportEvent.objects, "create", _explode)
    # when the admin closes it
    with pytest.raises(Boom):
        services.report_close(actor=world.admin_a, report=report)
    monkeypatch.undo()
    # then the report is still followed up and its history unchanged
    assert snapshot(report) == before


def test_a_failed_forward_writes_no_assignment(world, monkeypatch):
    # given a disposed report, and an event writer that fails
    report = walk_to(world, S.DISPOSED)
    before = snapshot(report)
    monkeypatch.setattr(transitions, "write_event", _explode)
    # when it is forwarded to two units
    with pytest.raises(Boom):
        services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1, world.unit_a2])
    monkeypatch.undo()
    # then nothing is half-written
    assert not ReportAssignment.objects.filter(report=report).exists()
    assert snapshot(report) == before


def test_a_failed_re_forward_keeps_the_previous_assignments(world, monkeypatch):
    report = walk_to(world, S.FORWARDED)
    before = snapshot(report)
    monkeypatch.setattr(transitions, "write_event", _explode)
    with pytest.raises(Boom):
        services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a2])
    monkeypatch.undo()
    assert snapshot(report) == before


def test_a_failed_return_keeps_agency_assignments_and_transfer_count(world, monkeypatch):
    report = walk_to(world, S.FORWARDED)
    before = snapshot(report)
    monkeypatch.setattr(transitions, "write_event", _explode)
    with pytest.raises(Boom):
        services.report_return(actor=world.admin_a, report=report, reason="Bukan wewenang pemerintah kota.")
    monkeypatch.undo()
    assert snapshot(report) == before


def test_a_failed_submit_stores_nothing(world, monkeypatch):
    monkeypatch.setattr(transitions, "write_event", _explode)
    with pytest.raises(Boom):
        services.report_submit(reporter=world.reporter, text="Lampu jalan di gang kami padam sudah sebulan.")
    monkeypatch.undo()
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rollback_holds_outside_a_test_transaction_too(world, monkeypatch):
    """Without pytest-django's wrapping transaction the service's own atomic block must roll back."""
    report = walk_to(world, S.DISPOSED)
    before = snapshot(report)
    monkeypatch.setattr(transitions, "write_event", _explode)
    with pytest.raises(Boom):
        services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1])
    monkeypatch.undo()
    assert connection.in_atomic_block is False
    assert snapshot(report) == before


# --- concurrency (PostgreSQL row locks) ---------------------------------------------------------


def _race(calls):
    """Run each call in its own thread and connection, released together; collect what happens."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what we assert on
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def _slow_event_writer(monkeypatch):
    """Hold the row lock a little longer, so the two transactions surely overlap."""
    original = transitions.write_event

    def slow(*args, **kwargs):
        threading.Event().wait(0.2)
        return original(*args, **kwargs)

    monkeypatch.setattr(transitions, "write_event", slow)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_closing_the_same_report_at_once_close_it_once(world, monkeypatch):
    # given a followed-up report, and two admins pressing "close" at the same moment
    report = walk_to(world, S.FOLLOWED_UP)
    events_before = ReportEvent.objects.filter(report=report).count()
    _slow_event_writer(monkeypatch)
    # when both close it
    outcomes = _race(
        [
            lambda: services.report_close(actor=world.admin_a, report=report.pk, note="Selesai oleh admin."),
            lambda: services.report_close(actor=world.verifier, report=report.pk, note="Selesai oleh verifikator."),
        ]
    )
    # then exactly one succeeds, the other is told the state moved on, and one event is written
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Report"], outcomes
    assert Report.objects.get(pk=report.pk).status == S.COMPLETED
    assert ReportEvent.objects.filter(report=report).count() == events_before + 1
    assert ReportEvent.objects.filter(report=report, type="report.closed").count() == 1


def _exactly_one_wins(report, outcomes, events_before):
    winners = [o for o in outcomes if isinstance(o, Report)]
    losers = [o for o in outcomes if not isinstance(o, Report)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], Conflict), repr(losers[0])
    assert Report.objects.get(pk=report.pk).status == winners[0].status
    assert ReportEvent.objects.filter(report=report).count() == events_before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_system_closing_while_the_reporter_replies_lets_exactly_one_win(world, monkeypatch):
    # given a follow-up past its reply period: the sweep may close it, the reporter may still reply
    report = walk_to(world, S.FOLLOWED_UP)
    events_before = ReportEvent.objects.filter(report=report).count()
    now = due_passed(report)
    _slow_event_writer(monkeypatch)
    # when both happen at once (either order conflicts: a closed report takes no reply, and a
    # replied one is no longer an unanswered follow-up)
    outcomes = _race(
        [
            lambda: services.report_close_by_system(report=report.pk, now=now),
            lambda: services.report_reply(
                actor=world.reporter, report=report.pk, message="Belum diperbaiki, mohon dicek.", now=now
            ),
        ]
    )
    # then exactly one succeeds and exactly one event is written
    _exactly_one_wins(report, outcomes, events_before)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_follow_ups_posted_at_once_are_recorded_once(world, monkeypatch):
    report = walk_to(world, S.REPORTER_REPLIED)
    events_before = ReportEvent.objects.filter(report=report).count()
    _slow_event_writer(monkeypatch)
    outcomes = _race(
        [
            lambda: services.report_follow_up(
                actor=world.admin_a, report=report.pk, answer="Tambalan kedua dikerjakan oleh admin."
            ),
            lambda: services.report_follow_up(
                actor=world.officer_a1, report=report.pk, answer="Tambalan kedua dikerjakan oleh dinas."
            ),
        ]
    )
    _exactly_one_wins(report, outcomes, events_before)
    assert Report.objects.get(pk=report.pk).status == S.FOLLOWED_UP
