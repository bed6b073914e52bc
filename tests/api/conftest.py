"""HTTP-level helpers for the API tests: a JSON client, tokens, reports in any status."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from lapor.accounts import services as accounts
from lapor.complaints.models import Report

from lapor.complaints import services

from ..complaints.flow import PATHS, walk, walk_to
from ..factories import DEFAULT_TEXT

API = "/api/v1"


class Api:
    """`django.test.Client` speaking JSON to /api/v1, with the headers a mobile app sends."""

    def __init__(self, client: Client):
        self.client = client

    @staticmethod
    def _headers(token=None, secret=None, lang=None, headers=None) -> dict:
        out = dict(headers or {})
        if token:
            out["Authorization"] = f"Bearer {token}"
        if secret:
            out["X-Report-Secret"] = secret
        if lang:
            out["Accept-Language"] = lang
        return out

    def get(self, path, params=None, *, token=None, secret=None, lang=None, headers=None):
        return self.client.get(API + path, params or {}, headers=self._headers(token, secret, lang, headers))

    def post(self, path, body=None, *, token=None, secret=None, lang=None, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            API + path, data, content_type="application/json", headers=self._headers(token, secret, lang, headers)
        )

    def upload(self, path, file, *, token=None, secret=None, lang=None):
        return self.client.post(API + path, {"file": file}, headers=self._headers(token, secret, lang))

    def delete(self, path, *, token=None, lang=None):
        return self.client.delete(API + path, headers=self._headers(token, None, lang))


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache; no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def token(world) -> str:
    """A bearer token of world.reporter (Made Sukerta)."""
    return accounts.token_issue(user=world.reporter)


@pytest.fixture
def other_token(world) -> str:
    return accounts.token_issue(user=world.other_reporter)


def report_in(world, status: str, **submit) -> Report:
    """A report of world.reporter (or `reporter=None` for an accountless one) now in `status`."""
    return walk_to(world, status, **submit)


def accountless_report_in(world, status: str, **submit) -> tuple[Report, str]:
    """A report filed without an account, now in `status`, and its secret."""
    submit.setdefault("region", world.bali_village)
    submit.setdefault("text", DEFAULT_TEXT)
    filed = services.report_submit(reporter=None, **submit)
    return walk(world, filed.report, PATHS[status]), filed.secret


def assert_error(response, status: int, code: str, field=None) -> dict:
    """The one error shape, with this status, code and field."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "code", "message", "field"}, body
    assert body["status"] == status and body["code"] == code and body["field"] == field, body
    assert body["message"].strip()
    return body
