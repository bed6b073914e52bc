"""Officers' actions beyond the basic lifecycle: interim answers, transfers, flags, merges, notes."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from lapor.complaints import handling, services
from lapor.complaints.models import ArchiveReason, ReportEvent
from lapor.complaints.models import Status as S
from lapor.complaints.selectors import public_reports
from lapor.core.errors import Conflict, InvalidInput, PermissionDenied
from lapor.notifications.models import Channel, OutboxMessage

from ..factories import make_report, make_unit, make_user
from .flow import assert_refused, walk_to


def test_an_interim_answer_moves_the_deadlines_to_the_promised_date(world):
    report = walk_to(world, S.FORWARDED)
    expected = timezone.localdate() + timedelta(days=21)

    report = handling.report_interim_answer(
        actor=world.officer_a1, report=report, answer="Perbaikan menunggu material aspal.",
        expected_date=expected, reason="Pengadaan material butuh tiga minggu.",
    )

    assert report.status == S.FORWARDED
    local_due = timezone.localtime(report.completion_due_at, timezone.get_fixed_timezone(8 * 60))
    assert local_due.date() == expected and report.stage_due_at == report.completion_due_at
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert event.type == "report.interim_answer" and event.is_public
    assert expected.strftime("%d-%m-%Y") in event.message


def test_an_interim_answer_needs_a_future_date(world):
    report = walk_to(world, S.FORWARDED)
    assert_refused(InvalidInput, report, lambda: handling.report_interim_answer(
        actor=world.officer_a1, report=report, answer="Perbaikan menunggu material.",
        expected_date=timezone.localdate(), reason="Pengadaan material butuh waktu.",
    ))


def test_a_transfer_goes_straight_to_the_other_agency_and_tells_its_admins(world):
    report = walk_to(world, S.FORWARDED)

    report = handling.report_transfer(
        actor=world.admin_a, report=report, agency=world.agency_b, reason="Lokasi masuk wilayah Kota Mataram."
    )

    assert (report.status, report.current_agency, report.current_unit) == (S.DISPOSED, world.agency_b, None)
    assert report.transfer_count == 1
    assert not report.assignments.filter(is_active=True).exists()
    assert OutboxMessage.objects.filter(
        report=report, user=world.admin_b, channel=Channel.IN_APP, kind="report.transferred"
    ).exists()
    assert_refused(PermissionDenied, report, lambda: handling.report_transfer(
        actor=world.admin_a, report=report, agency=world.agency_a, reason="Kembali ke kota asal saja ya."
    ))


@override_settings(LAPOR={**__import__("django.conf").conf.settings.LAPOR, "MAX_TRANSFERS": 1})
def test_a_transfer_past_the_limit_is_refused(world):
    report = walk_to(world, S.DISPOSED)
    report = handling.report_transfer(actor=world.admin_a, report=report, agency=world.agency_b, reason="Bukan wilayah kota ini.")
    assert_refused(Conflict, report, lambda: handling.report_transfer(
        actor=world.admin_b, report=report, agency=world.agency_a, reason="Bukan wilayah kota ini juga."
    ))


def test_a_transfer_to_the_same_agency_is_refused(world):
    report = walk_to(world, S.DISPOSED)
    assert_refused(InvalidInput, report, lambda: handling.report_transfer(
        actor=world.admin_a, report=report, agency=world.agency_a, reason="Salah pilih instansi tujuan."
    ))


def test_a_flag_puts_the_report_in_the_inspectorate_queue_once(world):
    report = walk_to(world, S.FOLLOWED_UP)
    inspector = make_user("observer", observes_all=True)

    report = handling.report_flag(actor=world.admin_a, report=report, reason="Pelapor menyebut permintaan uang.")

    assert list(handling.flagged_reports(inspector)) == [report]
    assert not ReportEvent.objects.filter(report=report).latest("pk").is_public
    assert_refused(Conflict, report, lambda: handling.report_flag(
        actor=world.verifier, report=report, reason="Diteruskan sekali lagi ke inspektorat."
    ))


def test_a_merged_duplicate_is_archived_and_hears_the_main_answer(world):
    ArchiveReason.objects.create(code="duplikat", name="Duplikat")
    main = walk_to(world, S.FORWARDED)
    duplicate = make_report(
        reporter=None, region=world.bali_village, contact_email="tetangga@contoh.id",
        text="Jalan di depan pasar berlubang dan sering membuat pengendara jatuh.",
    )

    duplicate = handling.report_merge(actor=world.verifier, report=duplicate, into=main)

    assert (duplicate.status, duplicate.merged_into, duplicate.archive_reason.code) == (S.ARCHIVED, main, "duplikat")
    assert ReportEvent.objects.filter(report=main, type="report.duplicate_merged", is_public=False).exists()
    services.report_follow_up(actor=world.officer_a1, report=main, answer="Lubang sudah ditambal hari ini.")
    reached = OutboxMessage.objects.filter(kind="report.followed_up", recipient="tetangga@contoh.id")
    assert reached.count() == 1 and main.tracking_id in reached.get().body


def test_a_report_cannot_be_merged_into_itself_or_an_archived_case(world):
    ArchiveReason.objects.create(code="duplikat", name="Duplikat")
    report = make_report(reporter=world.reporter)
    assert_refused(InvalidInput, report, lambda: handling.report_merge(actor=world.verifier, report=report, into=report))
    archived = walk_to(world, S.ARCHIVED)
    assert_refused(Conflict, report, lambda: handling.report_merge(actor=world.verifier, report=report, into=archived))


def test_an_internal_note_never_reaches_the_public_timeline(world):
    report = walk_to(world, S.FORWARDED)
    handling.report_note(actor=world.officer_a1, report=report, note="Pelapor sudah ditelepon.")
    note = ReportEvent.objects.filter(report=report).latest("pk")
    assert note.type == "report.note_added" and note.is_public is False
    assert report in public_reports()


def test_new_work_notifies_the_officers_concerned(world):
    report = make_report(reporter=world.reporter, region=world.bali_village)
    report = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a)
    assert OutboxMessage.objects.filter(report=report, user=world.admin_a, kind="report.disposed").exists()
    assert not OutboxMessage.objects.filter(report=report, user=world.admin_b).exists()
    services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1])
    assert OutboxMessage.objects.filter(report=report, user=world.officer_a1, kind="report.forwarded").exists()
    assert not OutboxMessage.objects.filter(report=report, user=world.officer_a2).exists()


def test_canned_answers_belong_to_one_agency(world):
    answer = handling.canned_answer_save(actor=world.admin_a, title="PJU mati", body="Terima kasih, tim PJU akan memeriksa.")
    assert [a.title for a in handling.canned_answers_for(world.officer_a1)] == ["PJU mati"]
    assert handling.canned_answers_for(world.officer_b1) == []
    with pytest.raises(PermissionDenied):
        handling.canned_answer_save(actor=world.admin_b, title="Ubah", body="Isi jawaban instansi lain.", answer=answer)
    with pytest.raises(PermissionDenied):
        handling.canned_answer_save(actor=world.officer_a1, title="Baru", body="Unit tidak mengelola jawaban baku.")
    with pytest.raises(Conflict):
        handling.canned_answer_save(actor=world.admin_a, title="PJU mati", body="Judul yang sama tidak boleh dua kali.")
    with pytest.raises(PermissionDenied):
        handling.canned_answer_delete(actor=world.admin_b, answer=answer)
    handling.canned_answer_delete(actor=world.admin_a, answer=answer)
    assert handling.canned_answers_for(world.admin_a) == []


def test_forwarding_to_a_unit_without_officers_notifies_nobody(world):
    # a unit of agency A without officers: forwarding to it notifies nobody and does not fail
    quiet = make_unit(world.agency_a, code="sepi", name="Unit Sepi")
    report = walk_to(world, S.DISPOSED)
    services.report_forward(actor=world.admin_a, report=report, units=[quiet])
    assert not OutboxMessage.objects.filter(report=report, kind="report.forwarded").exists()
