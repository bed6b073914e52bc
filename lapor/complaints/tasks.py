"""Background jobs: thin wrappers that call services (the schedule lives here, in one place)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import idempotency, services


@db_periodic_task(crontab(minute="*/15"))
def close_unanswered_follow_ups():
    """Every 15 minutes: close follow-ups whose reply period has passed."""
    return services.close_unanswered_follow_ups()


@db_periodic_task(crontab(minute="40"))
def purge_idempotency_keys():
    """Every hour: forget submission answers older than a day (they may hold secrets)."""
    return idempotency.idempotency_keys_purge()


@db_periodic_task(crontab(minute="5"))
def remind_due_soon():
    """Hourly: tell officers about deadlines in the coming day (once per deadline)."""
    from lapor.sla.reminders import remind_due_soon as remind

    return remind()
