"""Celery, for running the schedule on several machines (`LAPOR_TASK_ENGINE=celery`).

One task per job of `lapor.core.jobs.SCHEDULE`, each calling `run_job(name)`, and a beat schedule
built from the same entries. The broker is `LAPOR_CELERY_BROKER_URL`, else `REDIS_URL`; there is
no result backend (jobs report through the log and the database).

    lapor worker --engine celery            # a worker; as many machines as you like
    lapor worker --engine celery --beat     # a worker that also runs beat: exactly ONE per cluster

(`celery -A lapor.core.celery_app worker` and `celery -A lapor.core.celery_app beat` work too.)
Two beats would publish every job twice: the jobs are idempotent, so nothing breaks, but the
work doubles and two runs of a sweep race each other.

Publishing fails fast when the broker is down (a few quick retries, short socket timeouts), so
the web request whose commit wakes a job never hangs: the row waits in the database for the
next periodic run.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

from lapor.core import jobs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

QUEUE = "lapor"
# Publishing: give up after ~1 s of a dead broker instead of retrying for ever.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def task_name(job_name: str) -> str:
    return f"lapor.{job_name}"


def beat_schedule() -> dict:
    return {
        job.name: {"task": task_name(job.name), "schedule": crontab(minute=job.minute, hour=job.hour)}
        for job in jobs.SCHEDULE
    }


def celery_config(*, broker_url: str | None = None, queue: str = QUEUE) -> dict:
    from django.conf import settings

    return {
        "broker_url": broker_url or settings.LAPOR_CELERY_BROKER_URL,
        "result_backend": None,
        "task_ignore_result": True,
        "task_default_queue": queue,
        # A job is acknowledged when it has finished, and a worker takes one at a time, so a
        # worker that dies mid-job leaves the message to be redelivered, not lost.
        "task_acks_late": True,
        "worker_prefetch_multiplier": 1,
        # Fail fast when publishing (web requests, beat): connection attempts and publish retries
        # are few and short. A worker starting before its broker keeps retrying instead.
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 2,
        "task_publish_retry": True,
        "task_publish_retry_policy": PUBLISH_RETRY_POLICY,
        "broker_transport_options": {
            **PUBLISH_RETRY_POLICY,
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
        },
        # Cron fields in the schedule are UTC, as in huey.
        "enable_utc": True,
        "timezone": "UTC",
        "beat_schedule": beat_schedule(),
        "beat_schedule_filename": str(settings.DATA_DIR / "celerybeat-schedule"),
    }


def _register(app: Celery, job: jobs.Job) -> None:
    def run():
        return jobs.run_job(job.name)

    run.__name__ = run.__qualname__ = job.name
    run.__doc__ = job.doc
    app.task(name=task_name(job.name), shared=False)(run)


def make_app(*, broker_url: str | None = None, queue: str = QUEUE) -> Celery:
    """A Celery app for the schedule; settings are read when its configuration is first used."""
    app = Celery("lapor", set_as_current=False)
    app.add_defaults(lambda: celery_config(broker_url=broker_url, queue=queue))
    for job in jobs.SCHEDULE:
        _register(app, job)
    return app


app = make_app()
