"""Web fixtures: a fresh rate-limit cache, uploads in a temporary folder, small helpers."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from lapor.complaints import services
from lapor.notifications.models import OutboxMessage

from ..complaints.flow import PNG_BYTES
from ..factories import make_report

TEXT = "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam."


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder, so a test can count the files written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def public_report(world, **kwargs):
    """A report verified and disposed to agency A: visible to the public unless confidential."""
    kwargs.setdefault("region", world.bali_village)
    kwargs.setdefault("category", world.category)
    reporter = kwargs.pop("reporter", world.reporter)
    report = make_report(reporter=reporter, **kwargs)
    return services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a)


def outbox(kind: str = "") -> list[OutboxMessage]:
    messages = OutboxMessage.objects.order_by("pk")
    return list(messages.filter(kind=kind) if kind else messages)


def code_from_outbox(recipient: str) -> str:
    body = OutboxMessage.objects.filter(kind="account.code", recipient=recipient).order_by("-pk").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)


def html(response) -> str:
    return response.content.decode()


def tag(page: str, element_id: str) -> str:
    """The opening tag of the element with `element_id`."""
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', page)
    assert match, f"no element #{element_id}"
    return match.group(0)
