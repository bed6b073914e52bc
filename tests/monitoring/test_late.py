"""Late work now: counted by the refresh job, read while fresh, counted live when not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.complaints import services
from lapor.complaints.models import Report
from lapor.monitoring import indicators as ind
from lapor.monitoring import late
from lapor.monitoring.models import LateWork, RefreshMark
from lapor.monitoring.periods import containing
from lapor.monitoring.rollups import refresh

from ..factories import make_report


@pytest.fixture
def late_world(world):
    """Two late reports at unit A1 of agency A, one late at agency B (no unit), one unverified
    late, one on time."""
    w = world
    past = timezone.now() - timedelta(days=30)

    def disposed(agency):
        report = make_report(reporter=w.reporter, region=w.bali_village, now=past)
        return services.report_dispose(actor=w.verifier, report=report, agency=agency, now=past)

    for _ in range(2):
        services.report_forward(actor=w.admin_a, report=disposed(w.agency_a), units=[w.unit_a1], now=past)
    disposed(w.agency_b)
    make_report(reporter=w.reporter, region=w.bali_village, now=past)  # still at the verifiers
    on_time = disposed(w.agency_a)
    Report.objects.filter(pk=on_time.pk).update(stage_due_at=timezone.now() + timedelta(days=3))
    return w


def test_without_a_count_the_figures_are_live(late_world):
    w = late_world
    assert late.counted_at() is None
    assert ind.late_now(by="current_unit") == {w.unit_a1.pk: 2}
    assert ind.late_now() == {w.agency_a.pk: 2, w.agency_b.pk: 1}
    assert ind.late_count() == 4
    assert ind.late_count(agency_ids=[w.agency_b.pk]) == 1


def test_the_refresh_counts_late_work_and_the_pages_read_that_count(late_world):
    w = late_world
    refresh()
    assert late.counted_at() is not None
    assert LateWork.objects.count() == 3  # (A, A1), (B, none), (none, none)
    # a report that becomes late after the count shows at the next count, not before
    newly = Report.objects.filter(current_agency=w.agency_a, current_unit__isnull=True).first()
    Report.objects.filter(pk=newly.pk).update(stage_due_at=timezone.now() - timedelta(hours=1))
    assert ind.late_now() == {w.agency_a.pk: 2, w.agency_b.pk: 1}
    assert ind.late_now(by="current_unit", agency_ids=[w.agency_a.pk]) == {w.unit_a1.pk: 2}
    assert ind.late_now(by="current_unit", agency_ids=[w.agency_b.pk]) == {}
    assert ind.late_count() == 4
    assert ind.late_count(agency_ids=[w.agency_a.pk]) == 2
    # a given moment is always counted live
    assert ind.late_count(now=timezone.now()) == 5
    refresh()
    assert ind.late_now() == {w.agency_a.pk: 3, w.agency_b.pk: 1}
    assert [(m.unit_id, m.late_now) for m in ind.red_marks(containing("month", timezone.localdate()))] == [
        (w.unit_a1.pk, 2)
    ]


def test_a_stale_count_is_replaced_by_a_live_one(late_world, settings):
    refresh()
    Report.objects.filter(stage_due_at__gt=timezone.now()).update(stage_due_at=timezone.now() - timedelta(hours=1))
    assert ind.late_count() == 4  # the fresh count
    RefreshMark.objects.filter(pk=1).update(late_counted_at=timezone.now() - timedelta(minutes=11))
    assert late.counted_at() is None
    assert ind.late_count() == 5  # live: the count was older than ten minutes
