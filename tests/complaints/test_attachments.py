"""Attachments: type decided by content, size and count limits, anonymity kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from lapor.complaints import services
from lapor.complaints.attachments import report_attach, sniff_content_type
from lapor.complaints.models import Attachment, ReportEvent
from lapor.core.errors import InvalidInput, PermissionDenied

from ..factories import make_report
from .flow import PNG_BYTES, assert_refused

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name="foto.png", data=PNG_BYTES, content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (PNG_BYTES[:16], "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF_BYTES[:16], "application/pdf"),
        (b"<html><script>", None),
        (b"MZ\x90\x00", None),
    ],
)
def test_type_is_decided_by_the_first_bytes(head, expected):
    assert sniff_content_type(head) == expected


def test_reporter_attaches_a_photo_stored_under_a_random_name(world):
    report = make_report(reporter=world.reporter)

    attachment = report_attach(actor=world.reporter, report=report, upload=upload("KTP Made Sukerta.png"))

    assert attachment.content_type == "image/png" and attachment.size == len(PNG_BYTES)
    assert attachment.original_name == "KTP Made Sukerta.png"
    assert "Sukerta" not in attachment.file.name
    assert attachment.file.read() == PNG_BYTES
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert event.type == "report.attachment_added" and event.changes["attachment"][1]["id"] == attachment.pk


def test_a_script_renamed_to_jpg_is_refused_and_nothing_is_stored(world):
    report = make_report(reporter=world.reporter)
    fake = upload("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")

    assert_refused(InvalidInput, report, lambda: report_attach(actor=world.reporter, report=report, upload=fake))
    assert not Attachment.objects.exists()


@override_settings(LAPOR={**__import__("django.conf").conf.settings.LAPOR, "MAX_ATTACHMENT_BYTES": 100})
def test_a_file_over_the_size_limit_is_refused(world):
    report = make_report(reporter=world.reporter)
    big = upload("scan.pdf", PDF_BYTES + b"0" * 200, "application/pdf")
    assert_refused(InvalidInput, report, lambda: report_attach(actor=world.reporter, report=report, upload=big))


def test_staff_out_of_scope_cannot_attach(world):
    report = make_report(reporter=world.reporter)
    report = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a)
    assert_refused(PermissionDenied, report, lambda: report_attach(actor=world.admin_b, report=report, upload=upload()))


def test_anonymous_reporters_upload_names_nobody(world):
    report = make_report(reporter=world.reporter, is_anonymous=True)

    attachment = report_attach(actor=world.reporter, report=report, upload=upload())

    assert attachment.uploaded_by is None
    assert ReportEvent.objects.filter(report=report).latest("pk").actor is None


def test_confidential_files_reach_the_reporter_but_never_the_public(world):
    from lapor.complaints.selectors import attachments_visible_to

    report = make_report(reporter=world.reporter, is_confidential=True)
    report = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a)
    answer = report_attach(actor=world.admin_a, report=report, upload=upload("surat-jawaban.pdf", PDF_BYTES))

    assert list(attachments_visible_to(world.reporter, report)) == [answer]
    assert list(attachments_visible_to(None, report)) == []
    assert list(attachments_visible_to(world.admin_b, report)) == []
