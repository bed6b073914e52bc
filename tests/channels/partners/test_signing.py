"""`X-Lapor-Signature`: HMAC-SHA256 over "<t>.<body>", checked with a replay window."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from lapor.channels.partners.signing import DEFAULT_TOLERANCE, SignatureError, sign, verify_signature

SECRET = "whsec_test-secret"
BODY = b'{"type":"report.followed_up","report":{"tracking_id":"LAP-ABCD-EFGH"}}'
NOW = 1_767_225_600


def test_the_header_is_a_stripe_style_hmac_of_time_and_body():
    header = sign(BODY, SECRET, timestamp=NOW)
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={NOW},v1={expected}"


def test_a_good_signature_within_the_window_is_accepted():
    assert verify_signature(BODY, sign(BODY, SECRET, timestamp=NOW), SECRET, now=NOW + DEFAULT_TOLERANCE) == NOW
    assert verify_signature(BODY, sign(BODY, SECRET, timestamp=NOW), SECRET, now=NOW - 60) == NOW


@pytest.mark.parametrize(
    "body,secret",
    [(BODY + b" ", SECRET), (BODY.replace(b"EFGH", b"EFGX"), SECRET), (BODY, "whsec_other"), (BODY, "")],
)
def test_a_bad_signature_is_refused(body, secret):
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(body, sign(BODY, SECRET, timestamp=NOW), secret, now=NOW)


def test_a_replayed_body_with_a_new_time_does_not_match():
    header = sign(BODY, SECRET, timestamp=NOW)
    replayed = header.replace(f"t={NOW}", f"t={NOW + 3600}")
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(BODY, replayed, SECRET, now=NOW + 3600)


def test_an_expired_signature_is_refused():
    with pytest.raises(SignatureError, match="tolerance"):
        verify_signature(BODY, sign(BODY, SECRET, timestamp=NOW), SECRET, now=NOW + DEFAULT_TOLERANCE + 1)
    with pytest.raises(SignatureError, match="tolerance"):
        verify_signature(BODY, sign(BODY, SECRET, timestamp=NOW), SECRET, tolerance=10, now=NOW - 11)


@pytest.mark.parametrize("header", ["", "v1=abc", f"t={NOW}", f"t=soon,v1=abc", "garbage"])
def test_a_malformed_header_is_refused(header):
    with pytest.raises(SignatureError, match="malformed"):
        verify_signature(BODY, header, SECRET, now=NOW)


def test_any_listed_v1_may_match_and_other_schemes_are_ignored():
    good = sign(BODY, SECRET, timestamp=NOW).split(",")[1]
    header = f"t={NOW},v0=deadbeef,v1={'0' * 64},{good}"
    assert verify_signature(BODY, header, SECRET, now=NOW) == NOW


def test_the_readmes_copy_for_partners_checks_the_same():
    """The function the README gives partners to copy, run as written."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    section = readme[readme.index("**Verify the signature.**"):]
    code = section[section.index("```python") + len("```python"):]
    code = code[: code.index("```")]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102  (our own documentation)
    partner_verify = namespace["verify_signature"]
    good = sign(BODY, SECRET)
    assert partner_verify(BODY, good, SECRET) == int(good.split(",")[0][2:])
    for body, header, secret in [(BODY + b"x", good, SECRET), (BODY, good, "whsec_other"), (BODY, "v1=abc", SECRET)]:
        with pytest.raises(ValueError):
            partner_verify(body, header, secret)
    with pytest.raises(ValueError, match="tolerance"):
        partner_verify(BODY, sign(BODY, SECRET, timestamp=NOW), SECRET)
