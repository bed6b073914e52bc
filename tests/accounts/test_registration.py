"""Registering a citizen account by e-mail or phone and verifying it with a one-time code."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from lapor.accounts.models import Role, User, VerificationCode
from lapor.accounts.services import account_register, account_resend_code, account_verify, code_digest
from lapor.core.errors import Conflict, InvalidInput, TooManyRequests
from lapor.notifications.models import Channel, OutboxMessage

from ..factories import make_user

PASSWORD = "Kopi-Tubruk-2024!"
E164 = "+6281234567890"


def code_sent_to(recipient: str) -> str:
    """The six-digit code in the latest code message to `recipient`."""
    message = OutboxMessage.objects.filter(recipient=recipient, kind="account.code").latest("id")
    found = re.findall(r"\b\d{6}\b", message.body)
    assert len(found) == 1, message.body
    return found[0]


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def register_by_email(email: str = "made.sukerta@contoh.id") -> User:
    return account_register(name="Made Sukerta", identifier=email, password=PASSWORD)


def pending_code(user: User) -> VerificationCode:
    return VerificationCode.objects.filter(user=user).latest("created_at")


# --- registering ----------------------------------------------------------------------------------


def test_registering_by_email_creates_an_inactive_reporter_and_mails_a_code(db):
    # when a citizen registers with a mixed-case e-mail address
    user = account_register(name="Made Sukerta Wijaya", identifier="  Made.Sukerta@Contoh.ID ", password=PASSWORD)

    # then the account is an inactive reporter named after the address, lower-cased
    user.refresh_from_db()
    assert (user.username, user.email, user.phone) == ("made.sukerta@contoh.id", "made.sukerta@contoh.id", "")
    assert (user.first_name, user.last_name) == ("Made", "Sukerta Wijaya")
    assert user.role == Role.REPORTER and user.is_active is False
    assert user.check_password(PASSWORD)
    # and exactly one code message went to that address by e-mail
    message = OutboxMessage.objects.get()
    assert (message.channel, message.recipient, message.kind, message.user) == (
        Channel.EMAIL, "made.sukerta@contoh.id", "account.code", user,
    )
    assert message.state == OutboxMessage.State.PENDING
    assert re.search(r"\b\d{6}\b", message.body)


@pytest.mark.parametrize("spelling", ["081234567890", "+6281234567890", "62 812-3456-7890", "0812 3456 7890"])
def test_registering_by_phone_in_any_spelling_stores_e164_and_texts_the_code(db, spelling):
    # when a citizen registers with a phone number written their way
    user = account_register(name="Lalu Ahmad", identifier=spelling, password=PASSWORD)

    # then the number is stored in E.164, also as the username, and the code goes by SMS there
    user.refresh_from_db()
    assert (user.username, user.phone, user.email) == (E164, E164, "")
    assert user.is_active is False
    message = OutboxMessage.objects.get()
    assert (message.channel, message.recipient, message.kind) == (Channel.SMS, E164, "account.code")


def test_only_the_digest_of_the_code_is_stored(db):
    # given a fresh registration
    user = register_by_email()
    code = code_sent_to(user.email)

    # then the code row holds a digest, never the six digits themselves
    stored = pending_code(user)
    assert stored.code_hash == code_digest(user.pk, code)
    assert stored.code_hash != hashlib.sha256(f"{user.pk}:{code}".encode()).hexdigest(), "keyed, not a plain digest"
    row = VerificationCode.objects.filter(pk=stored.pk).values().get()
    assert not any(code in str(value) for value in row.values()), row
    assert stored.sent_to == user.email and stored.attempts == 0 and stored.used_at is None
    ttl = timedelta(minutes=settings.LAPOR["OTP_TTL_MINUTES"])
    assert timezone.now() + ttl - timedelta(minutes=1) < stored.expires_at <= timezone.now() + ttl


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_name_is_required(db, name):
    with pytest.raises(InvalidInput) as refused:
        account_register(name=name, identifier="made@contoh.id", password=PASSWORD)
    assert refused.value.field == "name"
    assert not User.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("identifier", ["", "made@", "bukan-alamat", "12345", "+1 202 555 0100", "0812"])
def test_an_invalid_identifier_is_refused(db, identifier):
    with pytest.raises(InvalidInput) as refused:
        account_register(name="Made Sukerta", identifier=identifier, password=PASSWORD)
    assert refused.value.field == "identifier"
    assert not User.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("password", ["12345678", "password", "pendek", "98765432109"])
def test_a_weak_password_is_refused(db, password):
    with pytest.raises(InvalidInput) as refused:
        account_register(name="Made Sukerta", identifier="made@contoh.id", password=password)
    assert refused.value.field == "password"
    assert str(refused.value)
    assert not User.objects.exists() and not OutboxMessage.objects.exists()


def test_a_password_equal_to_the_email_is_refused(db):
    with pytest.raises(InvalidInput) as refused:
        account_register(name="Made Sukerta", identifier="made.sukerta@contoh.id", password="made.sukerta@contoh.id")
    assert refused.value.field == "password"


def test_an_email_already_registered_in_another_case_is_a_conflict(db):
    # given an account for an address
    register_by_email("made@contoh.id")

    # when someone registers the same address in capitals
    with pytest.raises(Conflict) as refused:
        account_register(name="Orang Lain", identifier="MADE@Contoh.id", password=PASSWORD)

    # then it is refused on the identifier and nothing more is written
    assert refused.value.field == "identifier"
    assert User.objects.count() == 1 and OutboxMessage.objects.count() == 1


def test_an_email_of_an_existing_staff_account_is_a_conflict(db):
    make_user(Role.VERIFIER, email="Verifikator@Lapor.go.id")
    with pytest.raises(Conflict) as refused:
        account_register(name="Made Sukerta", identifier="verifikator@lapor.go.id", password=PASSWORD)
    assert refused.value.field == "identifier"


def test_a_phone_already_registered_in_another_spelling_is_a_conflict(db):
    # given an account for a number
    account_register(name="Lalu Ahmad", identifier="081234567890", password=PASSWORD)

    # when the same number is registered written differently
    with pytest.raises(Conflict) as refused:
        account_register(name="Lalu Ahmad", identifier="+62 812-3456-7890", password=PASSWORD)

    # then it is refused
    assert refused.value.field == "identifier"
    assert User.objects.count() == 1 and OutboxMessage.objects.count() == 1


# --- verifying ------------------------------------------------------------------------------------


def test_the_right_code_activates_the_account_and_is_used_up(db):
    # given a registration
    user = register_by_email()
    code = code_sent_to(user.email)

    # when the citizen enters the code
    verified = account_verify(identifier=user.email, code=code)

    # then the account is active and the code is marked used
    assert verified.pk == user.pk
    user.refresh_from_db()
    assert user.is_active is True
    assert pending_code(user).used_at is not None


def test_a_phone_account_is_verified_with_the_number_in_another_spelling(db):
    user = account_register(name="Lalu Ahmad", identifier="081234567890", password=PASSWORD)
    code = code_sent_to(E164)

    account_verify(identifier="62 812 3456 7890", code=f" {code} ")

    user.refresh_from_db()
    assert user.is_active is True


def test_a_wrong_code_is_refused_and_the_attempt_is_counted(db):
    # given a registration
    user = register_by_email()
    code = code_sent_to(user.email)

    # when a wrong code is entered
    with pytest.raises(InvalidInput) as refused:
        account_verify(identifier=user.email, code=wrong_code(code))

    # then it is refused on the code field, the account stays inactive, and the stored count went up
    assert refused.value.field == "code"
    assert VerificationCode.objects.filter(user=user).values_list("attempts", flat=True).get() == 1
    assert User.objects.filter(pk=user.pk, is_active=False).exists()


def test_after_the_maximum_wrong_tries_even_the_right_code_is_refused(db):
    # given a registration and as many wrong tries as allowed
    user = register_by_email()
    code = code_sent_to(user.email)
    max_attempts = settings.LAPOR["OTP_MAX_ATTEMPTS"]
    for _ in range(max_attempts):
        with pytest.raises(InvalidInput):
            account_verify(identifier=user.email, code=wrong_code(code))
    assert pending_code(user).attempts == max_attempts

    # when the right code is entered
    with pytest.raises(InvalidInput) as refused:
        account_verify(identifier=user.email, code=code)

    # then it is refused too and the account stays inactive
    assert refused.value.field == "code"
    user.refresh_from_db()
    assert user.is_active is False


def test_one_try_short_of_the_maximum_the_right_code_still_works(db):
    user = register_by_email()
    code = code_sent_to(user.email)
    for _ in range(settings.LAPOR["OTP_MAX_ATTEMPTS"] - 1):
        with pytest.raises(InvalidInput):
            account_verify(identifier=user.email, code=wrong_code(code))

    account_verify(identifier=user.email, code=code)

    user.refresh_from_db()
    assert user.is_active is True


def test_an_expired_code_is_refused(db):
    # given a registration whose code expired a second ago
    user = register_by_email()
    code = code_sent_to(user.email)
    VerificationCode.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))

    # when the right code is entered
    with pytest.raises(InvalidInput) as refused:
        account_verify(identifier=user.email, code=code)

    # then it is refused
    assert refused.value.field == "code"
    user.refresh_from_db()
    assert user.is_active is False


def test_a_code_works_only_once(db):
    user = register_by_email()
    code = code_sent_to(user.email)
    account_verify(identifier=user.email, code=code)

    with pytest.raises(InvalidInput) as refused:
        account_verify(identifier=user.email, code=code)

    assert refused.value.field == "code"


@pytest.mark.parametrize("code", ["", None, "abcdef"])
def test_an_empty_or_malformed_code_is_refused(db, code):
    user = register_by_email()
    with pytest.raises(InvalidInput) as refused:
        account_verify(identifier=user.email, code=code)
    assert refused.value.field == "code"
    user.refresh_from_db()
    assert user.is_active is False


def test_verifying_an_unknown_identifier_gives_the_same_refusal(db):
    with pytest.raises(InvalidInput) as refused:
        account_verify(identifier="siapa@contoh.id", code="123456")
    assert refused.value.field == "code"


# --- resending ------------------------------------------------------------------------------------


def test_a_resend_within_a_minute_is_refused(db):
    # given a code sent just now
    user = register_by_email()

    # when another is asked for at once
    with pytest.raises(TooManyRequests) as refused:
        account_resend_code(identifier=user.email)

    # then it is refused with 429 and no second code is written
    assert refused.value.http_status == 429
    assert VerificationCode.objects.filter(user=user).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_resend_after_a_minute_sends_a_new_code_that_replaces_the_old(db, monkeypatch):
    # given a code sent two minutes ago (codes drawn deterministically here)
    draws = iter([111111, 222222])
    monkeypatch.setattr("lapor.accounts.services.secrets.randbelow", lambda _n: next(draws))
    user = account_register(name="Lalu Ahmad", identifier="081234567890", password=PASSWORD)
    assert code_sent_to(E164) == "111111"
    VerificationCode.objects.filter(user=user).update(created_at=timezone.now() - timedelta(minutes=2))

    # when a new code is asked for with the number spelled differently
    account_resend_code(identifier="+62 812 3456 7890")

    # then a second SMS goes out with the new code; the old one no longer verifies, the new one does
    assert list(OutboxMessage.objects.values_list("channel", "recipient", "kind")) == [
        (Channel.SMS, E164, "account.code")
    ] * 2
    assert code_sent_to(E164) == "222222"
    with pytest.raises(InvalidInput):
        account_verify(identifier=E164, code="111111")
    account_verify(identifier=E164, code="222222")
    user.refresh_from_db()
    assert user.is_active is True


@pytest.mark.parametrize("identifier", ["siapa@contoh.id", "081299998888", "bukan-apa-apa", ""])
def test_a_resend_for_an_unknown_account_says_nothing(db, identifier):
    account_resend_code(identifier=identifier)  # no error
    assert not OutboxMessage.objects.exists()
    assert not VerificationCode.objects.exists()


def test_a_resend_for_an_active_account_says_nothing(db):
    # given a verified account whose code is old enough to allow a resend
    user = register_by_email()
    account_verify(identifier=user.email, code=code_sent_to(user.email))
    VerificationCode.objects.filter(user=user).update(created_at=timezone.now() - timedelta(minutes=5))

    # when a code is asked for
    account_resend_code(identifier=user.email)

    # then nothing is sent and no error is raised
    assert OutboxMessage.objects.count() == 1
    assert VerificationCode.objects.filter(user=user).count() == 1
