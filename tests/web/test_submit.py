"""Filing a report through the web form: success, refusals, refreshes and similar reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lapor.complaints.models import Attachment, Channel, Report, Status
from lapor.notifications.models import Channel as MessageChannel

from .conftest import TEXT, html, outbox, png, public_report, stored_files, tag

SUBMIT = reverse("web:submit")


def form(world, **overrides) -> dict:
    data = {
        "kind": "complaint",
        "title": "",
        "text": TEXT,
        "category": "",
        "province": "",
        "regency": "",
        "district": "",
        "village": "",
        "confirmed": "1",
    }
    data.update(overrides)
    return data


def test_the_form_is_labelled_and_small(world, client: Client):
    response = client.get(SUBMIT)
    page = html(response)
    assert response.status_code == 200
    assert len(response.content) < 100_000
    for field in ("kind_0", "title", "text", "category", "province", "regency", "district", "village", "latitude",
                  "longitude", "incident_date", "attachments", "agency_q", "agency", "is_anonymous",
                  "is_confidential", "contact_phone", "contact_email", "contact_name"):
        assert f'for="id_{field}"' in page, field
        assert f'id="id_{field}"' in page, field
    assert "<legend>Jenis laporan" in page
    assert "Tidak tahu" in page and "Saya tidak tahu" in page
    assert "Perbarui pilihan wilayah" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'aria-describedby="id_is_anonymous_helptext"' in page


def test_filing_without_an_account_shows_the_tracking_id_and_secret_once(world, client: Client, media):
    data = form(
        world, title="Jalan berlubang di Sesetan", province="51", regency="51.71", district="51.71.01",
        village="51.71.01.1001", contact_phone="0812 3456 7891", contact_email="warga@contoh.id",
        contact_name="Ketut", attachments=[png()],
    )
    response = client.post(SUBMIT, data)

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.secret_hash not in response["Location"]
    assert report.channel == Channel.WEB and report.reporter is None
    assert report.region_id == "51.71.01.1001" and report.title == "Jalan berlubang di Sesetan"
    assert report.contact_phone == "+6281234567891"
    assert Attachment.objects.filter(report=report).count() == 1 and len(stored_files(media)) == 1
    sent = outbox("report.submitted")
    assert {m.channel for m in sent} == {MessageChannel.EMAIL, MessageChannel.SMS}

    confirmation = client.get(response["Location"])
    page = html(confirmation)
    assert report.tracking_id in page
    secret = confirmation.context["secret"]
    assert secret and secret in page and all(secret in m.body for m in sent)
    assert "juga dikirim ke" in page
    assert "no-store" in confirmation["Cache-Control"] or "max-age=0" in confirmation["Cache-Control"]
    # Shown once: a reload no longer has it.
    again = client.get(reverse("web:submitted"), follow=True)
    assert secret not in html(again)
    # The filing session may open the private page right away.
    assert client.get(reverse("web:report_private", args=[report.tracking_id])).status_code == 200


def test_a_title_is_derived_when_left_empty(world, client: Client):
    client.post(SUBMIT, form(world))
    assert Report.objects.get().title.startswith("Jalan di depan pasar berlubang")


def test_an_account_files_as_itself_without_a_secret(world, client: Client):
    client.force_login(world.reporter)
    page = html(client.get(SUBMIT))
    assert "id_contact_phone" not in page

    response = client.post(SUBMIT, form(world), follow=True)

    report = Report.objects.get()
    assert report.reporter == world.reporter and report.secret_hash == ""
    assert report.tracking_id in html(response)
    assert response.context["secret"] is None and "Kode rahasia" not in html(response)
    assert outbox("report.submitted")


def test_staff_accounts_cannot_file(world, client: Client):
    client.force_login(world.admin_a)
    response = client.get(SUBMIT)
    assert response.status_code == 403 and "Akun petugas" in html(response)


def test_refreshing_the_region_keeps_the_input_and_creates_nothing(world, client: Client):
    data = form(world, title="Judul saya", text="Teks yang belum selesai", province="51", is_anonymous="on",
                contact_email="bukan-surel", refresh="region")
    response = client.post(SUBMIT, data)

    page = html(response)
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "Judul saya" in page and "Teks yang belum selesai" in page
    assert '<option value="51.71">Kota Denpasar</option>' in page
    assert "checked" in tag(page, "id_is_anonymous")
    assert "error-summary" not in page and "aria-invalid" not in page
    assert "Pilihan wilayah diperbarui" in page

    # The next level, then a changed province drops the regency of the old one.
    page = html(client.post(SUBMIT, {**data, "regency": "51.71"}))
    assert '<option value="51.71.01">Denpasar Selatan</option>' in page
    page = html(client.post(SUBMIT, {**data, "province": "52", "regency": "51.71"}))
    assert '<option value="52.71">Kota Mataram</option>' in page
    assert '<option value="51.71.01">' not in page
    assert Report.objects.count() == 0


def test_refreshing_drops_files_with_a_notice(world, client: Client, media):
    response = client.post(SUBMIT, {**form(world, refresh="agency", agency_q="Mataram"), "attachments": [png()]})
    page = html(response)
    assert "Pilih kembali berkas Anda" in page
    assert "Pemerintah Kota Mataram" in page
    assert stored_files(media) == [] and Report.objects.count() == 0


def test_similar_reports_are_shown_before_filing(world, client: Client, media):
    existing = public_report(world, title="Jalan berlubang depan pasar Sesetan")
    data = form(world, category=world.category.code, province="51", regency="51.71", confirmed="",
                attachments=[png()])

    response = client.post(SUBMIT, data)

    page = html(response)
    assert response.status_code == 200
    assert existing.title in page and "Tetap kirim laporan" in page
    assert Report.objects.count() == 1 and stored_files(media) == []
    assert 'value="1"' in tag(page, "id_confirmed")
    assert "Pilih kembali berkas Anda" in page

    response = client.post(SUBMIT, {**data, "confirmed": "1", "attachments": [png()]})
    assert response.status_code == 302 and Report.objects.count() == 2


def test_the_similar_fragment_for_scripts(world, client: Client):
    existing = public_report(world, title="Jalan berlubang depan pasar Sesetan")
    response = client.get(reverse("web:similar"), {"text": TEXT, "category": world.category.code, "province": "51"})
    assert response.status_code == 200 and existing.title in html(response)
    assert html(client.get(reverse("web:similar"), {"text": "pendek"})).strip() == ""


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 this is a program, not a photo", content_type="image/jpeg"),
         "tidak didukung"),
        (SimpleUploadedFile("surat.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"),
         "tidak didukung"),
    ],
)
def test_an_upload_whose_content_does_not_match_is_refused_and_nothing_stored(world, client, media, upload, message):
    response = client.post(SUBMIT, form(world, attachments=[png(), upload]))

    page = html(response)
    assert response.status_code == 400
    assert message in page and upload.name in page
    assert 'href="#id_attachments"' in page
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    assert stored_files(media) == [] and outbox() == []


def test_a_file_too_large_is_refused_and_nothing_stored(world, client: Client, media, settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_ATTACHMENT_BYTES": 50}
    response = client.post(SUBMIT, form(world, attachments=[png("besar.png")]))

    page = html(response)
    assert response.status_code == 400
    assert "besar.png terlalu besar" in page
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0 and stored_files(media) == []


def test_invalid_input_gets_an_error_summary_linked_to_the_fields(world, client: Client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        SUBMIT, form(world, text="pendek", incident_date=tomorrow, contact_phone="123", latitude="-8.6")
    )

    page = html(response)
    assert response.status_code == 400
    assert 'role="alert"' in page
    for field in ("text", "incident_date", "contact_phone", "longitude"):
        assert f'href="#id_{field}"' in page, field
        assert f'id="id_{field}_error"' in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_text_helptext id_text_error"' in page
    assert "Terlalu pendek" in page and "masa depan" in page
    assert Report.objects.count() == 0


def test_an_unknown_kind_points_at_the_radio_group(world, client: Client):
    page = html(client.post(SUBMIT, form(world, kind="gosip")))
    assert 'href="#id_kind_0"' in page
    assert "<fieldset" in page and 'aria-describedby="id_kind_error"' in page


def test_submissions_are_rate_limited_with_a_clear_message(world, client: Client, settings):
    settings.LAPOR = {**settings.LAPOR, "SUBMISSIONS_PER_HOUR": 2}
    assert client.post(SUBMIT, form(world)).status_code == 302
    assert client.post(SUBMIT, form(world)).status_code == 302

    response = client.post(SUBMIT, form(world))

    assert response.status_code == 429
    assert "terlalu banyak laporan" in html(response) and TEXT in html(response)
    assert Report.objects.count() == 2
    # Another client is not affected.
    assert Client(REMOTE_ADDR="10.0.0.9").post(SUBMIT, form(world)).status_code == 302


def test_the_map_point_and_agency_are_kept(world, client: Client):
    response = client.post(
        SUBMIT, form(world, latitude="-8,670512", longitude="115.2126", agency=world.agency_b.code, is_confidential="on",
                     incident_date="2024-05-01")
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert str(report.latitude) == "-8.670512" and report.suggested_agency == world.agency_b
    assert report.is_confidential and report.incident_date.isoformat() == "2024-05-01"
    assert report.status == Status.RECEIVED


def test_the_submit_page_switches_to_english(world, client: Client):
    response = client.post(reverse("set_language"), {"language": "en", "next": SUBMIT}, follow=True)
    page = html(response)
    assert '<html lang="en">' in page
    assert "Report text" in page and "Update region options" in page and "I don&#x27;t know" in page
    assert "Isi laporan" not in page

    response = client.post(SUBMIT, form(world, text="short"))
    assert "Too short: write at least 20 characters." in html(response)


def test_forms_need_the_csrf_token(world):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(SUBMIT, form(world)).status_code == 403
    assert Report.objects.count() == 0
