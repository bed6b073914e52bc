"""Generated demo reports: histories the lifecycle allows, final fields that match them, every
status, fitting agencies and units, and work in the demo accounts' inboxes."""

from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
from django.conf import settings

from lapor.accounts.actors import SYSTEM_ROLE, Actor
from lapor.accounts.models import Agency, Role, User
from lapor.complaints.lifecycle import AGENCY_STAGE, TRANSITIONS
from lapor.complaints.models import Category, Closure, Report, ReportAssignment, ReportEvent, Status
from lapor.complaints.selectors import reports_visible_to
from lapor.demo.services import ensure_demo_accounts, generate_reports

NOW = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)
RULE_OF_EVENT = {rule.event_type: rule for rule in TRANSITIONS.values()}
COUNT = 300


@pytest.fixture(scope="module")
def generated(module_world, django_db_blocker):
    """One run for the read-only checks below (generating per test would be slow)."""
    with django_db_blocker.unblock():
        return _generate()


def _generate():
    accounts = ensure_demo_accounts()
    summary = generate_reports(count=COUNT, seed=7, days=120, now=NOW)
    reports = list(Report.objects.select_related("current_agency", "category"))
    events = defaultdict(list)
    for event in ReportEvent.objects.order_by("created_at", "id"):
        events[event.report_id].append(event)
    return {"summary": summary, "reports": reports, "events": events, "accounts": accounts}


def _effective(category: Category, attribute: str) -> list[str]:
    node = category
    while node is not None:
        if getattr(node, attribute):
            return getattr(node, attribute)
        node = node.parent
    return []


def test_summary_counts_what_was_written(generated, db):
    summary = generated["summary"]
    assert summary["reports"] == COUNT == Report.objects.count()
    assert summary["events"] == ReportEvent.objects.count()
    assert summary["assignments"] == ReportAssignment.objects.count()
    assert sum(summary["by_status"].values()) == COUNT
    assert Counter(r.status for r in generated["reports"]) == {k: v for k, v in summary["by_status"].items() if v}


def test_every_status_occurs(generated):
    assert {r.status for r in generated["reports"]} == set(Status.values)


def test_every_step_is_allowed_for_the_role_that_took_it(generated):
    for report in generated["reports"]:
        history = generated["events"][report.pk]
        first = history[0]
        assert (first.type, first.from_status, first.to_status, first.actor_role) == (
            "report.submitted", "", Status.RECEIVED, Role.REPORTER,
        )
        assert first.created_at == report.created_at
        held_from = None
        for before, event in zip(history, history[1:]):
            assert event.created_at > before.created_at, report.tracking_id
            assert event.from_status == before.to_status, report.tracking_id
            rule = RULE_OF_EVENT[event.type]
            assert event.from_status in rule.allowed[event.actor_role], (report.tracking_id, event.type, event.actor_role)
            if event.type == "report.held":
                held_from = event.from_status
            if event.type == "report.resumed":
                assert event.to_status == held_from
            elif rule.target is None:
                assert event.to_status == event.from_status
            else:
                assert event.to_status == rule.target
            assert event.is_public == rule.public


def test_final_fields_match_the_last_event(generated):
    limit = settings.LAPOR["MAX_TRANSFERS"]
    for report in generated["reports"]:
        history = generated["events"][report.pk]
        last = history[-1]
        types = [e.type for e in history]
        assert report.status == last.to_status
        assert (report.current_agency_id, report.current_unit_id) == (last.agency_id, last.unit_id)
        assert report.transfer_count == types.count("report.returned") <= limit
        assert (report.status == Status.ON_HOLD) == bool(report.held_from_status)
        assert (report.status == Status.ARCHIVED) == (report.archive_reason_id is not None)
        if report.status in (Status.COMPLETED, Status.ARCHIVED, Status.ON_HOLD):
            assert report.stage_due_at is None
        else:
            assert report.stage_due_at is not None
        if report.status == Status.COMPLETED:
            closing = next(e for e in reversed(history) if e.type in ("report.closed", "report.closed_by_system"))
            assert report.closed_at == closing.created_at
            assert report.closure == (Closure.BY_SYSTEM if closing.type == "report.closed_by_system" else Closure.BY_ADMIN)
        elif report.status == Status.ARCHIVED:
            assert report.closed_at == last.created_at
        else:
            assert report.closed_at is None and report.closure == ""
        for kind, field in (("report.disposed", "disposed_at"), ("report.followed_up", "followed_up_at"), ("report.rated", "rated_at"), ("report.appealed", "appealed_at")):
            times = [e.created_at for e in history if e.type == kind]
            assert getattr(report, field) == (times[-1] if times else None), (report.tracking_id, field)


