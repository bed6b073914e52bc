"""Partners of agency A (live and sandbox), their keys, and a fake webhook receiver.

The receiver is a transport injected into the delivery code: it verifies every signature the
way a partner would (`signing.verify_signature`), keeps what it accepted, and can be switched
down (connection refused) or made to lose its answer after accepting (a timeout).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from lapor.channels.partners import registry
from lapor.channels.partners.signing import HEADER, SignatureError, verify_signature

# The API tests' JSON client and their fresh rate-limit counters, as fixtures here too.
from ...api.conftest import api, fresh_rate_limits  # noqa: F401

WEBHOOK = "https://hendi.example/lapor/webhook"


@dataclass
class Issued:
    partner: object
    key: str
    secret: str


@pytest.fixture
def hendi(world) -> Issued:
    """LAPORHENDI, a live partner of agency A (Kota Denpasar here), with every scope."""
    issued = registry.partner_register(name="LAPORHENDI", agency=world.agency_a, webhook_url=WEBHOOK)
    return Issued(issued.partner, issued.key, issued.secret)


@pytest.fixture
def paman(world) -> Issued:
    """A live partner of agency B."""
    issued = registry.partner_register(name="LAPOR Paman", agency=world.agency_b, webhook_url="https://paman.example/hook")
    return Issued(issued.partner, issued.key, issued.secret)


@pytest.fixture
def sandbox_partner(world) -> Issued:
    issued = registry.partner_register(
        name="Uji Coba", agency=world.agency_a, webhook_url="http://localhost:9000/hook", sandbox=True
    )
    return Issued(issued.partner, issued.key, issued.secret)


def report_body(world, **overrides) -> dict:
    body = {
        "title": "Lampu jalan mati",
        "text": "Lampu penerangan jalan di Jalan Sesetan mati sejak seminggu, gelap dan rawan.",
        "region": world.bali_village.code,
        "category": world.category.code,
        "contact_name": "Ni Luh Putu",
        "contact_phone": "081234500001",
    }
    body.update(overrides)
    return body


@dataclass
class Receiver:
    """A partner's webhook endpoint, as a transport: verifies, deduplicates, records."""

    secrets: dict[str, str]
    up: bool = True
    # Accept the body but lose the answer (the worker sees a timeout and tries again).
    lose_answers: int = 0
    calls: int = 0
    # Every accepted body, first copy only, in arrival order; and the duplicates it dropped.
    received: list[dict] = field(default_factory=list)
    duplicates: int = 0
    seen: set = field(default_factory=set)

    def __call__(self, url: str, body: bytes, headers: dict, timeout: float) -> int:
        self.calls += 1
        if not self.up:
            raise ConnectionRefusedError("connection refused")
        try:
            verify_signature(body, headers[HEADER], self.secrets[url])
        except SignatureError:
            return 400
        delivery_id = headers["X-Lapor-Delivery"]
        payload = json.loads(body)
        assert payload["delivery_id"] == delivery_id == headers["Idempotency-Key"]
        if delivery_id in self.seen:
            self.duplicates += 1
        else:
            self.seen.add(delivery_id)
            self.received.append(payload)
        if self.lose_answers:
            self.lose_answers -= 1
            raise TimeoutError("timed out reading the answer")
        return 204


@pytest.fixture
def receiver(hendi) -> Receiver:
    return Receiver(secrets={WEBHOOK: hendi.secret})
