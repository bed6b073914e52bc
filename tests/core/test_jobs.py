"""One schedule for both engines; running, waking and the `lapor worker` command."""

from __future__ import annotations

import datetime
import importlib
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from lapor.core import celery_app, jobs
from lapor.notifications.models import Channel, OutboxMessage
from lapor.notifications.services import outbox_enqueue

EVERY_MINUTE = set(range(60))
EXPECTED_MINUTES = {
    "deliver_outbox": EVERY_MINUTE,
    "deliver_webhooks": EVERY_MINUTE,
    "close_unanswered_follow_ups": {0, 15, 30, 45},
    "purge_idempotency_keys": {40},
    "remind_due_soon": {5},
    "escalation_sweep": {7, 22, 37, 52},
    "monitoring_refresh": set(range(0, 60, 5)),
    "inbound_work": EVERY_MINUTE,
    "inbound_poll_email": EVERY_MINUTE,
    "inbound_purge": {50},
}
A_DAY = [datetime.datetime(2026, 1, 5) + datetime.timedelta(minutes=m) for m in range(24 * 60)]


def huey_due(moment: datetime.datetime) -> set[str]:
    from huey.contrib.djhuey import HUEY

    import lapor.core.tasks  # noqa: F401  (registers the schedule with huey)

    return {task.name for task in HUEY.read_periodic(moment)}


def celery_due(moment: datetime.datetime) -> set[str]:
    due = set()
    for name, entry in celery_app.app.conf.beat_schedule.items():
        cron = entry["schedule"]
        if moment.minute in cron.minute and moment.hour in cron.hour:
            due.add(name)
    return due


# --- the schedule ---------------------------------------------------------------------------------


def test_the_schedule_holds_every_periodic_job():
    assert set(jobs.JOBS) == set(EXPECTED_MINUTES)
    assert jobs.get("escalation_sweep").path == "lapor.sla.sweep.run_sweep"
    assert jobs.get("deliver_outbox").path == "lapor.notifications.services.deliver_pending"


@pytest.mark.parametrize("name", sorted(EXPECTED_MINUTES))
def test_each_job_fires_at_its_minutes_every_hour_on_huey(name):
    fired = {(moment.hour, moment.minute) for moment in A_DAY if name in huey_due(moment)}
    assert fired == {(hour, minute) for hour in range(24) for minute in EXPECTED_MINUTES[name]}


def test_celery_beat_and_huey_agree_on_every_minute_of_a_day():
    assert set(celery_app.app.conf.beat_schedule) == set(jobs.JOBS)
    for moment in A_DAY:
        assert celery_due(moment) == huey_due(moment), moment


def test_every_beat_entry_names_a_registered_celery_task():
    for name, entry in celery_app.app.conf.beat_schedule.items():
        assert entry["task"] == celery_app.task_name(name)
        assert entry["task"] in celery_app.app.tasks


@pytest.mark.parametrize("name", sorted(EXPECTED_MINUTES))
def test_each_job_path_names_a_function(name):
    module_path, _, attribute = jobs.get(name).path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as error:
        if error.name != module_path:
            raise
        pytest.skip(f"{module_path} is not written yet")
    assert callable(getattr(module, attribute))


def test_an_unknown_job_is_refused():
    with pytest.raises(LookupError, match="no job named 'nope'"):
        jobs.run_job("nope")
    with pytest.raises(LookupError):
        jobs.wake("nope")


# --- running --------------------------------------------------------------------------------------


@pytest.fixture
def fake_jobs(monkeypatch):
    """Every job's function replaced by one that records its call; `fail` names jobs that raise."""
    calls: list[str] = []
    fail: set[str] = set()
    by_path = {job.path: job.name for job in jobs.SCHEDULE}

    def fake_import(path):
        name = by_path[path]

        def function():
            calls.append(name)
            if name in fail:
                raise RuntimeError(f"{name} broke")
            return f"{name} done"

        return function

    monkeypatch.setattr(jobs, "import_string", fake_import)
    return calls, fail


def test_run_job_calls_the_function_and_logs_result_and_duration(fake_jobs, caplog):
    calls, _fail = fake_jobs
    with caplog.at_level(logging.INFO, logger="lapor.jobs"):
        assert jobs.run_job("remind_due_soon") == "remind_due_soon done"
    assert calls == ["remind_due_soon"]
    assert "job remind_due_soon: 'remind_due_soon done' in " in caplog.text


def test_a_failing_job_is_logged_and_raised(fake_jobs, caplog):
    _calls, fail = fake_jobs
    fail.add("purge_idempotency_keys")
    with pytest.raises(RuntimeError, match="broke"):
        jobs.run_job("purge_idempotency_keys")
    assert "job purge_idempotency_keys failed after" in caplog.text


def test_the_huey_task_runs_the_job(fake_jobs):
    from lapor.core.tasks import HUEY_TASKS

    calls, _fail = fake_jobs
    assert HUEY_TASKS["deliver_outbox"].call_local() == "deliver_outbox done"
    assert calls == ["deliver_outbox"]


def test_the_celery_task_runs_the_job(fake_jobs):
    calls, _fail = fake_jobs
    result = celery_app.app.tasks[celery_app.task_name("escalation_sweep")].apply()
    assert result.get() == "escalation_sweep done"
    assert calls == ["escalation_sweep"]


# --- waking ---------------------------------------------------------------------------------------


