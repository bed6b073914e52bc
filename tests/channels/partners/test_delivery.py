"""Webhook delivery: signed, in order per report, backing off, never given up silently, and
recognisable when sent again."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from lapor.channels.partners import delivery
from lapor.channels.partners.delivery import MAX_ATTEMPTS, body_of, deliver_webhooks, http_transport
from lapor.channels.partners.models import WebhookDelivery
from lapor.channels.partners.signing import HEADER, sign, verify_signature
from lapor.complaints import handling, services
from lapor.core import jobs

from ...factories import make_report
from .conftest import WEBHOOK, Receiver

State = WebhookDelivery.State


def disposed(world, n=1):
    reports = []
    for _ in range(n):
        report = make_report(reporter=world.reporter, region=world.bali_village)
        reports.append(services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a))
    return reports


def answered(world, report):
    return services.report_follow_up(actor=world.admin_a, report=report.pk, answer="Sudah ditangani minggu ini.")


class Recorder:
    """A transport that records each call and answers from a script (default 204)."""

    def __init__(self, answer=lambda payload: 204):
        self.calls: list[tuple[str, bytes, dict]] = []
        self.answer = answer

    def __call__(self, url, body, headers, timeout):
        self.calls.append((url, body, headers))
        result = self.answer(json.loads(body))
        if isinstance(result, Exception):
            raise result
        return result

    def events(self):
        return [(json.loads(b)["report"]["tracking_id"], json.loads(b)["type"]) for _u, b, _h in self.calls]


def test_a_delivery_is_signed_and_carries_its_id(world, hendi):
    (report,) = disposed(world)
    recorder = Recorder()
    assert deliver_webhooks(transport=recorder)["sent"] == 1
    ((url, body, headers),) = recorder.calls
    row = WebhookDelivery.objects.get()
    assert url == WEBHOOK and body == body_of(row.payload)
    assert verify_signature(body, headers[HEADER], hendi.secret)
    assert headers["X-Lapor-Delivery"] == headers["Idempotency-Key"] == str(row.delivery_id) == json.loads(body)["delivery_id"]
    assert (headers["Content-Type"], headers["X-Lapor-Event"]) == ("application/json", "report.disposed")
    assert (row.state, row.attempts, row.sent_at is not None) == (State.SENT, 1, True)
    assert deliver_webhooks(transport=recorder)["sent"] == 0  # nothing twice


def test_a_failing_change_holds_back_its_reports_later_changes_only(world, hendi):
    a, b = disposed(world, 2)
    answered(world, a)
    recorder = Recorder(lambda p: 500 if (p["report"]["tracking_id"], p["type"]) == (a.tracking_id, "report.disposed") else 204)
    now = timezone.now()
    result = deliver_webhooks(now=now, transport=recorder)
    assert result == {"sent": 1, "failed": 1, "purged": 0}
    assert recorder.events() == [(a.tracking_id, "report.disposed"), (b.tracking_id, "report.disposed")]
    # the receiver recovers: A's changes go in their order
    recorder.answer = lambda p: 204
    deliver_webhooks(now=now + timedelta(minutes=1), transport=recorder)
    assert recorder.events()[2:] == [(a.tracking_id, "report.disposed"), (a.tracking_id, "report.followed_up")]


def test_failures_back_off_exponentially(world, hendi):
    disposed(world)
    recorder = Recorder(lambda p: ConnectionRefusedError("refused"))
    now = timezone.now()
    waits = []
    for _attempt in range(4):
        deliver_webhooks(now=now, transport=recorder)
        row = WebhookDelivery.objects.get()
        waits.append(round((row.next_attempt_at - now).total_seconds()))
        deliver_webhooks(now=row.next_attempt_at - timedelta(seconds=1), transport=recorder)  # not due yet
        now = row.next_attempt_at
    assert waits == [30, 60, 120, 240]
    assert len(recorder.calls) == 4
    assert "refused" in WebhookDelivery.objects.get().last_error
    assert delivery.backoff(30) == timedelta(hours=1)


def test_after_the_last_attempt_a_change_fails_and_waits_for_an_admin(world, hendi):
    (report,) = disposed(world)
    answered(world, report)
    recorder = Recorder(lambda p: 503)
    now = timezone.now()
    for _ in range(MAX_ATTEMPTS + 3):
        deliver_webhooks(now=now, transport=recorder)
        now += timedelta(hours=2)
    first, second = WebhookDelivery.objects.order_by("id")
    assert (first.state, first.attempts, second.state, second.attempts) == (State.FAILED, MAX_ATTEMPTS, State.PENDING, 0)
    assert len(recorder.calls) == MAX_ATTEMPTS
    # an admin sends it again: the report's changes then go in order
    recorder.answer = lambda p: 200
    assert delivery.deliveries_retry(ids=[first.pk, second.pk]) == 1
    deliver_webhooks(now=now, transport=recorder)
    assert [t for _r, t in recorder.events()[-2:]] == ["report.disposed", "report.followed_up"]
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_change_claimed_by_a_dead_worker_is_sent_again_with_the_same_id(world, hendi):
    disposed(world)
    receiver = Receiver(secrets={WEBHOOK: hendi.secret})
    # a worker posted it, the receiver took it, and the worker died before recording that
    row = WebhookDelivery.objects.get()
    body, delivery_id = body_of(row.payload), str(row.delivery_id)
    receiver(WEBHOOK, body, {HEADER: sign(body, hendi.secret), "X-Lapor-Delivery": delivery_id, "Idempotency-Key": delivery_id}, 10)
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=row.pk).update(state=State.SENDING, attempts=1, claimed_at=now)
    assert deliver_webhooks(now=now + timedelta(minutes=5), transport=receiver)["sent"] == 0  # still claimed
    assert deliver_webhooks(now=now + timedelta(minutes=16), transport=receiver)["sent"] == 1
    assert (len(receiver.received), receiver.duplicates) == (1, 1)
    assert WebhookDelivery.objects.get().state == State.SENT


def test_a_receiver_that_is_down_gets_three_requests_a_run(world, hendi):
    disposed(world, 8)
    recorder = Recorder(lambda p: TimeoutError("timed out"))
    assert deliver_webhooks(transport=recorder) == {"sent": 0, "failed": 3, "purged": 0}
    assert len(recorder.calls) == 3
    assert WebhookDelivery.objects.filter(attempts=0).count() == 5  # not counted against the others


def test_pull_only_and_inactive_partners_get_no_posts(world, hendi, paman):
    hendi.partner.webhook_url = ""
    hendi.partner.save()
    (report,) = disposed(world)
    handling.report_transfer(
        actor=world.admin_a, report=report.pk, agency=world.agency_b, reason="Kewenangan Kota Mataram, bukan kami."
    )
    paman.partner.is_active = False
    paman.partner.save()
    assert WebhookDelivery.objects.filter(partner=hendi.partner).count() == 2  # its feed has them
    assert WebhookDelivery.objects.filter(partner=paman.partner).count() == 1  # written while it was active
    recorder = Recorder()
    assert deliver_webhooks(transport=recorder)["sent"] == 0 and recorder.calls == []


def test_delivered_changes_are_forgotten_after_the_retention_period(world, hendi, settings):
    disposed(world, 2)
    deliver_webhooks(transport=Recorder())
    later = timezone.now() + timedelta(days=settings.LAPOR["PARTNER_CHANGES_RETENTION_DAYS"] + 1)
    assert deliver_webhooks(now=later, transport=Recorder())["purged"] == 2
    assert not WebhookDelivery.objects.exists()


def test_the_worker_runs_it_every_minute_and_is_woken_after_a_change(world, hendi, monkeypatch, django_capture_on_commit_callbacks):
    assert jobs.get("deliver_webhooks").path == "lapor.channels.partners.delivery.deliver_webhooks"
    woken = []
    monkeypatch.setattr(jobs, "wake", woken.append)
    with django_capture_on_commit_callbacks(execute=True):
        disposed(world)
    assert "deliver_webhooks" in woken


# --- the real transport, against a receiver on the loopback interface ---------------------------


@pytest.fixture
def local_receiver():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            seen.append((self.path, self.rfile.read(int(self.headers["Content-Length"])), dict(self.headers)))
            if self.path == "/moved":
                self.send_response(307)
                self.send_header("Location", "/elsewhere")
            else:
                self.send_response(204 if self.path == "/ok" else 500)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def test_the_http_transport_posts_and_reports_the_status(local_receiver):
    base, seen = local_receiver
    assert http_transport(f"{base}/ok", b'{"a":1}', {"Content-Type": "application/json", "X-Lapor-Delivery": "d1"}, 5) == 204
    assert http_transport(f"{base}/broken", b"{}", {}, 5) == 500
    # a redirect is not followed: the signed body goes only where the partner registered
    assert http_transport(f"{base}/moved", b"{}", {}, 5) == 307
    assert [path for path, _b, _h in seen] == ["/ok", "/broken", "/moved"]
    assert seen[0][1] == b'{"a":1}' and seen[0][2]["X-Lapor-Delivery"] == "d1"


def test_an_unreachable_receiver_is_a_failure_to_retry(world, hendi):
    disposed(world)
    hendi.partner.webhook_url = "https://127.0.0.1:1/hook"  # nothing listens on port 1
    hendi.partner.save()
    assert deliver_webhooks()["failed"] == 1
    assert WebhookDelivery.objects.get().state == State.PENDING
