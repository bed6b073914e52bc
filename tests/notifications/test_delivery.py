"""Back-off, permanent failures, idempotency keys, dead letters, preferences and languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.accounts.models import Role
from lapor.complaints import services as report_services
from lapor.complaints.models import Status as S
from lapor.core.errors import PermissionDenied
from lapor.notifications import gateways, services
from lapor.notifications.models import Channel, OutboxMessage
from lapor.notifications.services import backoff, deliver_pending, outbox_enqueue

from ..complaints.flow import walk_to
from ..factories import make_user


def sms(**extra) -> OutboxMessage:
    return outbox_enqueue(channel=Channel.SMS, recipient="+6281234567890", body="Halo.", kind="test", **extra)


def test_backoff_doubles_from_thirty_seconds_up_to_two_hours():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(20) == timedelta(hours=2)


def test_a_failed_attempt_waits_for_its_backoff(db, monkeypatch):
    message = sms()
    monkeypatch.setattr(services, "_send", lambda m: (_ for _ in ()).throw(gateways.GatewayError("503", retryable=True)))
    before = timezone.now()
    deliver_pending()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert before + timedelta(seconds=29) < message.next_attempt_at < timezone.now() + timedelta(seconds=31)
    # a run before that moment leaves it alone
    assert deliver_pending() == 0
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_permanent_refusal_is_a_dead_letter_at_once(db, monkeypatch):
    message = sms()
    monkeypatch.setattr(services, "_send", lambda m: (_ for _ in ()).throw(gateways.GatewayError("400 bad number", retryable=False)))
    deliver_pending()
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (OutboxMessage.State.FAILED, 1, "400 bad number")


def test_every_attempt_carries_the_same_idempotency_key(db, monkeypatch):
    message = sms()
    seen = []

    def flaky(delivery):
        seen.append(delivery.idempotency_key)
        if len(seen) == 1:
            raise gateways.GatewayError("timeout", retryable=True)
        return "provider-1"

    monkeypatch.setattr(gateways, "send", flaky)
    deliver_pending()
    deliver_pending(now=timezone.now() + timedelta(minutes=5))
    message.refresh_from_db()
    assert seen == [str(message.idempotency_key)] * 2
    assert (message.state, message.provider_id) == (OutboxMessage.State.SENT, "provider-1")


def test_keys_differ_between_messages(db):
    assert sms().idempotency_key != sms().idempotency_key


def test_only_the_system_admin_resends_dead_letters(db, world):
    dead = sms()
    other = sms()
    OutboxMessage.objects.filter(pk__in=[dead.pk, other.pk]).update(state=OutboxMessage.State.FAILED, attempts=8)
    with pytest.raises(PermissionDenied):
        services.dead_letters_retry(actor=world.admin_a, ids=[dead.pk])
    assert services.dead_letters_retry(actor=world.sysadmin, ids=[dead.pk]) == 1
    dead.refresh_from_db()
    other.refresh_from_db()
    assert (dead.state, dead.attempts) == (OutboxMessage.State.PENDING, 0)
    assert other.state == OutboxMessage.State.FAILED
    assert deliver_pending() == 1


def test_preferences_choose_the_channels_and_in_app_always_stays(db, world):
    user = make_user(Role.REPORTER, phone="+6281234567890")
    channels = lambda: [c for c, _ in services.user_channels(user)]  # noqa: E731
    assert channels() == [Channel.IN_APP, Channel.EMAIL, Channel.SMS]
    services.preferences_save(user=user, language="en", notify_email=False, notify_sms=False, notify_whatsapp=True)
    user.refresh_from_db()
    assert channels() == [Channel.IN_APP, Channel.WHATSAPP] and user.language == "en"


def test_a_reporter_hears_in_their_own_language_whatever_the_officer_uses(db, world, settings):
    from django.utils import translation

    world.reporter.language = "en"
    world.reporter.save()
    report = walk_to(world, S.FORWARDED)
    with translation.override("id"):
        report_services.report_follow_up(actor=world.officer_a1, report=report, answer="Jalan sudah ditambal kemarin.")
    message = OutboxMessage.objects.get(kind="report.followed_up", channel=Channel.IN_APP, user=world.reporter)
    assert message.language == "en"
    assert "has been followed up" in message.body


def test_an_anonymous_accountless_reporter_is_reached_only_through_the_contact_given(db, world):
    from lapor.complaints import services as s

    filed = s.report_submit(
        reporter=None, text="Pungutan liar di loket KTP kecamatan setiap pagi hari kerja.", is_anonymous=True,
        contact_phone="081299998888", region=world.bali_village,
    ).report
    s.report_dispose(actor=world.verifier, report=filed, agency=world.agency_a)
    s.report_follow_up(actor=world.admin_a, report=filed, answer="Petugas loket sudah diperiksa inspektorat.")
    messages = OutboxMessage.objects.filter(report=filed, kind="report.followed_up")
    assert list(messages.values_list("channel", "recipient", "user")) == [(Channel.SMS, "+6281299998888", None)]


def test_a_hold_asks_the_reporter_and_says_when_it_will_be_archived(db, world):
    report = walk_to(world, S.DISPOSED)
    report_services.report_hold(actor=world.admin_a, report=report, question="Di mana tepatnya lokasinya?")
    body = OutboxMessage.objects.filter(kind="report.held", user=world.reporter).values_list("body", flat=True).first()
    assert "Di mana tepatnya lokasinya?" in body and "10 hari kerja" in body


def test_a_confirmation_with_a_secret_is_blanked_after_delivery(db, world):
    from lapor.complaints.filing import report_file

    filed = report_file(
        reporter=None, text="Lampu jalan di depan sekolah mati sejak sebulan lalu.", contact_email="warga@contoh.id",
        region=world.bali_village,
    ).report
    message = OutboxMessage.objects.get(report=filed, kind="report.submitted")
    assert message.sensitive and message.body
    deliver_pending()
    message.refresh_from_db()
    assert (message.state, message.body) == (OutboxMessage.State.SENT, "")
