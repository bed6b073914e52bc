"""Citizen accounts: register by e-mail or phone, verify with a one-time code, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from lokal.phone import parse_phone

from lapor.core.errors import Conflict, InvalidInput, PermissionDenied, TooManyRequests
from lapor.notifications.models import Channel
from lapor.notifications.services import outbox_enqueue

from .models import ApiToken, Role, User, VerificationCode


def _digest(value: str) -> str:
    """For tokens: 256 random bits need no key."""
    return hashlib.sha256(value.encode()).hexdigest()


def code_digest(user_id: int, code: str) -> str:
    """For six-digit codes: keyed, so a leaked table cannot be reversed by trying a million values."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def normalize_phone(value: str) -> str | None:
    """+62… in E.164 for a valid Indonesian number, else None."""
    info = parse_phone(value or "")
    return info.e164 if info.valid else None


def normalize_email(value: str) -> str | None:
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def find_user_by_identifier(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    query = Q(username=identifier)
    if email := normalize_email(identifier):
        query |= Q(email__iexact=email)
    if phone := normalize_phone(identifier):
        query |= Q(phone=phone)
    return User.objects.filter(query).order_by("pk").first()


def _send_code(user: User, *, channel: str, to: str) -> None:
    limits = settings.LAPOR
    now = timezone.now()
    if VerificationCode.objects.filter(user=user, created_at__gte=now - timedelta(minutes=1)).exists():
        raise TooManyRequests(_("Kode baru saja dikirim. Tunggu satu menit sebelum meminta lagi."))
    # Each code allows a few tries; capping codes per hour caps the guesses.
    if VerificationCode.objects.filter(user=user, created_at__gte=now - timedelta(hours=1)).count() >= 5:
        raise TooManyRequests(_("Terlalu banyak kode diminta. Coba lagi dalam satu jam."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    VerificationCode.objects.create(
        user=user,
        code_hash=code_digest(user.pk, code),
        sent_to=to,
        expires_at=timezone.now() + timedelta(minutes=limits["OTP_TTL_MINUTES"]),
    )
    body = _("Kode verifikasi lapor Anda: %(code)s. Berlaku %(minutes)d menit. Jangan berikan kode ini kepada siapa pun.") % {
        "code": code,
        "minutes": limits["OTP_TTL_MINUTES"],
    }
    outbox_enqueue(
        channel=channel,
        recipient=to,
        subject=_("Kode verifikasi lapor"),
        body=body,
        kind="account.code",
        user=user,
        sensitive=True,
    )


def account_register(*, name: str, identifier: str, password: str) -> User:
    """Create an inactive citizen account and send a one-time code to the e-mail or phone given."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Nama wajib diisi."), field="name")
    email = normalize_email(identifier)
    phone = None if email else normalize_phone(identifier)
    if not email and not phone:
        raise InvalidInput(_("Masukkan alamat surel atau nomor ponsel Indonesia yang valid."), field="identifier")
    first, _sep, last = name.partition(" ")
    user = User(
        username=email or phone,
        email=email or "",
        phone=phone or "",
        first_name=first[:150],
        last_name=last[:150],
        role=Role.REPORTER,
        is_active=False,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None
    with transaction.atomic():
        taken = (email and User.objects.filter(email__iexact=email).exists()) or (
            phone and User.objects.filter(phone=phone).exists()
        )
        if taken:
            raise Conflict(_("Alamat surel atau nomor ponsel ini sudah terdaftar. Silakan masuk."), field="identifier")
        user.set_password(password)
        user.save()
        _send_code(user, channel=Channel.EMAIL if email else Channel.SMS, to=email or phone)
    return user


def account_resend_code(*, identifier: str) -> None:
    user = find_user_by_identifier(identifier)
    if user is None or user.is_active:
        return  # say nothing about which accounts exist
    with transaction.atomic():
        _send_code(user, channel=Channel.EMAIL if user.email else Channel.SMS, to=user.email or user.phone)


def account_verify(*, identifier: str, code: str) -> User:
    """Activate the account when the code matches; a code works once, for a limited time and tries."""
    wrong = InvalidInput(_("Kode verifikasi salah atau kedaluwarsa."), field="code")
    user = find_user_by_identifier(identifier)
    if user is None:
        raise wrong
    with transaction.atomic():
        pending = (
            VerificationCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if pending is None or pending.attempts >= settings.LAPOR["OTP_MAX_ATTEMPTS"]:
            raise wrong
        if not hmac.compare_digest(pending.code_hash, code_digest(user.pk, (code or "").strip())):
            # Counted in this transaction and refused after it commits, so the count survives.
            VerificationCode.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1)
            failed = True
        else:
            failed = False
            pending.used_at = timezone.now()
            pending.save(update_fields=["used_at"])
            user.is_active = True
            user.save(update_fields=["is_active"])
    if failed:
        raise wrong
    return user


def token_issue(*, user: User, name: str = "") -> str:
    """A new API token for an active account; the raw value is returned once."""
    if not user.is_active:
        raise PermissionDenied(_("Akun belum aktif."))
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_digest=_digest(raw), prefix=raw[:8], name=name[:100])
    return raw


def token_authenticate(raw: str) -> User | None:
    if not raw:
        return None
    token = ApiToken.objects.select_related("user").filter(key_digest=_digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at and token.expires_at <= timezone.now():
        return None
    if token.last_used_at is None or token.last_used_at < timezone.now() - timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def token_revoke(*, user: User, raw: str) -> bool:
    return ApiToken.objects.filter(user=user, key_digest=_digest(raw)).delete()[0] > 0
