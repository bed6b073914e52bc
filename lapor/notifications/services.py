"""Writing messages to the outbox and delivering them."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Channel, OutboxMessage

log = logging.getLogger("lapor.notifications")
MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=15)


def outbox_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    kind: str,
    subject: str = "",
    user=None,
    report=None,
    sensitive: bool = False,
) -> OutboxMessage:
    """Write a message; call it inside the transaction of the change that causes it."""
    message = OutboxMessage.objects.create(
        channel=channel,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        kind=kind,
        user=user,
        report=report,
        sensitive=sensitive,
    )
    transaction.on_commit(_wake_worker)
    return message


def contact_channels(*, email: str = "", phone: str = "") -> list[tuple[str, str]]:
    """Where a person without preferences is reached: e-mail and/or SMS."""
    out = []
    if email:
        out.append((Channel.EMAIL, email))
    if phone:
        out.append((Channel.SMS, phone))
    return out


def _wake_worker() -> None:
    from lapor.core import jobs  # never raises: the row is safe and the periodic run sends it

    jobs.wake("deliver_outbox")


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        send_mail(message.subject or "lapor", message.body, None, [message.recipient])
    elif message.channel in (Channel.SMS, Channel.WHATSAPP):
        # The demo gateway logs; the gateways themselves come with the notifications issue.
        log.info("%s to %s: %s", message.channel, message.recipient, message.body)
    # In-app messages are read where they are stored.


def requeue_stale_claims(*, older_than: timedelta = STALE_CLAIM) -> int:
    """Messages a crashed worker claimed but never finished go back to the queue."""
    return OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENDING, claimed_at__lt=timezone.now() - older_than
    ).update(state=OutboxMessage.State.PENDING)


def deliver_pending(*, batch_size: int = 100) -> int:
    """Send pending messages, oldest first; a failure is retried up to MAX_ATTEMPTS times."""
    State = OutboxMessage.State
    sent = 0
    requeue_stale_claims()
    pending = list(OutboxMessage.objects.filter(state=State.PENDING).order_by("created_at", "id")[:batch_size])
    for message in pending:
        # Claim the row by moving it out of PENDING: another worker's claim then matches nothing.
        claimed = OutboxMessage.objects.filter(pk=message.pk, state=State.PENDING).update(
            state=State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
        if not claimed:
            continue
        message.refresh_from_db(fields=["attempts"])
        try:
            _send(message)
        except Exception as error:  # noqa: BLE001  (any failure of a gateway is recorded)
            state = State.FAILED if message.attempts >= MAX_ATTEMPTS else State.PENDING
            OutboxMessage.objects.filter(pk=message.pk).update(state=state, last_error=str(error)[:2000])
            continue
        done = {"state": State.SENT, "sent_at": timezone.now()}
        if message.sensitive:
            done["body"] = ""
        OutboxMessage.objects.filter(pk=message.pk).update(**done)
        sent += 1
    return sent
