"""Filing reads red flags: stored on the report, priority, the inspectorate's copy; never in the way."""

from __future__ import annotations

import io
import logging

import pytest

from lapor.accounts.models import Role
from lapor.complaints.filing import report_file
from lapor.complaints.models import Priority, Report, ReportEvent, ReportFlag
from lapor.complaints.selectors import reports_visible_to
from lapor.routing import flags

from ..factories import make_user

EXTORTION = "Waktu mengurus akta kelahiran di kantor capil saya dimintai uang pelicin Rp250.000 oleh petugas loket."
VIOLENCE = "Anak saya dipukul dan ditendang oleh penjaga sekolah sampai memar, mohon ditindak."
BENIGN = "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam."


def file(world, text, **extra):
    extra.setdefault("region", world.bali_village)
    return report_file(reporter=world.reporter, text=text, **extra).report


def test_an_extortion_report_is_flagged_made_priority_and_copied_to_the_inspectorate(world):
    report = file(world, EXTORTION)

    stored = ReportFlag.objects.get(report=report)
    assert stored.kind == "extortion" and stored.score >= 0.6
    assert stored.lexicon_score == 1.0 and 0 <= stored.model_score <= 1
    assert any(t["phrase"] == "uang pelicin" for t in stored.terms)
    report = Report.objects.get(pk=report.pk)
    assert report.priority == Priority.HIGH
    assert report.flagged_at is not None and report.flag_reason.startswith("Otomatis:")
    event = ReportEvent.objects.get(report=report, type="report.red_flagged")
    assert event.actor_role == "system" and event.is_public is False
    assert event.changes["red_flags"] == [None, ["extortion"]]
    # the reporter's own timeline does not show it
    assert not ReportEvent.objects.filter(report=report, is_public=True, type="report.red_flagged").exists()


def test_violence_makes_a_priority_without_the_inspectorates_copy(world):
    report = Report.objects.get(pk=file(world, VIOLENCE).pk)
    assert list(report.red_flags.values_list("kind", flat=True)) == ["violence"]
    assert report.priority == Priority.HIGH and report.flagged_at is None


def test_a_benign_report_stays_as_it_was(world):
    report = Report.objects.get(pk=file(world, BENIGN).pk)
    assert report.red_flags.count() == 0 and report.priority == Priority.NORMAL and report.flagged_at is None
    assert list(ReportEvent.objects.filter(report=report).values_list("type", flat=True)) == ["report.submitted"]


def test_a_failure_reading_flags_never_fails_the_filing(world, monkeypatch, caplog):
    def broken(text):
        raise RuntimeError("classifier unavailable")

    monkeypatch.setattr(flags, "assess", broken)
    with caplog.at_level(logging.ERROR, logger="lapor.routing.flags"):
        report = file(world, EXTORTION)
    assert Report.objects.filter(pk=report.pk, priority=Priority.NORMAL).exists()
    assert ReportFlag.objects.count() == 0
    assert "red flags could not be computed" in caplog.text


def test_a_database_error_inside_is_rolled_back_to_its_savepoint(world, monkeypatch):
    from lapor.complaints import handling

    def half_done(*, actor, report, flags, now=None):
        ReportFlag.objects.create(report_id=getattr(report, "pk", report), kind="extortion", score=1.0)
        raise RuntimeError("disk full")

    monkeypatch.setattr(handling, "report_red_flag", half_done)
    report = file(world, EXTORTION)
    assert ReportFlag.objects.filter(report=report).count() == 0  # the half-written row is gone
    assert Report.objects.filter(pk=report.pk).exists()


@pytest.mark.parametrize(("observed", "sees"), [("agency_a", True), ("agency_b", False)])
def test_the_inspectorate_of_the_place_sees_the_flagged_report_before_disposition(world, observed, sees):
    inspectorate = make_user(Role.OBSERVER)
    inspectorate.observed_agencies.add(getattr(world, observed))  # Kota Denpasar / Kota Mataram
    flagged = file(world, EXTORTION)
    plain = file(world, BENIGN)
    visible = set(reports_visible_to(inspectorate).values_list("pk", flat=True))
    assert (flagged.pk in visible) is sees
    assert plain.pk not in visible  # nothing else of the place before the agency holds it


def test_the_command_catches_up_on_older_open_reports_once(world):
    from django.core.management import call_command

    from ..factories import make_report

    old = make_report(reporter=world.reporter, text=VIOLENCE, region=world.bali_village)  # not through filing
    plain = make_report(reporter=world.reporter, text=BENIGN, region=world.bali_village)
    out = io.StringIO()
    call_command("red-flags", stdout=out)
    assert "2 reports read, 1 flagged" in out.getvalue()
    assert list(old.red_flags.values_list("kind", flat=True)) == ["violence"] and plain.red_flags.count() == 0
    out = io.StringIO()
    call_command("red-flags", stdout=out)
    assert "1 reports read, 0 flagged" in out.getvalue()  # the flagged one is not read again
