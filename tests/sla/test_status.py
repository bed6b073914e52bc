"""Every report says where it stands against its stage deadline: on time, due soon, late."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from lapor.complaints import services
from lapor.complaints.models import Status as S
from lapor.sla.status import DUE_SOON, HELD, LATE, NONE, ON_TIME, deadline_state

from ..complaints.flow import walk_to
from ..factories import make_report

WITA = ZoneInfo("Asia/Makassar")


def disposed_on_monday(world):
    report = make_report(reporter=world.reporter, region=world.bali_village, now=datetime(2025, 3, 3, 8, tzinfo=WITA))
    # due Monday 10 March 2025, end of day
    return services.report_dispose(
        actor=world.verifier, report=report, agency=world.agency_a, now=datetime(2025, 3, 3, 9, tzinfo=WITA)
    )


def test_the_state_follows_working_days(world):
    report = disposed_on_monday(world)
    assert deadline_state(report, datetime(2025, 3, 6, 10, tzinfo=WITA)) == ON_TIME  # Thu: Fri and Mon left
    assert deadline_state(report, datetime(2025, 3, 7, 10, tzinfo=WITA)) == DUE_SOON  # Fri: Mon left
    assert deadline_state(report, datetime(2025, 3, 11, 0, 1, tzinfo=WITA)) == LATE


def test_held_and_finished_reports_have_no_running_deadline(world):
    held = walk_to(world, S.ON_HOLD)
    done = walk_to(world, S.COMPLETED)
    now = datetime.now(WITA)
    assert (deadline_state(held, now), deadline_state(done, now)) == (HELD, NONE)


def test_the_public_page_shows_late_work_as_late(world, client: Client):
    report = walk_to(world, S.DISPOSED)
    report.stage_due_at = datetime.now(WITA) - timedelta(hours=1)
    report.save(update_fields=["stage_due_at"])
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Tenggat tahap ini" in page and 'class="due due-late"' in page and "Terlambat" in page
