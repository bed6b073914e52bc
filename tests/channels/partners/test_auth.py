"""Partner API keys: bearer authentication, scopes, revocation, and nothing else gets in."""

from __future__ import annotations

import pytest

from lapor.accounts import services as accounts
from lapor.channels.partners import registry
from lapor.channels.partners.models import PartnerKey
from lapor.complaints.models import Report

from ...api.conftest import assert_error
from .conftest import report_body

# Every partner operation, the scope it needs, and a body that would otherwise be accepted.
OPERATIONS = [
    ("put", "/partners/reports/HENDI-1", "reports:push"),
    ("get", "/partners/reports/HENDI-1", "reports:read"),
    ("get", "/partners/agency/reports/LAP-0000-0000", "reports:read"),
    ("post", "/partners/followups", "followups:push"),
    ("get", "/partners/changes", "changes:pull"),
    ("post", "/partners/sandbox/reports/HENDI-1/simulate", "reports:push"),
]


def _call(api, world, method, path, key):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {
        "put": report_body(world),
        "post": {"followup_id": "TL-1", "external_id": "HENDI-1", "answer": "Sudah ditangani dinas.", "step": "dispose"},
    }.get(method)
    if method == "get":
        return api.client.get(f"/api/v1{path}", headers=headers)
    return getattr(api.client, method)(f"/api/v1{path}", body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("method,path,scope", OPERATIONS)
def test_every_operation_needs_a_valid_key(api, world, hendi, method, path, scope):
    for key in (None, "lpk_not-a-key", "Bearer-less"):
        answer = _call(api, world, method, path, key)
        assert_error(answer, 401, "invalid_key")
        assert answer["WWW-Authenticate"] == "Bearer"
    assert not Report.objects.exists()


@pytest.mark.parametrize("method,path,scope", OPERATIONS)
def test_a_key_without_the_scope_is_refused_with_403(api, world, hendi, method, path, scope):
    others = [s for s in registry.ALL_SCOPES if s != scope]
    key = registry.key_issue(partner=hendi.partner, scopes=others)
    body = assert_error(_call(api, world, method, path, key), 403, "insufficient_scope")
    assert scope in body["message"]
    assert not Report.objects.exists()


def test_a_key_with_the_scope_gets_through(api, world, hendi):
    key = registry.key_issue(partner=hendi.partner, scopes=["reports:push"])
    assert _call(api, world, "put", "/partners/reports/HENDI-1", key).status_code == 201


def test_an_account_token_is_no_partner_key(api, world, hendi):
    token = accounts.token_issue(user=world.reporter)
    assert_error(api.get("/partners/me", token=token), 401, "invalid_key")


def test_a_revoked_key_and_an_inactive_partner_are_refused(api, hendi):
    assert api.get("/partners/me", token=hendi.key).status_code == 200
    prefix = PartnerKey.objects.get(partner=hendi.partner).prefix
    assert registry.key_revoke(prefix=prefix) == 1
    assert_error(api.get("/partners/me", token=hendi.key), 401, "invalid_key")
    other = registry.key_issue(partner=hendi.partner)
    hendi.partner.is_active = False
    hendi.partner.save()
    assert_error(api.get("/partners/me", token=other), 401, "invalid_key")


def test_me_names_the_partner_and_the_scopes_of_the_key(api, world, hendi):
    key = registry.key_issue(partner=hendi.partner, scopes=["changes:pull"])
    answer = api.get("/partners/me", token=key).json()
    assert answer == {
        "code": "laporhendi", "name": "LAPORHENDI", "agency": world.agency_a.code, "sandbox": False,
        "webhook_url": hendi.partner.webhook_url, "scopes": ["changes:pull"],
    }


def test_keys_are_stored_as_digests_only(hendi):
    stored = PartnerKey.objects.get(partner=hendi.partner)
    assert hendi.key not in (stored.key_digest, stored.prefix) and len(stored.key_digest) == 64
    assert hendi.key.startswith(stored.prefix)


def test_requests_are_limited_per_partner(api, world, hendi, settings):
    settings.LAPOR = {**settings.LAPOR, "PARTNER_REQUESTS_PER_MINUTE": 3}
    for _ in range(3):
        assert api.get("/partners/changes", token=hendi.key).status_code == 200
    answer = api.get("/partners/changes", token=hendi.key)
    assert_error(answer, 429, "rate_limited")
    assert int(answer["Retry-After"]) >= 1
