"""Officers are reminded once before each stage deadline."""

from datetime import timedelta

from lapor.complaints import services
from lapor.complaints.models import Status as S
from lapor.notifications.models import OutboxMessage
from lapor.sla.reminders import remind_due_soon

from ..complaints.flow import walk_to


def reminders(**filters):
    return OutboxMessage.objects.filter(kind="report.due_soon", **filters)


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


def test_nothing_is_sent_outside_the_window_or_after_the_deadline(world):
    report = walk_to(world, S.DISPOSED)
    assert remind_due_soon(now=report.stage_due_at - timedelta(days=3)) == 0
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
