"""Writing messages to the outbox and delivering them.

Writing happens in the transaction of the change that causes the message. Delivery claims a row
(pending → sending), hands it to the channel's gateway with the row's idempotency key, and marks
it sent; a failure waits with exponential backoff, and after the last attempt the message is a
dead letter an admin can send again. A worker killed between the provider's acceptance and the
"sent" mark leaves the row claimed; it is requeued later and resent with the same key, which the
provider (and the e-mail Message-ID) recognise as the same message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from lapor.core.bulk import insert_rows

from .models import Channel, OutboxMessage
from .templates import render

log = logging.getLogger("lapor.notifications")
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=2)


def stale_claim_after() -> timedelta:
    return timedelta(seconds=settings.LAPOR.get("OUTBOX_STALE_CLAIM_SECONDS", 900))


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
    language: str = "",
) -> OutboxMessage:
    """Write a message; call it inside the transaction of the change that causes it."""
    message = OutboxMessage.objects.create(**_message(
        channel, recipient, subject=subject, body=body, kind=kind, user=user, report=report, sensitive=sensitive,
        language=language or (translation.get_language() or "id")[:2],
    ))
    if channel != Channel.IN_APP:
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


def user_channels(user) -> list[tuple[str, str]]:
    """Where an account holder asked to be reached; the in-app notice list always."""
    out = [(Channel.IN_APP, user.username)]
    if user.email and user.notify_email:
        out.append((Channel.EMAIL, user.email))
    if user.phone and user.notify_sms:
        out.append((Channel.SMS, user.phone))
    if user.phone and user.notify_whatsapp:
        out.append((Channel.WHATSAPP, user.phone))
    return out


def _merged_note(body: str, merged_from, language: str) -> str:
    if not merged_from:
        return body
    with translation.override(language):
        return _("%(text)s (laporan Anda %(mine)s digabungkan dengan laporan ini)") % {
            "text": body, "mine": merged_from[0],
        }


def _message(
    channel, recipient, *, subject, body, kind, language, user=None, report=None, sensitive=False
) -> dict:
    """An unsaved row (a dict: the sweeps write tens of thousands); an in-app notice is
    delivered by being stored."""
    now = timezone.now()
    sent = {"state": OutboxMessage.State.SENT, "sent_at": now} if channel == Channel.IN_APP else {}
    return dict(
        channel=channel, recipient=recipient, subject=subject[:200], body=body, kind=kind,
        user_id=user.pk if user is not None else None, report_id=report.pk if report is not None else None,
        language=language, sensitive=sensitive, created_at=now, next_attempt_at=now, **sent,
    )


def build_for_user(user, *, kind: str, params: dict, report=None, merged_from=()) -> list[dict]:
    """Unsaved messages to an account holder, in their language, on the channels they chose."""
    language = user.language or "id"
    subject, body = render(kind, params, language)
    body = _merged_note(body, merged_from, language)
    return [
        _message(channel, recipient, subject=subject, body=body, kind=kind, language=language, user=user, report=report)
        for channel, recipient in user_channels(user)
    ]


def build_for_contact(
    *, email: str, phone: str, language: str, kind: str, params: dict, report=None, merged_from=()
) -> list[dict]:
    """Unsaved messages to someone without an account, only through the contact they gave."""
    subject, body = render(kind, params, language)
    body = _merged_note(body, merged_from, language)
    return [
        _message(channel, recipient, subject=subject, body=body, kind=kind, language=language, report=report)
        for channel, recipient in contact_channels(email=email, phone=phone)
    ]


def outbox_bulk_enqueue(messages: list[dict]) -> int:
    """Write many messages (rows from `build_for_*`) at once, inside the transaction of the
    changes that cause them; returns how many."""
    insert_rows(OutboxMessage, messages)
    if any(m["channel"] != Channel.IN_APP for m in messages):
        transaction.on_commit(_wake_worker)
    return len(messages)


def enqueue_for_user(user, **kwargs) -> int:
    return outbox_bulk_enqueue(build_for_user(user, **kwargs))


def enqueue_for_contact(**kwargs) -> int:
    return outbox_bulk_enqueue(build_for_contact(**kwargs))


def _wake_worker() -> None:
    from lapor.core import jobs  # never raises: the row is safe and the periodic run sends it

    jobs.wake("deliver_outbox")


def _send(message: OutboxMessage) -> str:
    from .gateways import Delivery, send

    return send(
        Delivery(
            channel=message.channel,
            recipient=message.recipient,
            subject=message.subject,
            body=message.body,
            idempotency_key=str(message.idempotency_key),
            language=message.language,
        )
    )


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, … up to 2 hours between attempts (the first wait is a setting)."""
    first = timedelta(seconds=settings.LAPOR.get("OUTBOX_BACKOFF_SECONDS", BACKOFF_FIRST.total_seconds()))
    return min(first * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def requeue_stale_claims(*, older_than: timedelta | None = None, now: datetime | None = None) -> int:
    """Messages a crashed worker claimed but never finished go back to the queue (same key)."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENDING, claimed_at__lt=now - (older_than or stale_claim_after())
    ).update(state=OutboxMessage.State.PENDING, next_attempt_at=now)


def deliver_pending(*, batch_size: int = 100, now: datetime | None = None) -> int:
    """Send pending messages that are due, oldest first."""
    from .gateways import GatewayError

    State = OutboxMessage.State
    now = now or timezone.now()
    sent = 0
    requeue_stale_claims(now=now)
    pending = list(
        OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .exclude(channel=Channel.IN_APP)
        .order_by("next_attempt_at", "id")[:batch_size]
    )
    for message in pending:
        # Claim the row by moving it out of PENDING: another worker's claim then matches nothing.
        claimed = OutboxMessage.objects.filter(pk=message.pk, state=State.PENDING).update(
            state=State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
        if not claimed:
            continue
        message.refresh_from_db(fields=["attempts"])
        try:
            provider_id = _send(message)
        except Exception as error:  # noqa: BLE001  (any failure of a gateway is recorded)
            retryable = getattr(error, "retryable", True) if isinstance(error, GatewayError) else True
            dead = not retryable or message.attempts >= MAX_ATTEMPTS
            OutboxMessage.objects.filter(pk=message.pk).update(
                state=State.FAILED if dead else State.PENDING,
                last_error=str(error)[:2000],
                next_attempt_at=timezone.now() + backoff(message.attempts),
            )
            log.warning("message %s failed (attempt %d): %s", message.pk, message.attempts, error)
            continue
        done = {"state": State.SENT, "sent_at": timezone.now(), "provider_id": (provider_id or "")[:200]}
        if message.sensitive:
            done["body"] = ""
        OutboxMessage.objects.filter(pk=message.pk).update(**done)
        sent += 1
    return sent


def dead_letters_retry(*, actor, ids=None) -> int:
    """An admin sends failed messages again (all, or the ones picked), from a fresh attempt count."""
    from lapor.accounts.actors import Actor
    from lapor.accounts.models import Role
    from lapor.core.errors import PermissionDenied

    if Actor.of(actor).role != Role.SYSADMIN:
        raise PermissionDenied(_("Hanya admin sistem yang dapat mengirim ulang pesan gagal."))
    failed = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=list(ids))
    count = failed.update(
        state=OutboxMessage.State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    if count:
        transaction.on_commit(_wake_worker)
    return count


def notices_for(user, *, limit: int = 50):
    """A person's in-app notices, newest first."""
    return OutboxMessage.objects.filter(user=user, channel=Channel.IN_APP).select_related("report").order_by(
        "-created_at", "-id"
    )[:limit]


def unread_notice_count(user) -> int:
    return OutboxMessage.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True).count()


def notices_mark_read(user, *, now: datetime | None = None) -> int:
    return OutboxMessage.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )



def preferences_save(*, user, language: str, notify_email: bool, notify_sms: bool, notify_whatsapp: bool):
    """A person chooses the language and the channels of their messages (in-app always stays)."""
    from lapor.core.errors import InvalidInput

    if language not in ("id", "en"):
        raise InvalidInput(_("Bahasa tidak dikenal."), field="language")
    user.language = language
    user.notify_email, user.notify_sms, user.notify_whatsapp = bool(notify_email), bool(notify_sms), bool(notify_whatsapp)
    user.save(update_fields=["language", "notify_email", "notify_sms", "notify_whatsapp"])
    return user
