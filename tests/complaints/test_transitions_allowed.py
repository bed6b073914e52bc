"""Every allowed (action, role, source status) of `lifecycle.TRANSITIONS` works and is recorded.

The cases are generated from the table, so a new rule is tested as soon as it is added.
"""

import pytest

from lapor.accounts.actors import SYSTEM_ROLE
from lapor.complaints.lifecycle import TRANSITIONS, Action
from lapor.complaints.models import Report, ReportEvent

from .flow import SYSTEM_ACTIONS, PATHS, actor_for, audit_matches, changed_fields, due_passed, perform, row, walk, walk_to

# Keys of `changes` that describe the change rather than one column.
EXTRA_CHANGE_KEYS = {
    Action.FORWARD: {"units"},
    Action.RETURN: {"returned_by_agency"},
    Action.ATTACH: {"attachment"},
    Action.TRANSFER: {"transferred_from"},
    Action.ESCALATE: {"escalated_to"},
    Action.IMPORT: {"source_status"},
    Action.RED_FLAG: {"red_flags"},
}

ALLOWED = sorted(
    (action, role, status)
    for action, rule in TRANSITIONS.items()
    for role, statuses in rule.allowed.items()
    for status in statuses
)


def test_the_generated_cases_cover_the_whole_table():
    expected = sum(len(statuses) for rule in TRANSITIONS.values() for statuses in rule.allowed.values())
    assert len(ALLOWED) == expected > 40
    assert {status for _, _, status in ALLOWED} <= set(PATHS)


def _prepare(world, action, report):
    """Preconditions other than the status: an appeal needs a poor rating first."""
    return walk(world, report, ["rate_poorly"]) if action == Action.APPEAL else report


@pytest.mark.parametrize(("action", "role", "status"), ALLOWED, ids=lambda v: str(v))
def test_allowed_transition_changes_status_and_writes_one_event(world, action, role, status):
    # given a report driven to `status` through the real services
    report = _prepare(world, action, walk_to(world, status))
    before = row(report)
    events_before = set(ReportEvent.objects.filter(report=report).values_list("pk", flat=True))
    actor = actor_for(world, role, report)
    now = due_passed(report) if action in SYSTEM_ACTIONS else None
    rule = TRANSITIONS[action]

    # when the allowed role takes the action
    returned = perform(world, action, report, actor, now=now)

    # then the status moved as the table says
    after = row(report)
    if rule.target is not None:
        expected_status = rule.target
    elif action == Action.RESUME:
        expected_status = before["held_from_status"]
    else:
        expected_status = status
    assert after["status"] == expected_status
    assert isinstance(returned, Report) and returned.status == expected_status

    # and exactly one event describes it
    new_events = list(ReportEvent.objects.filter(report=report).exclude(pk__in=events_before))
    assert len(new_events) == 1, [e.type for e in new_events]
    event = new_events[0]
    assert event.type == rule.event_type
    assert (event.from_status, event.to_status) == (status, expected_status)
    assert event.actor_role == role
    assert event.is_public == rule.public
    expected_actor_id = None if role == SYSTEM_ROLE else getattr(actor, "pk", None)
    assert event.actor_id == expected_actor_id
    assert (event.agency_id, event.unit_id) == (after["current_agency_id"], after["current_unit_id"])

    # and its `changes` name every changed column with its old and new value, and nothing else
    changed = changed_fields(before, after)
    extra = EXTRA_CHANGE_KEYS.get(action, set())
    assert extra <= set(event.changes)
    assert set(event.changes) - extra == set(changed), (event.changes, changed)
    for name, (old, new) in changed.items():
        audited_old, audited_new = event.changes[name]
        assert audit_matches(audited_old, old), (name, audited_old, old)
        assert audit_matches(audited_new, new), (name, audited_new, new)
    assert ("status" in event.changes) == (status != expected_status)