@pytest.fixture
def huey_deliver_spy(monkeypatch):
    from lapor.core import tasks

    enqueued = []
    monkeypatch.setitem(tasks.HUEY_TASKS, "deliver_outbox", lambda: enqueued.append("deliver_outbox"))
    return enqueued


def test_wake_does_nothing_while_huey_is_immediate(huey_deliver_spy):
    jobs.wake("deliver_outbox")
    assert huey_deliver_spy == []


def test_wake_enqueues_the_huey_task(settings, huey_deliver_spy):
    settings.HUEY = {**settings.HUEY, "immediate": False}
    jobs.wake("deliver_outbox")
    assert huey_deliver_spy == ["deliver_outbox"]


def test_a_failing_queue_is_logged_not_raised(settings, monkeypatch, caplog):
    from lapor.core import tasks

    def broken():
        raise ConnectionError("queue down")

    settings.HUEY = {**settings.HUEY, "immediate": False}
    monkeypatch.setitem(tasks.HUEY_TASKS, "deliver_outbox", broken)
    jobs.wake("deliver_outbox")
    assert "could not wake job deliver_outbox (huey)" in caplog.text


def test_a_committed_outbox_message_wakes_deliver_outbox(db, settings, huey_deliver_spy, django_capture_on_commit_callbacks):
    settings.HUEY = {**settings.HUEY, "immediate": False}
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outbox_enqueue(channel=Channel.EMAIL, recipient="made@contoh.id", body="Halo", kind="test")
    assert huey_deliver_spy == ["deliver_outbox"]


# --- the `lapor worker` command -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def restore_loggers():
    """The worker command configures the huey and job loggers; put them back afterwards."""
    loggers = [logging.getLogger(name) for name in ("huey", "lapor.jobs")]
    saved = [(logger, logger.level, list(logger.handlers), logger.propagate) for logger in loggers]
    yield
    for logger, level, handlers, propagate in saved:
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.setLevel(level)


def test_worker_once_runs_every_job_in_schedule_order(fake_jobs, capsys):
    calls, _fail = fake_jobs
    call_command("worker", "--once")
    assert calls == [job.name for job in jobs.SCHEDULE]
    out = capsys.readouterr().out
    assert all(f"{job.name}: '{job.name} done'" in out for job in jobs.SCHEDULE)


def test_worker_once_runs_the_other_jobs_when_one_fails(fake_jobs, capsys):
    calls, fail = fake_jobs
    fail.add("close_unanswered_follow_ups")
    with pytest.raises(CommandError, match=f"1 of {len(jobs.SCHEDULE)} jobs failed: close_unanswered_follow_ups"):
        call_command("worker", "--once")
    assert calls == [job.name for job in jobs.SCHEDULE]


def test_worker_once_delivers_a_pending_outbox_message(db, mailoutbox):
    message = outbox_enqueue(channel=Channel.EMAIL, recipient="made@contoh.id", body="Halo", kind="test")
    call_command("worker", "--once", "--job", "deliver_outbox")
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert [mail.to for mail in mailoutbox] == [["made@contoh.id"]]


def test_worker_job_needs_once():
    with pytest.raises(CommandError, match="--job goes with --once"):
        call_command("worker", "--job", "deliver_outbox")


def test_worker_runs_the_huey_consumer_with_the_scheduler(settings, monkeypatch):
    from huey.contrib.djhuey import HUEY

    settings.HUEY = {**settings.HUEY, "immediate": False, "consumer": {"workers": 1, "worker_type": "thread"}}
    started = {}

    class Consumer:
        def run(self):
            started["periodic_jobs"] = {task.name for task in HUEY.read_periodic(datetime.datetime(2026, 1, 5, 9, 0))}

    def create_consumer(**options):
        started["options"] = options
        return Consumer()

    monkeypatch.setattr(HUEY, "create_consumer", create_consumer)
    call_command("worker", "--concurrency", "3")
    assert started["options"]["periodic"] is True
    assert started["options"]["workers"] == 3
    assert started["periodic_jobs"] == {
        "deliver_outbox", "deliver_webhooks", "close_unanswered_follow_ups", "monitoring_refresh", "inbound_work", "inbound_poll_email",
    }


def test_worker_refuses_to_consume_an_immediate_huey():
    with pytest.raises(CommandError, match="immediate mode"):
        call_command("worker")


def test_worker_engine_celery_starts_a_celery_worker_with_beat(monkeypatch):
    argv = []
    monkeypatch.setattr(celery_app.app, "worker_main", argv.extend)
    call_command("worker", "--engine", "celery", "--beat", "--concurrency", "2")
    assert argv == ["worker", "--loglevel=INFO", "--beat", "--concurrency=2"]


def test_serve_starts_lapor_worker(settings, monkeypatch):
    import signal
    import subprocess

    import waitress

    from lapor.core.management.commands import serve

    started = []

    class Process:
        pid = 4242

        def __init__(self, command):
            started.append(command)

        def terminate(self):
            pass

        def wait(self, timeout):
            return 0

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    settings.DEBUG = True  # no collectstatic
    settings.LAPOR_TASK_ENGINE = "celery"
    monkeypatch.setattr(subprocess, "Popen", Process)
    monkeypatch.setattr(waitress, "serve", stop)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    call_command("serve")
    assert [command[1:] for command in started] == [["-m", "lapor", "worker", "--verbosity", "0", "--beat"]]
