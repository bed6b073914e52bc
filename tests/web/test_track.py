"""Tracking by id, proving a report with its secret, and the reporter's actions on the private page."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lapor.complaints import services
from lapor.complaints.models import Attachment, Report
from lapor.complaints.models import Status as S

from ..complaints.flow import PATHS, snapshot, walk, walk_to
from .conftest import TEXT, html, png, public_report, stored_files

TRACK = reverse("web:track")


def accountless(world, status: str = S.RECEIVED, **kwargs) -> tuple[Report, str]:
    """A report filed without an account, moved to `status`, and its secret."""
    kwargs.setdefault("region", world.bali_village)
    submitted = services.report_submit(reporter=None, text=TEXT, contact_name="Wayan Rahasia", **kwargs)
    return walk(world, submitted.report, PATHS[status]), submitted.secret


def private_url(report: Report) -> str:
    return reverse("web:report_private", args=[report.tracking_id])


def prove(client: Client, report: Report, secret: str):
    return client.post(TRACK, {"tracking_id": report.tracking_id, "secret": secret})


def test_the_track_form_is_labelled(world, client: Client):
    response = client.get(TRACK, {"nomor": "LAP-AAAA-BBBB"})
    page = html(response)
    assert response.status_code == 200 and len(response.content) < 100_000
    assert 'for="id_tracking_id"' in page and 'for="id_secret"' in page and 'id="track-submit"' in page
    assert 'value="LAP-AAAA-BBBB"' in page


def test_a_public_report_is_tracked_to_its_permalink(world, client: Client):
    report = public_report(world)
    response = client.post(TRACK, {"tracking_id": report.tracking_id.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:report_public", args=[report.tracking_id])


def test_a_report_that_is_not_public_says_so_without_telling_why(world, client: Client):
    received, _secret = accountless(world)
    confidential = public_report(world, is_confidential=True, title="Pungli di loket")
    answers = []
    for tracking_id in (received.tracking_id, confidential.tracking_id, "LAP-0000-0000"):
        response = client.post(TRACK, {"tracking_id": tracking_id})
        assert response.status_code == 200
        main = html(response).split('<main id="main"')[1].split("</main>")[0]
        answers.append(re.sub(r'value="[^"]*"', "", main.replace(tracking_id, "<id>")))
        assert "tidak dapat dilihat publik" in answers[-1]
    assert "Pungli di loket" not in "".join(answers)
    assert answers[0] == answers[1] == answers[2]


def test_the_secret_opens_the_private_page(world, client: Client):
    report, secret = accountless(world, S.FOLLOWED_UP)

    response = prove(client, report, secret)

    assert response.status_code == 302 and response["Location"] == private_url(report)
    assert secret not in response["Location"]
    page = html(client.get(private_url(report)))
    assert report.tracking_id in page and TEXT in page
    assert "Proses" in page and "Ditindaklanjuti" in page
    assert "Tenggat tahap ini" in page and "Dalam tenggat" in page
    assert "Jalan sudah ditambal oleh tim lapangan." in page  # the answer
    assert 'id="id_reply-message"' in page and 'id="id_rate-rating_0"' in page
    assert "Laporan diterima" in page  # the timeline


def test_a_wrong_secret_shows_an_error_and_no_private_data(world, client: Client):
    report, secret = accountless(world, S.FOLLOWED_UP)

    response = prove(client, report, secret + "x")

    page = html(response)
    assert response.status_code == 400
    assert "kode rahasia salah" in page and 'href="#id_secret"' in page
    assert TEXT not in page and "Jalan sudah ditambal" not in page
    private = client.get(private_url(report))
    assert private.status_code == 302 and private["Location"].startswith(TRACK)
    # Someone else's secret does not open this report either.
    _other, other_secret = accountless(world)
    assert prove(client, report, other_secret).status_code == 400


def test_the_private_page_is_closed_to_everyone_else(world, client: Client):
    report = walk_to(world, S.FOLLOWED_UP)  # filed by world.reporter's account
    url = private_url(report)
    assert client.get(url).status_code == 302
    client.force_login(world.other_reporter)
    assert client.get(url).status_code == 302
    client.force_login(world.admin_a)
    assert client.get(url).status_code == 302
    client.force_login(world.reporter)
    assert client.get(url).status_code == 200
    # The account holder is sent to the private page by tracking id alone.
    assert client.post(TRACK, {"tracking_id": report.tracking_id})["Location"] == url


def test_reply_reopens_the_report(world, client: Client):
    report, secret = accountless(world, S.FOLLOWED_UP)
    prove(client, report, secret)

    response = client.post(private_url(report), {"action": "reply", "reply-message": "Masih ada lubang di sisi timur."})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.REPORTER_REPLIED
    page = html(client.get(private_url(report)))
    assert "Tanggapan Anda terkirim" in page and "Masih ada lubang di sisi timur." in page


def test_a_refused_reply_is_shown_and_changes_nothing(world, client: Client):
    report, secret = accountless(world, S.DISPOSED)
    prove(client, report, secret)
    before = snapshot(report)

    response = client.post(private_url(report), {"action": "reply", "reply-message": "Ada kabar terbaru?"})

    page = html(response)
    assert response.status_code == 400
    assert "tidak dapat dilakukan pada laporan berstatus" in page and 'role="alert"' in page
    assert snapshot(report) == before
    # Too short: the form's own message.
    report2, secret2 = accountless(world, S.FOLLOWED_UP)
    prove(client, report2, secret2)
    page = html(client.post(private_url(report2), {"action": "reply", "reply-message": "ok"}))
    assert "minimal 5 karakter" in page and 'href="#id_reply-message"' in page


def test_rate_once_then_appeal_a_poor_answer(world, client: Client):
    report, secret = accountless(world, S.FOLLOWED_UP)
    prove(client, report, secret)
    url = private_url(report)

    assert client.post(url, {"action": "rate", "rate-rating": "1", "rate-comment": "Tidak ada perbaikan."}).status_code == 302
    report.refresh_from_db()
    assert report.rating == 1
    page = html(client.get(url))
    assert 'id="id_appeal-reason"' in page and 'id="id_rate-rating_0"' not in page

    again = client.post(url, {"action": "rate", "rate-rating": "5"})
    assert again.status_code == 400 and "sudah dinilai" in html(again)

    short = client.post(url, {"action": "appeal", "appeal-reason": "Buruk"})
    assert short.status_code == 400 and "minimal 10 karakter" in html(short)
    response = client.post(url, {"action": "appeal", "appeal-reason": "Lubang tidak pernah ditambal sama sekali."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.APPEALED

    twice = client.post(url, {"action": "appeal", "appeal-reason": "Lubang tidak pernah ditambal sama sekali."})
    assert twice.status_code == 400 and 'role="alert"' in html(twice)


def test_an_appeal_after_a_good_rating_is_refused(world, client: Client):
    report = walk_to(world, S.FOLLOWED_UP)
    client.force_login(world.reporter)
    url = private_url(report)
    assert client.post(url, {"action": "rate", "rate-rating": "4"}).status_code == 302
    assert 'id="id_appeal-reason"' not in html(client.get(url))
    response = client.post(url, {"action": "appeal", "appeal-reason": "Saya berubah pikiran tentang ini."})
    assert response.status_code == 400 and "Banding hanya dapat diajukan" in html(response)
    report.refresh_from_db()
    assert report.status == S.FOLLOWED_UP


def test_a_held_report_is_completed_by_its_reporter(world, client: Client):
    report, secret = accountless(world, S.ON_HOLD)
    prove(client, report, secret)
    url = private_url(report)
    page = html(client.get(url))
    assert "Mohon lengkapi alamat kejadian." in page and 'id="id_resume-message"' in page
    assert "Belum" in page

    response = client.post(url, {"action": "resume", "resume-message": "Lokasi: depan Pasar Sesetan no. 3."})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.FORWARDED


def test_attach_a_file_from_the_private_page(world, client: Client, media):
    report, secret = accountless(world, S.DISPOSED)
    prove(client, report, secret)
    url = private_url(report)

    assert client.post(url, {"action": "attach", "attach-file": png("bukti.png")}).status_code == 302
    assert Attachment.objects.filter(report=report).count() == 1
    assert "bukti.png" in html(client.get(url))

    fake = SimpleUploadedFile("bukti.png", b"not an image at all", content_type="image/png")
    response = client.post(url, {"action": "attach", "attach-file": fake})
    assert response.status_code == 400 and "tidak didukung" in html(response)
    assert Attachment.objects.filter(report=report).count() == 1 and len(stored_files(media)) == 1


def test_an_unknown_action_changes_nothing(world, client: Client):
    report, secret = accountless(world, S.FOLLOWED_UP)
    prove(client, report, secret)
    before = snapshot(report)
    assert client.post(private_url(report), {"action": "close"}).status_code == 200
    assert snapshot(report) == before


def test_tracking_attempts_are_rate_limited(world, client: Client):
    report, secret = accountless(world)
    for _ in range(30):
        client.post(TRACK, {"tracking_id": report.tracking_id, "secret": "tebak"})
    response = prove(client, report, secret)
    assert response.status_code == 429 and "Terlalu banyak percobaan pelacakan" in html(response)


def test_refusals_are_shown_in_the_users_language(world, client: Client):
    report, secret = accountless(world, S.FOLLOWED_UP)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    prove(client, report, secret)
    url = private_url(report)
    client.post(url, {"action": "rate", "rate-rating": "3"})

    response = client.post(url, {"action": "rate", "rate-rating": "5"})

    page = html(response)
    assert response.status_code == 400 and "already been rated" in page
    assert "sudah dinilai" not in page
    wrong = client.post(TRACK, {"tracking_id": report.tracking_id, "secret": "salah"})
    assert "Wrong tracking number or secret code." in html(wrong)
