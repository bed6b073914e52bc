"""Actors: who is acting, and the facts about users and agencies the rules rely on."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from lapor.accounts.actors import SYSTEM_ROLE, Actor
from lapor.accounts.models import Agency, Role, User

from ..factories import make_agency, make_report, make_unit, make_user


def test_actor_of_a_user_takes_its_role_and_scope(world):
    actor = Actor.of(world.officer_a1)
    assert (actor.role, actor.user_id, actor.agency_id, actor.unit_id) == (
        Role.UNIT_OFFICER, world.officer_a1.pk, world.agency_a.pk, world.unit_a1.pk
    )
    assert Actor.of(actor) is actor


@pytest.mark.parametrize("nobody", [None, AnonymousUser()], ids=["none", "anonymous-user"])
def test_actor_of_nobody_is_anonymous(nobody):
    actor = Actor.of(nobody)
    assert (actor.role, actor.user, actor.agency_id, actor.unit_id) == ("anonymous", None, None, None)


def test_the_system_actor():
    assert Actor.system().role == SYSTEM_ROLE and Actor.system().user is None


def test_is_reporter_of(world):
    mine = make_report(reporter=world.reporter)
    accountless = make_report(reporter=None)
    assert Actor.of(world.reporter).is_reporter_of(mine)
    assert not Actor.of(world.other_reporter).is_reporter_of(mine)
    assert not Actor.of(world.verifier).is_reporter_of(mine)
    assert Actor.reporter_with_secret(accountless.pk).is_reporter_of(accountless)
    assert not Actor.reporter_with_secret(accountless.pk).is_reporter_of(mine)
    assert not Actor(role=Role.REPORTER).is_reporter_of(accountless)
    # a staff account never counts as the reporter, even of a report it is linked to
    assert not Actor(role=Role.VERIFIER, proven_report_id=accountless.pk).is_reporter_of(accountless)


@pytest.mark.parametrize(
    ("role", "kwargs"),
    [(Role.AGENCY_ADMIN, {}), (Role.UNIT_OFFICER, {}), (Role.UNIT_OFFICER, {"agency": "only"})],
    ids=["admin-without-agency", "officer-without-unit", "officer-without-unit-but-agency"],
)
def test_staff_roles_need_their_agency_or_unit(db, role, kwargs):
    if kwargs.get("agency") == "only":
        kwargs = {"agency": make_agency()}
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=f"x-{role}", role=role, **kwargs)


def test_a_unit_officer_gets_the_units_agency(db):
    unit = make_unit(make_agency())
    assert make_user(Role.UNIT_OFFICER, unit=unit).agency == unit.agency


@pytest.mark.parametrize(
    ("decree", "active", "group"),
    [("SK-1/2024", True, "I"), ("SK-1/2024", False, "II"), ("", True, "II"), ("", False, "III")],
)
def test_agency_connectivity_group(db, decree, active, group):
    agency = make_agency(decree_number=decree, admin_account_active=active)
    assert agency.connectivity_group == Agency.Connectivity(group)


def test_display_name_falls_back_to_username(db):
    assert make_user(first_name="", last_name="", username="wayan").display_name() == "wayan"
    assert make_user(first_name="Wayan", last_name="Sudi").display_name() == "Wayan Sudi"
