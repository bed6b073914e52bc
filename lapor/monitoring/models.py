"""Facts derived from each report's history, and the daily rollups the dashboards read.

Reports and events stay the source of truth. `ReportFact` (one per report) and `AgencyStint`
(one per period an agency held a report) are rebuilt from them whenever a report gets a new
event; `DailyStat` sums them per day and per dimension, so a dashboard over a semester reads
a few thousand small rows instead of scanning millions of reports.
"""

from django.db import models


class ReportFact(models.Model):
    """What the indicators need to know about one report, derived from its events."""

    report = models.OneToOneField("complaints.Report", primary_key=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # the day it was received (WIB)
    received_at = models.DateTimeField()
    kind = models.CharField(max_length=12)
    channel = models.CharField(max_length=12)
    province = models.CharField(max_length=2, blank=True)
    regency = models.CharField(max_length=5, blank=True)
    category_root_id = models.IntegerField(null=True)
    is_confidential = models.BooleanField(default=False)
    gender = models.CharField(max_length=10, blank=True)
    age_group = models.CharField(max_length=10, blank=True)
    disability = models.BooleanField(null=True)
    status = models.CharField(max_length=20)
    verified_at = models.DateTimeField(null=True)
    verify_due_at = models.DateTimeField(null=True)
    first_follow_up_at = models.DateTimeField(null=True)
    # The first agency's deadline for its first follow-up (national timeliness).
    follow_up_due_at = models.DateTimeField(null=True)
    completed_at = models.DateTimeField(null=True)
    completion_due_at = models.DateTimeField(null=True)
    archived_at = models.DateTimeField(null=True)
    transfers = models.PositiveSmallIntegerField(default=0)
    reopened = models.PositiveSmallIntegerField(default=0)
    appealed = models.BooleanField(default=False)
    was_held = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(null=True)
    # The agency holding it last, and its last answer's fingerprint (boilerplate detection).
    agency_id = models.IntegerField(null=True)
    answer_fingerprint = models.CharField(max_length=40, blank=True)
    answer_canned = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["day"], name="fact_day")]


class AgencyStint(models.Model):
    """One period an agency held a report: from disposition or transfer until it left or was done.

    A report moved between agencies counts for each of them, for the time each held it.
    """

    class End(models.TextChoices):
        OPEN = "", "open"
        TRANSFERRED = "transferred", "transferred"
        RETURNED = "returned", "returned"
        COMPLETED = "completed", "completed"
        ARCHIVED = "archived", "archived"

    report = models.ForeignKey("complaints.Report", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveSmallIntegerField()
    agency_id = models.IntegerField()
    unit_id = models.IntegerField(null=True)
    day = models.DateField()  # the day it started (WIB)
    started_at = models.DateTimeField()
    follow_up_due_at = models.DateTimeField(null=True)
    first_follow_up_at = models.DateTimeField(null=True)
    ended_at = models.DateTimeField(null=True)
    end = models.CharField(max_length=12, choices=End.choices, blank=True)
    completed_at = models.DateTimeField(null=True)
    answer_fingerprint = models.CharField(max_length=40, blank=True)
    answer_canned = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "seq"], name="stint_report_seq")]
        indexes = [
            models.Index(fields=["day"], name="stint_day"),
            models.Index(fields=["agency_id", "answer_fingerprint"], name="stint_agency_answer"),
        ]


class DailyStat(models.Model):
    """Additive counts for one day (of receipt) and one value of one dimension.

    Month rows (`span` "m", `day` the first of the month) hold the sums of the month's days, so
    a semester over hundreds of agencies reads six rows per agency instead of 180.

    Dimensions: national (key ""), agency, unit (ids), province, regency (region codes),
    category (top-level category id), channel, kind, gender, age, disability. Percentages and
    percentiles are computed when reading, from these sums and histograms.
    """

    DAY, MONTH = "d", "m"

    span = models.CharField(max_length=1, default=DAY)
    day = models.DateField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=20, blank=True)
    received = models.IntegerField(default=0)
    confidential = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    verify_on_time = models.IntegerField(default=0)
    followed_up = models.IntegerField(default=0)
    follow_up_timed = models.IntegerField(default=0)
    follow_up_on_time = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    completion_timed = models.IntegerField(default=0)
    completion_on_time = models.IntegerField(default=0)
    archived = models.IntegerField(default=0)
    in_process = models.IntegerField(default=0)
    held = models.IntegerField(default=0)
    transferred = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    appealed = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    rating_good = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    boilerplate = models.IntegerField(default=0)
    # Counts per duration bin (hours, see `lapor.monitoring.rollups.BINS_HOURS`).
    follow_up_hours = models.JSONField(default=list)
    completion_hours = models.JSONField(default=list)
    verify_hours = models.JSONField(default=list)  # received → disposed (reports only)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["span", "dimension", "key", "day"], name="dailystat_unique")]
        indexes = [models.Index(fields=["span", "dimension", "day"], name="dailystat_span_dimension_day")]


class RefreshMark(models.Model):
    """How far the rollups have read the event log (one row)."""

    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)
    # When `LateWork` was last counted.
    late_counted_at = models.DateTimeField(null=True)


class LateWork(models.Model):
    """Reports late now per agency and unit, as counted by the last refresh (every few minutes).

    The red-mark list and the dashboards' "late now" read these few thousand rows instead of
    counting the late reports among millions of open ones on every page view.
    """

    agency_id = models.IntegerField(null=True)  # none: still at the national verifiers
    unit_id = models.IntegerField(null=True)
    late = models.PositiveIntegerField()
