"""Filing a report: validation, tracking ids, the accountless reporter's secret."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lapor.accounts.models import Role
from lapor.complaints import services
from lapor.complaints.models import Report, ReportEvent
from lapor.complaints.models import Status as S
from lapor.core.errors import Conflict, InvalidInput, PermissionDenied

from ..factories import DEFAULT_TEXT, make_category, make_report
from .flow import assert_indonesian_message

TRACKING_RE = re.compile(r"^LAP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def _refused_without_a_trace(error_type, **kwargs):
    """Submitting with `kwargs` raises `error_type` and stores no report and no event."""
    reports, events = Report.objects.count(), ReportEvent.objects.count()
    kwargs.setdefault("reporter", None)
    kwargs.setdefault("text", DEFAULT_TEXT)
    with pytest.raises(error_type) as refused:
        services.report_submit(**kwargs)
    assert type(refused.value) is error_type
    assert_indonesian_message(refused.value)
    assert (Report.objects.count(), ReportEvent.objects.count()) == (reports, events)


def test_submit_files_a_received_report_with_a_verification_deadline(world):
    # when a reporter files a report
    submitted = services.report_submit(
        reporter=world.reporter, text=DEFAULT_TEXT, category=world.category, region="51.71.01.1001",
        latitude="-8.7", longitude=115.2167, channel="sms",
    )
    # then it is received, titled from its text, located, and its history starts
    report = Report.objects.get(pk=submitted.report.pk)
    assert report.status == S.RECEIVED
    assert report.title == report.original_title
    assert report.title == "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor…"
    assert report.text == report.original_text == DEFAULT_TEXT
    assert report.region_id == "51.71.01.1001"
    assert (report.latitude, report.longitude) == (Decimal("-8.700000"), Decimal("115.216700"))
    assert report.stage_due_at > report.created_at
    [event] = ReportEvent.objects.filter(report=report)
    assert (event.type, event.from_status, event.to_status, event.actor_id) == (
        "report.submitted", "", S.RECEIVED, world.reporter.pk
    )
    assert event.changes == {"channel": [None, "sms"]}


@pytest.mark.parametrize(
    ("case", "kwargs"),
    [
        ("empty text", {"text": ""}),
        ("text too short", {"text": "  jalan rusak parah  "}),
        ("text too long", {"text": "a" * (services.MAX_TEXT_LENGTH + 1)}),
        ("unknown kind", {"kind": "gossip"}),
        ("unknown channel", {"channel": "pigeon"}),
        ("unknown region code", {"region": "99.99"}),
        ("incident in the future", {"incident_date": timezone.localdate() + timedelta(days=1)}),
        ("latitude above 90", {"latitude": "90.5"}),
        ("longitude below -180", {"longitude": -180.1}),
        ("latitude not a number", {"latitude": "delapan"}),
        ("longitude infinite", {"longitude": "Infinity"}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_submit_refuses_invalid_input(world, case, kwargs):
    _refused_without_a_trace(InvalidInput, **kwargs)


@pytest.mark.parametrize("field", ["latitude", "longitude"])
def test_submit_refuses_a_nan_coordinate(world, field):
    _refused_without_a_trace(InvalidInput, **{field: "NaN"})


def test_submit_refuses_an_inactive_category(world):
    _refused_without_a_trace(InvalidInput, category=make_category(is_active=False))


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.REPORTER])
def test_a_staff_account_cannot_submit(world, role):
    staff = {
        Role.VERIFIER: world.verifier, Role.AGENCY_ADMIN: world.admin_a, Role.UNIT_OFFICER: world.officer_a1,
        Role.OBSERVER: world.observer, Role.SYSADMIN: world.sysadmin,
    }[role]
    _refused_without_a_trace(PermissionDenied, reporter=staff)


def test_incident_date_today_is_accepted(world):
    report = make_report(reporter=world.reporter, incident_date=timezone.localdate())
    assert report.incident_date == timezone.localdate()


def test_a_title_derived_from_a_long_unbroken_text_fits_the_column(world):
    text = "https://contoh.id/" + "jalan-rusak-" * 30
    report = make_report(reporter=world.reporter, text=text)
    assert len(Report.objects.get(pk=report.pk).title) <= Report._meta.get_field("title").max_length


# --- tracking ids and secrets ------------------------------------------------------------------


def test_tracking_ids_are_readable_random_and_unique(world):
    reports = [make_report(reporter=world.reporter) for _ in range(20)]
    ids = [r.tracking_id for r in reports]
    assert all(TRACKING_RE.match(t) for t in ids), ids
    assert len(set(ids)) == len(ids)


def test_a_colliding_tracking_id_is_drawn_again(world, monkeypatch):
    # given an existing report and a generator that first repeats its id
    existing = make_report(reporter=world.reporter)
    draws = iter([existing.tracking_id, existing.tracking_id, "LAP-2345-6789"])
    monkeypatch.setattr(services, "new_tracking_id", lambda: next(draws))
    # when another report is filed, then it gets a fresh id and one event
    report = make_report(reporter=world.other_reporter)
    assert report.tracking_id == "LAP-2345-6789"
    assert ReportEvent.objects.filter(report=report).count() == 1
    assert Report.objects.count() == 2


def test_submit_gives_up_with_conflict_when_every_tracking_id_collides(world, monkeypatch):
    existing = make_report(reporter=world.reporter)
    monkeypatch.setattr(services, "new_tracking_id", lambda: existing.tracking_id)
    _refused_without_a_trace(Conflict, reporter=world.other_reporter)


def test_a_reporter_without_account_gets_a_secret_that_opens_only_their_report(world):
    # when two reports are filed without an account
    first = services.report_submit(reporter=None, text=DEFAULT_TEXT, contact_name="Wayan")
    second = services.report_submit(reporter=None, text=DEFAULT_TEXT)
    # then each gets its own secret, stored only as a hash
    assert first.secret and second.secret and first.secret != second.secret
    assert first.secret not in first.report.secret_hash
    assert services.secret_matches(first.report, first.secret)
    assert not services.secret_matches(first.report, second.secret)
    assert not services.secret_matches(first.report, "")
    assert not services.secret_matches(first.report, None)


def test_a_reporter_with_an_account_gets_no_secret(world):
    submitted = services.report_submit(reporter=world.reporter, text=DEFAULT_TEXT)
    assert submitted.secret is None
    assert submitted.report.secret_hash == ""
    assert not services.secret_matches(submitted.report, "")


NORMALIZE_CASES = [
    ("LAP-ABCD-EFGH", "LAP-ABCD-EFGH"),
    ("lap-abcd-efgh", "LAP-ABCD-EFGH"),
    ("lapabcdefgh", "LAP-ABCD-EFGH"),
    ("abcdefgh", "LAP-ABCD-EFGH"),
    ("abcd efgh", "LAP-ABCD-EFGH"),
    (" lap abcd efgh ", "LAP-ABCD-EFGH"),
    ("ab0i-1olz", "LAP-AB01-101Z"),
    ("LAP-ABCO-EFGI", "LAP-ABC0-EFG1"),
    ("Lap.2345.67L9", "LAP-2345-6719"),
    ("  abc ", "ABC"),  # not a tracking id: left for the lookup to miss
]


@pytest.mark.parametrize(("typed", "expected"), NORMALIZE_CASES)
def test_normalize_tracking_id_tolerates_case_dashes_and_look_alike_letters(typed, expected):
    assert services.normalize_tracking_id(typed) == expected


def test_a_normalised_tracking_id_finds_the_report(world):
    report = make_report(reporter=world.reporter)
    typed = report.tracking_id.lower().replace("lap-", "").replace("-", "").replace("1", "l").replace("0", "o")
    assert Report.objects.get(tracking_id=services.normalize_tracking_id(typed)) == report
