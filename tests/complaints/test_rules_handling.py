"""Rules of the handling side: transfers, archiving, forwarding, editing, hold and resume."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from lapor.complaints import services
from lapor.complaints.models import Report, ReportAssignment
from lapor.complaints.models import Status as S
from lapor.complaints.selectors import reports_visible_to
from lapor.core.errors import Conflict, InvalidInput, PermissionDenied

from ..factories import make_agency, make_archive_reason, make_unit
from .flow import assert_refused, last_event, row, walk, walk_to

RETURN_REASON = "Jalan nasional, bukan wewenang pemerintah kota."


def _return(world, report):
    return services.report_return(actor=world.admin_a, report=report.pk, reason=RETURN_REASON)


def _assignments(report):
    return sorted(ReportAssignment.objects.filter(report=report).values_list("unit__code", "is_lead", "is_active"))


# --- return (bukan wewenang) and the transfer limit ----------------------------------------------


def test_return_increments_transfer_count_and_sends_report_back_for_re_disposition(world):
    # given a report forwarded to unit A1
    report = walk_to(world, S.FORWARDED)
    # when the agency admin returns it as not its authority
    returned = _return(world, report)
    # then it awaits re-disposition, with no agency, no unit and no active assignment
    assert (returned.status, returned.transfer_count) == (S.RETURNED, 1)
    assert returned.current_agency_id is None and returned.current_unit_id is None
    assert _assignments(report) == [("dpupr", False, False)]
    event = last_event(report)
    assert event.message == RETURN_REASON
    assert event.changes["transfer_count"] == [0, 1]
    assert event.changes["returned_by_agency"][0]["id"] == world.agency_a.pk


def test_transfer_count_increments_on_each_return(world):
    report = walk_to(world, S.DISPOSED)
    for expected in (1, 2, 3):
        report = _return(world, report)
        assert Report.objects.get(pk=report.pk).transfer_count == expected
        report = walk(world, report, ["dispose"])


def test_return_beyond_the_default_limit_of_three_is_refused(world, settings):
    # given the default limit, and a report already returned three times
    assert settings.LAPOR["MAX_TRANSFERS"] == 3
    report = walk_to(world, S.DISPOSED)
    for _ in range(3):
        report = walk(world, _return(world, report), ["dispose"])
    # when / then a fourth return is refused and nothing changes
    error = assert_refused(Conflict, report, lambda: _return(world, report))
    assert "3" in str(error)
    assert Report.objects.get(pk=report.pk).status == S.DISPOSED


@pytest.mark.parametrize("limit", [0, 1, 5])
def test_transfer_limit_follows_the_setting(world, settings, limit):
    settings.LAPOR = {**settings.LAPOR, "MAX_TRANSFERS": limit}
    report = walk_to(world, S.DISPOSED)
    for _ in range(limit):
        report = walk(world, _return(world, report), ["dispose"])
    assert_refused(Conflict, report, lambda: _return(world, report))
    assert Report.objects.get(pk=report.pk).transfer_count == limit


def test_return_needs_a_reason(world):
    report = walk_to(world, S.DISPOSED)
    assert_refused(
        InvalidInput, report, lambda: services.report_return(actor=world.admin_a, report=report, reason=" bukan ")
    )


# --- archive -----------------------------------------------------------------------------------


def test_archive_records_the_reason_and_closes(world):
    report = walk_to(world, S.RECEIVED)
    archived = services.report_archive(actor=world.verifier, report=report, reason=world.archive_reason)
    assert archived.status == S.ARCHIVED
    assert archived.archive_reason == world.archive_reason
    assert archived.closed_at is not None and archived.stage_due_at is None
    assert last_event(report).message == world.archive_reason.name


@pytest.mark.parametrize("reason_state", ["missing", "inactive"])
def test_archive_requires_an_active_reason(world, reason_state):
    report = walk_to(world, S.RECEIVED)
    reason = None if reason_state == "missing" else make_archive_reason(is_active=False)
    assert_refused(
        InvalidInput, report, lambda: services.report_archive(actor=world.verifier, report=report, reason=reason)
    )


def test_database_refuses_an_archived_report_without_reason(world):
    report = walk_to(world, S.RECEIVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(status=S.ARCHIVED)


# --- forward -----------------------------------------------------------------------------------


def test_forward_to_several_units_makes_one_lead(world):
    report = walk_to(world, S.DISPOSED)
    forwarded = services.report_forward(
        actor=world.admin_a, report=report, units=[world.unit_a1, world.unit_a2], lead=world.unit_a2
    )
    assert forwarded.status == S.FORWARDED
    assert forwarded.current_unit == world.unit_a2
    assert _assignments(report) == [("dishub", True, True), ("dpupr", False, True)]
    assert last_event(report).changes["units"] == [None, [world.unit_a1.name, world.unit_a2.name]]


@pytest.mark.parametrize("bad", ["other_agency", "inactive", "mixed"])
def test_forward_refuses_units_that_are_not_active_units_of_the_current_agency(world, bad):
    # given a report disposed to agency A
    report = walk_to(world, S.DISPOSED)
    units = {
        "other_agency": [world.unit_b1],
        "inactive": [make_unit(world.agency_a, is_active=False)],
        "mixed": [world.unit_a1, world.unit_b1],
    }[bad]
    # when / then the forward is refused, nothing changes and no assignment is half-written
    assert_refused(
        InvalidInput, report, lambda: services.report_forward(actor=world.admin_a, report=report, units=units)
    )
    assert not ReportAssignment.objects.filter(report=report).exists()


def test_forward_refuses_a_lead_outside_the_chosen_units(world):
    report = walk_to(world, S.DISPOSED)
    assert_refused(
        InvalidInput,
        report,
        lambda: services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1], lead=world.unit_a2),
    )


def test_forward_needs_at_least_one_unit(world):
    report = walk_to(world, S.DISPOSED)
    assert_refused(InvalidInput, report, lambda: services.report_forward(actor=world.admin_a, report=report, units=[]))


def test_re_forwarding_deactivates_dropped_units(world):
    # given a report forwarded to A1 and A2, A1 leading
    report = walk_to(world, S.DISPOSED)
    services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1, world.unit_a2])
    # when the admin forwards it again to A2 only
    services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a2])
    # then A1 is no longer assigned, A2 leads
    assert _assignments(report) == [("dishub", True, True), ("dpupr", False, False)]
    assert Report.objects.get(pk=report.pk).current_unit == world.unit_a2
    # and A1's officer neither sees nor acts on it any more, while A2's officer does
    assert not reports_visible_to(world.officer_a1).filter(pk=report.pk).exists()
    assert reports_visible_to(world.officer_a2).filter(pk=report.pk).exists()
    assert_refused(
        PermissionDenied,
        report,
        lambda: services.report_follow_up(actor=world.officer_a1, report=report, answer="Sudah ditangani unit kami."),
    )


def test_re_forwarding_to_a_dropped_unit_reactivates_it_as_the_only_lead(world):
    report = walk_to(world, S.DISPOSED)
    services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1])
    services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a2])
    services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1])
    assert _assignments(report) == [("dishub", False, False), ("dpupr", True, True)]


# --- edit --------------------------------------------------------------------------------------


def test_edit_keeps_the_citizens_original_words(world):
    report = walk_to(world, S.RECEIVED)
    original = report.text
    edited = services.report_edit(
        actor=world.verifier, report=report, title="Jalan berlubang di Pasar Sesetan",
        text="Jalan di depan Pasar Sesetan berlubang sedalam 20 cm.", note="Merapikan judul.",
    )
    assert edited.text == "Jalan di depan Pasar Sesetan berlubang sedalam 20 cm."
    assert edited.original_text == original
    assert edited.original_title == report.original_title != edited.title
    event = last_event(report)
    assert (event.type, event.is_public, event.message) == ("report.edited", False, "Merapikan judul.")
    assert event.changes["text"] == [original, edited.text]


@pytest.mark.parametrize("flag", ["is_anonymous", "is_confidential"])
@pytest.mark.parametrize("editor", ["verifier", "admin_a"])
def test_staff_may_turn_anonymity_and_confidentiality_on(world, flag, editor):
    report = walk_to(world, S.DISPOSED)
    edited = services.report_edit(actor=getattr(world, editor), report=report, **{flag: True})
    assert getattr(edited, flag) is True
    assert last_event(report).changes == {flag: [False, True]}


@pytest.mark.parametrize("flag", ["is_anonymous", "is_confidential"])
@pytest.mark.parametrize("editor", ["verifier", "admin_a"])
def test_staff_may_never_turn_anonymity_or_confidentiality_off(world, flag, editor):
    report = walk_to(world, S.DISPOSED, **{flag: True})
    assert_refused(
        PermissionDenied,
        report,
        lambda: services.report_edit(actor=getattr(world, editor), report=report, title="Judul baru", **{flag: False}),
    )


@pytest.mark.parametrize(
    "change", [{}, {"title": "   "}, {"text": "terlalu pendek"}], ids=["nothing", "blank-title", "short-text"]
)
def test_edit_refuses_empty_or_invalid_changes(world, change):
    report = walk_to(world, S.RECEIVED)
    assert_refused(InvalidInput, report, lambda: services.report_edit(actor=world.verifier, report=report, **change))


# --- hold and resume ---------------------------------------------------------------------------

HOLD_ORIGINS = {
    # status held from: (path to it, who holds)
    S.RECEIVED: ((), "verifier"),
    S.RETURNED: (("dispose", "forward", "return"), "verifier"),
    S.DISPOSED: (("dispose",), "admin_a"),
    S.FORWARDED: (("dispose", "forward"), "officer_a1"),
}


@pytest.mark.parametrize("origin", list(HOLD_ORIGINS), ids=str)
def test_resume_goes_back_to_the_status_the_report_was_held_from(world, origin):
    # given a report held from `origin`
    path, holder = HOLD_ORIGINS[origin]
    report = walk_to(world, origin)
    held = services.report_hold(actor=getattr(world, holder), report=report, question="Mohon lengkapi lokasi.")
    assert (held.status, held.held_from_status, held.stage_due_at) == (S.ON_HOLD, origin, None)
    # when the reporter completes it
    resumed = services.report_resume(actor=world.reporter, report=report, message="Lokasi: depan Pasar Sesetan.")
    # then it goes back where it was, with a new stage deadline
    assert resumed.status == origin
    assert resumed.held_from_status == ""
    assert resumed.stage_due_at is not None
    assert (last_event(report).from_status, last_event(report).to_status) == (S.ON_HOLD, origin)


def test_hold_needs_a_question_and_reporter_resume_needs_the_missing_information(world):
    report = walk_to(world, S.RECEIVED)
    assert_refused(InvalidInput, report, lambda: services.report_hold(actor=world.verifier, report=report, question=""))
    services.report_hold(actor=world.verifier, report=report, question="Mohon lengkapi lokasi.")
    assert_refused(
        InvalidInput, report, lambda: services.report_resume(actor=world.reporter, report=report, message="")
    )
    # staff may resume without a message
    assert services.report_resume(actor=world.verifier, report=report).status == S.RECEIVED


def test_archiving_a_held_report_clears_held_from_status(world):
    report = walk_to(world, S.ON_HOLD)
    archived = services.report_archive(actor=world.admin_a, report=report, reason=world.archive_reason)
    assert (archived.status, archived.held_from_status) == (S.ARCHIVED, "")
    assert row(report)["archive_reason_id"] == world.archive_reason.pk


# --- dispose and its deadlines -----------------------------------------------------------------


def test_dispose_sets_the_agency_deadlines_and_a_re_disposition_keeps_the_case_deadline(world):
    wita = ZoneInfo("Asia/Makassar")
    report = walk_to(world, S.RECEIVED)
    monday = datetime(2025, 3, 3, 9, tzinfo=wita)
    # when the verifier disposes it on a Monday
    disposed = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a, now=monday)
    # then the agency has 5 working days (in its own zone) and the case 60 calendar days
    assert disposed.disposed_at == monday
    assert disposed.stage_due_at == datetime(2025, 3, 10, 23, 59, 59, tzinfo=wita)
    assert disposed.completion_due_at == datetime(2025, 5, 2, 23, 59, 59, tzinfo=wita)
    # and a re-disposition after a return restarts the stage but not the case deadline
    _return(world, disposed)
    later = datetime(2025, 3, 5, 9, tzinfo=wita)
    again = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_b, now=later)
    assert again.stage_due_at == datetime(2025, 3, 12, 23, 59, 59, tzinfo=wita)
    assert again.completion_due_at == disposed.completion_due_at


@pytest.mark.parametrize("agency_state", ["missing", "inactive"])
def test_dispose_needs_an_active_agency(world, agency_state):
    report = walk_to(world, S.RECEIVED)
    agency = None if agency_state == "missing" else make_agency(is_active=False)
    assert_refused(
        InvalidInput, report, lambda: services.report_dispose(actor=world.verifier, report=report, agency=agency)
    )
