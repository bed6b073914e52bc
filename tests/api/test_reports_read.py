"""GET /reports/{id}: the public view and the reporter's private view; nothing leaks."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lapor.accounts.actors import Actor
from lapor.complaints import services
from lapor.complaints.attachments import report_attach
from lapor.complaints.models import Status as S

from ..complaints.flow import PNG_BYTES
from .conftest import accountless_report_in, assert_error, report_in


def photo(name="foto-lokasi.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def test_the_public_view_of_a_followed_up_report(world, api):
    report = report_in(world, S.FOLLOWED_UP, category=world.category)

    response = api.get(f"/reports/{report.tracking_id}")

    assert response.status_code == 200
    out = response.json()
    assert out["view"] == "public"
    assert (out["tracking_id"], out["kind"], out["title"], out["text"]) == (
        report.tracking_id, "complaint", report.title, report.text
    )
    assert out["category"] == {"code": "jalan-rusak", "name": "Jalan rusak", "name_en": ""}
    assert [r["code"] for r in out["region"]] == ["51", "51.71", "51.71.01", "51.71.01.1001"]
    assert out["region"][1] == {"code": "51.71", "name": "Kota Denpasar", "level": 2}
    assert out["agency"] == {"code": "kota-denpasar", "name": "Pemerintah Kota Denpasar"}
    assert (out["status"], out["status_label"], out["bucket"], out["bucket_label"]) == (
        "followed_up", "Ditindaklanjuti", "proses", "Proses"
    )
    assert out["stage_due_at"] and out["is_late"] is False
    assert (out["deadline_state"], out["deadline_label"]) == ("ontime", "Dalam tenggat")  # 10 working days to reply
    assert out["completion_due_at"]
    assert out["reporter_name"] == "Made Sukerta"
    assert [e["type"] for e in out["timeline"]] == [
        "report.submitted", "report.disposed", "report.forwarded", "report.followed_up"
    ]
    assert out["timeline"][0] == {
        "type": "report.submitted", "label": "Laporan diterima", "message": "",
        "time": out["timeline"][0]["time"], "by": "reporter",
    }
    assert {e["by"] for e in out["timeline"][1:]} == {"staff"}
    assert out["answers"] == [{
        "message": "Jalan sudah ditambal oleh tim lapangan.", "time": out["timeline"][3]["time"], "attachments": []
    }]
    assert out["rating"] is None and out["reporter"] is None and out["actions"] == []


def test_the_labels_follow_accept_language(world, api):
    report = report_in(world, S.FOLLOWED_UP)
    out = api.get(f"/reports/{report.tracking_id}", lang="en").json()
    assert (out["status_label"], out["bucket_label"], out["timeline"][0]["label"]) == (
        "Followed up", "In process", "Report received"
    )


@pytest.mark.parametrize("status", [S.RECEIVED, S.ON_HOLD])
def test_unverified_reports_are_not_public(world, api, status):
    report = report_in(world, status)
    unknown = assert_error(api.get("/reports/LAP-0000-0000"), 404, "not_found")
    hidden = assert_error(api.get(f"/reports/{report.tracking_id}"), 404, "not_found")
    assert hidden["message"] == unknown["message"].replace("LAP-0000-0000", report.tracking_id)


def test_a_confidential_report_is_a_404_exactly_like_an_unknown_one(world, api):
    report = report_in(world, S.COMPLETED, is_confidential=True)
    hidden = api.get(f"/reports/{report.tracking_id}")
    unknown = api.get("/reports/LAP-ZZZZ-ZZZZ")
    assert hidden.status_code == unknown.status_code == 404
    message = unknown.json()["message"].replace("LAP-ZZZZ-ZZZZ", report.tracking_id)
    assert hidden.json() == {**unknown.json(), "message": message}


def test_the_tracking_id_may_be_typed_loosely(world, api):
    report = report_in(world, S.DISPOSED)
    loose = report.tracking_id.lower().replace("-", " ")
    assert api.get(f"/reports/{loose}").json()["tracking_id"] == report.tracking_id


def test_the_reporter_sees_the_private_view_with_the_secret(world, api):
    report, secret = accountless_report_in(
        world, S.FOLLOWED_UP, contact_name="Ketut Ayu", contact_email="ketut@contoh.id", is_confidential=True
    )

    out = api.get(f"/reports/{report.tracking_id}", secret=secret).json()

    assert out["view"] == "private" and out["is_confidential"] is True and out["is_anonymous"] is False
    assert out["reporter"] == {"name": "Ketut Ayu", "email": "ketut@contoh.id", "phone": ""}
    assert [a["action"] for a in out["actions"]] == ["reply", "rate", "attach"]
    assert out["actions"][0]["url"] == f"/api/v1/reports/{report.tracking_id}/reply"


def test_the_reporter_sees_the_private_view_with_their_token(world, api, token):
    report = report_in(world, S.RECEIVED)
    out = api.get(f"/reports/{report.tracking_id}", token=token).json()
    assert out["view"] == "private" and out["status"] == "received"
    assert out["reporter"] == {"name": "Made Sukerta", "email": world.reporter.email, "phone": "081234567890"}


def test_another_account_sees_only_the_public_view(world, api, other_token):
    public = report_in(world, S.DISPOSED)
    private = report_in(world, S.RECEIVED)
    assert api.get(f"/reports/{public.tracking_id}", token=other_token).json()["view"] == "public"
    assert_error(api.get(f"/reports/{private.tracking_id}", token=other_token), 404, "not_found")


def test_staff_tokens_get_the_public_view_only(world, api):
    from lapor.accounts.services import token_issue

    report = report_in(world, S.DISPOSED, is_anonymous=True)
    out = api.get(f"/reports/{report.tracking_id}", token=token_issue(user=world.verifier)).json()
    assert out["view"] == "public" and out["reporter"] is None and out["reporter_name"] == "Anonim"


@pytest.mark.parametrize("status", [S.RECEIVED, S.COMPLETED])
def test_a_wrong_secret_gets_a_404_and_nothing_private(world, api, status):
    report, secret = accountless_report_in(world, status, contact_name="Ketut Ayu", contact_email="ketut@contoh.id")

    response = api.get(f"/reports/{report.tracking_id}", secret=secret + "x")

    assert_error(response, 404, "not_found", field="X-Report-Secret")
    assert "Ketut" not in response.content.decode() and "ketut@" not in response.content.decode()


def test_a_secret_of_another_report_opens_nothing(world, api):
    mine, _secret = accountless_report_in(world, S.DISPOSED)
    _other, other_secret = accountless_report_in(world, S.DISPOSED)
    assert_error(api.get(f"/reports/{mine.tracking_id}", secret=other_secret), 404, "not_found", "X-Report-Secret")


def test_an_anonymous_reporter_is_named_nowhere_in_the_public_view(world, api):
    report = report_in(world, S.FOLLOWED_UP, is_anonymous=True, contact_name="Made Sukerta")
    report_attach(actor=world.reporter, report=report.pk, upload=photo("KTP Made Sukerta.png"))
    services.report_reply(actor=world.reporter, report=report.pk, message="Masih berlubang, mohon dicek lagi.")

    raw = api.get(f"/reports/{report.tracking_id}").content.decode()
    out = json.loads(raw)

    assert out["reporter_name"] == "Anonim"
    for leak in ("Made", "Sukerta", world.reporter.email, world.reporter.username, "081234567890"):
        assert leak not in raw
    listed = api.get("/reports").content.decode()
    assert report.tracking_id in listed and "Sukerta" not in listed


def test_the_anonymous_reporter_still_sees_their_own_contact(world, api, token):
    report = report_in(world, S.DISPOSED, is_anonymous=True)
    out = api.get(f"/reports/{report.tracking_id}", token=token).json()
    assert out["reporter_name"] == "Anonim"
    assert out["reporter"]["name"] == "Made Sukerta" and out["is_anonymous"] is True


def test_internal_events_stay_internal_and_actors_are_never_named(world, api):
    report = report_in(world, S.DISPOSED)
    services.report_edit(actor=world.verifier, report=report.pk, title="Judul disunting", note="catatan internal")

    raw = api.get(f"/reports/{report.tracking_id}").content.decode()

    assert "report.edited" not in raw and "catatan internal" not in raw
    for staff in (world.verifier, world.admin_a):
        assert staff.username not in raw and staff.first_name not in raw


def test_answers_carry_their_files_and_the_public_view_hides_file_names(world, api):
    report = report_in(world, S.FORWARDED)
    services.report_follow_up(actor=world.officer_a1, report=report.pk, answer="Sudah diperbaiki, lihat foto.")
    staff_file = report_attach(actor=world.officer_a1, report=report.pk, upload=photo("hasil perbaikan Pak Budi.png"))
    own_file = report_attach(actor=world.reporter, report=report.pk, upload=photo("KTP Made.png"))

    out = api.get(f"/reports/{report.tracking_id}").json()

    assert [a["id"] for a in out["answers"][0]["attachments"]] == [staff_file.pk]
    assert [(a["id"], a["name"], a["uploaded_by"]) for a in out["attachments"]] == [
        (staff_file.pk, "lampiran-1.png", "staff"), (own_file.pk, "lampiran-2.png", "reporter"),
    ]
    assert "Budi" not in json.dumps(out) and "KTP" not in json.dumps(out)
    download = api.client.get(out["attachments"][0]["url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG_BYTES
    assert 'filename="lampiran-1.png"' in download["Content-Disposition"]


def test_the_reporter_sees_original_names_and_their_confidential_files(world, api, token):
    report = report_in(world, S.DISPOSED, is_confidential=True)
    own = report_attach(actor=world.reporter, report=report.pk, upload=photo("KTP Made.png"))

    out = api.get(f"/reports/{report.tracking_id}", token=token).json()
    assert [(a["id"], a["name"]) for a in out["attachments"]] == [(own.pk, "KTP Made.png")]
    assert api.client.get(out["attachments"][0]["url"], headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # Nobody else can fetch it, not even by guessing the address.
    assert_error(api.client.get(out["attachments"][0]["url"]), 404, "not_found")


def test_a_file_of_another_report_is_not_served_under_this_one(world, api):
    report = report_in(world, S.DISPOSED)
    other = report_in(world, S.DISPOSED)
    theirs = report_attach(actor=world.reporter, report=other.pk, upload=photo())
    assert_error(api.get(f"/reports/{report.tracking_id}/attachments/{theirs.pk}"), 404, "not_found")


def test_rating_is_shown_with_its_comment(world, api):
    report = report_in(world, S.COMPLETED)
    services.report_rate(actor=world.reporter, report=report.pk, rating=5, comment="Cepat, terima kasih.")
    out = api.get(f"/reports/{report.tracking_id}").json()
    assert out["rating"]["value"] == 5 and out["rating"]["comment"] == "Cepat, terima kasih."


def test_the_private_view_offers_the_appeal_after_a_poor_rating(world, api):
    report, secret = accountless_report_in(world, S.FOLLOWED_UP)
    services.report_rate(actor=Actor.reporter_with_secret(report.pk), report=report.pk, rating=1)
    out = api.get(f"/reports/{report.tracking_id}", secret=secret).json()
    assert [a["action"] for a in out["actions"]] == ["reply", "appeal", "attach"]


def test_the_detail_view_uses_a_handful_of_queries(world, api, django_assert_max_num_queries):
    report = report_in(world, S.FOLLOWED_UP)
    for _n in range(5):
        report_attach(actor=world.officer_a1, report=report.pk, upload=photo())
    with django_assert_max_num_queries(8):
        assert api.get(f"/reports/{report.tracking_id}").status_code == 200
