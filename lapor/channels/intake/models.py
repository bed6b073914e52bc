"""What intake keeps beside the reports: which imported row became which report, and uploads
waiting for an admin's confirmation."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedReport(models.Model):
    """The external key of an imported row: importing the same file again finds it here."""

    # The row's tracking id ("Nomor pelacakan" / "ID") in the system it came from.
    external_id = models.CharField(max_length=64, unique=True)
    report = models.OneToOneField("complaints.Report", on_delete=models.CASCADE, related_name="import_record")
    # The status the export stated, as written there (the report may hold a mapped one).
    source_status = models.CharField(max_length=60, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan impor")
        verbose_name_plural = _("laporan impor")

    def __str__(self) -> str:
        return self.external_id


def upload_path(instance: "ImportUpload", filename: str) -> str:
    # A random name: the file holds personal data and is deleted once imported.
    return f"imports/{uuid.uuid4().hex}"


class ImportUpload(models.Model):
    """A file checked by a dry run and waiting for the admin's confirmation (then deleted)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The agency the rows are imported for (an agency admin's own); empty: any named agency.
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=upload_path)
    file_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once imported; the summary of the real run.
    imported_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
