"""Accounts over the API: register, verify with the code from the outbox, tokens, /me."""

import re

import pytest

from lapor.accounts.models import ApiToken, User
from lapor.accounts import services as accounts
from lapor.notifications.models import OutboxMessage

from .conftest import assert_error

PASSWORD = "kopi-susu-Denpasar-2025"


def code_sent_to(recipient: str) -> str:
    message = OutboxMessage.objects.filter(recipient=recipient, kind="account.code").latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def register(api, identifier="wayan@contoh.id", **extra):
    payload = {"name": "Wayan Sudarma", "identifier": identifier, "password": PASSWORD, **extra}
    return api.post("/auth/register", payload)


@pytest.mark.django_db
def test_register_verify_token_me_revoke(api):
    response = register(api, "Wayan@Contoh.id")
    assert response.status_code == 201
    assert response.json()["identifier"] == "wayan@contoh.id"
    assert response.json()["status"] == "pending_verification"
    user = User.objects.get(email="wayan@contoh.id")
    assert not user.is_active

    code = code_sent_to("wayan@contoh.id")
    assert api.post("/auth/verify", {"identifier": "wayan@contoh.id", "code": code}).json()["status"] == "active"

    response = api.post("/auth/token", {"identifier": "wayan@contoh.id", "password": PASSWORD, "name": "ponsel"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["token_type"] == "Bearer"

    me = api.get("/me", token=token)
    assert me.status_code == 200
    assert me.json() == {
        "name": "Wayan Sudarma", "email": "wayan@contoh.id", "phone": "", "role": "reporter", "role_label": "Pelapor",
    }

    assert api.delete("/auth/token", token=token).status_code == 204
    assert not ApiToken.objects.exists()
    assert_error(api.get("/me", token=token), 401, "invalid_token")


@pytest.mark.django_db
def test_register_by_phone_sends_the_code_by_sms(api):
    assert register(api, "0812-3456-7891").json()["identifier"] == "+6281234567891"
    assert OutboxMessage.objects.get(kind="account.code").channel == "sms"


@pytest.mark.django_db
def test_register_refusals_name_the_field(api):
    assert_error(register(api, "bukan-alamat"), 400, "invalid", field="identifier")
    body = assert_error(
        api.post("/auth/register", {"name": "Wayan", "identifier": "w@contoh.id", "password": "123"}),
        400, "invalid", field="password",
    )
    assert body["message"]
    nameless = api.post("/auth/register", {"identifier": "w@contoh.id", "password": PASSWORD})
    assert_error(nameless, 422, "required", "name")
    register(api)
    assert_error(register(api), 409, "conflict", field="identifier")


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_the_account_stays_inactive(api):
    register(api)
    assert_error(api.post("/auth/verify", {"identifier": "wayan@contoh.id", "code": "000000x"}), 400, "invalid", "code")
    assert not User.objects.get(email="wayan@contoh.id").is_active


@pytest.mark.django_db
def test_resend_code_answers_the_same_for_unknown_accounts(api):
    register(api)
    OutboxMessage.objects.all().delete()
    VerificationCode = accounts.VerificationCode
    VerificationCode.objects.update(created_at="2000-01-01T00:00:00Z")

    known = api.post("/auth/resend-code", {"identifier": "wayan@contoh.id"})
    unknown = api.post("/auth/resend-code", {"identifier": "siapa@contoh.id"})

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert OutboxMessage.objects.filter(recipient="wayan@contoh.id").count() == 1


@pytest.mark.django_db
def test_wrong_credentials_get_the_same_401_whether_or_not_the_account_exists(api, world):
    world.reporter.set_password(PASSWORD)
    world.reporter.save()

    wrong_password = api.post("/auth/token", {"identifier": world.reporter.email, "password": "salah-sekali-123"})
    no_account = api.post("/auth/token", {"identifier": "tidak.ada@contoh.id", "password": "salah-sekali-123"})

    same = assert_error(wrong_password, 401, "invalid_credentials")
    assert same == assert_error(no_account, 401, "invalid_credentials")
    assert api.post("/auth/token", {"identifier": world.reporter.email, "password": PASSWORD}).status_code == 200


@pytest.mark.django_db
def test_an_inactive_account_gets_no_token(api):
    register(api)
    response = api.post("/auth/token", {"identifier": "wayan@contoh.id", "password": PASSWORD})
    assert_error(response, 403, "account_inactive")
    wrong = api.post("/auth/token", {"identifier": "wayan@contoh.id", "password": "salah-sekali-123"})
    assert_error(wrong, 401, "invalid_credentials")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("header", ["Bearer tidak-ada", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"])
def test_an_invalid_token_is_a_401_even_where_a_token_is_optional(world, api, header):
    for response in (
        api.get("/me", headers={"Authorization": header}),
        api.get("/reports/LAP-0000-0000", headers={"Authorization": header}),
        api.post("/reports", {}, headers={"Authorization": header}),
    ):
        assert_error(response, 401, "invalid_token")
        assert response["WWW-Authenticate"] == "Bearer"


def test_no_token_where_one_is_required_is_a_401(world, api):
    body = assert_error(api.get("/me"), 401, "not_authenticated")
    assert "Bearer" in body["message"]
    assert_error(api.get("/me/reports"), 401, "not_authenticated")
    assert_error(api.delete("/auth/token"), 401, "not_authenticated")


def test_a_token_of_a_deactivated_account_stops_working(world, api, token):
    assert api.get("/me", token=token).status_code == 200
    User.objects.filter(pk=world.reporter.pk).update(is_active=False)
    assert_error(api.get("/me", token=token), 401, "invalid_token")


def test_revoking_one_token_leaves_the_others(world, api, token):
    second = accounts.token_issue(user=world.reporter)
    api.delete("/auth/token", token=token)
    assert api.get("/me", token=second).status_code == 200


def test_a_session_cookie_does_not_authenticate_the_api(world, api):
    api.client.force_login(world.reporter)
    assert_error(api.get("/me"), 401, "not_authenticated")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, body",
    [
        ("/auth/token", {"identifier": "x@contoh.id", "password": "salah"}),
        ("/auth/verify", {"identifier": "x@contoh.id", "code": "123456"}),
        ("/auth/register", {"name": "X", "identifier": "bukan", "password": "x"}),
    ],
)
def test_auth_endpoints_are_rate_limited_per_address(api, settings, path, body):
    settings.LAPOR = {**settings.LAPOR, "AUTH_ATTEMPTS_PER_WINDOW": 3}
    for _attempt in range(3):
        assert api.post(path, body).status_code != 429
    response = api.post(path, body)
    assert_error(response, 429, "rate_limited")
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    other_address = api.client.post(
        "/api/v1" + path, body, content_type="application/json", REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code != 429
