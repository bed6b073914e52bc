"""Trained routing models, their versions and evaluations, and the suggestions made with them.

A model's parameters live in a file under MEDIA_ROOT (`routing/<name>-v<version>-<hash>.joblib`),
not in the database: a router over hundreds of agencies weighs megabytes, which would bloat every
backup and replica and be read again on each query of the row. The row keeps what is compared
and audited (sizes, evaluation, who trained it from what) and the file's SHA-256, checked before
the file is loaded, so only a file this system wrote is ever unpickled. Several servers share it
the way they already share uploaded attachments (one MEDIA storage).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    CATEGORY = "category", _("Kategori")
    AGENCY = "agency", _("Instansi")
    UNIT = "unit", _("Unit kerja")


class RoutingModel(models.Model):
    """One trained version of a named router. At most one version is active per target and scope."""

    class Source(models.TextChoices):
        CSV = "csv", _("Berkas CSV")
        DATABASE = "database", _("Keputusan petugas")
        SEED = "seed", _("Korpus awal")

    name = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    target = models.CharField(max_length=10, choices=Target.choices)
    # Unit routers (and an agency's own routers) belong to one agency; none: national.
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="routing_models"
    )
    is_active = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CSV)
    source_name = models.CharField(max_length=200, blank=True)
    training_size = models.PositiveIntegerField(default=0)
    labels_count = models.PositiveIntegerField(default=0)
    # Estimated at training (out-of-fold) and appended by every `lapor routing evaluate`.
    evaluation = models.JSONField(default=dict, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to="routing/", max_length=200)
    sha256 = models.CharField(max_length=64)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="routing_model_unique_version"),
            models.UniqueConstraint(
                fields=["target"], condition=Q(is_active=True, agency__isnull=True),
                name="routing_model_one_active_national",
            ),
            models.UniqueConstraint(
                fields=["target", "agency"], condition=Q(is_active=True, agency__isnull=False),
                name="routing_model_one_active_per_agency",
            ),
        ]
        verbose_name = _("model perutean")
        verbose_name_plural = _("model perutean")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def headline(self) -> dict:
        """The figures versions are compared by: the training estimate, or the latest evaluation."""
        runs = self.evaluation.get("runs") or []
        return (runs[-1] if runs else self.evaluation.get("training")) or {}


class RoutingSuggestion(models.Model):
    """The top suggestions for one report and target, kept until the text or the model changes."""

    report = models.ForeignKey("complaints.Report", on_delete=models.CASCADE, related_name="routing_suggestions")
    target = models.CharField(max_length=10, choices=Target.choices)
    model = models.ForeignKey(RoutingModel, null=True, on_delete=models.SET_NULL, related_name="+")
    # What the suggestion was computed from: the text's digest, and the agency for unit routers.
    text_digest = models.CharField(max_length=64)
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # [{"label", "code", "name", "confidence", "words": [...]}, ...], best first.
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="routing_suggestion_unique")]


class CategoryRouting(models.Model):
    """Per-category routing settings: automatic disposition above a confidence (off by default)."""

    category = models.OneToOneField("complaints.Category", on_delete=models.CASCADE, related_name="routing")
    # Dispose automatically to the suggested agency when its confidence is at least this (0–1);
    # empty: never (verifiers decide).
    auto_dispose_threshold = models.DecimalField(
        _("ambang disposisi otomatis"), max_digits=4, decimal_places=3, null=True, blank=True,
        help_text=_("Antara 0,5 dan 1. Kosongkan agar verifikator selalu memutuskan."),
    )

    class Meta:
        verbose_name = _("pengaturan perutean kategori")
        verbose_name_plural = _("pengaturan perutean kategori")
        constraints = [
            models.CheckConstraint(
                condition=Q(auto_dispose_threshold__isnull=True)
                | Q(auto_dispose_threshold__gte=0.5, auto_dispose_threshold__lte=1),
                name="category_routing_threshold_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.category)
