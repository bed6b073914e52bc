"""The one schedule of background jobs, and how a job is run or woken.

Each job is a plain function without arguments, named by its dotted path and imported only when
it runs. Both engines build their timetable from `SCHEDULE`: huey (embedded, the default:
`lapor.core.tasks`) and Celery (`lapor.core.celery_app`), chosen by `LAPOR_TASK_ENGINE`.

The database is the source of truth (the outbox, report deadlines): a job finds its own work, so a
lost wake-up or a broker outage delays work until the next periodic run and loses nothing. Every
job is therefore safe to run twice or to skip once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("lapor.jobs")

ENGINES = ("huey", "celery")


@dataclass(frozen=True)
class Job:
    """A periodic job. `minute` and `hour` are cron fields ("*", "*/15", "5", "7,22,37,52"), in UTC."""

    name: str
    path: str
    minute: str = "*"
    hour: str = "*"
    doc: str = ""


SCHEDULE: tuple[Job, ...] = (
    Job(
        "deliver_outbox",
        "lapor.notifications.services.deliver_pending",
        minute="*",
        doc="Send pending outbox messages; catches anything a lost wake-up left behind.",
    ),
    Job(
        "deliver_webhooks",
        "lapor.channels.partners.delivery.deliver_webhooks",
        minute="*",
        doc="Post the changes partner apps are owed, in order per report, with back-off.",
    ),
    Job(
        "close_unanswered_follow_ups",
        "lapor.complaints.services.close_unanswered_follow_ups",
        minute="*/15",
        doc="Close follow-ups whose reply period has passed.",
    ),
    Job(
        "purge_idempotency_keys",
        "lapor.complaints.idempotency.idempotency_keys_purge",
        minute="40",
        doc="Forget submission answers older than a day (they may hold secrets).",
    ),
    Job(
        "remind_due_soon",
        "lapor.sla.reminders.remind_due_soon",
        minute="5",
        doc="Tell officers about deadlines in the coming day (once per deadline).",
    ),
    Job(
        "escalation_sweep",
        "lapor.sla.sweep.run_sweep",
        minute="7,22,37,52",
        doc="Escalate reports whose stage deadline has passed.",
    ),
    Job(
        "inbound_work",
        "lapor.channels.inbound.inbox.run_pending",
        minute="*",
        doc="Inbound channels: handle stored messages left over, finish long SMS, fetch WhatsApp photos.",
    ),
    Job(
        "inbound_poll_email",
        "lapor.channels.inbound.imap.poll_mailbox",
        minute="*",
        doc="Fetch unseen mail from the IMAP mailbox (when LAPOR_IMAP_HOST is set).",
    ),
    Job(
        "inbound_purge",
        "lapor.channels.inbound.inbox.purge",
        minute="50",
        doc="Blank old inbound payloads (personal data) and forget stale conversation drafts.",
    ),
    Job(
        "monitoring_refresh",
        "lapor.monitoring.rollups.refresh",
        minute="*/5",
        doc="Bring the indicators' facts and daily rollups up to date with new events.",
    ),
)

JOBS: dict[str, Job] = {job.name: job for job in SCHEDULE}


def get(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise LookupError(f"no job named {name!r}; the schedule has {', '.join(JOBS)}") from None


def run_job(name: str):
    """Import the job's function and call it here, logging its result and how long it took.

    A failure is logged and raised again, so the engine (or `lapor worker --once`) sees it.
    """
    job = get(name)
    function = import_string(job.path)
    started = time.monotonic()
    try:
        result = function()
    except Exception:
        log.exception("job %s failed after %.2f s", name, time.monotonic() - started)
        raise
    log.info("job %s: %r in %.2f s", name, result, time.monotonic() - started)
    return result


def engine() -> str:
    return settings.LAPOR_TASK_ENGINE


def wake(name: str) -> None:
    """Ask the configured engine to run a job soon (after a commit that gave it work).

    Never raises for an engine failure: the work is in the database and the periodic run of the
    job does it. With huey in immediate mode (the test settings) this does nothing; tests run
    jobs explicitly.
    """
    get(name)  # an unknown name is a programming error, not an outage
    try:
        if engine() == "celery":
            from lapor.core import celery_app

            celery_app.app.tasks[celery_app.task_name(name)].apply_async()
        elif not settings.HUEY.get("immediate"):
            from lapor.core import tasks

            tasks.HUEY_TASKS[name]()  # calling a huey task enqueues it
    except Exception:  # noqa: BLE001  (a broker or queue failure must not fail the request)
        log.warning("could not wake job %s (%s); its periodic run will do the work", name, engine(), exc_info=True)
