"""Filing a report in one call: the report, its attachments, its events and its confirmations, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lapor.accounts.models import Role
from lapor.complaints import filing
from lapor.complaints.filing import report_file
from lapor.complaints.models import Attachment, Report, ReportEvent, Status
from lapor.complaints.services import secret_matches
from lapor.core.errors import InvalidInput
from lapor.notifications.models import Channel, OutboxMessage

from ..factories import DEFAULT_TEXT, make_user
from .flow import PNG_BYTES

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Boom(RuntimeError):
    pass


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """A fresh MEDIA_ROOT for each test, so stray files can be counted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def png(name="foto-jalan.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def pdf(name="surat-rt.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def nothing_written(media: Path) -> None:
    assert not Report.objects.exists()
    assert not ReportEvent.objects.exists()
    assert not Attachment.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert stored_files(media) == []


def file(world, *, reporter=None, **fields):
    fields.setdefault("text", DEFAULT_TEXT)
    fields.setdefault("region", world.bali_village)
    fields.setdefault("category", world.category)
    return report_file(reporter=reporter, **fields)


# --- confirmations --------------------------------------------------------------------------------


def test_without_an_account_the_secret_and_tracking_id_go_to_the_contacts_given(world, media):
    # when a citizen without an account files a report with an e-mail address and a phone number
    submitted = file(world, contact_email="made@contoh.id", contact_phone="+6281234567890")

    # then the report is received and a working secret is returned
    report = submitted.report
    assert report.status == Status.RECEIVED and report.reporter is None
    assert submitted.secret and secret_matches(report, submitted.secret)
    # and one confirmation per contact carries the tracking id and the secret
    rows = list(OutboxMessage.objects.order_by("channel").values_list("channel", "recipient", "kind", "report", "user"))
    assert rows == [
        (Channel.EMAIL, "made@contoh.id", "report.submitted", report.pk, None),
        (Channel.SMS, "+6281234567890", "report.submitted", report.pk, None),
    ]
    for message in OutboxMessage.objects.all():
        assert report.tracking_id in message.body and submitted.secret in message.body
        assert report.tracking_id in message.subject


def test_without_an_account_or_contact_no_message_is_written(world, media):
    submitted = file(world)
    assert submitted.secret
    assert Report.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_with_an_account_the_confirmation_goes_to_its_email_and_phone_without_a_secret(world, media):
    # when a signed-in citizen files, giving other contact details in the form
    submitted = file(world, reporter=world.reporter, contact_email="lain@contoh.id", contact_phone="+6289999999999")

    # then no secret is made, and the account's own e-mail and phone are told the tracking id
    report = submitted.report
    assert submitted.secret is None and report.reporter == world.reporter
    rows = list(OutboxMessage.objects.order_by("channel").values_list("channel", "recipient", "user", "report"))
    assert rows == [
        (Channel.EMAIL, world.reporter.email, world.reporter.pk, report.pk),
        (Channel.SMS, world.reporter.phone, world.reporter.pk, report.pk),
    ]
    assert all(report.tracking_id in body for body in OutboxMessage.objects.values_list("body", flat=True))


def test_an_account_without_email_or_phone_is_told_in_the_app(world, media):
    quiet = make_user(Role.REPORTER, email="", phone="")

    submitted = file(world, reporter=quiet)

    message = OutboxMessage.objects.get()
    assert (message.channel, message.recipient, message.user, message.report) == (
        Channel.IN_APP, quiet.username, quiet, submitted.report,
    )
    assert submitted.report.tracking_id in message.body


# --- attachments ----------------------------------------------------------------------------------


def test_attachments_are_stored_and_linked_to_the_report(world, media):
    # when a citizen files with a photo and a letter
    submitted = file(world, reporter=world.reporter, attachments=[png(), pdf()])

    # then both are stored with their sniffed types, linked to the report, with one event each
    report = submitted.report
    attachments = list(report.attachments.order_by("pk"))
    assert [(a.original_name, a.content_type, a.size) for a in attachments] == [
        ("foto-jalan.png", "image/png", len(PNG_BYTES)),
        ("surat-rt.pdf", "application/pdf", len(PDF_BYTES)),
    ]
    assert all(a.uploaded_by == world.reporter and a.is_public for a in attachments)
    assert [a.file.read() for a in attachments] == [PNG_BYTES, PDF_BYTES]
    assert len(stored_files(media)) == 2
    assert list(ReportEvent.objects.filter(report=report).order_by("pk").values_list("type", flat=True)) == [
        "report.submitted", "report.attachment_added", "report.attachment_added",
    ]
    assert OutboxMessage.objects.filter(report=report).count() == 2


def test_an_accountless_reports_attachments_name_no_uploader(world, media):
    submitted = file(world, attachments=[png()], contact_email="made@contoh.id")
    assert submitted.report.attachments.get().uploaded_by is None


def test_an_anonymous_reports_attachments_name_no_uploader(world, media):
    submitted = file(world, reporter=world.reporter, is_anonymous=True, attachments=[png()])
    assert submitted.report.attachments.get().uploaded_by is None


def test_a_confidential_reports_attachments_are_not_public(world, media):
    from lapor.complaints.selectors import attachments_visible_to

    submitted = file(world, reporter=world.reporter, is_confidential=True, attachments=[png()])
    assert attachments_visible_to(None, submitted.report).count() == 0
    assert attachments_visible_to(world.reporter, submitted.report).count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"),
        SimpleUploadedFile("kosong.png", b"", content_type="image/png"),
        SimpleUploadedFile("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf"),
    ],
    ids=["script-as-jpeg", "empty", "exe-as-pdf"],
)
def test_one_bad_attachment_among_good_ones_writes_nothing(world, media, bad):
    # when a citizen files with two good files and one bad one in the middle
    with pytest.raises(InvalidInput) as refused:
        file(world, reporter=world.reporter, attachments=[png(), bad, pdf()])

    # then the refusal names the attachments, and no report, event, attachment, message or file exists
    assert refused.value.field == "attachments"
    nothing_written(media)


