"""`lapor worker`: runs the job schedule (lapor/core/jobs.py) and the jobs woken after commits.

    lapor worker                            # huey consumer with its periodic scheduler (embedded)
    lapor worker --once                     # run every job once here and exit (cron, tests)
    lapor worker --once --job deliver_outbox
    lapor worker --engine celery            # a Celery worker (LAPOR_CELERY_BROKER_URL or REDIS_URL)
    lapor worker --engine celery --beat     # ... that also runs beat: exactly one per cluster
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from lapor.core import jobs

LOG_LEVELS = {0: "WARNING", 1: "INFO"}


class Command(BaseCommand):
    help = "Run the background jobs: the huey consumer (default), a Celery worker, or every job once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=jobs.ENGINES,
            help="huey (embedded) or celery; default: the LAPOR_TASK_ENGINE setting.",
        )
        parser.add_argument("--once", action="store_true", help="Run every job once, here, and exit.")
        parser.add_argument(
            "--job",
            action="append",
            choices=list(jobs.JOBS),
            help="With --once: only this job (may be repeated).",
        )
        parser.add_argument(
            "--beat",
            action="store_true",
            help="Celery: also run the beat scheduler in this worker. Exactly one beat may run in a "
            "cluster, or every job runs twice. (The huey consumer always schedules.)",
        )
        parser.add_argument("--concurrency", type=int, help="Worker threads (huey) or processes (celery).")

    def handle(self, *args, engine, once, job, beat, concurrency, verbosity, **options):
        if job and not once:
            raise CommandError("--job goes with --once.")
        level = LOG_LEVELS.get(verbosity, "DEBUG")
        if once:
            # Each job's line goes to stdout; the job log (same lines) only with -v 2.
            logging.getLogger("lapor.jobs").setLevel("INFO" if verbosity >= 2 else "WARNING")
            return self.run_once(job or list(jobs.JOBS))
        if (engine or jobs.engine()) == "celery":
            self.run_celery(beat=beat, concurrency=concurrency, level=level)
        else:
            self.run_huey(concurrency=concurrency, level=level)

    def run_once(self, names: list[str]) -> None:
        failed = []
        for name in names:
            started = time.monotonic()
            try:
                result = jobs.run_job(name)
            except Exception as error:  # noqa: BLE001  (the other jobs still run; run_job logged it)
                failed.append(name)
                self.stderr.write(f"{name}: failed: {error!r}")
            else:
                self.stdout.write(f"{name}: {result!r} in {time.monotonic() - started:.2f} s")
        if failed:
            raise CommandError(f"{len(failed)} of {len(names)} jobs failed: {', '.join(failed)}")

    def run_huey(self, *, concurrency: int | None, level: str) -> None:
        """What `run_huey` does, with the schedule registered and the periodic scheduler on."""
        from huey.consumer_options import ConsumerConfig
        from huey.contrib.djhuey import HUEY

        if settings.HUEY.get("immediate"):
            raise CommandError("huey runs in immediate mode (test settings): there is no queue to consume.")
        autodiscover_modules("tasks")  # lapor.core.tasks: the schedule as huey periodic tasks
        options = dict(settings.HUEY.get("consumer", {}))
        options["periodic"] = True
        if concurrency:
            options["workers"] = concurrency
        config = ConsumerConfig(**options)
        config.validate()
        logger = logging.getLogger("huey")
        if not logger.handlers:
            config.setup_logger(logger)
            logger.propagate = False  # its own handler prints it; the root's would print it again
        logger.setLevel(level)
        logging.getLogger("lapor.jobs").setLevel(level)
        HUEY.create_consumer(**config.values).run()

    def run_celery(self, *, beat: bool, concurrency: int | None, level: str) -> None:
        from lapor.core.celery_app import app

        argv = ["worker", f"--loglevel={level}"]
        if beat:
            argv.append("--beat")
        if concurrency:
            argv.append(f"--concurrency={concurrency}")
        app.worker_main(argv)
