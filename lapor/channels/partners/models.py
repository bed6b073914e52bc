"""Partners, their keys, the reports and answers they pushed, and the changes they are owed.

Rows change only through the services of this package (`registry`, `push`, `sandbox`,
`changes`, `delivery`); the admin and the command call them too.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.core.models import TimeStampedModel


class Scope(models.TextChoices):
    """What one API key may do; a partner's keys may differ (a read-only key for a dashboard)."""

    REPORTS_PUSH = "reports:push", _("Mengirim laporan")
    REPORTS_READ = "reports:read", _("Membaca laporan")
    FOLLOWUPS_PUSH = "followups:push", _("Mengirim tindak lanjut")
    CHANGES_PULL = "changes:pull", _("Mengambil perubahan")


class Partner(TimeStampedModel):
    """A local app of one agency (LAPORHENDI for Semarang, LAPOR Paman for South Kalimantan, ...)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("nama aplikasi"), max_length=120)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="partners")
    # Where changes are posted; empty: the partner only pulls.
    webhook_url = models.URLField(_("alamat webhook"), max_length=500, blank=True)
    # A sandbox partner's reports are kept apart and never reach verifiers (see `sandbox`).
    is_sandbox = models.BooleanField(_("sandbox"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The account its officers' answers are recorded under: an agency admin of its agency that
    # cannot log in and gets no notices, so every answer names the partner on the timeline.
    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner", editable=False
    )
    # HMAC key of the webhook signatures. Kept as is, unlike the API keys: signing needs it.
    signing_secret = models.CharField(max_length=80, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aplikasi mitra")
        verbose_name_plural = _("aplikasi mitra")

    def __str__(self) -> str:
        return self.name


class PartnerKey(models.Model):
    """An API key of a partner; only its digest is stored, the key is shown once."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    key_digest = models.CharField(max_length=64, unique=True)
    # The first characters, so people can tell keys apart.
    prefix = models.CharField(max_length=12)
    name = models.CharField(max_length=100, blank=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kunci API mitra")
        verbose_name_plural = _("kunci API mitra")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.partner})"


class Pushed(models.Model):
    """A report pushed under the partner's own id, with what the next push is compared with."""

    external_id = models.CharField(max_length=100)
    # Of the whole last payload (a repeat is recognised) and of each field (what changed); no
    # personal data is kept twice.
    payload_digest = models.CharField(max_length=64)
    field_digests = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PartnerReport(Pushed):
    """A report a partner pushed: the link between its id and the real report."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="reports")
    report = models.OneToOneField("complaints.Report", on_delete=models.CASCADE, related_name="partner_link")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "external_id"], name="partner_report_unique_external_id")
        ]


class SandboxReport(Pushed):
    """A sandbox partner's report: checked like a real one, kept here, seen by no officer."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sandbox_reports")
    tracking_id = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=20, default="received")
    held_from_status = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=12)
    title = models.CharField(max_length=200)
    text = models.TextField()
    category_code = models.CharField(max_length=80, blank=True)
    region_code = models.CharField(max_length=20, blank=True)
    is_anonymous = models.BooleanField(default=False)
    is_confidential = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "external_id"], name="sandbox_report_unique_external_id")
        ]


class PartnerFollowUp(models.Model):
    """An answer a partner's officer wrote in its back office, under the partner's id for it."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="follow_ups")
    external_id = models.CharField(max_length=100)
    report = models.ForeignKey("complaints.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sandbox_report = models.ForeignKey(
        SandboxReport, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    event = models.ForeignKey(
        "complaints.ReportEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The officer who wrote it in the partner's back office (audit; not shown to the public).
    officer_name = models.CharField(max_length=120, blank=True)
    payload_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "external_id"], name="partner_follow_up_unique_external_id")
        ]


class WebhookDelivery(models.Model):
    """One change a partner is owed: the webhook's outbox row and the pull feed's entry.

    Written in the transaction of the change. Delivered in order per report (`tracking_id`):
    a row is sent only once every earlier row of the same partner and report was sent.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="deliveries")
    # The report event announced (none for a sandbox report's simulated change).
    event = models.ForeignKey(
        "complaints.ReportEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tracking_id = models.CharField(max_length=16)
    event_type = models.CharField(max_length=60)
    # The body sent, frozen when the change happened (a retry sends the same bytes).
    payload = models.JSONField()
    # Sent as `X-Lapor-Delivery` and `Idempotency-Key`: a resend is recognisably the same change.
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Position in the partner's pull feed, given in commit order when the feed is read.
    seq = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["partner", "tracking_id", "id"], name="webhook_stream"),
            models.Index(fields=["state", "next_attempt_at"], name="webhook_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["partner", "seq"], name="webhook_unique_seq"),
            models.UniqueConstraint(
                fields=["partner", "event"], condition=Q(event__isnull=False), name="webhook_unique_event"
            ),
        ]
        verbose_name = _("kiriman webhook")
        verbose_name_plural = _("kiriman webhook")

    def __str__(self) -> str:
        return f"{self.event_type} {self.tracking_id} → {self.partner}"
