"""API keys of Open311 clients: made by a command, stored as a digest, checked in constant time.

A key carries 256 random bits, so a plain SHA-256 digest is enough (nothing to guess at) and a
lookup by digest stays one indexed query. The raw key is returned once, by `key_create`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lapor.accounts.models import Agency, Role, User
from lapor.core.errors import Conflict, InvalidInput, NotFound

from .models import ApiKey

KEY_PREFIX = "o311_"
# The demo key is a known value, like the demo password: `make demo` prints it on every run.
DEMO_KEY_NAME = "demo"
DEMO_KEY = "o311_demo-lapor-2026"
# `last_used_at` is written at most this often per key (a busy client must not write on every call).
TOUCH_EVERY = timedelta(minutes=5)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    raw: str


def key_create(*, name: str, agency: Agency | None = None, raw: str | None = None) -> NewKey:
    """A new active key named `name` (unique); with `agency`, bound to it through a service account."""
    name = (name or "").strip()
    if not name or len(name) > ApiKey._meta.get_field("name").max_length:
        raise InvalidInput(_("Nama kunci wajib diisi (maksimal 100 karakter)."), field="name")
    if agency is not None and not agency.is_active:
        raise InvalidInput(_("Instansi tidak aktif."), field="agency")
    raw = raw or KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                name=name, key_digest=_digest(raw), prefix=raw[:12], agency=agency,
                acting_user=_service_account(name, agency) if agency else None,
            )
    except IntegrityError:
        raise Conflict(_("Nama kunci '%(name)s' sudah dipakai.") % {"name": name}, field="name") from None
    return NewKey(key=key, raw=raw)


def _service_account(name: str, agency: Agency) -> User:
    """The account an agency-bound key acts as: the agency's admin role, unable to log in.

    Inactive, so it receives no notices and no password or token works for it; its events
    still name it, so the audit trail shows which client answered.
    """
    base = f"open311.{slugify(name)[:100] or 'klien'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return User.objects.create(
        username=username, first_name="Open311", last_name=name[:150], role=Role.AGENCY_ADMIN,
        agency=agency, is_active=False, password=make_password(None),
    )


def key_authenticate(raw: str, *, now=None) -> ApiKey | None:
    """The active key `raw` names, or None. Records when it was last used."""
    raw = (raw or "").strip()
    if not raw:
        return None
    digest = _digest(raw)
    key = ApiKey.objects.select_related("agency", "acting_user").filter(key_digest=digest).first()
    if key is None or not hmac.compare_digest(key.key_digest, digest) or not key.is_active:
        return None
    now = now or timezone.now()
    if key.last_used_at is None or key.last_used_at < now - TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def key_revoke(*, name: str, now=None) -> ApiKey:
    """Deactivate the key named `name` (or with that prefix); its reports stay as they are."""
    name = (name or "").strip()
    key = ApiKey.objects.filter(name=name).first()
    if key is None and name:
        matches = list(ApiKey.objects.filter(prefix__startswith=name)[:2])
        key = matches[0] if len(matches) == 1 else None
    if key is None:
        raise NotFound(_("Kunci '%(name)s' tidak ditemukan.") % {"name": name})
    if key.is_active:
        key.is_active = False
        key.revoked_at = now or timezone.now()
        key.save(update_fields=["is_active", "revoked_at"])
    return key


def keys_list():
    return ApiKey.objects.select_related("agency").order_by("name")


def demo_key_ensure() -> str:
    """The demo client's key, created or reset to the known demo value (idempotent)."""
    digest = _digest(DEMO_KEY)
    with transaction.atomic():
        other = ApiKey.objects.filter(key_digest=digest).exclude(name=DEMO_KEY_NAME).first()
        if other is not None:
            raise Conflict(_("Kunci demo sudah dipakai oleh kunci '%(name)s'.") % {"name": other.name})
        key = ApiKey.objects.filter(name=DEMO_KEY_NAME).first()
        if key is None:
            key_create(name=DEMO_KEY_NAME, raw=DEMO_KEY)
        else:
            ApiKey.objects.filter(pk=key.pk).update(
                key_digest=digest, prefix=DEMO_KEY[:12], is_active=True, revoked_at=None
            )
    return DEMO_KEY
