"""The periodic sweep that closes follow-ups left unanswered (ditutup oleh sistem)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lapor.complaints import services
from lapor.complaints.models import Closure, Report, ReportEvent
from lapor.complaints.models import Status as S

from .flow import snapshot, walk, walk_to

WITA = ZoneInfo("Asia/Makassar")


def _followed_up_at(world, moment):
    report = walk_to(world, S.FORWARDED)
    return services.report_follow_up(
        actor=world.officer_a1, report=report, answer="Sudah ditangani oleh dinas terkait.", now=moment
    )


def test_sweep_closes_due_follow_ups_once_and_is_idempotent(world):
    # given a follow-up posted on 3 March (due 17 March) and one posted on 10 March (due 24 March)
    early = _followed_up_at(world, datetime(2025, 3, 3, 9, tzinfo=WITA))
    late = _followed_up_at(world, datetime(2025, 3, 10, 9, tzinfo=WITA))
    now = datetime(2025, 3, 18, 8, tzinfo=WITA)
    late_before = snapshot(late)

    # when the sweep runs
    assert services.close_unanswered_follow_ups(now=now) == 1

    # then only the due report is closed by the system, with one event
    closed = Report.objects.get(pk=early.pk)
    assert (closed.status, closed.closure, closed.closed_at) == (S.COMPLETED, Closure.BY_SYSTEM, now)
    assert ReportEvent.objects.filter(report=early, type="report.closed_by_system").count() == 1
    assert snapshot(late) == late_before

    # and a second run with the same `now` closes nothing and writes nothing
    events = ReportEvent.objects.count()
    assert services.close_unanswered_follow_ups(now=now) == 0
    assert ReportEvent.objects.count() == events


def test_sweep_skips_reports_the_reporter_replied_to_or_that_were_closed(world):
    moment = datetime(2025, 3, 3, 9, tzinfo=WITA)
    replied = walk(world, _followed_up_at(world, moment), ["reply"])
    closed = walk(world, _followed_up_at(world, moment), ["close"])
    before = [snapshot(replied), snapshot(closed)]
    assert services.close_unanswered_follow_ups(now=moment + timedelta(days=60)) == 0
    assert [snapshot(replied), snapshot(closed)] == before


def test_sweep_skips_a_report_answered_while_it_runs(world, monkeypatch):
    # given two due follow-ups, and a reporter who replies to the second one after the sweep
    # picked its candidates and before it closes them
    from lapor.complaints import automatic

    moment = datetime(2025, 3, 3, 9, tzinfo=WITA)
    first, second = _followed_up_at(world, moment), _followed_up_at(world, moment)
    close = automatic.reports_close_by_system

    def close_while_the_reporter_replies(ids, *, now):
        assert set(ids) == {first.pk, second.pk}
        services.report_reply(actor=world.reporter, report=second.pk, message="Belum diperbaiki, mohon dicek.")
        return close(ids, now=now)

    monkeypatch.setattr(automatic, "reports_close_by_system", close_while_the_reporter_replies)
    # when the sweep runs, then it closes the first, skips the second and does not fail
    assert services.close_unanswered_follow_ups(now=moment + timedelta(days=30)) == 1
    assert Report.objects.get(pk=first.pk).status == S.COMPLETED
    assert Report.objects.get(pk=second.pk).status == S.REPORTER_REPLIED
    assert not ReportEvent.objects.filter(report=second, type="report.closed_by_system").exists()


def test_sweep_works_in_batches(world, monkeypatch):
    from lapor.complaints import automatic

    moment = datetime(2025, 3, 3, 9, tzinfo=WITA)
    reports = [_followed_up_at(world, moment) for _ in range(3)]
    later = moment + timedelta(days=30)
    batches = []
    close = automatic.reports_close_by_system
    monkeypatch.setattr(automatic, "reports_close_by_system", lambda ids, **kw: batches.append(list(ids)) or close(ids, **kw))
    assert services.close_unanswered_follow_ups(now=later, batch_size=2) == 3
    assert [len(b) for b in batches] == [2, 1]
    assert services.close_unanswered_follow_ups(now=later, batch_size=2) == 0
    assert set(Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)) == {S.COMPLETED}


def test_the_periodic_task_calls_the_sweep(world, monkeypatch):
    from lapor.core.tasks import HUEY_TASKS

    calls = []
    monkeypatch.setattr(services, "close_unanswered_follow_ups", lambda **kw: calls.append(kw) or 7)
    assert HUEY_TASKS["close_unanswered_follow_ups"].call_local() == 7
    assert calls == [{}]
