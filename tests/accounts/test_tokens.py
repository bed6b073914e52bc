"""API tokens: shown once, stored as a digest, refused when unknown, expired or the user inactive."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.accounts.models import ApiToken, Role
from lapor.accounts.services import token_authenticate, token_issue, token_revoke
from lapor.core.errors import PermissionDenied

from ..factories import make_user


@pytest.fixture
def citizen(db):
    return make_user(Role.REPORTER, email="made@contoh.id")


def stored(raw: str) -> ApiToken:
    return ApiToken.objects.get(key_digest=hashlib.sha256(raw.encode()).hexdigest())


def test_a_token_is_returned_once_and_only_its_digest_and_prefix_are_stored(citizen):
    # when a token is issued
    raw = token_issue(user=citizen, name="aplikasi ponsel")

    # then the raw value is long and random, and the row keeps only its digest and first characters
    assert len(raw) >= 40
    token = ApiToken.objects.get()
    assert token.user == citizen and token.name == "aplikasi ponsel"
    assert token.key_digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(raw in str(value) for value in row.values())
    assert token.last_used_at is None and token.expires_at is None


def test_every_issue_gives_a_different_token(citizen):
    first, second = token_issue(user=citizen), token_issue(user=citizen)
    assert first != second
    assert ApiToken.objects.filter(user=citizen).count() == 2


def test_a_long_name_is_cut_to_fit(citizen):
    raw = token_issue(user=citizen, name="x" * 300)
    assert stored(raw).name == "x" * 100


def test_an_inactive_account_gets_no_token(db):
    sleeper = make_user(Role.REPORTER, is_active=False)
    with pytest.raises(PermissionDenied):
        token_issue(user=sleeper)
    assert not ApiToken.objects.exists()


def test_a_token_finds_its_user_and_records_the_use(citizen):
    raw = token_issue(user=citizen)

    assert token_authenticate(raw) == citizen
    assert stored(raw).last_used_at is not None


@pytest.mark.parametrize("raw", ["", None, "bukan-token-yang-pernah-dibuat"])
def test_an_unknown_or_empty_token_finds_nobody(citizen, raw):
    token_issue(user=citizen)
    assert token_authenticate(raw) is None


def test_a_token_differing_only_in_case_finds_nobody(citizen):
    raw = token_issue(user=citizen)
    assert token_authenticate(raw.swapcase()) is None


def test_an_expired_token_finds_nobody(citizen):
    raw = token_issue(user=citizen)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert token_authenticate(raw) is None
    assert stored(raw).last_used_at is None


def test_a_token_with_a_future_expiry_still_works(citizen):
    raw = token_issue(user=citizen)
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert token_authenticate(raw) == citizen


def test_the_token_of_a_deactivated_user_finds_nobody(citizen):
    raw = token_issue(user=citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])

    assert token_authenticate(raw) is None


def test_last_use_is_written_at_most_every_five_minutes(citizen):
    # given a token used four minutes ago
    raw = token_issue(user=citizen)
    four_minutes_ago = timezone.now() - timedelta(minutes=4)
    ApiToken.objects.update(last_used_at=four_minutes_ago)

    # when it is used again, the stored time does not move
    assert token_authenticate(raw) == citizen
    assert stored(raw).last_used_at == four_minutes_ago

    # given it was last used six minutes ago, the next use moves it to now
    six_minutes_ago = timezone.now() - timedelta(minutes=6)
    ApiToken.objects.update(last_used_at=six_minutes_ago)
    before = timezone.now()
    assert token_authenticate(raw) == citizen
    assert stored(raw).last_used_at >= before


def test_a_repeated_use_within_five_minutes_writes_nothing(citizen, django_assert_num_queries):
    raw = token_issue(user=citizen)
    token_authenticate(raw)  # the first use writes last_used_at

    with django_assert_num_queries(1):  # only the lookup
        assert token_authenticate(raw) == citizen


def test_a_revoked_token_no_longer_works(citizen):
    # given two tokens
    raw, other = token_issue(user=citizen), token_issue(user=citizen)

    # when one is revoked
    assert token_revoke(user=citizen, raw=raw) is True

    # then it finds nobody, the other still works, and revoking again reports nothing removed
    assert token_authenticate(raw) is None
    assert token_authenticate(other) == citizen
    assert token_revoke(user=citizen, raw=raw) is False


def test_nobody_revokes_someone_elses_token(citizen):
    raw = token_issue(user=citizen)
    stranger = make_user(Role.REPORTER)

    assert token_revoke(user=stranger, raw=raw) is False
    assert token_authenticate(raw) == citizen
