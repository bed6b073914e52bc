"""`lapor serve`: the web server and the background worker together, for one machine.

Production deployments may run `gunicorn config.wsgi` and `lapor worker` separately instead; with
`LAPOR_TASK_ENGINE=celery` this one machine's worker also runs beat, so serve lapor this way on
one machine only (several machines run workers without `--beat` and exactly one with it).
"""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve lapor over HTTP (waitress) together with its background worker (`lapor worker`)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options):
        from waitress import serve

        from config.wsgi import application

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not no_worker:
            command = [sys.executable, "-m", "lapor", "worker", "--verbosity", "0"]
            if settings.LAPOR_TASK_ENGINE == "celery":
                command.append("--beat")  # this machine is the whole cluster
            worker = subprocess.Popen(command)
            self.stdout.write(f"Background worker started (pid {worker.pid}).")

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"lapor is serving on http://{host}:{port}/  (Ctrl+C to stop)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="lapor")
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
