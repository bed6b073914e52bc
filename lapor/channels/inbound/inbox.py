"""The durable inbox: store every inbound message first, then handle it; never lose one.

`receive()` writes each parsed message in its own transaction (a provider's resend of the same
message id is a no-op) and then hands each new one to its channel's handler. Handling runs in a
transaction of its own: a report, its events and the replies are written together or not at all,
and any unexpected failure leaves the message FAILED with its error, visible in the admin and
retried from there (or by `lapor inbound retry`). The worker's `inbound_work` job takes back
claims of dead workers and handles anything a crash left behind.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.module_loading import import_string

from lapor.core.errors import InvalidInput

from .models import Conversation, InboundMessage, SmsConcat

log = logging.getLogger("lapor.channels.inbound")
State = InboundMessage.State
STALE_CLAIM = timedelta(minutes=15)

# provider (or "sms_" for every SMS gateway) -> the function that handles one stored message
HANDLERS = {
    "sms_": "lapor.channels.inbound.sms.handle",
    "whatsapp": "lapor.channels.inbound.whatsapp.handle",
    "email": "lapor.channels.inbound.mail.handle",
    "x": "lapor.channels.inbound.social.handle",
}


@dataclass(frozen=True)
class Incoming:
    """One message parsed from a provider's request, not stored yet."""

    provider: str
    external_id: str
    sender: str = ""
    kind: str = ""
    payload: dict = field(default_factory=dict)
    raw: bytes = b""


def malformed(channel: str, what: str) -> InvalidInput:
    """A request not in the provider's documented shape: a 400 naming what is wrong; nothing is stored."""
    return InvalidInput(
        _("Isi webhook %(channel)s tidak sesuai format penyedia: %(what)s.") % {"channel": channel, "what": what},
        code="malformed_payload",
    )


@dataclass(frozen=True)
class Outcome:
    """What handling a message did: its final state, a few words, and the report it concerns."""

    state: str = State.PROCESSED
    note: str = ""
    report: object = None


@dataclass(frozen=True)
class Receipt:
    stored: list[InboundMessage]
    duplicates: int


def _storable(value):
    """JSON as PostgreSQL stores it: text without NUL characters (a gateway may pass them on)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value


def inbox_store(incoming: Incoming, *, now: datetime | None = None) -> tuple[InboundMessage, bool]:
    """Write one message in its own transaction; (the row, True) or (the earlier row, False)."""
    external_id = _storable(incoming.external_id).strip()[:255]
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                provider=incoming.provider,
                external_id=external_id,
                sender=_storable(incoming.sender)[:254],
                kind=incoming.kind[:20],
                payload=_storable(incoming.payload),
                raw=incoming.raw,
                received_at=now or timezone.now(),
            )
    except IntegrityError:
        # The provider sent it again (a retry after a timeout, a redelivery): nothing changes.
        existing = InboundMessage.objects.filter(provider=incoming.provider, external_id=external_id).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def receive(messages: Iterable[Incoming], *, now: datetime | None = None) -> Receipt:
    """Store every message, then handle the new ones in order."""
    stored, duplicates = [], 0
    for incoming in messages:
        message, created = inbox_store(incoming, now=now)
        if created:
            stored.append(message)
        else:
            duplicates += 1
    return Receipt(stored=[inbox_process(message) for message in stored], duplicates=duplicates)


def _handler(provider: str) -> Callable[[InboundMessage], Outcome]:
    path = HANDLERS.get("sms_" if provider.startswith("sms_") else provider)
    if path is None:
        raise LookupError(f"no handler for inbound provider {provider!r}")
    return import_string(path)


def inbox_process(
    message: InboundMessage | int,
    *,
    handler: Callable[[InboundMessage], Outcome] | None = None,
    from_states: tuple[str, ...] = (State.RECEIVED,),
) -> InboundMessage:
    """Claim a stored message and handle it; the row ends PROCESSED, IGNORED, WAITING or FAILED.

    A message another worker claimed is left alone (returned as it is). Replies to citizens are
    written in Indonesian, the language of the channels' keywords.
    """
    pk = message.pk if isinstance(message, InboundMessage) else message
    now = timezone.now()
    claimed = InboundMessage.objects.filter(pk=pk, state__in=from_states).update(
        state=State.PROCESSING, claimed_at=now, attempts=F("attempts") + 1
    )
    message = InboundMessage.objects.get(pk=pk)
    if not claimed:
        return message
    try:
        with transaction.atomic(), translation.override("id"):
            outcome = (handler or _handler(message.provider))(message)
            InboundMessage.objects.filter(pk=pk).update(
                state=outcome.state,
                note=str(outcome.note)[:300],
                report=outcome.report,
                error="",
                processed_at=timezone.now(),
            )
    except Exception as error:  # noqa: BLE001  (the message stays, with why it failed)
        log.exception("inbound message %s (%s %s) failed", pk, message.provider, message.external_id)
        InboundMessage.objects.filter(pk=pk).update(
            state=State.FAILED, error=_error_text(error), processed_at=timezone.now()
        )
    message.refresh_from_db()
    return message


def _error_text(error: Exception) -> str:
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    return "".join(lines)[-4000:]


def inbox_retry(*, ids: Iterable[int] | None = None) -> int:
    """Handle failed messages again (all, or the ones picked); returns how many are now handled."""
    failed = InboundMessage.objects.filter(state=State.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=list(ids))
    done = 0
    for pk in failed.order_by("received_at", "pk").values_list("pk", flat=True):
        if inbox_process(pk, from_states=(State.FAILED,)).state != State.FAILED:
            done += 1
    return done


def run_pending(*, now: datetime | None = None, batch_size: int = 200) -> dict:
    """The worker's job: take back dead claims, handle what is waiting, fetch media, finish long SMS."""
    from .sms import finish_overdue_parts
    from .whatsapp import fetch_pending_media

    now = now or timezone.now()
    requeued = InboundMessage.objects.filter(state=State.PROCESSING, claimed_at__lt=now - STALE_CLAIM).update(
        state=State.RECEIVED
    )
    waiting = list(
        InboundMessage.objects.filter(state=State.RECEIVED, received_at__lte=now)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    handled = sum(1 for pk in waiting if inbox_process(pk).state != State.RECEIVED)
    return {
        "requeued": requeued,
        "handled": handled,
        "long_sms": finish_overdue_parts(now=now),
        "media": fetch_pending_media(now=now),
    }


def purge(*, now: datetime | None = None) -> dict:
    """Forget what is no longer needed: old payloads (personal data), stale drafts, finished long SMS.

    The rows of handled messages stay, blanked, so a provider's late resend is still a duplicate.
    """
    now = now or timezone.now()
    config = settings.LAPOR_CHANNELS
    old = now - timedelta(days=config["RETENTION_DAYS"])
    blanked = InboundMessage.objects.filter(
        state__in=[State.PROCESSED, State.IGNORED], received_at__lt=old, purged_at__isnull=True
    ).update(payload={}, raw=b"", purged_at=now)
    stale = now - timedelta(hours=config["CONVERSATION_HOURS"])
    drafts = (
        Conversation.objects.filter(updated_at__lt=stale)
        .exclude(step=Conversation.Step.IDLE)
        .update(step=Conversation.Step.IDLE, draft={}, updated_at=now)
    )
    finished, _by_model = SmsConcat.objects.filter(done=True, first_at__lt=now - timedelta(days=1)).delete()
    return {"blanked": blanked, "drafts": drafts, "long_sms": finished}
