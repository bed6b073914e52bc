"""The outbox: every message to a person is a row written in the transaction that caused it.

A worker delivers pending rows; a crash between the change and the delivery loses nothing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    IN_APP = "in_app", _("Notifikasi aplikasi")
    # A public reply to a social media mention; the recipient is "@handle/status/<post id>".
    SOCIAL = "social", _("Media sosial")


class OutboxMessage(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # What the message is about (for the in-app list and for statistics).
    kind = models.CharField(max_length=60)
    # Indexed with the date in `outbox_user_newest`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="messages",
        db_index=False,
    )
    report = models.ForeignKey(
        "complaints.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # One-time codes and secrets: the body is blanked once delivered.
    sensitive = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Sent to the provider with every attempt: a resend after a crash is the same message.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Retries back off: a failed message waits until then.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=5, default="id")
    provider_id = models.CharField(max_length=200, blank=True)
    # In-app notices: when the person opened their notice list after it arrived.
    read_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="outbox_state_created"),
            models.Index(fields=["state", "next_attempt_at"], name="outbox_state_next"),
            models.Index(fields=["user", "-created_at"], name="outbox_user_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.subject or self.kind}"
