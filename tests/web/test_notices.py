"""The notice list with message preferences, and the dead-letter page for system admins."""

from django.test import Client

from lapor.complaints.models import Status as S
from lapor.notifications.models import Channel, OutboxMessage
from lapor.notifications.services import outbox_enqueue

from ..complaints.flow import walk_to


def test_a_reporter_sees_their_notices_and_opening_the_page_marks_them_read(world, client: Client):
    report = walk_to(world, S.FOLLOWED_UP)
    client.force_login(world.reporter)
    header = client.get("/laporan-saya/").content.decode()
    assert "Pemberitahuan" in header and 'class="badge"' in header
    page = client.get("/akun/pemberitahuan/").content.decode()
    assert report.tracking_id in page and "telah ditindaklanjuti" in page
    assert f"/laporan/{report.tracking_id}/saya/" in page
    assert not OutboxMessage.objects.filter(user=world.reporter, channel=Channel.IN_APP, read_at__isnull=True).exists()
    # other people's notices are not listed
    assert not OutboxMessage.objects.filter(user=world.admin_a, read_at__isnull=False).exists()


def test_preferences_are_saved_and_bad_input_is_a_form_error(world, client: Client):
    client.force_login(world.admin_a)
    response = client.post("/akun/pemberitahuan/", {"language": "en", "notify_sms": "on"})
    assert response.status_code == 302
    world.admin_a.refresh_from_db()
    assert (world.admin_a.language, world.admin_a.notify_email, world.admin_a.notify_sms) == ("en", False, True)
    response = client.post("/akun/pemberitahuan/", {"language": "xx"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    world.admin_a.refresh_from_db()
    assert world.admin_a.language == "en"


def test_dead_letters_are_listed_for_the_system_admin_and_resent(world, client: Client):
    dead = outbox_enqueue(channel=Channel.SMS, recipient="+6281234567890", body="Halo.", kind="report.held")
    OutboxMessage.objects.filter(pk=dead.pk).update(state="failed", attempts=8, last_error="400 nomor tidak valid")
    for user in (world.admin_a, world.verifier, world.reporter):
        client.force_login(user)
        assert client.get("/petugas/pesan-gagal/").status_code == 404
        assert client.post("/petugas/pesan-gagal/kirim-ulang/", {"all": "1"}).status_code == 404
    dead.refresh_from_db()
    assert dead.state == "failed"

    client.force_login(world.sysadmin)
    page = client.get("/petugas/pesan-gagal/").content.decode()
    assert "400 nomor tidak valid" in page and "report.held" in page
    response = client.post("/petugas/pesan-gagal/kirim-ulang/", {"ids": [str(dead.pk)]})
    assert response.status_code == 302
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == ("pending", 0)


def test_the_retry_button_needs_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sysadmin)
    assert client.post("/petugas/pesan-gagal/kirim-ulang/", {"all": "1"}).status_code == 403
