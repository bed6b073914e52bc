"""Proving a webhook request comes from the provider: shared tokens and each provider's signature.

Every comparison is constant-time. A shared token may be configured as its SHA-256 digest
("sha256:<hex>") so the plain value need not sit in the environment. A channel without its
secret is switched off (`require_enabled`), so an unsigned request is never accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

from django.utils.translation import gettext as _

from lapor.core.errors import NotFound, PermissionDenied

TOKEN_HEADER = "X-Lapor-Token"


def require_enabled(*secrets: str) -> None:
    if not any(secrets):
        raise NotFound(_("Kanal ini tidak diaktifkan."), code="channel_disabled")


def refused() -> PermissionDenied:
    return PermissionDenied(_("Tanda tangan atau token webhook tidak valid."), code="bad_signature")


def token_matches(given: str, configured: str) -> bool:
    if not given or not configured:
        return False
    if configured.startswith("sha256:"):
        digest = hashlib.sha256(given.encode()).hexdigest()
        return hmac.compare_digest(digest, configured.removeprefix("sha256:").strip().lower())
    return hmac.compare_digest(given.encode(), configured.encode())


def check_token(request, configured: str) -> None:
    """The shared token, from the `X-Lapor-Token` header or the `token` query parameter (many
    gateways let one configure only a URL)."""
    given = request.headers.get(TOKEN_HEADER, "") or request.GET.get("token", "")
    if not token_matches(given.strip(), configured):
        raise refused()


def hmac_sha256_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def hmac_sha256_base64(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def check_prefixed(header: str, expected: str) -> None:
    """`sha256=<value>` headers (Meta's hex, X's base64)."""
    scheme, _sep, value = (header or "").strip().partition("=")
    if scheme.lower() != "sha256" or not hmac.compare_digest(value.encode(), expected.encode()):
        raise refused()


# --- Twilio ---------------------------------------------------------------------------------------


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """Base64 HMAC-SHA1 of the full URL followed by every POST parameter, sorted, name then value."""
    data = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def check_twilio(header: str, auth_token: str, url: str, params: Mapping[str, str]) -> None:
    if not hmac.compare_digest((header or "").encode(), twilio_signature(auth_token, url, params).encode()):
        raise refused()


# --- Vonage (Nexmo) -------------------------------------------------------------------------------

VONAGE_HMAC = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def vonage_signature(secret: str, params: Mapping[str, str], method: str = "md5hash") -> str:
    """Vonage's signed-webhook digest: "&name=value" for every parameter but `sig`, sorted, with
    "&" and "=" in values replaced by "_"; "md5hash" appends the secret and takes an MD5, the others
    are HMACs keyed with the secret."""
    data = "".join(
        "&{}={}".format(name, str(params[name]).replace("&", "_").replace("=", "_"))
        for name in sorted(params)
        if name != "sig"
    ).encode()
    if method == "md5hash":
        return hashlib.md5(data + secret.encode()).hexdigest()
    if method not in VONAGE_HMAC:
        raise ValueError(f"unknown Vonage signature method {method!r}")
    return hmac.new(secret.encode(), data, VONAGE_HMAC[method]).hexdigest()


def check_vonage(params: Mapping[str, str], secret: str, method: str) -> None:
    given = str(params.get("sig", "")).lower()
    if not given or not hmac.compare_digest(given.encode(), vonage_signature(secret, params, method).encode()):
        raise refused()
