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


class ServiceStandard(models.Model):
    """An agency's or a category's own, shorter limits (its SOP), in working days.

    Several standards may apply to one report (its agency's, its category's, the pair's); the
    shortest limit wins, and none may be longer than the national one.
    """

    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="service_standards"
    )
    category = models.ForeignKey(
        "complaints.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="service_standards"
    )
    first_follow_up_days = models.PositiveSmallIntegerField(
        _("tindak lanjut pertama (hari kerja)"), null=True, blank=True
    )
    completion_days = models.PositiveSmallIntegerField(_("penyelesaian (hari kerja)"), null=True, blank=True)
    note = models.CharField(_("dasar (nomor SOP)"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(category__isnull=False),
                name="standard_has_scope",
            ),
            models.UniqueConstraint(fields=["agency", "category"], name="standard_unique_scope"),
            models.CheckConstraint(
                condition=models.Q(first_follow_up_days__isnull=True) | models.Q(first_follow_up_days__gte=1),
                name="standard_follow_up_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(completion_days__isnull=True) | models.Q(completion_days__gte=1),
                name="standard_completion_positive",
            ),
        ]
        verbose_name = _("standar layanan (SOP)")
        verbose_name_plural = _("standar layanan (SOP)")

    def __str__(self) -> str:
        return " / ".join(str(x) for x in (self.agency, self.category) if x is not None)

    def clean(self):
        from django.conf import settings
        from django.core.exceptions import ValidationError

        limits = settings.LAPOR
        errors = {}
        if self.first_follow_up_days and self.first_follow_up_days > limits["FIRST_FOLLOW_UP_WORKING_DAYS"]:
            errors["first_follow_up_days"] = _("Tidak boleh lebih lama dari batas nasional (%(n)d hari kerja).") % {
                "n": limits["FIRST_FOLLOW_UP_WORKING_DAYS"]
            }
        if self.completion_days and self.completion_days > limits["COMPLETION_DAYS"]:
            errors["completion_days"] = _("Tidak boleh lebih lama dari batas nasional (%(n)d hari).") % {
                "n": limits["COMPLETION_DAYS"]
            }
        if self.agency_id is None and self.category_id is None:
            errors["agency"] = _("Pilih instansi, kategori, atau keduanya.")
        if errors:
            raise ValidationError(errors)
