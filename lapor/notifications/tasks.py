from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def deliver_outbox():
    return services.deliver_pending()


@db_periodic_task(crontab(minute="*"))
def deliver_outbox_every_minute():
    """Catches anything a lost wake-up left behind."""
    return services.deliver_pending()
