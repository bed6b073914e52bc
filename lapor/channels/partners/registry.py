"""Registering partners, issuing and checking their API keys, their signing secrets.

API keys are shown once and stored as digests (256 random bits need no key, as for account
tokens in `lapor.accounts.services`); the lookup is by digest, so no key is compared byte by
byte. The webhook signing secret must stay readable to sign, so it is stored as is and shown
only when made.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency, Role, User
from lapor.core.errors import InvalidInput, NotFound

from .models import Partner, PartnerKey, Scope

KEY_PREFIX = "lpk_"
SECRET_PREFIX = "whsec_"
ALL_SCOPES = tuple(Scope.values)


@dataclass(frozen=True)
class Issued:
    """What a person sees once: the partner, a new API key and, when made, the signing secret."""

    partner: Partner
    key: str
    secret: str | None


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def clean_scopes(scopes) -> list[str]:
    chosen = list(dict.fromkeys(s.strip() for s in (scopes or ALL_SCOPES) if s and s.strip()))
    unknown = [s for s in chosen if s not in ALL_SCOPES]
    if unknown or not chosen:
        raise InvalidInput(
            _("Cakupan tidak dikenal: %(bad)s. Pilihan: %(choices)s.")
            % {"bad": ", ".join(unknown) or "-", "choices": ", ".join(ALL_SCOPES)},
            field="scopes",
        )
    return chosen


def clean_webhook_url(url: str, *, sandbox: bool) -> str:
    """An http(s) address; a live partner's must be https (the body carries reports)."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    allowed = ("https",) if not (sandbox or settings.DEBUG) else ("http", "https")
    if parts.scheme not in allowed or not parts.hostname:
        raise InvalidInput(
            _("Alamat webhook harus berupa URL %(schemes)s yang lengkap.") % {"schemes": " atau ".join(allowed)},
            field="webhook_url",
        )
    return url


def _unique_code(name: str) -> str:
    base = slugify(name)[:50] or "mitra"
    code, n = base, 1
    while Partner.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _officer_for(name: str, agency: Agency, code: str) -> User:
    """The partner's service account: an agency admin of its agency that cannot log in.

    Inactive, so it gets no notices and counts in no admin-activity figure; services accept it
    as an actor because the actor is built from the role and agency, not from a log-in.
    """
    user = User(
        username=f"mitra-{code}"[:150], role=Role.AGENCY_ADMIN, agency=agency, is_active=False,
        first_name=name[:150], last_name="(aplikasi mitra)",
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def partner_register(
    *, name: str, agency: Agency, webhook_url: str = "", sandbox: bool = False, scopes=None, code: str = ""
) -> Issued:
    """A new partner of `agency`, its first API key (all scopes unless given) and its secret."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Nama aplikasi mitra wajib diisi."), field="name")
    if agency is None or not agency.is_active:
        raise InvalidInput(_("Pilih instansi tujuan yang aktif."), field="agency")
    url = clean_webhook_url(webhook_url, sandbox=sandbox)
    scopes = clean_scopes(scopes)
    code = slugify(code)[:60] if code else _unique_code(name)
    if Partner.objects.filter(code=code).exists():
        raise InvalidInput(_("Kode mitra sudah dipakai."), field="code")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    partner = Partner.objects.create(
        code=code, name=name[:120], agency=agency, webhook_url=url, is_sandbox=sandbox,
        officer=_officer_for(name, agency, code), signing_secret=secret,
    )
    return Issued(partner=partner, key=key_issue(partner=partner, scopes=scopes), secret=secret)


def partner_update(*, partner: Partner, name: str, agency: Agency, webhook_url: str, sandbox: bool, active: bool) -> Partner:
    """Admins change a partner; its service account follows the agency."""
    if not (name or "").strip():
        raise InvalidInput(_("Nama aplikasi mitra wajib diisi."), field="name")
    partner.name = name.strip()[:120]
    partner.webhook_url = clean_webhook_url(webhook_url, sandbox=sandbox)
    partner.is_sandbox, partner.is_active = sandbox, active
    partner.agency = agency
    with transaction.atomic():
        partner.save()
        User.objects.filter(pk=partner.officer_id).exclude(agency=agency).update(agency=agency)
    return partner


def key_issue(*, partner: Partner, scopes=None, name: str = "") -> str:
    """A new API key; the raw value is returned once."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    PartnerKey.objects.create(
        partner=partner, key_digest=_digest(raw), prefix=raw[:12], name=name[:100], scopes=clean_scopes(scopes)
    )
    return raw


def key_revoke(*, prefix: str) -> int:
    return PartnerKey.objects.filter(prefix=prefix, revoked_at__isnull=True).update(revoked_at=timezone.now())


def secret_rotate(*, partner: Partner) -> str:
    """A new signing secret, effective for the next delivery; returned once."""
    partner.signing_secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    partner.save(update_fields=["signing_secret", "updated_at"])
    return partner.signing_secret


def key_authenticate(raw: str) -> PartnerKey | None:
    """The live key for `raw` (with its active partner), or None."""
    if not raw or not raw.startswith(KEY_PREFIX):
        return None
    key = PartnerKey.objects.select_related("partner").filter(key_digest=_digest(raw)).first()
    if key is None or key.revoked_at is not None or not key.partner.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or key.last_used_at < now - timedelta(minutes=5):
        PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def partner_get(code: str) -> Partner:
    partner = Partner.objects.select_related("agency").filter(code=code).first()
    if partner is None:
        raise NotFound(_("Aplikasi mitra tidak ditemukan."))
    return partner


def partner_actor(partner: Partner) -> Actor:
    """The officer acting when the partner's back office answers: an agency admin of its agency."""
    officer = partner.officer
    if officer.agency_id != partner.agency_id:  # the admin moved the partner without the service
        officer.agency_id = partner.agency_id
    return Actor(role=Role.AGENCY_ADMIN, user=officer)