def test_current_agency_is_set_exactly_in_the_agency_stage(generated):
    for report in generated["reports"]:
        last = generated["events"][report.pk][-1]
        if report.status in AGENCY_STAGE or report.status == Status.COMPLETED:
            expected = True
        elif report.status == Status.ON_HOLD:
            expected = report.held_from_status in AGENCY_STAGE
        elif report.status == Status.ARCHIVED:
            expected = last.actor_role == Role.AGENCY_ADMIN  # archived at the agency, else at verification
        else:  # received, returned: waiting for a (re-)disposition
            expected = False
        assert (report.current_agency_id is not None) == expected, (report.tracking_id, report.status)


def test_anonymous_reporters_are_never_named(generated):
    anonymous = [r for r in generated["reports"] if r.is_anonymous]
    assert anonymous
    for report in anonymous:
        assert all(e.actor_id is None for e in generated["events"][report.pk] if e.actor_role == Role.REPORTER)


def test_ratings_and_appeals_only_after_a_follow_up(generated):
    max_rating = settings.LAPOR["APPEAL_MAX_RATING"]
    for report in generated["reports"]:
        types = [e.type for e in generated["events"][report.pk]]
        assert types.count("report.rated") <= 1 and types.count("report.appealed") <= 1
        assert (report.rating is not None) == ("report.rated" in types)
        if "report.rated" in types:
            assert "report.followed_up" in types[: types.index("report.rated")]
        if "report.appealed" in types:
            assert types.index("report.rated") < types.index("report.appealed")
            assert report.rating <= max_rating


def test_system_closes_only_after_the_reply_period(generated):
    for history in generated["events"].values():
        for before, event in zip(history, history[1:]):
            if event.type == "report.closed_by_system":
                assert event.actor_role == SYSTEM_ROLE and before.type in ("report.followed_up", "report.rated")
                due = next(e for e in reversed(history[: history.index(event)]) if e.type == "report.followed_up")
                assert datetime.fromisoformat(due.changes["stage_due_at"][1]) <= event.created_at


def test_reports_go_to_fitting_agencies_and_units(generated, db):
    units_of = {a.pk: {u.unit_type for u in a.units.all()} for a in Agency.objects.all()}
    for report in generated["reports"]:
        kinds = set(_effective(report.category, "agency_kinds"))
        unit_types = _effective(report.category, "unit_types")
        for event in generated["events"][report.pk]:
            if event.type == "report.disposed":
                agency = Agency.objects.get(pk=event.agency_id)
                local = agency.region_id is not None and report.region_id.startswith(agency.region_id)
                assert agency.kind in kinds and (local or agency.region_id is None), (report.tracking_id, agency)
            if event.type == "report.forwarded":
                lead = event.unit_id  # the lead unit after forwarding
                assert ReportAssignment.objects.get(report=report, unit_id=lead).unit.agency_id == event.agency_id
                fitting = set(unit_types) & units_of[event.agency_id]
                if fitting:
                    assert ReportAssignment.objects.get(report=report, unit_id=lead).unit.unit_type in fitting
    # An open forwarding has exactly one active lead, the report's current unit.
    for report in generated["reports"]:
        if report.status == Status.FORWARDED:
            leads = ReportAssignment.objects.filter(report=report, is_lead=True, is_active=True)
            assert [a.unit_id for a in leads] == [report.current_unit_id]


def test_reports_are_varied(generated):
    reports = generated["reports"]
    assert len({r.text for r in reports}) > 0.95 * COUNT
    assert len({r.channel for r in reports}) >= 6
    assert len({r.kind for r in reports}) == 3
    assert any(r.is_confidential for r in reports) and any(r.is_anonymous for r in reports)
    assert any(r.reporter_id is None and r.contact_name for r in reports)
    assert min(r.created_at for r in reports) < datetime(2026, 1, 1, tzinfo=UTC) < max(r.created_at for r in reports) <= NOW


def test_demo_accounts_have_work(generated, db):
    users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in generated["accounts"]])}
    inbox = {
        "admin.denpasar": [Status.DISPOSED, Status.REPORTER_REPLIED],
        "unit.denpasar.pupr": [Status.FORWARDED, Status.REPORTER_REPLIED],
        "unit.denpasar.dukcapil": [Status.FORWARDED, Status.REPORTER_REPLIED],
        "admin.kemenkes": [Status.DISPOSED],
        "verifikator": [Status.RECEIVED, Status.RETURNED],
    }
    for username, statuses in inbox.items():
        assert reports_visible_to(Actor.of(users[username])).filter(status__in=statuses).exists(), username
    assert reports_visible_to(users["pengawas.bali"]).count() == COUNT  # the fixture is all Bali
    assert reports_visible_to(users["pengawas.ombudsman"]).count() == COUNT
    assert len({r.status for r in reports_visible_to(users["warga"])}) == len(Status)
    # The demo staff are named in the histories of their desks.
    assert ReportEvent.objects.filter(actor=users["unit.denpasar.pupr"], type="report.followed_up").exists()


def test_running_again_adds_reports(generated, db):
    before = set(Report.objects.values_list("tracking_id", flat=True))
    generate_reports(count=20, seed=7, days=30, now=NOW)
    after = set(Report.objects.values_list("tracking_id", flat=True))
    assert len(after) == COUNT + 20 and before < after
