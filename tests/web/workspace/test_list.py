"""The workspace list: who gets in, role queues, tabs, filters, anonymity, paging, query counts."""

from datetime import timedelta

from django.utils import timezone

from lapor.complaints import services
from lapor.complaints.models import Channel, Report, Status

from ...complaints.flow import walk_to
from ...factories import make_category, make_report
from lapor.web.forms.workspace import today_bounds

from ..conftest import html
from .conftest import list_url


def test_public_goes_to_log_in_and_reporters_get_404(world, client):
    assert client.get(list_url()).status_code == 302
    client.force_login(world.reporter)
    assert client.get(list_url()).status_code == 404


def test_each_role_starts_on_its_own_queue(world, client):
    received = walk_to(world, Status.RECEIVED, title="Baru masuk belum dicek")
    returned = walk_to(world, Status.RETURNED, title="Dikembalikan instansi")
    disposed = walk_to(world, Status.DISPOSED, title="Sudah di instansi A")
    forwarded = walk_to(world, Status.FORWARDED, title="Sudah di unit A1")
    mataram = walk_to(world, Status.DISPOSED, agency=world.agency_b, title="Urusan Kota Mataram")

    client.force_login(world.verifier)
    page = html(client.get(list_url()))
    assert "Antrean verifikasi" in page
    assert received.title in page and returned.title in page
    assert disposed.title not in page and forwarded.title not in page
    # Oldest stage deadline first.
    first, second = sorted([received, returned], key=lambda r: r.stage_due_at)
    assert page.index(first.tracking_id) < page.index(second.tracking_id)

    client.force_login(world.admin_a)
    page = html(client.get(list_url()))
    assert "Kotak masuk" in page
    assert disposed.title in page
    assert received.title not in page and forwarded.title not in page and mataram.title not in page

    client.force_login(world.officer_a1)
    page = html(client.get(list_url()))
    assert forwarded.title in page and disposed.title not in page

    client.force_login(world.observer)
    page = html(client.get(list_url()))
    for report in (received, returned, disposed, forwarded, mataram):
        assert report.title in page


def test_all_tab_still_respects_scope(world, client):
    walk_to(world, Status.DISPOSED, agency=world.agency_b, title="Urusan Kota Mataram")
    mine = walk_to(world, Status.FORWARDED, title="Urusan Denpasar")
    client.force_login(world.admin_a)
    page = html(client.get(list_url(tab="semua")))
    assert mine.title in page and "Urusan Kota Mataram" not in page


def test_overdue_and_due_today_tabs(world, client):
    late = walk_to(world, Status.RECEIVED, title="Sudah lewat tenggat")
    Report.objects.filter(pk=late.pk).update(stage_due_at=timezone.now() - timedelta(hours=2))
    today = walk_to(world, Status.RECEIVED, title="Tenggat hari ini")
    now = timezone.now()
    # Still today near midnight too: halfway to the end of the day at most.
    due = min(now + timedelta(minutes=1), now + (today_bounds(now)[1] - now) / 2)
    Report.objects.filter(pk=today.pk).update(stage_due_at=due)
    later = walk_to(world, Status.RECEIVED, title="Masih lama tenggatnya")
    closed = walk_to(world, Status.COMPLETED, title="Sudah selesai")
    Report.objects.filter(pk=closed.pk).update(stage_due_at=timezone.now() - timedelta(days=3))

    client.force_login(world.verifier)
    page = html(client.get(list_url(tab="terlambat")))
    assert late.title in page and later.title not in page and closed.title not in page
    assert "Terlambat" in page  # the state in words, not colour alone

    page = html(client.get(list_url(tab="hari-ini")))
    assert today.title in page and later.title not in page
    page = html(client.get(list_url(tab="semua", overdue="on")))
    assert late.title in page and today.title not in page


def test_filters_narrow_the_list(world, client):
    other_category = make_category(code="lampu", name="Lampu jalan")
    a = make_report(reporter=world.reporter, title="Jalan berlubang Sesetan", region=world.bali_village,
                    category=world.category, channel=Channel.SMS)
    b = make_report(reporter=world.reporter, title="Lampu mati Ampenan", region=world.ntb_village,
                    category=other_category)
    services.report_dispose(actor=world.verifier, report=b, agency=world.agency_b)
    client.force_login(world.verifier)

    def titles(**params):
        page = html(client.get(list_url(tab="semua", **params)))
        return {r.title for r in (a, b) if r.title in page}

    assert titles(status="disposed") == {b.title}
    assert titles(category="jalan-rusak") == {a.title}
    assert titles(province="52") == {b.title}
    assert titles(province="51", regency="51.71") == {a.title}
    assert titles(channel="sms") == {a.title}
    assert titles(agency="kota-mataram") == {b.title}
    assert titles(q="berlubang") == {a.title}
    assert titles(q=b.tracking_id) == {b.title}
    today = timezone.localdate()
    assert titles(date_from=today.isoformat(), date_to=today.isoformat()) == {a.title, b.title}
    assert titles(date_to=(today - timedelta(days=1)).isoformat()) == set()


def test_unit_filter_for_the_agency_admin(world, client):
    one = walk_to(world, Status.FORWARDED, title="Di unit PUPR")
    two = walk_to(world, Status.DISPOSED, title="Belum diteruskan")
    client.force_login(world.admin_a)
    page = html(client.get(list_url(tab="semua", unit=world.unit_a1.pk)))
    assert one.title in page and two.title not in page


def test_rows_show_anonim_never_the_identity(world, client):
    walk_to(world, Status.RECEIVED, title="Laporan anonim", is_anonymous=True)
    client.force_login(world.verifier)
    page = html(client.get(list_url()))
    assert "Anonim" in page
    assert world.reporter.first_name not in page and world.reporter.last_name not in page


def test_named_reporter_is_shown_to_staff(world, client):
    walk_to(world, Status.RECEIVED, title="Laporan bernama")
    client.force_login(world.verifier)
    assert world.reporter.get_full_name() in html(client.get(list_url()))


def test_paging_without_a_full_count(world, client, settings):
    for n in range(27):
        make_report(reporter=world.reporter, title=f"Laporan nomor {n:02d}", region=world.bali_village)
    client.force_login(world.verifier)
    first = html(client.get(list_url()))
    assert "Laporan ditemukan: 27" in first and 'rel="next"' in first
    second = html(client.get(list_url(page=2)))
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert second.count('name="reports"') == 2


def test_count_is_capped(world, client, monkeypatch):
    from lapor.web.views import workspace_list

    monkeypatch.setattr(workspace_list, "COUNT_CAP", 3)
    for _ in range(5):
        make_report(reporter=world.reporter, region=world.bali_village)
    client.force_login(world.verifier)
    assert "lebih dari 3" in html(client.get(list_url()))


def test_list_runs_a_constant_number_of_queries(world, client, django_assert_max_num_queries):
    for user in (world.verifier, world.admin_a, world.observer):
        Report.objects.all().delete()
        walk_to(world, Status.FORWARDED)
        walk_to(world, Status.RECEIVED)
        client.force_login(user)
        with django_assert_max_num_queries(14) as few:
            assert client.get(list_url(tab="semua")).status_code == 200
        for n in range(30):
            walk_to(world, Status.RECEIVED if n % 2 else Status.DISPOSED, is_anonymous=bool(n % 3))
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(list_url(tab="semua")).status_code == 200


def test_list_in_english(world, client):
    client.cookies["django_language"] = "en"
    client.force_login(world.verifier)
    page = html(client.get(list_url()))
    assert "Verification queue" in page and "Overdue" in page