def test_an_attachment_over_the_size_limit_writes_nothing(world, media, settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_ATTACHMENT_BYTES": 100}
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * 200, content_type="application/pdf")

    with pytest.raises(InvalidInput) as refused:
        file(world, attachments=[png(), big], contact_email="made@contoh.id")

    assert refused.value.field == "attachments" and "scan.pdf" in str(refused.value)
    nothing_written(media)


def test_too_many_attachments_are_refused_and_nothing_is_written(world, media, settings):
    limit = settings.LAPOR["MAX_ATTACHMENTS_PER_REPORT"]

    with pytest.raises(InvalidInput) as refused:
        file(world, reporter=world.reporter, attachments=[png(f"foto-{n}.png") for n in range(limit + 1)])

    assert refused.value.field == "attachments"
    nothing_written(media)


def test_exactly_the_maximum_number_of_attachments_is_accepted(world, media, settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_ATTACHMENTS_PER_REPORT": 3}
    submitted = file(world, reporter=world.reporter, attachments=[png(), pdf(), png("foto-2.png")])
    assert submitted.report.attachments.count() == 3


def test_invalid_report_fields_with_good_attachments_write_nothing(world, media):
    with pytest.raises(InvalidInput) as refused:
        file(world, text="terlalu pendek", attachments=[png()], contact_email="made@contoh.id")
    assert refused.value.field == "text"
    nothing_written(media)


def test_a_failure_while_confirming_rolls_back_the_report_and_its_attachments(world, media, monkeypatch):
    # given an outbox that fails on write
    monkeypatch.setattr(filing, "outbox_enqueue", _explode)

    # when a citizen files with a photo
    with pytest.raises(Boom):
        file(world, reporter=world.reporter, attachments=[png()])

    # then no row of it remains
    assert not Report.objects.exists()
    assert not ReportEvent.objects.exists()
    assert not Attachment.objects.exists()


def test_a_failure_while_confirming_leaves_no_file_behind(world, media, monkeypatch):
    monkeypatch.setattr(filing, "outbox_enqueue", _explode)

    with pytest.raises(Boom):
        file(world, reporter=world.reporter, attachments=[png()])

    assert stored_files(media) == []


def _explode(*args, **kwargs):
    raise Boom("outbox table went away")
