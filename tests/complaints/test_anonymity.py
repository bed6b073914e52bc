"""Anonymous (anonim) and confidential (rahasia) reports: who learns who filed what."""

import pytest

from lapor.accounts.actors import Actor
from lapor.accounts.models import Role
from lapor.complaints import services
from lapor.complaints.models import ReportEvent
from lapor.complaints.models import Status as S
from lapor.complaints.selectors import public_reporter_name, public_reports, reporter_identity

from ..factories import make_user
from .flow import walk, walk_to

STAFF = ["verifier", "admin_a", "officer_a1", "observer", "sysadmin"]


@pytest.mark.parametrize("viewer", STAFF)
def test_an_anonymous_report_hides_the_reporter_from_every_staff_role(world, viewer):
    report = walk_to(world, S.FOLLOWED_UP, is_anonymous=True)
    assert reporter_identity(report, getattr(world, viewer)) is None


def test_an_anonymous_reporter_still_sees_their_own_identity(world):
    report = walk_to(world, S.FOLLOWED_UP, is_anonymous=True)
    assert reporter_identity(report, world.reporter) == {
        "name": "Made Sukerta", "email": world.reporter.email, "phone": "081234567890",
    }


@pytest.mark.parametrize("viewer", STAFF)
def test_staff_in_scope_see_the_name_of_a_non_anonymous_reporter(world, viewer):
    report = walk_to(world, S.FOLLOWED_UP)
    assert reporter_identity(report, getattr(world, viewer))["name"] == "Made Sukerta"


@pytest.mark.parametrize("viewer", ["admin_b", "officer_b1", "officer_a2", "observer_of_b"])
def test_staff_out_of_scope_do_not_see_the_reporter(world, viewer):
    report = walk_to(world, S.FOLLOWED_UP)
    if viewer == "observer_of_b":
        who = make_user(Role.OBSERVER)
        who.observed_agencies.add(world.agency_b)
    else:
        who = getattr(world, viewer)
    assert reporter_identity(report, who) is None


@pytest.mark.parametrize("viewer", ["other_reporter", None])
def test_other_reporters_and_the_public_never_see_the_reporter(world, viewer):
    report = walk_to(world, S.FOLLOWED_UP)
    assert reporter_identity(report, getattr(world, viewer) if viewer else None) is None


def test_an_accountless_reporter_sees_their_contact_and_staff_see_it_unless_anonymous(world):
    visible = services.report_submit(
        reporter=None, text="Sampah menumpuk di pinggir sungai sejak dua minggu.", contact_name="Ketut",
        contact_phone="0812000111",
    ).report
    hidden = services.report_submit(
        reporter=None, text="Pungutan liar di loket pembuatan KTP kecamatan.", contact_name="Nyoman",
        is_anonymous=True,
    ).report
    assert reporter_identity(visible, Actor.reporter_with_secret(visible.pk))["name"] == "Ketut"
    assert reporter_identity(hidden, Actor.reporter_with_secret(hidden.pk))["name"] == "Nyoman"
    assert reporter_identity(visible, world.verifier)["phone"] == "+62812000111"  # stored normalised
    assert reporter_identity(hidden, world.verifier) is None
    assert reporter_identity(hidden, Actor.reporter_with_secret(visible.pk)) is None


def test_events_of_an_anonymous_reporters_own_actions_name_nobody(world):
    # given an anonymous report by a reporter with an account, taken through resume, reply, rating and appeal
    report = walk_to(world, S.ON_HOLD, is_anonymous=True)
    report = walk(world, report, ["resume", "follow_up", "reply", "follow_up", "rate_poorly", "appeal", "close"])
    events = ReportEvent.objects.filter(report=report)
    # then the reporter's own events store no user, though they keep the role
    own = events.filter(actor_role=Role.REPORTER)
    assert set(own.values_list("type", flat=True)) == {
        "report.submitted", "report.resumed", "report.reporter_replied", "report.rated", "report.appealed"
    }
    assert set(own.values_list("actor_id", flat=True)) == {None}
    assert not events.filter(actor=world.reporter).exists()
    # while staff events still name the officer who acted
    assert events.filter(type="report.disposed", actor=world.verifier).exists()


def test_turning_anonymity_on_later_also_hides_the_reporter_in_earlier_events(world):
    # given a report filed openly and replied to, then made anonymous by the verifier
    report = walk_to(world, S.REPORTER_REPLIED)
    services.report_edit(actor=world.verifier, report=report, is_anonymous=True)
    # then no event of the report names the reporter any more
    assert not ReportEvent.objects.filter(report=report, actor=world.reporter).exists()


def test_events_of_a_non_anonymous_reporter_name_them(world):
    report = walk_to(world, S.REPORTER_REPLIED)
    assert set(
        ReportEvent.objects.filter(report=report, actor_role=Role.REPORTER).values_list("actor_id", flat=True)
    ) == {world.reporter.pk}


def test_public_reporter_name(world):
    named = walk_to(world, S.FORWARDED)
    anonymous = walk_to(world, S.FORWARDED, is_anonymous=True)
    contact = walk_to(world, S.FORWARDED, reporter=None, contact_name="Wayan")
    nameless = walk_to(world, S.FORWARDED, reporter=None)
    anonymous_contact = walk_to(world, S.FORWARDED, reporter=None, contact_name="Wayan", is_anonymous=True)
    assert public_reporter_name(named) == "Made Sukerta"
    assert public_reporter_name(anonymous) == "Anonim"
    assert public_reporter_name(contact) == "Wayan"
    assert public_reporter_name(nameless) == "Anonim"
    assert public_reporter_name(anonymous_contact) == "Anonim"


# --- public list -------------------------------------------------------------------------------


def test_public_reports_exclude_confidential_and_unverified_or_archived_ones(world):
    # given a report in every status, plus confidential ones in public statuses
    by_status = {status: walk_to(world, status) for status in S.values}
    confidential = {walk_to(world, status, is_confidential=True).pk for status in (S.FORWARDED, S.COMPLETED)}
    # then the public sees the verified, non-confidential ones only
    hidden = {S.RECEIVED, S.ON_HOLD, S.ARCHIVED}
    expected = {r.pk for status, r in by_status.items() if status not in hidden}
    assert set(public_reports().values_list("pk", flat=True)) == expected
    assert not confidential & set(public_reports().values_list("pk", flat=True))


def test_a_report_made_confidential_during_handling_leaves_the_public_list(world):
    report = walk_to(world, S.FORWARDED)
    assert public_reports().filter(pk=report.pk).exists()
    services.report_edit(actor=world.admin_a, report=report, is_confidential=True)
    assert not public_reports().filter(pk=report.pk).exists()
