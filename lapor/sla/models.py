"""Days off that the `holidays` package cannot know: regional holidays and late decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NonWorkingDay(models.Model):
    """A day off added by an admin: nationally, for one province, or for one agency."""

    date = models.DateField(db_index=True)
    name = models.CharField(_("keterangan"), max_length=160)
    # Neither set: national (e.g. a collective-leave day decided late). Province: regional holidays.
    province = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        limit_choices_to={"level": 1},
    )
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
