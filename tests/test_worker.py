"""Background jobs reach a real broker: Redis in production (skipped when none is given)."""

import datetime
import os
import uuid

import pytest
from huey import RedisHuey

REDIS_URL = os.environ.get("LAPOR_TEST_REDIS_URL", "")


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set LAPOR_TEST_REDIS_URL=redis://127.0.0.1:6379/15")
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

    import lapor.complaints.tasks  # noqa: F401

    due_on_the_quarter = {task.name for task in HUEY.read_periodic(datetime.datetime(2026, 1, 5, 9, 15))}
    due_in_between = {task.name for task in HUEY.read_periodic(datetime.datetime(2026, 1, 5, 9, 7))}
    assert any("close_unanswered_follow_ups" in name for name in due_on_the_quarter)
    assert not any("close_unanswered_follow_ups" in name for name in due_in_between)
