"""The durable inbox and the state the channels keep between messages.

Every message a provider delivers is first written here as it came (`InboundMessage`), in its
own transaction, and only then handled: a crash or a bug while handling leaves the message
recorded with its error, to be retried, never lost. The provider's message id is unique per
provider, so a provider's resend is recognised and changes nothing.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    SMS_GENERIC = "sms_generic", _("SMS (gateway umum)")
    SMS_TWILIO = "sms_twilio", _("SMS (Twilio)")
    SMS_VONAGE = "sms_vonage", _("SMS (Vonage/Nexmo)")
    SMS_ZENZIVA = "sms_zenziva", _("SMS (Zenziva)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Surel")
    X = "x", _("X (Twitter)")


class InboundMessage(models.Model):
    class State(models.TextChoices):
        # Stored, not handled yet (or handed back for a retry).
        RECEIVED = "received", _("Diterima")
        # A worker or request is handling it now; a dead worker's claim is taken back later.
        PROCESSING = "processing", _("Sedang diproses")
        PROCESSED = "processed", _("Selesai diproses")
        # Nothing to do, on purpose: an auto-reply, a bounce, a mention without the hashtag.
        IGNORED = "ignored", _("Diabaikan")
        # One part of a long SMS, waiting for the others.
        WAITING = "waiting", _("Menunggu bagian lain")
        FAILED = "failed", _("Gagal")

    provider = models.CharField(max_length=20, choices=Provider.choices)
    # The provider's id of the message (SMS message id, wamid, Message-ID, tweet id).
    external_id = models.CharField(max_length=255)
    # Phone number, e-mail address or account handle, as the provider gave it.
    sender = models.CharField(max_length=254, blank=True, db_index=True)
    kind = models.CharField(max_length=20, blank=True)
    # The message as received (one message, with the context it came with).
    payload = models.JSONField(default=dict, blank=True)
    # The raw bytes when the message is a document of its own (an e-mail's MIME source).
    raw = models.BinaryField(default=b"", blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # What handling did, in a few words (for the admin list).
    note = models.CharField(max_length=300, blank=True)
    report = models.ForeignKey(
        "complaints.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Set when the payload was blanked after the retention period (the row stays for dedup).
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "external_id"], name="inbound_unique_provider_id"),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="inbound_state_received")]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")

    def __str__(self) -> str:
        return f"{self.provider} {self.external_id}"


class Conversation(models.Model):
    """Where one phone number stands with one channel: a report waiting for confirmation (SMS),
    a guided report being written (WhatsApp), and whether the number has confirmed before."""

    class Step(models.TextChoices):
        IDLE = "idle", _("Tidak ada percakapan")
        # SMS: a new number's report waits for "YA <code>".
        CONFIRM_NUMBER = "confirm_number", _("Menunggu konfirmasi nomor")
        # WhatsApp: the guided report.
        ASK_LOCATION = "ask_location", _("Menunggu lokasi")
        ASK_PHOTO = "ask_photo", _("Menunggu foto")
        CONFIRM_REPORT = "confirm_report", _("Menunggu konfirmasi laporan")

    channel = models.CharField(max_length=12)
    # E.164 phone number.
    address = models.CharField(max_length=32)
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.IDLE)
    # The report being written: text, region, coordinates, media ids, confirmation digest.
    draft = models.JSONField(default=dict, blank=True)
    # The number proved it receives our messages (SMS): later reports are filed at once.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="conversation_unique_address")]
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")

    def __str__(self) -> str:
        return f"{self.channel} {self.address} ({self.step})"


class SmsConcat(models.Model):
    """The parts of one long SMS (concatenated), held until all arrived or the wait ended."""

    gateway = models.CharField(max_length=20)
    sender = models.CharField(max_length=32)
    ref = models.CharField(max_length=64)
    total = models.PositiveSmallIntegerField()
    # {"1": {"text": ..., "message": id}, ...}
    parts = models.JSONField(default=dict)
    first_at = models.DateTimeField(default=timezone.now)
    done = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # A phone reuses its reference numbers: only the open group of a reference is unique.
            models.UniqueConstraint(
                fields=["gateway", "sender", "ref"], condition=Q(done=False), name="sms_concat_one_open_group"
            )
        ]
        indexes = [models.Index(fields=["first_at"], name="sms_concat_open", condition=Q(done=False))]


class InboundMedia(models.Model):
    """A photo a citizen sent by WhatsApp: its media id is kept and the file fetched by the worker."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu diunduh")
        ATTACHED = "attached", _("Dilampirkan")
        REFUSED = "refused", _("Ditolak pemeriksaan berkas")
        FAILED = "failed", _("Gagal diunduh")

    report = models.ForeignKey("complaints.Report", on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    media_id = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "provider", "media_id"], name="inbound_media_unique")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="inbound_media_due")]


class RegionKeyword(models.Model):
    """An SMS keyword prefix that routes a report to a region ("TANGKAB <text>")."""

    keyword = models.CharField(_("kata kunci"), max_length=30, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    # The agency suggested to the verifier; empty: the government of the region.
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["keyword"]
        verbose_name = _("kata kunci wilayah")
        verbose_name_plural = _("kata kunci wilayah")

    def __str__(self) -> str:
        return self.keyword

    def save(self, *args, **kwargs):
        self.keyword = self.keyword.strip().upper()
        super().save(*args, **kwargs)
