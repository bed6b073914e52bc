"""The outbox: rows written with the change, delivered by a worker, retried, never sent twice."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django.db import transaction

from lapor.accounts.models import Role
from lapor.notifications import gateways, services
from lapor.notifications.models import Channel, OutboxMessage
from lapor.notifications.services import MAX_ATTEMPTS, contact_channels, deliver_pending, outbox_enqueue

from ..factories import make_user


class Boom(RuntimeError):
    pass


def enqueue(channel=Channel.EMAIL, recipient="made@contoh.id", **extra) -> OutboxMessage:
    extra.setdefault("body", "Laporan Anda telah diterima.")
    extra.setdefault("kind", "report.submitted")
    return outbox_enqueue(channel=channel, recipient=recipient, **extra)


def state_of(message: OutboxMessage) -> tuple:
    message.refresh_from_db()
    return message.state, message.attempts


# --- writing --------------------------------------------------------------------------------------


def test_a_message_enqueued_in_a_transaction_that_rolls_back_leaves_no_row(db, django_capture_on_commit_callbacks):
    # when a change writes a message and then fails
    with django_capture_on_commit_callbacks() as wakeups:
        with pytest.raises(Boom):
            with transaction.atomic():
                enqueue()
                assert OutboxMessage.objects.count() == 1
                raise Boom("the change failed")

    # then the message is gone with it and no worker is woken
    assert not OutboxMessage.objects.exists()
    assert wakeups == []


def test_a_committed_message_is_pending_and_wakes_the_worker(db, django_capture_on_commit_callbacks):
    user = make_user(Role.REPORTER)
    with django_capture_on_commit_callbacks() as wakeups:
        with transaction.atomic():
            message = enqueue(subject="S" * 250, user=user)

    message.refresh_from_db()
    assert (message.state, message.attempts, message.sent_at, message.last_error) == (
        OutboxMessage.State.PENDING, 0, None, "",
    )
    assert message.subject == "S" * 200 and message.user == user
    assert len(wakeups) == 1


def test_contact_channels_reach_email_and_phone():
    assert contact_channels(email="a@contoh.id", phone="+6281234567890") == [
        (Channel.EMAIL, "a@contoh.id"),
        (Channel.SMS, "+6281234567890"),
    ]
    assert contact_channels(phone="+6281234567890") == [(Channel.SMS, "+6281234567890")]
    assert contact_channels() == []


# --- delivering -----------------------------------------------------------------------------------


def test_email_is_sent_through_django_mail_and_marked_sent(db, mailoutbox):
    # given a pending e-mail
    message = enqueue(subject="Laporan LAP-ABCD-EFGH diterima", body="Nomor laporan Anda LAP-ABCD-EFGH.")

    # when the worker delivers
    sent = deliver_pending()

    # then one mail went out with that subject, body and recipient, and the row is sent
    assert sent == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert (mail.to, mail.subject, mail.body) == (
        ["made@contoh.id"], "Laporan LAP-ABCD-EFGH diterima", "Nomor laporan Anda LAP-ABCD-EFGH.",
    )
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.SENT, 1)
    assert message.sent_at is not None


def test_an_email_without_subject_gets_a_default_subject(db, mailoutbox):
    enqueue(subject="")
    deliver_pending()
    assert mailoutbox[0].subject == "lapor"


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.WHATSAPP])
def test_sms_and_whatsapp_go_through_the_logging_gateway(db, mailoutbox, caplog, channel):
    message = enqueue(channel=channel, recipient="+6281234567890", body="Kode verifikasi lapor Anda: 123456.")

    with caplog.at_level(logging.INFO, logger="lapor.notifications"):
        assert deliver_pending() == 1

    assert state_of(message) == (OutboxMessage.State.SENT, 1)
    assert mailoutbox == []
    assert any(
        "+6281234567890" in record.getMessage() and "123456" in record.getMessage() for record in caplog.records
    )


def test_in_app_messages_are_delivered_by_being_stored(db, mailoutbox):
    message = enqueue(channel=Channel.IN_APP, recipient="made.sukerta")
    assert state_of(message) == (OutboxMessage.State.SENT, 0)
    assert deliver_pending() == 0
    assert mailoutbox == []


def test_pending_rows_go_oldest_first_in_batches(db, mailoutbox):
    # given three pending e-mails
    for n in range(3):
        enqueue(recipient=f"warga{n}@contoh.id")

    # when the worker takes two at a time
    assert deliver_pending(batch_size=2) == 2
    assert [mail.to for mail in mailoutbox] == [["warga0@contoh.id"], ["warga1@contoh.id"]]
    assert deliver_pending(batch_size=2) == 1

    # then all went, each once, and a further run finds nothing
    assert [mail.to[0] for mail in mailoutbox] == ["warga0@contoh.id", "warga1@contoh.id", "warga2@contoh.id"]
    assert deliver_pending() == 0
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}


def test_delivering_twice_never_sends_a_row_twice(db, mailoutbox):
    enqueue(recipient="satu@contoh.id")
    enqueue(recipient="dua@contoh.id")

    assert deliver_pending() == 2
    assert deliver_pending() == 0

    assert sorted(mail.to[0] for mail in mailoutbox) == ["dua@contoh.id", "satu@contoh.id"]
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1]


# --- failures -------------------------------------------------------------------------------------


def test_a_failing_sender_leaves_the_row_pending_with_the_error(db, monkeypatch, mailoutbox):
    # given a pending e-mail and a mail server that refuses
    message = enqueue()
    monkeypatch.setattr(gateways.EmailMessage, "send", _refuse)

    # when the worker delivers
    assert deliver_pending() == 0

    # then the row waits for a retry, with the attempt and the error recorded
    message.refresh_from_db()
    assert (message.state, message.attempts, message.sent_at) == (OutboxMessage.State.PENDING, 1, None)
    assert message.last_error == "mail server: 421 server busy"


def test_a_failure_does_not_stop_the_rest_of_the_batch(db, monkeypatch, mailoutbox):
    failing = enqueue(recipient="rusak@contoh.id")
    fine = enqueue(channel=Channel.SMS, recipient="+6281234567890")
    monkeypatch.setattr(gateways.EmailMessage, "send", _refuse)

    assert deliver_pending() == 1

    assert state_of(failing) == (OutboxMessage.State.PENDING, 1)
    assert state_of(fine) == (OutboxMessage.State.SENT, 1)


def test_after_the_maximum_attempts_the_row_is_failed_and_left_alone(db, monkeypatch):
    # given an e-mail and a mail server that keeps refusing
    message = enqueue()
    monkeypatch.setattr(gateways.EmailMessage, "send", _refuse)

    # when the worker tries one short of the maximum (each time after the back-off), the row is
    # still pending
    for _ in range(MAX_ATTEMPTS - 1):
        deliver_pending(now=later())
    assert state_of(message) == (OutboxMessage.State.PENDING, MAX_ATTEMPTS - 1)

    # and after the last try it is failed
    deliver_pending(now=later())
    assert state_of(message) == (OutboxMessage.State.FAILED, MAX_ATTEMPTS)
    assert message.last_error == "mail server: 421 server busy"

    # then later runs do not touch it, even with the server back
    monkeypatch.undo()
    assert deliver_pending(now=later()) == 0
    assert state_of(message) == (OutboxMessage.State.FAILED, MAX_ATTEMPTS)


def test_a_retry_after_a_failure_sends_and_marks_sent(db, monkeypatch, mailoutbox):
    message = enqueue()
    monkeypatch.setattr(gateways.EmailMessage, "send", _refuse)
    deliver_pending()
    monkeypatch.undo()

    # not before its back-off has passed
    assert deliver_pending() == 0
    assert deliver_pending(now=later()) == 1

    assert state_of(message) == (OutboxMessage.State.SENT, 2)
    assert len(mailoutbox) == 1


# --- concurrency ----------------------------------------------------------------------------------


def test_a_row_claimed_by_another_worker_after_our_select_is_skipped(db, monkeypatch):
    # given two pending rows; while this worker sends the first, another worker claims the second
    first = enqueue(channel=Channel.SMS, recipient="+6281111111111")
    second = enqueue(channel=Channel.SMS, recipient="+6282222222222")
    real_send = services._send
    sent = []

    def send_and_let_another_worker_claim(message):
        sent.append(message.pk)
        if message.pk == first.pk:
            OutboxMessage.objects.filter(pk=second.pk, state=OutboxMessage.State.PENDING).update(
                state=OutboxMessage.State.SENDING, attempts=1, claimed_at=timezone.now()
            )
        real_send(message)

    monkeypatch.setattr(services, "_send", send_and_let_another_worker_claim)

    # when this worker delivers its batch
    assert deliver_pending() == 1

    # then it sent only the first; the second is left to the worker that claimed it
    assert sent == [first.pk]
    assert state_of(first) == (OutboxMessage.State.SENT, 1)
    assert state_of(second) == (OutboxMessage.State.SENDING, 1)


def test_a_worker_starting_while_another_is_sending_does_not_send_the_row_again(db, monkeypatch):
    # given one pending row, and a gateway that is slow: a second worker runs while the first sends
    message = enqueue(channel=Channel.SMS, recipient="+6281234567890")
    real_send = services._send
    sent = []

    def slow_send(m):
        sent.append(m.pk)
        if len(sent) == 1:
            deliver_pending()  # the second worker's whole run, during the first worker's send
        real_send(m)

    monkeypatch.setattr(services, "_send", slow_send)

    # when the first worker delivers
    deliver_pending()

    # then the message went out once
    assert sent == [message.pk]


def later():
    """A moment after any back-off."""
    return timezone.now() + timedelta(days=1)


def _refuse(*args, **kwargs):
    raise OSError("421 server busy")


def test_a_claim_left_by_a_crashed_worker_is_sent_later(db):
    message = enqueue(channel=Channel.SMS, recipient="+6281234567890")
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.SENDING, attempts=1, claimed_at=timezone.now() - services.stale_claim_after() * 2
    )
    assert deliver_pending() == 1
    assert state_of(message) == (OutboxMessage.State.SENT, 2)


def test_a_sensitive_body_is_blanked_once_delivered(db):
    message = services.outbox_enqueue(
        channel=Channel.SMS, recipient="+6281234567890", body="Kode: 123456", kind="account.code", sensitive=True
    )
    deliver_pending()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT and message.body == ""
