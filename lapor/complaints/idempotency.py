"""Submissions retried with an `Idempotency-Key`: the first answer is kept and given again.

A phone on a poor connection resends a report it believes lost; with the same key and the same
body it gets the first answer back and no second report exists. The key belongs to one client
(an account, or an address without one); reusing it for another body is refused. Keys live a
day (`IDEMPOTENCY_TTL`), long enough for any retry, short because the answer may hold the
reporter's secret.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.core.errors import Conflict, InvalidInput

from .models import IdempotencyKey, Report

IDEMPOTENCY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = IdempotencyKey._meta.get_field("key").max_length
MAX_CLIENT_LENGTH = IdempotencyKey._meta.get_field("client").max_length


@dataclass(frozen=True)
class Outcome:
    report: Report | None
    response: dict
    # True when this is the stored answer of an earlier request.
    replayed: bool


def request_digest(payload) -> str:
    """A stable digest of the request body (key order and spacing do not matter)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored(client: str, key: str, *, now: datetime) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(client=client, key=key, created_at__gt=now - IDEMPOTENCY_TTL).first()


def _replay(stored: IdempotencyKey, digest: str) -> Outcome:
    if stored.request_digest != digest:
        raise Conflict(
            _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru untuk laporan baru."),
            code="idempotency_key_reused",
            field="Idempotency-Key",
        )
    return Outcome(report=None, response=stored.response, replayed=True)


def submit_once(
    *, client: str, key: str, payload, submit: Callable[[], tuple[Report, dict]], now: datetime | None = None
) -> Outcome:
    """Run `submit()` once per (client, key); a retry with the same payload gets its answer again.

    `submit` returns the new report and the JSON answer to store. It runs in the transaction that
    stores the key, so when two identical requests race, the unique (client, key) constraint
    lets one commit; the other's report is rolled back and it answers with the winner's result.
    Refusals (a `DomainError` from `submit`) store nothing: a corrected retry may use the key.
    Raises Conflict("idempotency_key_reused") when the key was used with another payload.
    """
    now = now or timezone.now()
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            _("Idempotency-Key harus berisi 1 sampai %(n)d karakter.") % {"n": MAX_KEY_LENGTH},
            field="Idempotency-Key",
        )
    client = client[:MAX_CLIENT_LENGTH]
    digest = request_digest(payload)
    if stored := _stored(client, key, now=now):
        return _replay(stored, digest)
    try:
        with transaction.atomic():
            # An expired row for this key would block the insert until the sweep removes it.
            IdempotencyKey.objects.filter(client=client, key=key, created_at__lte=now - IDEMPOTENCY_TTL).delete()
            report, response = submit()
            IdempotencyKey.objects.create(
                client=client, key=key, request_digest=digest, report=report, response=response, created_at=now
            )
    except IntegrityError:
        # A concurrent request with the same key committed first; ours was rolled back whole.
        stored = _stored(client, key, now=now)
        if stored is None:
            raise
        return _replay(stored, digest)
    return Outcome(report=report, response=response, replayed=False)


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Delete keys older than `IDEMPOTENCY_TTL` (with the secrets their answers hold)."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lte=now - IDEMPOTENCY_TTL).delete()
    return deleted
