"""The public feed and search, the permalink page, and what never appears in public."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lapor.complaints import services
from lapor.complaints.attachments import report_attach
from lapor.complaints.models import Status as S

from ..complaints.flow import walk, walk_to
from ..factories import make_category, make_report
from .conftest import TEXT, html, png, public_report

FEED = reverse("web:feed")


def permalink(report) -> str:
    return reverse("web:report_public", args=[report.tracking_id])


def test_the_feed_lists_public_reports_only(world, client: Client):
    shown = public_report(world, title="Lampu jalan Sesetan mati")
    confidential = public_report(world, title="Pungutan liar di kelurahan", is_confidential=True)
    waiting = make_report(reporter=world.reporter, title="Belum diverifikasi")

    response = client.get(FEED)

    page = html(response)
    assert response.status_code == 200 and len(response.content) < 100_000
    assert shown.title in page and permalink(shown) in page
    assert confidential.title not in page and waiting.title not in page
    assert "Proses" in page and "Pemerintah Kota Denpasar" in page and "Jalan rusak" in page


def test_anonymous_reporters_are_shown_as_anonim_everywhere_public(world, client: Client, media):
    report = walk_to(world, S.FOLLOWED_UP, title="Drainase tersumbat di Sesetan", is_anonymous=True,
                     category=world.category)
    accountless = services.report_submit(
        reporter=None, text=TEXT, is_anonymous=True, contact_name="Ni Luh Rahasia", contact_phone="081299998888",
        region=world.bali_village, category=world.category, title="Trotoar rusak",
    ).report
    services.report_dispose(actor=world.verifier, report=accountless, agency=world.agency_a)
    report_attach(actor=world.reporter, report=report.pk, upload=png("Made_Sukerta_KTP.png"))
    names = [world.reporter.first_name, world.reporter.last_name, world.reporter.username, world.reporter.phone,
             world.reporter.email, "Ni Luh Rahasia", "081299998888", "Made_Sukerta_KTP"]

    pages = [
        client.get("/"),
        client.get(FEED),
        client.get(FEED, {"q": "Sesetan"}),
        client.get(permalink(report)),
        client.get(permalink(accountless)),
        client.post(reverse("web:submit"), {"kind": "complaint", "text": TEXT, "category": world.category.code,
                                            "province": "51", "regency": "51.71"}),
        client.get(reverse("web:similar"), {"text": TEXT}),
    ]

    for response in pages:
        assert response.status_code == 200
        page = html(response)
        assert all(name not in page for name in names), [n for n in names if n in page]
    assert "Anonim" in html(pages[1]) and "Anonim" in html(pages[3])


def test_a_confidential_report_appears_in_no_public_page(world, client: Client, media):
    secret = walk_to(world, S.FOLLOWED_UP, title="Pungli oknum di loket KTP", is_confidential=True,
                     category=world.category, text=TEXT)
    attachment = report_attach(actor=world.reporter, report=secret.pk, upload=png())

    checks = [
        client.get("/"),
        client.get(FEED),
        client.get(FEED, {"q": "Pungli"}),
        client.get(FEED, {"q": secret.tracking_id}),
        client.post(reverse("web:submit"), {"kind": "complaint", "text": TEXT, "category": world.category.code,
                                            "province": "51", "regency": "51.71"}),
        client.get(reverse("web:similar"), {"text": TEXT, "category": world.category.code}),
        client.post(reverse("web:track"), {"tracking_id": secret.tracking_id}),
    ]
    for response in checks:
        assert "Pungli oknum" not in html(response)
    assert client.get(permalink(secret)).status_code == 404
    assert client.get(reverse("web:attachment", args=[attachment.pk])).status_code == 404


def test_feed_filters(world, client: Client):
    other_category = make_category(code="sekolah", name="Pendidikan")
    a = public_report(world, title="Jalan berlubang Sesetan")
    b = make_report(reporter=world.reporter, title="Sekolah rusak di Mataram", region=world.ntb_village,
                    category=other_category)
    services.report_dispose(actor=world.verifier, report=b, agency=world.agency_b)
    done = walk_to(world, S.COMPLETED, title="Lampu taman sudah diperbaiki", category=world.category)

    def titles(**params) -> set[str]:
        page = html(client.get(FEED, params))
        return {t for t in (a.title, b.title, done.title) if t in page}

    assert titles() == {a.title, b.title, done.title}
    assert titles(category="sekolah") == {b.title}
    assert titles(province="52") == {b.title}
    assert titles(province="51", regency="51.71") == {a.title, done.title}
    assert titles(province="52", regency="51.71") == {b.title}  # a stale regency is ignored
    assert titles(agency=world.agency_b.code) == {b.title}
    assert titles(bucket="selesai") == {done.title}
    assert titles(bucket="proses") == {a.title, b.title}
    assert titles(q="sesetan") == {a.title}
    today = timezone.localdate()
    assert titles(date_from=(today + timedelta(days=1)).isoformat()) == set()
    assert titles(date_from=today.isoformat(), date_to=today.isoformat()) == {a.title, b.title, done.title}
    response = client.get(FEED, {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "Tanggal akhir harus" in html(response)


def test_feed_pages_keep_their_filters(world, client: Client):
    for n in range(23):
        public_report(world, title=f"Laporan nomor {n}")
    page = html(client.get(FEED, {"province": "51"}))
    assert "province=51&amp;page=2" in page and "Halaman 1 dari 2" in page
    page = html(client.get(FEED, {"province": "51", "page": "2"}))
    assert page.count('class="report-item"') == 3


def test_feed_runs_a_constant_number_of_queries(world, client: Client, django_assert_max_num_queries):
    public_report(world)
    with django_assert_max_num_queries(20) as few:
        client.get(FEED, {"province": "51", "category": world.category.code, "q": "jalan"})
    for n in range(25):
        public_report(world, is_anonymous=bool(n % 2), reporter=None if n % 3 else world.reporter)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(FEED, {"province": "51", "category": world.category.code, "q": "jalan"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(FEED)


def test_the_permalink_shows_status_answers_and_deadline(world, client: Client, media):
    report = walk_to(world, S.FOLLOWED_UP, title="Jalan Sesetan", category=world.category)
    internal = report_attach(actor=world.officer_a1, report=report.pk, upload=png("internal.png"), is_public=False)
    public = report_attach(actor=world.officer_a1, report=report.pk, upload=png("hasil.png"))

    response = client.get(permalink(report))

    page = html(response)
    assert response.status_code == 200 and len(response.content) < 100_000
    for text in ("Proses", "Ditindaklanjuti", "Pemerintah Kota Denpasar", "Jalan rusak",
                 "Sesetan, Denpasar Selatan, Kota Denpasar, Bali", "Tenggat tahap ini", "WITA",
                 "Jalan sudah ditambal oleh tim lapangan.", "Tanggapan instansi", "Riwayat"):
        assert text in page, text
    assert reverse("web:attachment", args=[public.pk]) in page
    assert reverse("web:attachment", args=[internal.pk]) not in page
    assert "internal.png" not in page and "hasil.png" not in page
    assert f"{reverse('web:track')}?nomor={report.tracking_id}" in page


def test_a_late_report_says_so_in_words(world, client: Client):
    report = public_report(world)
    services.report_forward(actor=world.admin_a, report=report.pk, units=[world.unit_a1])
    from lapor.complaints.models import Report

    Report.objects.filter(pk=report.pk).update(stage_due_at=timezone.now() - timedelta(days=1))
    page = html(client.get(permalink(report)))
    assert "Terlambat" in page


def test_home_links_to_submit_track_and_feed(world, client: Client):
    page = html(client.get("/"))
    for name in ("web:submit", "web:track", "web:feed"):
        assert f'href="{reverse(name)}"' in page


def test_pages_stay_under_100_kb(world, client: Client, media):
    for n in range(25):
        walk(world, public_report(world, title=f"Laporan panjang {n} " + "kata " * 30), ["forward", "follow_up"])
    report = public_report(world)
    for url in ("/", FEED, permalink(report), reverse("web:submit"), reverse("web:track"), reverse("web:login"),
                reverse("web:register"), reverse("web:verify")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < 100_000, (url, len(response.content))
