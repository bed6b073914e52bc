"""Logging in with a username, an e-mail address (any case) or a phone number (any spelling)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate

from lapor.accounts.backends import EmailOrPhoneBackend
from lapor.accounts.models import Role
from lapor.accounts.services import account_register, account_verify
from lapor.notifications.models import OutboxMessage

from ..factories import make_user

PASSWORD = "Kopi-Tubruk-2024!"


@pytest.fixture
def made(db):
    """An active citizen with a username, a mixed-case e-mail address and a phone in E.164."""
    user = make_user(Role.REPORTER, username="made.sukerta", email="Made.Sukerta@Contoh.id", phone="+6281234567890")
    user.set_password(PASSWORD)
    user.save()
    return user


def login(identifier, password=PASSWORD):
    return EmailOrPhoneBackend().authenticate(None, username=identifier, password=password)


@pytest.mark.parametrize(
    "identifier",
    [
        "made.sukerta",
        "made.sukerta@contoh.id",
        "MADE.SUKERTA@CONTOH.ID",
        " Made.Sukerta@Contoh.id ",
        "081234567890",
        "+6281234567890",
        "62 812-3456-7890",
        "0812 3456 7890",
    ],
)
def test_logs_in_by_username_email_or_phone(made, identifier):
    assert login(identifier) == made


def test_the_backend_is_the_one_django_uses(made):
    assert authenticate(None, username="0812-3456-7890", password=PASSWORD) == made


@pytest.mark.parametrize("identifier", ["made.sukerta", "made.sukerta@contoh.id", "081234567890"])
def test_a_wrong_password_logs_nobody_in(made, identifier):
    assert login(identifier, password="salah-sandi-123") is None


def test_a_missing_password_or_identifier_logs_nobody_in(made):
    assert login("made.sukerta", password=None) is None
    assert login("", password=PASSWORD) is None
    assert login(None, password=PASSWORD) is None


def test_an_inactive_user_is_not_logged_in_even_with_the_right_password(made):
    made.is_active = False
    made.save(update_fields=["is_active"])
    assert login("made.sukerta@contoh.id") is None



@pytest.mark.parametrize("identifier", ["siapa", "siapa@contoh.id", "081299998888", "+62 811-0000-0000"])
def test_an_unknown_identifier_logs_nobody_in(made, identifier):
    assert login(identifier) is None


def test_django_authenticate_with_an_unknown_identifier_returns_none(made):
    assert authenticate(None, username="siapa@contoh.id", password=PASSWORD) is None


def test_a_registered_account_logs_in_only_after_verification(db):
    # given a phone registration, not yet verified
    user = account_register(name="Lalu Ahmad", identifier="0812-3456-7890", password=PASSWORD)
    assert login("081234567890") is None

    # when it is verified with the code that was texted
    code = re.search(r"\b\d{6}\b", OutboxMessage.objects.get().body).group()
    account_verify(identifier="+6281234567890", code=code)

    # then the number, in any spelling, logs in
    assert login("62 812 3456 7890") == user
