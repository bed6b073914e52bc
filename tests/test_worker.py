"""Background jobs reach a real broker: Redis in production (skipped when none is given).

The outbox row is the source of truth: a wake-up that reaches a worker delivers it at once, and one
that cannot reach the broker loses nothing, because the periodic job delivers it later.
"""

import datetime
import logging
import os
import threading
import uuid

import pytest
from django.db import transaction
from huey import RedisHuey

from lapor.core import celery_app
from lapor.notifications.models import Channel, OutboxMessage
from lapor.notifications.services import outbox_enqueue

REDIS_URL = os.environ.get("LAPOR_TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs Redis: set LAPOR_TEST_REDIS_URL=redis://127.0.0.1:6379/15"
)
# Nothing listens on port 1: connections are refused at once.
DEAD_BROKER = "redis://127.0.0.1:1/0"


@needs_redis
def test_a_job_goes_through_redis_and_runs():
    huey = RedisHuey(f"lapor-test-{uuid.uuid4().hex}", url=REDIS_URL)
    try:

        @huey.task()
        def add(a, b):
            return a + b

        result = add(2, 3)
        assert huey.pending_count() == 1
        task = huey.dequeue()
        huey.execute(task)
        assert result.get() == 5
        assert huey.pending_count() == 0
    finally:
        huey.storage.flush_all()


def test_periodic_sweep_is_registered_with_the_worker():
    from huey.contrib.djhuey import HUEY

    import lapor.core.tasks  # noqa: F401

    due_on_the_quarter = {task.name for task in HUEY.read_periodic(datetime.datetime(2026, 1, 5, 9, 15))}
    due_in_between = {task.name for task in HUEY.read_periodic(datetime.datetime(2026, 1, 5, 9, 7))}
    assert "close_unanswered_follow_ups" in due_on_the_quarter
    assert "close_unanswered_follow_ups" not in due_in_between


# --- Celery ---------------------------------------------------------------------------------------


@pytest.fixture
def celery_engine(settings, monkeypatch):
    """Switch to the Celery engine with an app on the given broker (and its own queue)."""
    queues = []

    def use(broker_url: str):
        queue = f"lapor-test-{uuid.uuid4().hex}"
        queues.append(queue)
        app = celery_app.make_app(broker_url=broker_url, queue=queue)
        app.conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
        app.conf.worker_enable_remote_control = False  # no pidbox queue left in Redis
        settings.LAPOR_TASK_ENGINE = "celery"
        monkeypatch.setattr(celery_app, "app", app)
        return app

    yield use
    if REDIS_URL and queues:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for queue in queues:  # the queue and kombu's bindings for it
            keys = list(client.scan_iter(match=f"*{queue}*"))
            if keys:
                client.delete(*keys)
        client.close()


def enqueue_in_a_transaction() -> OutboxMessage:
    with transaction.atomic():
        return outbox_enqueue(channel=Channel.EMAIL, recipient="made@contoh.id", body="Laporan diterima.", kind="test")


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_delivers_the_message_its_wake_up_announces(celery_engine, mailoutbox):
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    app = celery_engine(REDIS_URL)
    delivered = threading.Event()

    def finished(sender=None, **kwargs):
        if sender.name == celery_app.task_name("deliver_outbox"):
            delivered.set()

    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False):
            # when a change commits a message (its on-commit hook wakes deliver_outbox)
            message = enqueue_in_a_transaction()
            # then a worker picks up the wake-up; the bound only turns a hang into a failure
            assert delivered.wait(timeout=30), "no worker ran deliver_outbox"
    finally:
        task_postrun.disconnect(finished)

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert [mail.to for mail in mailoutbox] == [["made@contoh.id"]]


@pytest.mark.django_db(transaction=True)
def test_a_dead_broker_fails_no_request_and_loses_no_message(celery_engine, caplog, mailoutbox):
    app = celery_engine(DEAD_BROKER)

    # when the broker is down as a change commits a message
    with caplog.at_level(logging.WARNING, logger="lapor.jobs"):
        message = enqueue_in_a_transaction()

    # then the commit went through, the failed wake-up was logged, and the message waits
    assert "could not wake job deliver_outbox (celery)" in caplog.text
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert mailoutbox == []

    # and the periodic job delivers it once it runs
    app.tasks[celery_app.task_name("deliver_outbox")].apply().get()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert [mail.to for mail in mailoutbox] == [["made@contoh.id"]]
