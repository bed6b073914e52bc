"""Who may read and act on which reports (lapor/complaints/selectors.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lapor.accounts.actors import Actor
from lapor.accounts.models import Role
from lapor.complaints import services
from lapor.complaints.lifecycle import TRANSITIONS, Action
from lapor.complaints.models import Status as S
from lapor.complaints.selectors import report_get_for_actor, reports_visible_to
from lapor.core.errors import Conflict, NotFound, PermissionDenied

from ..factories import make_region_chain, make_user
from .flow import assert_refused, perform, walk, walk_to


def visible(who) -> set[int]:
    return set(reports_visible_to(who).values_list("pk", flat=True))


# --- agency and unit staff ---------------------------------------------------------------------


def test_agency_staff_read_only_their_agencys_reports(world):
    # given one report at agency A and one at agency B
    at_a = walk_to(world, S.FORWARDED, agency=world.agency_a)
    at_b = walk_to(world, S.FORWARDED, agency=world.agency_b)
    # then each admin sees only its own, and cannot open the other by tracking id
    assert visible(world.admin_a) == {at_a.pk}
    assert visible(world.admin_b) == {at_b.pk}
    assert report_get_for_actor(world.admin_a, tracking_id=at_a.tracking_id) == at_a
    with pytest.raises(NotFound) as not_found:
        report_get_for_actor(world.admin_a, tracking_id=at_b.tracking_id)
    for staff_of_a in (world.officer_a1, world.officer_a2):
        with pytest.raises(NotFound):
            report_get_for_actor(staff_of_a, tracking_id=at_b.tracking_id)
    # the same answer as for an id that does not exist: no probing
    with pytest.raises(NotFound) as missing:
        report_get_for_actor(world.admin_a, tracking_id="LAP-ZZZZ-ZZZZ")
    assert str(not_found.value).replace(at_b.tracking_id, "X") == str(missing.value).replace("LAP-ZZZZ-ZZZZ", "X")


CROSS_AGENCY = sorted(
    (action, role, status)
    for action, rule in TRANSITIONS.items()
    for role, statuses in rule.allowed.items()
    if role in (Role.AGENCY_ADMIN, Role.UNIT_OFFICER)
    for status in statuses
)


@pytest.mark.parametrize(("action", "role", "status"), CROSS_AGENCY, ids=str)
def test_staff_of_agency_a_cannot_act_on_agency_b_reports(world, action, role, status):
    # given a report of agency B in a status where the role could act on its own agency's reports
    report = walk_to(world, status, agency=world.agency_b)
    if action == Action.APPEAL:
        report = walk(world, report, ["rate_poorly"], agency=world.agency_b)
    actor = {Role.AGENCY_ADMIN: world.admin_a, Role.UNIT_OFFICER: world.officer_a1}[role]
    # when / then agency A's staff are refused and nothing changes
    assert_refused(PermissionDenied, report, lambda: perform(world, action, report, actor))


def test_unit_officer_sees_only_reports_actively_assigned_to_the_unit(world):
    # given reports disposed (no unit yet), forwarded to A1, forwarded to A2, and moved from A1 to A2
    disposed = walk_to(world, S.DISPOSED)
    to_a1 = walk_to(world, S.FORWARDED)
    to_a2 = walk_to(world, S.DISPOSED)
    services.report_forward(actor=world.admin_a, report=to_a2, units=[world.unit_a2])
    moved = walk_to(world, S.FORWARDED)
    services.report_forward(actor=world.admin_a, report=moved, units=[world.unit_a2])
    # then each officer sees only what its unit holds now
    assert visible(world.officer_a1) == {to_a1.pk}
    assert visible(world.officer_a2) == {to_a2.pk, moved.pk}
    assert visible(world.officer_b1) == set()
    assert visible(world.admin_a) == {disposed.pk, to_a1.pk, to_a2.pk, moved.pk}
    with pytest.raises(NotFound):
        report_get_for_actor(world.officer_a1, tracking_id=disposed.tracking_id)


def test_a_returned_report_leaves_the_agency_and_unit_scope(world):
    report = walk_to(world, S.RETURNED)
    assert report.pk not in visible(world.admin_a)
    assert report.pk not in visible(world.officer_a1)
    assert report.pk in visible(world.verifier)


# --- observers ---------------------------------------------------------------------------------

def test_observer_of_everything_reads_all_reports(world):
    reports = {walk_to(world, S.RECEIVED).pk, walk_to(world, S.FORWARDED, agency=world.agency_b).pk}
    assert visible(world.observer) == reports


def test_observer_of_an_agency_reads_only_that_agencys_reports(world):
    observer = make_user(Role.OBSERVER)
    observer.observed_agencies.add(world.agency_b)
    walk_to(world, S.FORWARDED, agency=world.agency_a)
    at_b = walk_to(world, S.FORWARDED, agency=world.agency_b)
    assert visible(observer) == {at_b.pk}


def test_observer_of_a_province_reads_reports_of_villages_inside_it_only(world):
    # given an inspectorate observing the province of Bali (51)
    observer = make_user(Role.OBSERVER)
    observer.observed_regions.add(world.bali_village.parent.parent.parent)
    # and reports from a Bali village, from the province itself, from NTB (52), and one with no place
    in_village = walk_to(world, S.RECEIVED, region=world.bali_village)
    in_province = walk_to(world, S.RECEIVED, region="51")
    walk_to(world, S.RECEIVED, region=world.ntb_village)
    walk_to(world, S.RECEIVED, region=None)
    # a code that shares the first digit but is another province
    other = make_region_chain("53.71.01.1001")
    walk_to(world, S.RECEIVED, region=other)
    # then only the Bali reports are visible
    assert visible(observer) == {in_village.pk, in_province.pk}


def test_observer_of_a_city_does_not_see_the_rest_of_the_province(world):
    observer = make_user(Role.OBSERVER)
    observer.observed_regions.add(world.bali_village.parent.parent)  # 51.71 Kota Denpasar
    make_region_chain("51.02.01.2001")  # Kabupaten Tabanan
    in_city = walk_to(world, S.RECEIVED, region=world.bali_village)
    walk_to(world, S.RECEIVED, region="51.02.01.2001")
    walk_to(world, S.RECEIVED, region="51")
    assert visible(observer) == {in_city.pk}


def test_observer_without_any_scope_sees_nothing(world):
    walk_to(world, S.FORWARDED)
    assert visible(make_user(Role.OBSERVER)) == set()


# --- reporters ---------------------------------------------------------------------------------


def test_a_reporter_sees_only_their_own_reports(world):
    mine = walk_to(world, S.FORWARDED)
    theirs = walk_to(world, S.FORWARDED, reporter=world.other_reporter)
    accountless = walk_to(world, S.FORWARDED, reporter=None)
    assert visible(world.reporter) == {mine.pk}
    assert visible(world.other_reporter) == {theirs.pk}
    with pytest.raises(NotFound):
        report_get_for_actor(world.reporter, tracking_id=accountless.tracking_id)


def test_a_reporter_cannot_act_on_someone_elses_report(world):
    theirs = walk_to(world, S.FOLLOWED_UP, reporter=world.other_reporter)
    for action in (Action.REPLY, Action.RATE):
        assert_refused(PermissionDenied, theirs, lambda: perform(world, action, theirs, world.reporter))


def test_an_accountless_reporter_with_the_secret_sees_and_acts_on_that_report_only(world):
    # given two accountless reports followed up
    mine = walk_to(world, S.FOLLOWED_UP, reporter=None)
    other = walk_to(world, S.FOLLOWED_UP, reporter=None)
    me = Actor.reporter_with_secret(mine.pk)
    # then the proven reporter sees only that report
    assert visible(me) == {mine.pk}
    assert report_get_for_actor(me, tracking_id=mine.tracking_id) == mine
    with pytest.raises(NotFound):
        report_get_for_actor(me, tracking_id=other.tracking_id)
    # and may reply, rate and appeal it, but not the other one
    for action in (Action.REPLY, Action.RATE, Action.APPEAL):
        assert_refused(PermissionDenied, other, lambda: perform(world, action, other, me))
    replied = services.report_reply(actor=me, report=mine, message="Masih rusak, mohon dicek.")
    assert replied.status == S.REPORTER_REPLIED
    mine = walk(world, mine, ["follow_up"])
    assert services.report_rate(actor=me, report=mine, rating=2).rating == 2
    appealed = services.report_appeal(actor=me, report=mine, reason="Perbaikan asal-asalan saja.")
    assert appealed.status == S.APPEALED


def test_an_accountless_reporter_still_gets_conflict_for_a_wrong_state(world):
    mine = walk_to(world, S.FORWARDED, reporter=None)
    me = Actor.reporter_with_secret(mine.pk)
    assert_refused(Conflict, mine, lambda: perform(world, Action.REPLY, mine, me))


@pytest.mark.parametrize("nobody", [None, AnonymousUser(), Actor(role="anonymous")], ids=["none", "anon-user", "actor"])
def test_someone_not_logged_in_sees_nothing(world, nobody):
    report = walk_to(world, S.FORWARDED, reporter=None)
    walk_to(world, S.COMPLETED)
    assert visible(nobody) == set()
    with pytest.raises(NotFound):
        report_get_for_actor(nobody, tracking_id=report.tracking_id)


def test_a_reporter_actor_without_account_or_secret_sees_nothing(world):
    walk_to(world, S.FORWARDED, reporter=None)
    assert visible(Actor(role=Role.REPORTER)) == set()


def test_verifiers_sysadmins_and_the_system_read_everything(world):
    reports = {walk_to(world, S.RECEIVED).pk, walk_to(world, S.RETURNED).pk, walk_to(world, S.ARCHIVED).pk}
    for who in (world.verifier, world.sysadmin, Actor.system()):
        assert visible(who) == reports
