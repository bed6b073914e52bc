from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    # A default rather than auto_now_add so imports and demo data can keep real past times.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
