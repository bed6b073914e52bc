"""Register, verify by the one-time code from the outbox, log in by phone or e-mail, my reports."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from lapor.accounts.models import User, VerificationCode
from lapor.complaints.models import Status as S
from lapor.notifications.models import Channel

from ..complaints.flow import walk_to
from ..factories import make_report, make_user
from .conftest import code_from_outbox, html, outbox

REGISTER = reverse("web:register")
VERIFY = reverse("web:verify")
LOGIN = reverse("web:login")
PASSWORD = "Pelapor-Aman-2025"


def register(client: Client, identifier: str, name: str = "Komang Ayu"):
    return client.post(REGISTER, {"name": name, "identifier": identifier, "password": PASSWORD})


def test_register_by_phone_verify_and_log_in_by_phone(world, client: Client):
    response = register(client, "0813-3344-5566")

    assert response.status_code == 302 and response["Location"] == VERIFY
    user = User.objects.get(phone="+6281333445566")
    assert not user.is_active
    sms = outbox("account.code")[-1]
    assert sms.channel == Channel.SMS and sms.recipient == "+6281333445566"
    page = html(client.get(VERIFY))
    assert "+6281333445566" in page  # the identifier is remembered in the session

    response = client.post(VERIFY, {"identifier": "+6281333445566", "code": code_from_outbox("+6281333445566")})

    assert response.status_code == 302 and response["Location"] == reverse("web:my_reports")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("web:my_reports")).status_code == 200  # logged in by the verification

    client.post(reverse("web:logout"))
    for spelling in ("081333445566", "+62 813-3344-5566"):
        fresh = Client()
        response = fresh.post(LOGIN, {"username": spelling, "password": PASSWORD})
        assert response.status_code == 302, spelling
        assert fresh.get(reverse("web:my_reports")).status_code == 200


def test_register_by_email_verify_elsewhere_and_log_in_by_email(world, client: Client):
    register(client, "Komang@Contoh.ID")
    mail = outbox("account.code")[-1]
    assert mail.channel == Channel.EMAIL and mail.recipient == "komang@contoh.id"

    other_device = Client()
    response = other_device.post(VERIFY, {"identifier": "komang@contoh.id", "code": code_from_outbox("komang@contoh.id")})
    assert response.status_code == 302 and response["Location"] == LOGIN  # verified, but not logged in here

    response = other_device.post(LOGIN, {"username": "KOMANG@contoh.id", "password": PASSWORD})
    assert response.status_code == 302


def test_the_login_form_asks_for_email_or_phone(world, client: Client):
    page = html(client.get(LOGIN))
    assert "Surel atau nomor ponsel" in page and "Nama pengguna" not in page
    assert 'for="id_username"' in page and 'for="id_password"' in page and 'id="login-submit"' in page


def test_a_wrong_code_is_refused_and_an_unverified_account_cannot_log_in(world, client: Client):
    register(client, "ayu@contoh.id")
    response = client.post(VERIFY, {"identifier": "ayu@contoh.id", "code": "000000"})
    assert response.status_code == 400 and "Kode verifikasi salah" in html(response)
    assert 'href="#id_code"' in html(response)

    response = Client().post(LOGIN, {"username": "ayu@contoh.id", "password": PASSWORD})
    assert response.status_code == 200 and "belum aktif" in html(response)
    assert not User.objects.get(email="ayu@contoh.id").is_active


def test_resend_a_code(world, client: Client):
    register(client, "ayu@contoh.id")
    response = client.post(VERIFY, {"resend-identifier": "ayu@contoh.id"})
    assert response.status_code == 429 and "Tunggu satu menit" in html(response)

    VerificationCode.objects.update(created_at=VerificationCode.objects.get().created_at - timedelta(minutes=2))
    response = client.post(VERIFY, {"resend-identifier": "ayu@contoh.id"}, follow=True)
    assert "kode baru telah dikirim" in html(response)
    assert len(outbox("account.code")) == 2
    # Unknown addresses get the same answer and no message.
    response = Client().post(VERIFY, {"resend-identifier": "siapa@contoh.id"}, follow=True)
    assert "kode baru telah dikirim" in html(response) and len(outbox("account.code")) == 2


def test_register_refusals_are_shown_on_the_form(world, client: Client):
    response = client.post(REGISTER, {"name": "Ayu", "identifier": "bukan-kontak", "password": PASSWORD})
    assert response.status_code == 400 and 'href="#id_identifier"' in html(response)
    response = client.post(REGISTER, {"name": "Ayu", "identifier": "ayu@contoh.id", "password": "12345678"})
    assert response.status_code == 400 and 'href="#id_password"' in html(response)
    register(client, "ayu@contoh.id")
    response = Client().post(REGISTER, {"name": "Ayu", "identifier": "AYU@contoh.id", "password": PASSWORD})
    assert response.status_code == 400 and "sudah terdaftar" in html(response)


def test_log_in_attempts_are_rate_limited(world, client: Client):
    user = make_user(email="made@contoh.id")
    user.set_password(PASSWORD)
    user.save()
    for _ in range(10):
        client.post(LOGIN, {"username": "made@contoh.id", "password": "salah-salah"})

    response = client.post(LOGIN, {"username": "made@contoh.id", "password": PASSWORD})

    assert response.status_code == 429 and "Terlalu banyak percobaan masuk" in html(response)
    assert Client(REMOTE_ADDR="10.1.1.1").post(LOGIN, {"username": "made@contoh.id", "password": PASSWORD}).status_code == 302


def test_registrations_and_codes_are_rate_limited(world, client: Client):
    for n in range(10):
        register(client, f"warga{n}@contoh.id")
    response = register(client, "warga99@contoh.id")
    assert response.status_code == 429 and "Terlalu banyak pendaftaran" in html(response)

    for _ in range(20):
        client.post(VERIFY, {"identifier": "warga1@contoh.id", "code": "123456"})
    response = client.post(VERIFY, {"identifier": "warga1@contoh.id", "code": "123456"})
    assert response.status_code == 429 and "Terlalu banyak percobaan kode" in html(response)


def test_my_reports_lists_only_my_own(world, client: Client):
    mine = walk_to(world, S.FOLLOWED_UP, title="Laporan saya sendiri")
    waiting = make_report(reporter=world.reporter, title="Laporan saya yang baru", is_confidential=True)
    other = make_report(reporter=world.other_reporter, title="Laporan orang lain")
    accountless = make_report(reporter=None, title="Laporan tanpa akun")

    assert client.get(reverse("web:my_reports")).status_code == 302
    client.force_login(world.reporter)
    response = client.get(reverse("web:my_reports"))

    page = html(response)
    assert mine.title in page and waiting.title in page
    assert other.title not in page and accountless.title not in page
    assert reverse("web:report_private", args=[mine.tracking_id]) in page
    assert "Proses" in page and "Ditindaklanjuti" in page and "Belum" in page
    client.force_login(world.admin_a)
    assert client.get(reverse("web:my_reports")).status_code == 404


def test_my_reports_runs_a_constant_number_of_queries(world, client: Client, django_assert_max_num_queries):
    client.force_login(world.reporter)
    make_report(reporter=world.reporter)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("web:my_reports"))
    for _ in range(15):
        walk_to(world, S.DISPOSED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:my_reports"))
