"""Webhook signatures, Stripe-style: `X-Lapor-Signature: t=<unix time>,v1=<hex HMAC-SHA256>`.

The HMAC key is the partner's signing secret and the message is `"<t>.<body>"`, so a captured
body cannot be replayed with a fresh time. A receiver checks the HMAC and that `t` lies within
its tolerance (`DEFAULT_TOLERANCE`, five minutes) of its own clock; `verify_signature` below
is the check a partner copies (it needs only the standard library). A resend after a failure
is signed anew with the time of the attempt, so an old delivery is still accepted when it is
finally sent; its `X-Lapor-Delivery` id stays the same.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Lapor-Signature"
SCHEME = "v1"
DEFAULT_TOLERANCE = 300


class SignatureError(ValueError):
    """The signature is missing, malformed, wrong or outside the replay window."""


def sign(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """The header value for `body` signed now (or at `timestamp`)."""
    t = int(time.time() if timestamp is None else timestamp)
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},{SCHEME}={mac}"


def verify_signature(body: bytes, header: str, secret: str, tolerance: int = DEFAULT_TOLERANCE, *, now=None) -> int:
    """Check a signature header; returns its timestamp or raises SignatureError.

    Any `v1` entry may match (a sender may list several while rotating secrets); entries of
    other schemes are ignored. The comparison is constant-time.
    """
    timestamp, candidates = None, []
    for part in (header or "").split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError("malformed signature header")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureError("signature does not match")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance window")
    return timestamp
