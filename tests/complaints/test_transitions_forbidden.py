"""Every combination `lifecycle.TRANSITIONS` does not allow is refused, and changes nothing.

For each status, every (action, role) that the table does not allow from that status is tried
on one report in that status, each as its own subtest. The expected refusal follows from the
table and from scope:
- the role is not allowed the action at all, or the report is outside its agency/unit/own
  reports: PermissionDenied;
- the role may take the action, the report is in its scope, but not in this status: Conflict.
The report row (every column), its events and its unit assignments must be exactly as before.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.accounts.actors import SYSTEM_ROLE
from lapor.accounts.models import Role
from lapor.complaints.lifecycle import TRANSITIONS, Action
from lapor.complaints.models import ReportAssignment
from lapor.complaints.models import Status as S
from lapor.core.errors import Conflict, DomainError, PermissionDenied

from .flow import ROLES, SYSTEM_ACTIONS, actor_for, assert_indonesian_message, perform, rule_allows, snapshot, walk_to


def roles_refused(action: Action, status: str) -> list[str]:
    # The system's own actions take no actor: the service always acts as the system.
    candidates = [SYSTEM_ROLE] if action in SYSTEM_ACTIONS else ROLES
    return [role for role in candidates if not rule_allows(action, role, status)]


def in_scope(world, role: str, report) -> bool:
    """Scope as the product defines it, written independently of `selectors.is_in_scope`."""
    if role in (Role.VERIFIER, SYSTEM_ROLE):
        return True
    if role == Role.REPORTER:
        return report.reporter_id == world.reporter.pk
    if role == Role.AGENCY_ADMIN:
        return report.current_agency_id == world.agency_a.pk
    if role == Role.UNIT_OFFICER:
        return (
            report.current_agency_id == world.agency_a.pk
            and ReportAssignment.objects.filter(report=report, unit=world.unit_a1, is_active=True).exists()
        )
    return False


def expected_refusal(world, action: Action, role: str, report) -> type[DomainError]:
    if role not in TRANSITIONS[action].allowed or not in_scope(world, role, report):
        return PermissionDenied
    return Conflict


def test_every_action_role_and_status_is_either_allowed_or_refused():
    refused = sum(len(roles_refused(action, status)) for action in TRANSITIONS for status in S.values)
    allowed = sum(len(v) for rule in TRANSITIONS.values() for v in rule.allowed.values())
    # the system's own actions take no actor, so only the system is tried for them
    system = len(SYSTEM_ACTIONS)
    assert refused + allowed == (len(TRANSITIONS) - system) * len(ROLES) * len(S.values) + system * len(S.values)
    assert refused > 900


@pytest.mark.parametrize("status", S.values, ids=lambda s: f"from-{s}")
def test_forbidden_actions_are_refused_and_change_nothing(world, subtests, status):
    # given a report in `status` (one per status: a refused attempt must leave it as it was)
    report = walk_to(world, status)
    far_future = timezone.now() + timedelta(days=400)  # a refusal must not depend on deadlines
    before = snapshot(report)

    for action in TRANSITIONS:
        for role in roles_refused(action, status):
            with subtests.test(action=str(action), role=role):
                actor = actor_for(world, role, report)
                expected = expected_refusal(world, action, role, report)

                # when a role the table does not allow from this status tries the action
                with pytest.raises(DomainError) as refused:
                    perform(world, action, report, actor, now=far_future if action in SYSTEM_ACTIONS else None)

                # then it is refused with the right error and an Indonesian message
                assert type(refused.value) is expected, f"{role} {action} from {status}: {refused.value!r}"
                assert_indonesian_message(refused.value)
                if expected is Conflict:
                    assert str(S(status).label) in str(refused.value)
                # and the report, its history and its assignments are untouched
                assert snapshot(report) == before
