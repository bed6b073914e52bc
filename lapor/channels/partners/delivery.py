"""Delivering the changes partners are owed: signed POSTs, in order per report, with back-off.

The `deliver_webhooks` job (every minute, and woken after a commit that wrote rows) takes the
first unsent row of each report stream (partner + report), claims it, signs and posts it,
and on success goes on with the next row of the same report. A row is never sent while an
earlier row of its report is unsent, so a receiver sees the changes of one report in the
order they happened; other reports are not held up. A failure waits 30 s, 1 min, 2 min …
up to 1 h; after `MAX_ATTEMPTS` the row is failed and holds its report's later rows until an
admin sends it again (admin action), while the partner can still read them from the feed.
Three failures in a row end a partner's turn in a run, so a receiver that is down gets a few
requests a minute, not one per report.

Exactly once, as the receiver sees it: every attempt of a row carries the same
`X-Lapor-Delivery` id (also `Idempotency-Key` and `delivery_id` in the body). A worker that dies
after the receiver accepted a row leaves it claimed; after `STALE_CLAIM` it is sent again with
the same id, and the receiver drops what it already has.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from .models import WebhookDelivery
from .signing import HEADER, sign

log = logging.getLogger("lapor.partners")

State = WebhookDelivery.State
MAX_ATTEMPTS = 20
BACKOFF_MAX = timedelta(hours=1)
STALE_CLAIM = timedelta(minutes=15)
FAILURES_PER_RUN = 3
# Each run stops after this long, so the next minute's run does not pile up on a slow receiver.
TIME_BUDGET_SECONDS = 50.0

# url, body, headers, timeout → the HTTP status; raises for a receiver that cannot be reached.
Transport = Callable[[str, bytes, dict, float], int]


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver does not redirect a signed POST elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_RefuseRedirects)


def http_transport(url: str, body: bytes, headers: dict, timeout: float) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def body_of(payload: dict) -> bytes:
    """The exact bytes posted and signed (stable for one row)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def backoff(attempts: int) -> timedelta:
    first = timedelta(seconds=settings.LAPOR.get("PARTNER_WEBHOOK_BACKOFF_SECONDS", 30))
    return min(first * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def requeue_stale_claims(*, now: datetime) -> int:
    return WebhookDelivery.objects.filter(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=State.PENDING, next_attempt_at=now
    )


def _due_heads(now: datetime, limit: int) -> list[WebhookDelivery]:
    """The first unsent row of each report stream, when it is due and its partner listens."""
    earlier_unsent = WebhookDelivery.objects.filter(
        partner_id=OuterRef("partner_id"), tracking_id=OuterRef("tracking_id"), id__lt=OuterRef("id")
    ).exclude(state=State.SENT)
    return list(
        WebhookDelivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now, partner__is_active=True)
        .exclude(partner__webhook_url="")
        .filter(~Exists(earlier_unsent))
        .select_related("partner")
        .order_by("next_attempt_at", "id")[:limit]
    )


def _stream(head: WebhookDelivery) -> Iterator[WebhookDelivery]:
    """The head, then (read once the head went through) the rows after it up to the first one
    not waiting: another worker's, or failed for good. Rows written later are the next run's."""
    yield head
    for row in (
        WebhookDelivery.objects.filter(partner_id=head.partner_id, tracking_id=head.tracking_id, id__gt=head.id)
        .exclude(state=State.SENT)
        .order_by("id")
    ):
        if row.state != State.PENDING:
            return
        row.partner = head.partner
        yield row


def _attempt(row: WebhookDelivery, transport: Transport, now: datetime) -> bool | None:
    """Claim, sign, post, record. True: accepted; False: failed; None: another worker had it."""
    claimed = WebhookDelivery.objects.filter(pk=row.pk, state=State.PENDING).update(
        state=State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:
        return None
    attempts = row.attempts + 1
    partner = row.partner
    body = body_of(row.payload)
    delivery_id = str(row.delivery_id)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "lapor-webhooks/1",
        HEADER: sign(body, partner.signing_secret),
        "X-Lapor-Delivery": delivery_id,
        "Idempotency-Key": delivery_id,
        "X-Lapor-Event": row.event_type,
        "X-Lapor-Attempt": str(attempts),
    }
    timeout = settings.LAPOR.get("PARTNER_WEBHOOK_TIMEOUT", 10)
    try:
        status = transport(partner.webhook_url, body, headers, timeout)
        error = "" if 200 <= status < 300 else f"receiver answered HTTP {status}"
    except Exception as exc:  # noqa: BLE001  (whatever the network did, the row is retried)
        error = f"receiver unreachable: {exc}"
    if not error:
        WebhookDelivery.objects.filter(pk=row.pk).update(state=State.SENT, sent_at=timezone.now(), last_error="")
        return True
    WebhookDelivery.objects.filter(pk=row.pk).update(
        state=State.FAILED if attempts >= MAX_ATTEMPTS else State.PENDING,
        last_error=error[:2000],
        next_attempt_at=now + backoff(attempts),
    )
    log.warning("webhook %s to %s failed (attempt %d): %s", row.pk, partner.code, attempts, error)
    return False


def deliver_webhooks(
    *, now: datetime | None = None, transport: Transport | None = None, budget: int = 2000,
    time_budget: float = TIME_BUDGET_SECONDS,
) -> dict[str, int]:
    """One run of the worker: every due report stream, in order, until done or out of budget."""
    now = now or timezone.now()
    transport = transport or http_transport
    started = time.monotonic()
    requeue_stale_claims(now=now)
    sent = failed = 0
    strikes: Counter[int] = Counter()
    for head in _due_heads(now, budget):
        if strikes[head.partner_id] >= FAILURES_PER_RUN:
            continue
        for row in _stream(head):
            if sent + failed >= budget or time.monotonic() - started > time_budget:
                return {"sent": sent, "failed": failed, "purged": 0}
            # Each claim succeeds only for a row still waiting: its predecessor was sent just now.
            outcome = _attempt(row, transport, now)
            if outcome is None:
                break
            if not outcome:
                strikes[row.partner_id] += 1
                failed += 1
                break
            strikes[row.partner_id] = 0
            sent += 1
    return {"sent": sent, "failed": failed, "purged": purge_old(now=now)}


def purge_old(*, now: datetime) -> int:
    """Forget delivered changes after the retention period (the feed then starts later)."""
    days = settings.LAPOR.get("PARTNER_CHANGES_RETENTION_DAYS", 90)
    old = WebhookDelivery.objects.filter(created_at__lt=now - timedelta(days=days))
    deleted, _by_model = old.filter(Q(state=State.SENT) | Q(partner__webhook_url="")).delete()
    return deleted


def deliveries_retry(*, ids) -> int:
    """An admin sends failed rows again from a fresh attempt count (their reports move on)."""
    count = WebhookDelivery.objects.filter(pk__in=list(ids), state=State.FAILED).update(
        state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    if count:
        from .changes import wake

        wake()
    return count
