"""The schedule (`lapor.core.jobs`) as huey periodic tasks: one task per job.

huey's Django integration imports every installed app's `tasks` module, so `lapor worker` and
`lapor run_huey` find these. Calling a task enqueues a run now (`jobs.wake`).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lapor.core import jobs


def _register(job: jobs.Job):
    def run():
        return jobs.run_job(job.name)

    run.__name__ = run.__qualname__ = job.name
    run.__doc__ = job.doc
    return db_periodic_task(crontab(minute=job.minute, hour=job.hour), name=job.name)(run)


HUEY_TASKS = {job.name: _register(job) for job in jobs.SCHEDULE}
