"""Foundation pages over HTTP: home, log-in, the officer's scoped list, the public report page."""

import pytest
from django.test import Client
from django.urls import reverse

from lapor.complaints import services

from ..factories import make_report


def disposed(world, **kwargs):
    report = make_report(reporter=world.reporter, region=world.bali_village, **kwargs)
    return services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a)


def test_home_page_shows_buckets_and_only_public_reports(world, client: Client):
    visible = disposed(world, title="Lampu jalan Sesetan mati")
    hidden = disposed(world, title="Pungutan liar di kantor kelurahan", is_confidential=True)
    unverified = make_report(reporter=world.reporter, title="Belum diverifikasi sama sekali")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert visible.title in html
    assert hidden.title not in html and unverified.title not in html
    assert "Belum" in html and "Proses" in html and "Selesai" in html
    assert len(response.content) < 100_000


def test_pages_switch_to_english(world, client: Client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert "Latest reports" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


def test_public_report_page_hides_anonymous_identity_and_internal_events(world, client: Client):
    report = disposed(world, is_anonymous=True)
    services.report_edit(actor=world.verifier, report=report, title="Judul yang dirapikan", note="catatan internal")

    response = client.get(reverse("web:report_public", args=[report.tracking_id.lower().replace("-", "")]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Anonim" in html
    assert world.reporter.first_name not in html and world.reporter.phone not in html
    assert "catatan internal" not in html


def test_confidential_or_unknown_report_page_is_not_found(world, client: Client):
    report = disposed(world, is_confidential=True)
    assert client.get(reverse("web:report_public", args=[report.tracking_id])).status_code == 404
    assert client.get(reverse("web:report_public", args=["LAP-0000-0000"])).status_code == 404


def test_officer_list_is_scoped_to_the_agency(world, client: Client):
    mine = disposed(world, title="Laporan untuk Denpasar")
    other = make_report(reporter=world.reporter, title="Laporan untuk Mataram")
    services.report_dispose(actor=world.verifier, report=other, agency=world.agency_b)

    client.force_login(world.admin_a)
    html = client.get(reverse("web:staff_reports")).content.decode()

    assert mine.title in html
    assert "Laporan untuk Mataram" not in html


def test_officer_list_needs_a_staff_log_in(world, client: Client):
    url = reverse("web:staff_reports")
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(world.reporter)
    assert client.get(url).status_code == 404


def test_officer_list_runs_a_constant_number_of_queries(world, client: Client, django_assert_max_num_queries):
    client.force_login(world.verifier)
    disposed(world)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("web:staff_reports"))
    for _ in range(20):
        disposed(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:staff_reports"))


def test_log_in_form_shows_an_error_for_a_wrong_password(world, client: Client):
    world.verifier.set_password("benar-sekali-123")
    world.verifier.save()
    response = client.post(reverse("web:login"), {"username": world.verifier.username, "password": "salah"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    response = client.post(reverse("web:login"), {"username": world.verifier.username, "password": "benar-sekali-123"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_csrf_is_enforced_on_forms():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_indonesian_is_the_default_even_for_an_english_browser(world, client: Client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html and "Laporan terbaru" in html


def test_timeline_reads_as_sentences_not_codes(world, client: Client):
    report = disposed(world)
    html = client.get(reverse("web:report_public", args=[report.tracking_id])).content.decode()
    assert "Laporan diterima" in html and "Diverifikasi dan didisposisikan" in html
    assert "report.submitted" not in html
