"""Officers are reminded once before each stage deadline (1 working day before, by default)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lapor.complaints import services
from lapor.complaints.models import Status as S
from lapor.notifications.models import Channel, OutboxMessage
from lapor.sla.reminders import remind_due_soon

from ..complaints.flow import walk_to
from ..factories import make_report

WITA = ZoneInfo("Asia/Makassar")


def reminders(**filters):
    return OutboxMessage.objects.filter(kind="report.due_soon", channel=Channel.IN_APP, **filters)


def test_the_lead_units_officers_are_reminded_once_per_deadline(world):
    report = walk_to(world, S.FORWARDED)
    just_before = report.stage_due_at - timedelta(hours=3)

    assert remind_due_soon(now=just_before) == 1
    assert remind_due_soon(now=just_before) == 0  # idempotent
    assert list(reminders().values_list("user", flat=True)) == [world.officer_a1.pk]
    assert report.tracking_id in reminders().get().body


def test_the_agency_admin_is_reminded_while_the_report_waits_at_the_agency(world):
    report = walk_to(world, S.DISPOSED)
    assert remind_due_soon(now=report.stage_due_at - timedelta(hours=1)) == 1
    assert list(reminders().values_list("user", flat=True)) == [world.admin_a.pk]


def test_the_window_is_counted_in_working_days(world):
    # disposed on Monday 3 March 2025: due Monday 10 March, end of day (WITA)
    report = make_report(reporter=world.reporter, region=world.bali_village, now=datetime(2025, 3, 3, 8, tzinfo=WITA))
    report = services.report_dispose(
        actor=world.verifier, report=report, agency=world.agency_a, now=datetime(2025, 3, 3, 9, tzinfo=WITA)
    )
    # Thursday: the deadline is two working days away (Friday, Monday): not yet
    assert remind_due_soon(now=datetime(2025, 3, 6, 10, tzinfo=WITA)) == 0
    # Friday morning: one working day ahead, although three calendar days
    assert remind_due_soon(now=datetime(2025, 3, 7, 10, tzinfo=WITA)) == 1
    assert report.tracking_id in reminders().get().body


def test_nothing_is_sent_after_the_deadline(world):
    report = walk_to(world, S.DISPOSED)
    assert remind_due_soon(now=report.stage_due_at + timedelta(minutes=1)) == 0
    assert not reminders().exists()


def test_a_new_deadline_gets_its_own_reminder(world):
    report = walk_to(world, S.FOLLOWED_UP)
    report = services.report_reply(actor=world.reporter, report=report, message="Masih berlubang, mohon dicek lagi.")
    assert remind_due_soon(now=report.stage_due_at - timedelta(hours=2)) == 1
    first_due = report.stage_due_at
    later = first_due + timedelta(days=3)
    report = services.report_follow_up(
        actor=world.officer_a1, report=report, answer="Sudah dicek dan ditambal ulang.", now=later
    )
    report = services.report_reply(
        actor=world.reporter, report=report, message="Terima kasih, tapi sisi kiri belum.", now=later
    )
    assert report.stage_due_at > first_due
    assert remind_due_soon(now=report.stage_due_at - timedelta(hours=2)) == 1
    assert reminders().count() == 2


def test_officers_who_asked_for_email_get_it_in_their_language(world):
    world.admin_a.language = "en"
    world.admin_a.save()
    report = walk_to(world, S.DISPOSED)
    remind_due_soon(now=report.stage_due_at - timedelta(hours=1))
    email = OutboxMessage.objects.get(kind="report.due_soon", channel=Channel.EMAIL, user=world.admin_a)
    assert email.recipient == world.admin_a.email and email.language == "en"
    assert "due soon" in email.subject.lower()
