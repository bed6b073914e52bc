"""What the web app stores for its own sake: an officer's saved list filters."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A named query string of the officer workspace list, private to its owner."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(_("nama saringan"), max_length=80)
    # The list's GET query string without the page number, e.g. "tab=overdue&status=disposed".
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")]
        verbose_name = _("saringan tersimpan")
        verbose_name_plural = _("saringan tersimpan")

    def __str__(self) -> str:
        return self.name
