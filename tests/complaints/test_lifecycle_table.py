"""The lifecycle table itself, buckets, lateness, and the append-only history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.accounts.models import Role
from lapor.complaints.lifecycle import TRANSITIONS, Action, allowed_actions
from lapor.complaints.models import BUCKET_OF_STATUS, Bucket, ReportEvent
from lapor.complaints.models import Status as S

from .flow import walk_to


def test_every_action_but_submit_has_a_rule_with_a_dotted_event_type():
    assert set(TRANSITIONS) == set(Action) - {Action.SUBMIT}
    for rule in TRANSITIONS.values():
        assert rule.event_type.startswith("report.")
        assert rule.allowed and all(rule.allowed.values())
        assert rule.target is None or rule.target in S.values


def test_no_action_leaves_a_done_report_except_rating_and_appeal():
    from_done = {a for a, rule in TRANSITIONS.items() if rule.sources & {S.COMPLETED, S.ARCHIVED}}
    # After closure: the reporter rates or appeals; staff may still note or flag (no status change).
    assert from_done == {Action.RATE, Action.APPEAL, Action.NOTE, Action.FLAG}
    assert {a for a, rule in TRANSITIONS.items() if S.ARCHIVED in rule.sources} == {Action.NOTE}
    assert all(TRANSITIONS[a].target is None for a in (Action.NOTE, Action.FLAG))


def test_allowed_actions_reads_the_table():
    assert allowed_actions(S.FOLLOWED_UP, Role.REPORTER) == [Action.REPLY, Action.RATE, Action.APPEAL, Action.ATTACH]
    assert allowed_actions(S.RECEIVED, Role.VERIFIER) == [
        Action.EDIT, Action.DISPOSE, Action.HOLD, Action.ARCHIVE, Action.ATTACH, Action.NOTE, Action.FLAG, Action.MERGE,
    ]
    assert allowed_actions(S.FORWARDED, Role.OBSERVER) == []
    assert allowed_actions(S.ARCHIVED, Role.VERIFIER) == [Action.NOTE]


def test_every_status_has_a_bucket():
    assert set(BUCKET_OF_STATUS) == set(S)
    assert {s for s, b in BUCKET_OF_STATUS.items() if b == Bucket.DONE} == {S.COMPLETED, S.ARCHIVED}
    assert {s for s, b in BUCKET_OF_STATUS.items() if b == Bucket.WAITING} == {S.RECEIVED, S.ON_HOLD}


@pytest.mark.parametrize(("status", "late"), [(S.FORWARDED, True), (S.COMPLETED, False), (S.ON_HOLD, False)])
def test_is_late_only_for_open_reports_past_their_stage_deadline(world, status, late):
    report = walk_to(world, status)
    far = timezone.now() + timedelta(days=365)
    assert report.is_late(far) is late
    assert report.is_late(timezone.now()) is False


def test_events_are_append_only(world):
    event = ReportEvent.objects.filter(report=walk_to(world, S.RECEIVED)).get()
    event.message = "diubah"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
