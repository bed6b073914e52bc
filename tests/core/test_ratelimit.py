"""Fixed-window rate limits: `limit` hits per client, scope and window, then 429."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from lapor.accounts.models import Role
from lapor.core import ratelimit
from lapor.core.errors import TooManyRequests
from lapor.core.ratelimit import check_rate, client_key

from ..factories import make_user

WINDOW = 3600


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, set by the test; the cache keeps its own real clock."""
    fake = SimpleNamespace(now=1_700_000_000.0)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: fake.now))
    return fake


def hit(client="ip:10.0.0.1", scope="submit", limit=3):
    check_rate(scope, client, limit=limit, window_seconds=WINDOW)


def test_allows_limit_hits_then_refuses_with_429(clock):
    # given three allowed hits in the window
    for _ in range(3):
        hit()

    # when a fourth comes
    with pytest.raises(TooManyRequests) as refused:
        hit()

    # then it is refused as rate limited, with a message for the user
    assert refused.value.http_status == 429
    assert refused.value.code == "rate_limited"
    assert str(refused.value)


def test_every_further_hit_in_the_window_is_refused_too(clock):
    for _ in range(3):
        hit()
    for _ in range(3):
        with pytest.raises(TooManyRequests):
            hit()


def test_a_limit_of_one_allows_exactly_one(clock):
    hit(limit=1)
    with pytest.raises(TooManyRequests):
        hit(limit=1)


def test_clients_are_counted_separately(clock):
    # given one client at its limit
    for _ in range(3):
        hit(client="ip:10.0.0.1")
    with pytest.raises(TooManyRequests):
        hit(client="ip:10.0.0.1")

    # then another client still has its full allowance
    for _ in range(3):
        hit(client="user:42")
    with pytest.raises(TooManyRequests):
        hit(client="user:42")


def test_scopes_are_counted_separately(clock):
    for _ in range(3):
        hit(scope="submit")
    with pytest.raises(TooManyRequests):
        hit(scope="submit")

    for _ in range(3):
        hit(scope="login")


def test_a_new_window_starts_afresh(clock):
    # given a client at its limit, just before the window ends
    clock.now = (clock.now // WINDOW) * WINDOW + WINDOW - 1
    for _ in range(3):
        hit()
    with pytest.raises(TooManyRequests):
        hit()

    # when the next window begins a second later
    clock.now += 1

    # then the full allowance is back
    for _ in range(3):
        hit()
    with pytest.raises(TooManyRequests):
        hit()


def test_within_the_same_window_time_passing_does_not_reset(clock):
    clock.now = (clock.now // WINDOW) * WINDOW
    for _ in range(3):
        hit()
    clock.now += WINDOW - 1
    with pytest.raises(TooManyRequests):
        hit()


def test_a_count_that_expired_between_add_and_incr_starts_at_one(clock, monkeypatch):
    # given a key that the cache drops right after `add` says it exists
    monkeypatch.setattr(ratelimit.cache, "add", _add_once_refused())
    monkeypatch.setattr(ratelimit.cache, "incr", _missing)

    # when a hit comes, it is counted as the first, not refused
    hit(limit=1)
    assert ratelimit.cache.add.calls == 2


def _add_once_refused():
    def add(key, value, timeout=None):
        add.calls += 1
        return add.calls > 1

    add.calls = 0
    return add


def _missing(key, delta=1):
    raise ValueError(f"Key '{key}' not found")


def test_client_key_is_the_account_when_logged_in(db):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = make_user(Role.REPORTER)
    assert client_key(request) == f"user:{request.user.pk}"


def test_client_key_is_the_api_token_user_when_given():
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = AnonymousUser()
    request.auth = SimpleNamespace(pk=7)
    assert client_key(request) == "user:7"


def test_client_key_is_the_address_otherwise():
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = AnonymousUser()
    assert client_key(request) == "ip:10.1.2.3"
