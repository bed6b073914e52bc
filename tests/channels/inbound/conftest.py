"""Fixtures for the inbound channels: every channel switched on with known secrets, a clean cache,
uploads in a temporary folder, and small readers of the outbox and the inbox."""

from __future__ import annotations

import pytest

from lapor.channels.inbound.models import InboundMessage
from lapor.complaints.models import Report
from lapor.notifications.models import OutboxMessage

# Autouse, as in the API's tests: fresh rate-limit counters and uploads in a temporary folder.
from ...api.conftest import fresh_rate_limits, media_root  # noqa: F401

API = "/api/v1/channels"
SMS_TOKEN = "token-sms-umum-123"
ZENZIVA_TOKEN = "token-zenziva-456"
TWILIO_TOKEN = "12345"
VONAGE_SECRET = "secret"
WA_APP_SECRET = "rahasia-aplikasi-meta"
WA_VERIFY_TOKEN = "verifikasi-lapor-1708"
EMAIL_TOKEN = "token-surel-789"
X_SECRET = "rahasia-konsumen-x"
PHONE = "+6281234567001"
OTHER_PHONE = "+6281234567002"


@pytest.fixture(autouse=True)
def channels_on(settings):
    settings.LAPOR_CHANNELS = {
        **settings.LAPOR_CHANNELS,
        "SMS_GENERIC_TOKEN": SMS_TOKEN,
        "SMS_GENERIC_FIELDS": {},
        "SMS_ZENZIVA_TOKEN": ZENZIVA_TOKEN,
        "SMS_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "SMS_TWILIO_WEBHOOK_URL": "",
        "SMS_VONAGE_SIGNATURE_SECRET": VONAGE_SECRET,
        "SMS_VONAGE_SIGNATURE_METHOD": "md5hash",
        "SMS_VONAGE_TOKEN": "",
        "SMS_CONFIRM_NEW_NUMBERS": True,
        "WHATSAPP_APP_SECRET": WA_APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": WA_VERIFY_TOKEN,
        "EMAIL_WEBHOOK_TOKEN": EMAIL_TOKEN,
        "IMAP_HOST": "",
        "X_CONSUMER_SECRET": X_SECRET,
        "X_HASHTAG": "lapor1708",
        "PUBLIC_URL": "https://lapor.example.id",
    }
    return settings.LAPOR_CHANNELS


def sent_to(recipient: str, *, kind: str | None = None) -> list[OutboxMessage]:
    """Messages written to the outbox for one recipient, oldest first."""
    messages = OutboxMessage.objects.filter(recipient=recipient).order_by("created_at", "id")
    if kind is not None:
        messages = messages.filter(kind=kind)
    return list(messages)


def last_text(recipient: str) -> str:
    messages = sent_to(recipient)
    assert messages, f"nothing was sent to {recipient}"
    return messages[-1].body


def only_report() -> Report:
    reports = list(Report.objects.all())
    assert len(reports) == 1, reports
    return reports[0]


def inbox(provider: str | None = None) -> list[InboundMessage]:
    messages = InboundMessage.objects.order_by("received_at", "pk")
    return list(messages.filter(provider=provider) if provider else messages)
