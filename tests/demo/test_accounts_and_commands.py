"""Demo accounts (idempotent, every role), the two commands, and what happens without data."""

import random
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lapor.accounts.models import Agency, Role, User
from lapor.complaints.lifecycle import Action
from lapor.complaints.models import Report, Status
from lapor.core.errors import Conflict
from lapor.demo.services import DEMO_PASSWORD, ensure_demo_accounts, generate_reports
from lapor.demo.texts import TextMaker
from lapor.demo.walk import Case, InvalidStep, Simulator
from lapor.demo.world import World

NOW = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)


def test_few_reports_still_cover_every_status(world):
    summary = generate_reports(count=len(Status), seed=3, now=NOW)
    assert all(summary["by_status"].values())


def test_demo_accounts_are_idempotent_and_cover_every_role(world):
    first = ensure_demo_accounts()
    second = ensure_demo_accounts(password="another-demo-pass")
    assert [a.username for a in first] == [a.username for a in second]
    usernames = [a.username for a in first]
    assert User.objects.filter(username__in=usernames).count() == len(usernames) == len(set(usernames))
    assert {a.role for a in second} == set(Role.values)
    assert {"verifikator", "admin.denpasar", "unit.denpasar.pupr", "unit.denpasar.dukcapil", "admin.kemenkes",
            "pengawas.ombudsman", "pengawas.bali", "sysadmin", "warga"} == set(usernames)
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    assert users["warga"].check_password("another-demo-pass")
    assert users["sysadmin"].is_staff and users["sysadmin"].is_superuser
    assert not users["verifikator"].is_staff
    assert users["pengawas.ombudsman"].observes_all and users["pengawas.ombudsman"].agency.code == "ombudsman"
    assert list(users["pengawas.bali"].observed_regions.values_list("code", flat=True)) == ["51"]
    assert users["unit.denpasar.pupr"].unit.unit_type == "public_works"
    role, username, password, scope = second[1]
    assert (role, username, password) == (Role.AGENCY_ADMIN, "admin.denpasar", "another-demo-pass") and scope
    for agency in (world["denpasar"], world["kemenkes"]):
        agency.refresh_from_db()
        assert agency.connectivity_group == Agency.Connectivity.GROUP_I


def test_commands_print_accounts_and_summary(world):
    out = StringIO()
    call_command("demo-accounts", stdout=out)
    assert "admin.denpasar" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    out = StringIO()
    call_command("demo-data", "--reports", "25", "--seed", "5", "--days", "30", stdout=out)
    text = out.getvalue()
    assert "25/25" in text and "completed" in text and Report.objects.count() == 25


def test_without_reference_data_it_says_what_to_run(db):
    with pytest.raises(Conflict, match="reference-data"):
        generate_reports(count=5, now=NOW)
    with pytest.raises(CommandError, match="reference-data"):
        call_command("demo-accounts", stdout=StringIO())


def test_a_step_the_lifecycle_refuses_is_a_bug(world):
    rng = random.Random(1)
    simulator = Simulator(World(rng=rng), TextMaker(rng), rng, max_transfers=3, appeal_max_rating=2)
    case = Case(draft=None, created_at=NOW)  # just filed: received
    with pytest.raises(InvalidStep):
        simulator._step(case, Action.FOLLOW_UP, Role.UNIT_OFFICER, NOW)
    with pytest.raises(InvalidStep):
        simulator._step(case, Action.DISPOSE, Role.AGENCY_ADMIN, NOW)
    assert case.events == [] and case.status == Status.RECEIVED


def test_if_empty_adds_reports_only_to_an_empty_database(world):
    from lapor.complaints.models import Report

    call_command("demo-data", "--reports", "12", "--seed", "1", "--if-empty", stdout=StringIO())
    assert Report.objects.count() == 12
    out = StringIO()
    call_command("demo-data", "--reports", "12", "--seed", "1", "--if-empty", stdout=out)
    assert Report.objects.count() == 12
    assert "--if-empty" in out.getvalue()
