"""Accounts over the API: register, verify, tokens; who is calling and how often.

The API authenticates by bearer token only. It never reads Django's session cookie, so a page
open in the citizen's browser cannot make the API act for them (no CSRF surface); an
accountless reporter proves a report with its secret in the `X-Report-Secret` header instead.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from lapor.accounts import services as accounts
from lapor.accounts.models import User
from lapor.core.errors import PermissionDenied, TooManyRequests
from lapor.core.ratelimit import check_rate

from .errors import ErrorOut, NotAuthenticated, retry_after_seconds

router = Router(tags=["accounts"])

# Attempts per client address and window for the endpoints that guess at secrets (passwords,
# one-time codes) or create accounts; `settings.LAPOR["AUTH_ATTEMPTS_PER_WINDOW"]` overrides.
AUTH_ATTEMPTS = 20
AUTH_WINDOW_SECONDS = 15 * 60


# --- who is calling -----------------------------------------------------------------------------


def _bearer_user(request) -> User | None:
    """The account of a valid bearer token; None without the header; 401 for a bad token."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, raw = header.partition(" ")
    raw = raw.strip()
    user = accounts.token_authenticate(raw) if scheme.lower() == "bearer" and raw else None
    if user is None:
        raise NotAuthenticated(
            _("Token tidak valid, kedaluwarsa, atau sudah dicabut. Silakan masuk lagi."), code="invalid_token"
        )
    request.raw_token = raw
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` required."""

    def __call__(self, request):
        return _bearer_user(request)

    def authenticate(self, request, token):  # pragma: no cover  (__call__ does the work)
        return None


class _Anonymous:
    """`request.auth` of a caller without a token where a token is optional."""

    def __bool__(self) -> bool:
        return True  # ninja treats a falsy result as "not authenticated"


ANONYMOUS = _Anonymous()


def _anonymous(request) -> _Anonymous:
    return ANONYMOUS


token_auth = TokenAuth()
# A token is accepted and checked when sent (a bad one is a 401), but not required.
optional_token_auth = [token_auth, _anonymous]
# OpenAPI for those operations: a bearer token, or nothing.
OPTIONAL_TOKEN_OPENAPI = {"security": [{"TokenAuth": []}, {}]}


def caller(request) -> User | None:
    """The token's account, or None for a caller without a token."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else None


def client_ip(request) -> str:
    # The WSGI server (or the proxy in front of it, configured to rewrite it) sets REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR") or "unknown"


def client_key(request) -> str:
    """The account for token holders, the address for everyone else (same format as the web's)."""
    user = caller(request)
    return f"user:{user.pk}" if user else f"ip:{client_ip(request)}"


def throttle(request, scope: str, *, limit: int, window_seconds: int, client: str | None = None) -> None:
    """Count one request against a fixed-window limit; over it, a 429 with Retry-After."""
    try:
        check_rate(scope, client or f"ip:{client_ip(request)}", limit=limit, window_seconds=window_seconds)
    except TooManyRequests as error:
        error.retry_after = retry_after_seconds(window_seconds)
        raise


def _throttle_auth(request, scope: str) -> None:
    limit = settings.LAPOR.get("AUTH_ATTEMPTS_PER_WINDOW", AUTH_ATTEMPTS)
    throttle(request, f"api-{scope}", limit=limit, window_seconds=AUTH_WINDOW_SECONDS)


# --- schemas ------------------------------------------------------------------------------------


class RegisterIn(Schema):
    name: str
    identifier: str
    password: str


class RegisteredOut(Schema):
    identifier: str
    status: str
    message: str


class VerifyIn(Schema):
    identifier: str
    code: str


class IdentifierIn(Schema):
    identifier: str


class MessageOut(Schema):
    status: str
    message: str


class TokenIn(Schema):
    identifier: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"


class MeOut(Schema):
    name: str
    email: str
    phone: str
    role: str
    role_label: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


# --- endpoints ----------------------------------------------------------------------------------


@router.post("/auth/register", response={201: RegisteredOut, **ERRORS})
def register(request, payload: RegisterIn):
    """Create an inactive citizen account; a one-time code goes to the e-mail or phone given."""
    _throttle_auth(request, "register")
    user = accounts.account_register(name=payload.name, identifier=payload.identifier, password=payload.password)
    to = user.email or user.phone
    return Status(201, {
        "identifier": to,
        "status": "pending_verification",
        "message": _("Kode verifikasi telah dikirim ke %(to)s.") % {"to": to},
    })


@router.post("/auth/verify", response={200: MessageOut, **ERRORS})
def verify(request, payload: VerifyIn):
    """Activate the account with the one-time code."""
    _throttle_auth(request, "verify")
    accounts.account_verify(identifier=payload.identifier, code=payload.code)
    return {"status": "active", "message": _("Akun Anda sudah aktif. Silakan masuk.")}


@router.post("/auth/resend-code", response={202: MessageOut, **ERRORS})
def resend_code(request, payload: IdentifierIn):
    """Send a new code; the answer is the same whether or not such an account waits."""
    _throttle_auth(request, "verify")
    accounts.account_resend_code(identifier=payload.identifier)
    return Status(202, {
        "status": "sent",
        "message": _("Jika akun itu menunggu verifikasi, kode baru telah dikirim."),
    })


@router.post("/auth/token", response={200: TokenOut, **ERRORS})
def token_create(request, payload: TokenIn):
    """A bearer token for an active account (e-mail, phone or user name, and password)."""
    _throttle_auth(request, "token")
    wrong = NotAuthenticated(_("Identitas atau kata sandi salah."), code="invalid_credentials")
    known = accounts.find_user_by_identifier(payload.identifier)
    if known is None:
        # Checked here rather than by the login backend, which fails on unknown identifiers
        # (tests/accounts/test_login_backend.py); the hash costs what a real check costs.
        User().set_password(payload.password)
        raise wrong
    user = authenticate(request, username=payload.identifier, password=payload.password)
    if user is None:
        if not known.is_active and known.check_password(payload.password):
            # The password is right, so saying the account waits for its code reveals nothing.
            raise PermissionDenied(
                _("Akun belum aktif. Masukkan kode verifikasi yang dikirim saat pendaftaran."),
                code="account_inactive",
            )
        raise wrong
    return {"token": accounts.token_issue(user=user, name=payload.name), "token_type": "Bearer"}


@router.delete("/auth/token", response={204: None, 401: ErrorOut}, auth=token_auth)
def token_delete(request):
    """Revoke the token this request was made with."""
    accounts.token_revoke(user=request.auth, raw=request.raw_token)
    return Status(204, None)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=token_auth)
def me(request):
    """The account behind the token."""
    user: User = request.auth
    return {
        "name": user.display_name(),
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "role_label": str(user.get_role_display()),
    }
