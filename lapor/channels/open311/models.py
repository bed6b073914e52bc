"""Open311 clients (API keys) and the reports they filed.

A key belongs to one client application. Only the key's digest is stored; the raw key is shown
once, when `lapor open311 create-key` makes it. A key bound to an agency is that agency's own
back office (a local app such as LAPORHENDI): it may also answer the agency's reports, acting as
a service account that cannot log in.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    name = models.CharField(_("nama"), max_length=100, unique=True)
    key_digest = models.CharField(max_length=64, unique=True)
    # The first characters of the key, so an operator can tell keys apart.
    prefix = models.CharField(max_length=12)
    # An agency-bound client answers that agency's reports through `acting_user`.
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="open311_keys"
    )
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kunci API Open311")
        verbose_name_plural = _("kunci API Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class FiledRequest(models.Model):
    """A report filed through Open311, and the key that filed it (the key holder acts for its reporter)."""

    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="filed")
    report = models.OneToOneField("complaints.Report", on_delete=models.CASCADE, related_name="open311_filing")
    # The client's public link to a photo (never fetched: lapor does not reach the network).
    media_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "created_at"], name="open311_filed_key_created")]
