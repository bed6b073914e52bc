"""The reporter's actions over the API: reply, resume, rate, appeal, attach; nobody else's."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lapor.complaints.models import Attachment, Report, ReportEvent
from lapor.complaints.models import Status as S

from ..complaints.flow import PNG_BYTES
from .conftest import accountless_report_in, assert_error, report_in

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPLY = {"message": "Belum tuntas, lubangnya masih ada di sisi kiri."}


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_accountless_reporter_replies_with_the_secret(world, api):
    report, secret = accountless_report_in(world, S.FOLLOWED_UP)

    response = api.post(f"/reports/{report.tracking_id}/reply", REPLY, secret=secret)

    assert response.status_code == 200
    out = response.json()
    assert out["status"] == "reporter_replied" and out["view"] == "private"
    assert out["timeline"][-1]["message"] == REPLY["message"] and out["timeline"][-1]["by"] == "reporter"
    assert ReportEvent.objects.filter(report=report, type="report.reporter_replied", actor=None).exists()


def test_the_account_holder_rates_and_appeals_with_the_token(world, api, token):
    report = report_in(world, S.FOLLOWED_UP)

    rated = api.post(f"/reports/{report.tracking_id}/rate", {"rating": 2, "comment": "Kurang tuntas."}, token=token)
    assert rated.status_code == 200 and rated.json()["rating"]["value"] == 2
    appealed = api.post(f"/reports/{report.tracking_id}/appeal",
                        {"reason": "Perbaikan hanya sebagian, mohon ditinjau ulang."}, token=token)

    assert appealed.status_code == 200 and appealed.json()["status"] == "appealed"
    assert Report.objects.get(pk=report.pk).appealed_at is not None


def test_a_held_report_is_resumed_by_its_reporter(world, api, token):
    report = report_in(world, S.ON_HOLD)
    response = api.post(f"/reports/{report.tracking_id}/resume", {"message": "Lokasi: depan Pasar Sesetan."},
                        token=token)
    assert response.status_code == 200 and response.json()["status"] == "forwarded"


@pytest.mark.parametrize("action, payload", [
    ("reply", REPLY), ("rate", {"rating": 4}), ("appeal", {"reason": "Tidak ada perbaikan sama sekali."}),
    ("resume", REPLY),
])
def test_without_proof_an_action_is_a_401(world, api, action, payload):
    report, _secret = accountless_report_in(world, S.FOLLOWED_UP)
    assert_error(api.post(f"/reports/{report.tracking_id}/{action}", payload), 401, "not_authenticated")


@pytest.mark.parametrize("action, payload", [("reply", REPLY), ("rate", {"rating": 4})])
def test_a_wrong_secret_can_neither_act_nor_see(world, api, action, payload):
    report, secret = accountless_report_in(world, S.FOLLOWED_UP, contact_email="ketut@contoh.id")
    before = ReportEvent.objects.count()

    response = api.post(f"/reports/{report.tracking_id}/{action}", payload, secret=secret[::-1])

    assert_error(response, 404, "not_found", field="X-Report-Secret")
    assert "ketut" not in response.content.decode()
    assert ReportEvent.objects.count() == before and Report.objects.get(pk=report.pk).status == S.FOLLOWED_UP


def test_another_account_cannot_act_on_my_report(world, api, other_token):
    report = report_in(world, S.FOLLOWED_UP)
    assert_error(api.post(f"/reports/{report.tracking_id}/reply", REPLY, token=other_token), 404, "not_found")
    assert Report.objects.get(pk=report.pk).status == S.FOLLOWED_UP


def test_staff_cannot_act_as_the_reporter(world, api):
    from lapor.accounts.services import token_issue

    report = report_in(world, S.FOLLOWED_UP)
    staff = token_issue(user=world.admin_a)
    assert_error(api.post(f"/reports/{report.tracking_id}/rate", {"rating": 5}, token=staff), 404, "not_found")


def test_a_logged_in_browser_session_cannot_act_through_the_api(world, api):
    """The API ignores session cookies, so a forged cross-site request has no one to act for."""
    report = report_in(world, S.FOLLOWED_UP)
    api.client.force_login(world.reporter)
    assert_error(api.post(f"/reports/{report.tracking_id}/reply", REPLY), 401, "not_authenticated")
    assert Report.objects.get(pk=report.pk).status == S.FOLLOWED_UP


def test_refusals_of_the_services_keep_their_status_and_code(world, api, token):
    received = report_in(world, S.RECEIVED)
    assert_error(api.post(f"/reports/{received.tracking_id}/reply", REPLY, token=token), 409, "invalid_state")
    answered = report_in(world, S.FOLLOWED_UP)
    assert_error(api.post(f"/reports/{answered.tracking_id}/rate", {"rating": 9}, token=token), 400, "invalid",
                 field="rating")
    assert_error(api.post(f"/reports/{answered.tracking_id}/rate", {"rating": "lima"}, token=token), 422, "invalid",
                 field="rating")
    api.post(f"/reports/{answered.tracking_id}/rate", {"rating": 5}, token=token)
    assert_error(api.post(f"/reports/{answered.tracking_id}/rate", {"rating": 4}, token=token), 409, "already_rated")
    assert_error(api.post(f"/reports/{answered.tracking_id}/appeal", {"reason": "Saya tetap tidak puas dengan ini."},
                          token=token), 409, "conflict")
    assert_error(api.post(f"/reports/{answered.tracking_id}/reply", {"message": ""}, token=token), 400, "invalid",
                 field="message")
    assert_error(api.post(f"/reports/{answered.tracking_id}/reply", {}, token=token), 422, "required", "message")


def test_refusals_are_in_english_on_request(world, api, token):
    received = report_in(world, S.RECEIVED)
    body = assert_error(api.post(f"/reports/{received.tracking_id}/reply", REPLY, token=token, lang="en"), 409,
                        "invalid_state")
    assert "cannot" in body["message"] or "not" in body["message"]


# --- attachments ------------------------------------------------------------------------------


def test_the_reporter_attaches_a_photo_with_the_secret(world, api, media_root):
    report, secret = accountless_report_in(world, S.RECEIVED)

    response = api.upload(f"/reports/{report.tracking_id}/attachments",
                          SimpleUploadedFile("foto jalan.png", PNG_BYTES, content_type="image/png"), secret=secret)

    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["name"], out["content_type"], out["size"], out["uploaded_by"]) == (
        "foto jalan.png", "image/png", len(PNG_BYTES), "reporter"
    )
    assert len(stored_files(media_root)) == 1
    download = api.client.get(out["url"], headers={"X-Report-Secret": secret})
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG_BYTES


def test_the_account_holder_attaches_a_pdf_with_the_token(world, api, token):
    report = report_in(world, S.DISPOSED)
    response = api.upload(f"/reports/{report.tracking_id}/attachments",
                          SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf"), token=token)
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"


@pytest.mark.parametrize("name, data, declared", [
    ("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
    ("dokumen.pdf", b"MZ\x90\x00\x03\x00\x00\x00 program", "application/pdf"),
    ("foto.png", b"GIF87 hampir", "image/png"),
])
def test_content_that_does_not_match_its_name_is_refused_and_nothing_is_stored(
    world, api, token, media_root, name, data, declared
):
    report = report_in(world, S.RECEIVED)

    response = api.upload(f"/reports/{report.tracking_id}/attachments",
                          SimpleUploadedFile(name, data, content_type=declared), token=token)

    body = assert_error(response, 400, "unsupported_file_type", field="file")
    assert name in body["message"] and "PDF" in body["message"]
    assert not Attachment.objects.exists() and stored_files(media_root) == []
    assert not ReportEvent.objects.filter(type="report.attachment_added").exists()


def test_a_file_over_the_limit_is_a_413_with_the_limit_and_nothing_is_stored(world, api, token, media_root, settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_ATTACHMENT_BYTES": 1024 * 1024}
    report = report_in(world, S.RECEIVED)
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (1024 * 1024), content_type="application/pdf")

    body = assert_error(api.upload(f"/reports/{report.tracking_id}/attachments", big, token=token, lang="en"),
                        413, "file_too_large", field="file")

    assert "scan.pdf" in body["message"] and "1 MB" in body["message"]
    assert not Attachment.objects.exists() and stored_files(media_root) == []


def test_an_empty_or_missing_file_is_refused(world, api, token):
    report = report_in(world, S.RECEIVED)
    path = f"/reports/{report.tracking_id}/attachments"
    assert_error(api.upload(path, SimpleUploadedFile("kosong.png", b""), token=token), 400, "empty_file", "file")
    assert_error(api.client.post("/api/v1" + path, {}, headers={"Authorization": f"Bearer {token}"}), 422,
                 "required", "file")


def test_only_the_reporter_may_attach(world, api, other_token, media_root):
    report, secret = accountless_report_in(world, S.RECEIVED)
    photo = SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")
    path = f"/reports/{report.tracking_id}/attachments"
    assert_error(api.upload(path, photo), 401, "not_authenticated")
    photo.seek(0)
    assert_error(api.upload(path, photo, secret="salah"), 404, "not_found", "X-Report-Secret")
    photo.seek(0)
    assert_error(api.upload(path, photo, token=other_token), 404, "not_found")
    assert not Attachment.objects.exists() and stored_files(media_root) == []


def test_a_closed_report_takes_no_more_files(world, api, token):
    report = report_in(world, S.COMPLETED)
    photo = SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")
    assert_error(api.upload(f"/reports/{report.tracking_id}/attachments", photo, token=token), 409, "invalid_state")


def test_the_api_needs_no_csrf_token_because_it_takes_no_cookies(world):
    """A phone has no CSRF cookie; the API's POSTs work without one (and session cookies do nothing)."""
    from django.test import Client

    from ..factories import DEFAULT_TEXT

    strict = Client(enforce_csrf_checks=True)
    filed = strict.post("/api/v1/reports", {"text": DEFAULT_TEXT, "region": world.bali_village.code},
                        content_type="application/json")
    assert filed.status_code == 201
    strict.force_login(world.reporter)
    reply = strict.post(f"/api/v1/reports/{filed.json()['tracking_id']}/reply", REPLY, content_type="application/json")
    assert_error(reply, 401, "not_authenticated")
