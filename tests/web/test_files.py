"""Attachment downloads: served through storage, only to viewers who may see the file."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from lapor.complaints import services
from lapor.complaints.attachments import report_attach
from lapor.complaints.models import Status as S

from ..complaints.flow import PNG_BYTES, walk
from .conftest import TEXT, png, public_report


def url(attachment) -> str:
    return reverse("web:attachment", args=[attachment.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_public_file_of_a_public_report_is_served_safely(world, client: Client, media):
    report = public_report(world)
    attachment = report_attach(actor=world.reporter, report=report.pk, upload=png("Foto KTP Made.png"))

    response = client.get(url(attachment))

    assert response.status_code == 200
    assert body(response) == PNG_BYTES
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'inline; filename="lampiran-{attachment.pk}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdf_is_downloaded_not_shown(world, client: Client, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = public_report(world)
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = report_attach(actor=world.reporter, report=report.pk, upload=pdf)
    response = client.get(url(attachment))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_files_of_a_confidential_report_reach_only_its_reporter_and_staff_in_scope(world, client: Client, media):
    submitted = services.report_submit(reporter=None, text=TEXT, is_confidential=True, region=world.bali_village)
    report = walk(world, submitted.report, ["dispose"])
    from lapor.accounts.actors import Actor

    attachment = report_attach(actor=Actor.reporter_with_secret(report.pk), report=report.pk, upload=png())
    target = url(attachment)

    assert client.get(target).status_code == 404
    for outsider in (world.other_reporter, world.admin_b, world.officer_b1):
        client.force_login(outsider)
        assert client.get(target).status_code == 404, outsider
    client.logout()
    client.post(reverse("web:track"), {"tracking_id": report.tracking_id, "secret": submitted.secret})
    assert client.get(target).status_code == 200
    for insider in (world.admin_a, world.verifier, world.observer):
        staff = Client()
        staff.force_login(insider)
        assert staff.get(target).status_code == 200, insider


def test_internal_staff_files_stay_with_the_staff(world, client: Client, media):
    report = public_report(world)
    services.report_forward(actor=world.admin_a, report=report.pk, units=[world.unit_a1])
    internal = report_attach(actor=world.officer_a1, report=report.pk, upload=png(), is_public=False)

    assert client.get(url(internal)).status_code == 404
    client.force_login(world.reporter)
    assert client.get(url(internal)).status_code == 404
    client.force_login(world.officer_a1)
    assert client.get(url(internal)).status_code == 200
    client.force_login(world.officer_a2)  # same agency, not assigned
    assert client.get(url(internal)).status_code == 404


def test_a_waiting_report_file_is_not_public_yet(world, client: Client, media):
    report = services.report_submit(reporter=world.reporter, text=TEXT).report
    attachment = report_attach(actor=world.reporter, report=report.pk, upload=png())
    assert client.get(url(attachment)).status_code == 404
    client.force_login(world.reporter)
    assert client.get(url(attachment)).status_code == 200
    assert report.status == S.RECEIVED


def test_uploads_are_never_served_as_media(world, client: Client, media):
    report = public_report(world)
    attachment = report_attach(actor=world.reporter, report=report.pk, upload=png())
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    assert client.get(reverse("web:attachment", args=[999_999])).status_code == 404
