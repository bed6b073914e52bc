"""Registering partners: the command, the Django admin, and the rules both go through."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lapor.accounts.models import Role
from lapor.channels.partners import registry
from lapor.channels.partners.models import Partner, PartnerKey

from ...api.conftest import Api


def run(*args) -> str:
    out = StringIO()
    call_command("partners", *args, stdout=out)
    return out.getvalue()


def test_the_command_registers_a_partner_and_prints_key_and_secret_once(client, world):
    out = run("create", "--agency", world.agency_a.code, "--name", "LAPORHENDI", "--webhook", "https://hendi.example/hook")
    key = re.search(r"API key:\s+(lpk_\S+)", out).group(1)
    secret = re.search(r"Signing secret:\s+(whsec_\S+)", out).group(1)
    partner = Partner.objects.get()
    assert (partner.code, partner.agency, partner.webhook_url, partner.is_sandbox) == (
        "laporhendi", world.agency_a, "https://hendi.example/hook", False
    )
    assert partner.signing_secret == secret
    assert PartnerKey.objects.get().scopes == list(registry.ALL_SCOPES)
    assert key not in str(list(PartnerKey.objects.values()))  # only its digest is kept
    assert Api(client).get("/partners/me", token=key).json()["code"] == "laporhendi"
    # its officer: an agency admin of its agency who cannot log in
    officer = partner.officer
    assert (officer.role, officer.agency, officer.is_active, officer.has_usable_password()) == (
        Role.AGENCY_ADMIN, world.agency_a, False, False
    )


def test_the_command_manages_keys_and_secrets(client, world):
    run("create", "--agency", world.agency_a.code, "--name", "Uji", "--sandbox", "--scopes", "changes:pull")
    partner = Partner.objects.get()
    assert partner.is_sandbox and partner.webhook_url == ""
    key = re.search(r"(lpk_\S+)", run("add-key", "uji", "--scopes", "reports:read,changes:pull", "--name", "dasbor")).group(1)
    listing = run("list")
    assert "uji  Uji" in listing and "reports:read,changes:pull" in listing and "(pull only)" in listing
    prefix = PartnerKey.objects.get(name="dasbor").prefix
    assert Api(client).get("/partners/me", token=key).status_code == 200
    run("revoke-key", prefix)
    assert Api(client).get("/partners/me", token=key).status_code == 401
    old = partner.signing_secret
    new = re.search(r"(whsec_\S+)", run("rotate-secret", "uji")).group(1)
    partner.refresh_from_db()
    assert partner.signing_secret == new != old


@pytest.mark.parametrize(
    "args,message",
    [
        (["--agency", "tidak-ada", "--name", "X"], "no agency"),
        (["--name", "X", "--webhook", "http://plain.example/hook"], "https"),
        (["--name", "X", "--scopes", "reports:delete"], "reports:delete"),
        (["--name", " "], "wajib"),
    ],
)
def test_the_command_refuses_bad_input(world, args, message):
    if "--agency" not in args:
        args = ["--agency", world.agency_a.code, *args]
    with pytest.raises(CommandError, match=message):
        run("create", *args)
    assert not Partner.objects.exists()


def test_unknown_partner_and_key_are_refused(world):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("add-key", "tidak-ada")
    with pytest.raises(CommandError, match="no live key"):
        run("revoke-key", "lpk_tidakada")


def test_an_admin_registers_a_partner_and_sees_key_and_secret_once(admin_client, world):
    answer = admin_client.post("/admin/partners/partner/add/", {
        "name": "pro-denpasar", "code": "", "agency": world.agency_a.pk, "webhook_url": "https://pro.example/hook",
        "is_active": "on", "keys-TOTAL_FORMS": "0", "keys-INITIAL_FORMS": "0",
    })
    assert answer.status_code == 200, answer.content[:2000]
    partner = Partner.objects.get()
    page = answer.content.decode()
    assert partner.code == "pro-denpasar" and partner.signing_secret in page
    key = re.search(r"(lpk_[A-Za-z0-9_-]+)", page).group(1)
    assert registry.key_authenticate(key).partner == partner
    assert partner.officer.agency == world.agency_a
    # a second look shows neither
    change = admin_client.get(f"/admin/partners/partner/{partner.pk}/change/").content.decode()
    assert partner.signing_secret not in change and key not in change


def test_the_admin_refuses_a_plain_http_webhook_for_a_live_partner(admin_client, world):
    answer = admin_client.post("/admin/partners/partner/add/", {
        "name": "X", "agency": world.agency_a.pk, "webhook_url": "http://x.example/hook", "is_active": "on",
        "keys-TOTAL_FORMS": "0", "keys-INITIAL_FORMS": "0",
    })
    assert answer.status_code == 200 and "https" in answer.content.decode()
    assert not Partner.objects.exists()


def test_moving_a_partner_moves_its_officer(admin_client, world, hendi):
    answer = admin_client.post(f"/admin/partners/partner/{hendi.partner.pk}/change/", {
        "name": "LAPORHENDI", "code": "laporhendi", "agency": world.agency_b.pk,
        "webhook_url": hendi.partner.webhook_url, "is_active": "on", "keys-TOTAL_FORMS": "1", "keys-INITIAL_FORMS": "1",
        "keys-0-id": PartnerKey.objects.get().pk, "keys-0-partner": hendi.partner.pk,
    })
    assert answer.status_code == 302, answer.content[:3000]
    hendi.partner.refresh_from_db()
    assert hendi.partner.agency == world.agency_b and hendi.partner.officer.agency == world.agency_b
