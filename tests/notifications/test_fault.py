"""A fault test with real processes: the SMS provider fails for a while, the worker is killed
with SIGKILL in the middle of a batch, a new worker starts; every message arrives exactly once.

The worker is a separate `python -m lapor` process on its own SQLite file; the provider is an
HTTP server in this process that honours the `Idempotency-Key` header as providers that offer
one do (a repeated key is answered with the first id and not delivered again). The kill lands
after the provider accepted a message and before the worker heard back: the one moment where
only the key prevents a double send.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 40
FAIL_FIRST = 8  # the provider is down for the first requests
KILL_AT = 15  # the worker dies while the provider accepts the 15th message


class Provider:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[str] = []
        self.delivered: dict[str, int] = {}  # key -> how many times it reached a phone
        self.in_flight: str | None = None
        self.kill_now = threading.Event()
        self.release = threading.Event()

    def handle(self, key: str) -> tuple[int, dict]:
        hold = False
        with self.lock:
            self.requests.append(key)
            if len(self.requests) <= FAIL_FIRST:
                return 503, {"error": "gateway busy"}
            if key not in self.delivered:
                self.delivered[key] = 1
                if len(self.delivered) == KILL_AT and self.in_flight is None:
                    self.in_flight, hold = key, True
        if hold:  # answer only after the worker is dead
            self.kill_now.set()
            self.release.wait(30)
        return 200, {"id": f"sms-{key[:8]}"}


def serve(provider: Provider) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            key = self.headers.get("Idempotency-Key") or json.loads(body)["reference"]
            status, answer = provider.handle(key)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(answer).encode())
            except OSError:
                pass  # the worker is gone

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lapor(env: dict, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lapor", *args], cwd=ROOT, env=env, **popen)


def run(env: dict, *args: str) -> None:
    process = lapor(env, *args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output.decode()


WORKER = (
    "import time\n"
    "from lapor.notifications.services import deliver_pending\n"
    "while True:\n"
    "    deliver_pending(batch_size=100)\n"
    "    time.sleep(0.05)\n"
)

ENQUEUE = (
    "from django.db import transaction\n"
    "from lapor.notifications.services import outbox_enqueue\n"
    "with transaction.atomic():\n"
    f"    for n in range({MESSAGES}):\n"
    "        outbox_enqueue(channel='sms', recipient='+62812000%05d' % n, body='Pesan %d' % n, kind='test')\n"
)


def outbox(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db, timeout=30) as connection:
        rows = connection.execute("SELECT idempotency_key, state FROM notifications_outboxmessage").fetchall()
    return [(str(uuid.UUID(key)), state) for key, state in rows]


def test_every_message_is_delivered_exactly_once_through_failures_and_a_killed_worker(tmp_path):
    provider = Provider()
    server = serve(provider)
    db = tmp_path / "lapor.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{db}",
        "LAPOR_DATA_DIR": str(tmp_path),
        "LAPOR_SMS_BACKEND": "http",
        "LAPOR_SMS_HTTP_URL": f"http://127.0.0.1:{server.server_address[1]}/send",
        "LAPOR_OUTBOX_BACKOFF_SECONDS": "0.1",
        "LAPOR_OUTBOX_STALE_CLAIM_SECONDS": "1",
    }
    env.pop("LAPOR_TESTING", None)
    workers: list[subprocess.Popen] = []
    try:
        run(env, "migrate", "--noinput", "-v", "0")
        run(env, "shell", "-c", ENQUEUE)
        keys = {key for key, _ in outbox(db)}
        assert len(keys) == MESSAGES

        # when a worker delivers, and is killed while the provider accepts the 15th message
        workers.append(lapor(env, "shell", "-c", WORKER, stderr=subprocess.DEVNULL))
        assert provider.kill_now.wait(60), "the worker never reached the provider"
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(10)
        provider.release.set()
        states = dict(outbox(db))
        assert states[provider.in_flight] == "sending"  # claimed, accepted, never marked
        assert "pending" in states.values()  # the batch was cut short

        # and a new worker starts
        workers.append(lapor(env, "shell", "-c", WORKER, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and {s for _, s in outbox(db)} != {"sent"}:
            time.sleep(0.2)

        # then every message is marked sent and reached its recipient exactly once
        assert {s for _, s in outbox(db)} == {"sent"}
        assert set(provider.delivered) == keys
        assert set(provider.delivered.values()) == {1}
        # the provider did see the in-flight message twice (the resend after the kill) and the
        # first requests failed: both faults really happened
        assert provider.requests.count(provider.in_flight) == 2
        assert len(provider.requests) >= MESSAGES + FAIL_FIRST
    finally:
        for worker in workers:
            worker.kill()
            worker.wait(10)
        provider.release.set()
        server.shutdown()
