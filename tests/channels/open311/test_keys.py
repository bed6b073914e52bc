"""API keys: made by `lapor open311 create-key`, shown once, stored as a digest, revoked by name;
the quick-start demo makes one (idempotently) and prints it with the log-ins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lapor.channels.open311.keys import DEMO_KEY, key_authenticate, key_create
from lapor.channels.open311.models import ApiKey

from .conftest import error_descriptions


def run(*args) -> str:
    out = StringIO()
    call_command("open311", *args, stdout=out)
    return out.getvalue()


def test_create_key_prints_the_key_once_and_stores_only_its_digest(world, o311):
    output = run("create-key", "--name", "LAPORHENDI Semarang")
    raw = output.splitlines()[1]
    key = ApiKey.objects.get(name="LAPORHENDI Semarang")
    assert raw.startswith("o311_") and len(raw) > 40
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert all(raw not in str(value) for value in stored.values())
    assert raw.startswith(key.prefix) and key.agency is None and key.acting_user is None
    listing = run("list-keys")
    assert "LAPORHENDI Semarang" in listing and key.prefix in listing and raw not in listing
    assert o311.file(raw)


def test_a_revoked_key_is_refused(world, o311):
    raw = key_create(name="Aplikasi Lama").raw
    assert "dicabut" in run("revoke-key", "Aplikasi Lama")
    assert not ApiKey.objects.get(name="Aplikasi Lama").is_active
    error_descriptions(o311.post("v2/requests", "json", {"api_key": raw, "service_code": "jalan-rusak"}), 403)
    assert "dicabut" in run("list-keys")


def test_revoke_by_prefix_and_the_command_s_refusals(world):
    raw = key_create(name="Aplikasi Prefiks").raw
    run("revoke-key", raw[:12])
    assert not ApiKey.objects.get(name="Aplikasi Prefiks").is_active
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("revoke-key", "tidak-ada")
    with pytest.raises(CommandError, match="sudah dipakai"):
        run("create-key", "--name", "Aplikasi Prefiks")
    with pytest.raises(CommandError, match="tidak dikenal"):
        run("create-key", "--name", "Kanal X", "--agency", "tidak-ada")


def test_an_agency_key_acts_through_an_account_that_cannot_log_in(world):
    output = run("create-key", "--name", "Kanal Denpasar", "--agency", world.agency_a.code)
    assert world.agency_a.name in output
    key = ApiKey.objects.select_related("acting_user").get(name="Kanal Denpasar")
    account = key.acting_user
    assert key.agency == world.agency_a
    assert (account.role, account.agency, account.is_active) == ("agency_admin", world.agency_a, False)
    assert not account.has_usable_password()


def test_authentication_records_the_last_use_at_most_every_few_minutes(world):
    new = key_create(name="Aplikasi Jam")
    assert key_authenticate(new.raw).pk == new.key.pk
    first = ApiKey.objects.get(pk=new.key.pk).last_used_at
    assert first is not None
    key_authenticate(new.raw, now=first + timezone.timedelta(minutes=1))
    assert ApiKey.objects.get(pk=new.key.pk).last_used_at == first
    later = first + timezone.timedelta(minutes=6)
    key_authenticate(new.raw, now=later)
    assert ApiKey.objects.get(pk=new.key.pk).last_used_at == later
    assert key_authenticate("") is None and key_authenticate(new.raw + "x") is None


def test_the_demo_prints_one_open311_key_with_the_log_ins(world, o311):
    from lapor.channels.open311.keys import key_revoke

    for _ in range(2):
        out = StringIO()
        call_command("demo-accounts", stdout=out)
        assert DEMO_KEY in out.getvalue() and "admin.denpasar" in out.getvalue()
    assert ApiKey.objects.filter(name="demo").count() == 1
    key_revoke(name="demo")
    call_command("demo-accounts", stdout=StringIO())  # a rerun brings the demo key back
    assert o311.file(DEMO_KEY)
