"""The monitoring pages through HTTP: who may see them, the figures they show, their scope.

March 2025 (WITA): r1 goes to A's PUPR unit and is followed up and completed; r2 goes to A's
transport unit and is never answered (late now); r3 goes to B's PUPR unit, also late.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from lapor.accounts.models import Role
from lapor.complaints import services
from lapor.monitoring.rollups import refresh

from ..factories import make_report, make_user
from .conftest import html

WITA = ZoneInfo("Asia/Makassar")
PERIOD = "2025-03"
PAGES = ("web:monitoring", "web:monitoring_evaluation", "web:monitoring_room", "web:monitoring_trends")


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=WITA)


@pytest.fixture
def march(world):
    w = world

    def handled(agency, unit, day):
        report = make_report(reporter=w.reporter, region=w.bali_village, category=w.category, now=at(day, 8))
        report = services.report_dispose(actor=w.verifier, report=report, agency=agency, now=at(day))
        return services.report_forward(actor=w.admin_of(agency), report=report, units=[unit], now=at(day, 10))

    r1 = handled(w.agency_a, w.unit_a1, 3)
    services.report_follow_up(actor=w.officer_a1, report=r1, answer="Lubang di jalan sudah ditambal hari ini.", now=at(4))
    services.report_close(actor=w.admin_a, report=r1, now=at(5))
    handled(w.agency_a, w.unit_a2, 4)
    handled(w.agency_b, w.unit_b1, 5)
    refresh()
    return w


def get(client, user, name, **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name), params)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_for_leaders_overseers_and_verifiers_only(client, world, name):
    anonymous = client.get(reverse(name))
    assert anonymous.status_code == 302 and reverse("web:login") in anonymous["Location"]
    for user in (world.reporter, world.officer_a1):
        assert get(client, user, name).status_code == 403
    for user in (world.verifier, world.sysadmin, world.observer, world.admin_a):
        assert get(client, user, name).status_code == 200


@pytest.mark.parametrize("name", ("web:monitoring", "web:monitoring_evaluation", "web:monitoring_trends"))
def test_a_bad_period_is_a_400_with_a_clear_message(client, world, name):
    response = get(client, world.verifier, name, periode="semester satu")
    assert response.status_code == 400
    assert "Periode tidak dikenal" in html(response)


def test_evaluation_ranks_agencies_and_lists_red_marks(client, march):
    w = march
    page = html(get(client, w.verifier, "web:monitoring_evaluation", periode=PERIOD, min=1))
    ranking = page.split('id="ranking"')[1].split("</table>")[0]
    # A completed 1 of 2 (50 %), B 0 of 1: A first
    assert ranking.index(w.agency_a.name) < ranking.index(w.agency_b.name)
    assert "50,0" in ranking or "50.0" in ranking
    marks = page.split('id="red-marks"')[1].split("</table>")[0]
    assert w.unit_a2.name in marks and w.unit_b1.name in marks and w.unit_a1.name not in marks
    assert 'id="completion-chart"' in page
    assert "Laporan terlambat dihitung pukul" in page  # read from the refresh job's count


def test_agencies_under_the_minimum_volume_are_listed_unranked(client, march):
    w = march
    page = html(get(client, w.verifier, "web:monitoring_evaluation", periode=PERIOD, min=2))
    assert w.agency_a.name in page.split('id="ranking"')[1].split("</table>")[0]
    assert w.agency_b.name in page.split('id="unranked"')[1].split("</table>")[0]
    assert get(client, w.verifier, "web:monitoring_evaluation", min="banyak").status_code == 400


def test_an_agency_admin_sees_the_national_ranking_but_only_its_own_red_marks(client, march):
    w = march
    page = html(get(client, w.admin_a, "web:monitoring_evaluation", periode=PERIOD, min=1))
    assert w.agency_b.name in page.split('id="ranking"')[1]
    marks = page.split('id="red-marks"')[1].split("</table>")[0]
    assert w.unit_a2.name in marks and w.unit_b1.name not in marks


def test_an_observer_of_some_agencies_sees_only_those(client, march):
    w = march
    observer = make_user(Role.OBSERVER)
    observer.observed_agencies.add(w.agency_b)
    page = html(get(client, observer, "web:monitoring_evaluation", periode=PERIOD, min=1))
    assert w.agency_b.name in page and w.agency_a.name not in page and w.unit_a2.name not in page
    dashboard = html(get(client, observer, "web:monitoring", periode=PERIOD))
    assert '<span class="n">1</span> laporan diterima' in dashboard
    assert "agency=kota-mataram" in dashboard and "agency=kota-denpasar" not in dashboard


def test_the_national_dashboard_links_numbers_to_the_staff_list(client, march):
    w = march
    page = html(get(client, w.verifier, "web:monitoring", periode=PERIOD))
    assert '<span class="n">3</span> laporan diterima' in page
    assert '<span class="n">2</span> terlambat sekarang' in page
    staff_list = reverse("web:staff_reports")
    agencies = page.split('id="agency-table"')[1].split("</table>")[0]
    assert f'href="{staff_list}?tab=semua&amp;agency=kota-denpasar&amp;date_from=2025-03-01&amp;date_to=2025-03-31">2<' in agencies
    assert f'href="{staff_list}?tab=terlambat&amp;agency=kota-mataram"' in agencies
    provinces = page.split('id="province-table"')[1].split("</table>")[0]
    assert "Bali" in provinces
    # the drill-down really lists the reports behind the number
    listed = html(client.get(f"{staff_list}?tab=terlambat&agency=kota-mataram"))
    assert "Laporan ditemukan: 1" in listed


def test_an_agency_admin_dashboard_shows_its_units_only(client, march):
    w = march
    page = html(get(client, w.admin_a, "web:monitoring", periode=PERIOD))
    assert '<span class="n">2</span> laporan diterima' in page and w.agency_a.name in page
    units = page.split('id="unit-table"')[1].split("</table>")[0]
    assert w.unit_a1.name in units and w.unit_a2.name in units
    assert w.unit_b1.name not in page and w.agency_b.name not in page
    assert f"unit={w.unit_a2.pk}" in units
    assert '<span class="n">1</span> terlambat sekarang' in page


def test_the_room_refreshes_itself_and_counts_today(client, march):
    w = march
    make_report(reporter=w.reporter, region=w.bali_village, category=w.category)
    refresh()
    page = html(get(client, w.verifier, "web:monitoring_room"))
    # reloading by itself is the wall screen's choice, and it can be stopped
    assert 'http-equiv="refresh"' not in page and 'href="?layar=dinding"' in page
    wall = html(get(client, w.verifier, "web:monitoring_room", layar="dinding"))
    assert '<meta http-equiv="refresh" content="60">' in wall and "Hentikan pemuatan ulang" in wall
    assert '<span class="n">1</span> laporan masuk hari ini' in page
    assert '<span class="n late">2</span> terlambat sekarang' in page
    assert f"{w.category.name}: 1" in page
    admin_b = html(get(client, w.admin_b, "web:monitoring_room"))
    assert '<span class="n">0</span> laporan masuk hari ini' in admin_b
    assert '<span class="n late">1</span> terlambat sekarang' in admin_b


def test_trends_show_categories_per_month_and_inclusion(client, march):
    w = march
    page = html(get(client, w.observer, "web:monitoring_trends", periode="2025-Q1"))
    table = page.split('id="trend-table"')[1].split("</table>")[0]
    assert w.category.name in table and ">3<" in table
    assert 'id="inclusion-gender"' in page and 'id="inclusion-disability"' in page


def test_the_navigation_offers_monitoring_to_allowed_roles(client, world):
    link = f'href="{reverse("web:monitoring")}"'
    assert link in html(get(client, world.admin_a, "web:staff_reports"))
    assert link not in html(get(client, world.officer_a1, "web:staff_reports"))


def _export(client, user, table, fmt, **params):
    client.force_login(user)
    return client.get(reverse("web:monitoring_evaluation_export", args=[table, fmt]), params)


def test_the_evaluation_tables_download_with_the_page_numbers(client, march):
    import io

    from openpyxl import load_workbook

    w = march
    response = _export(client, w.verifier, "peringkat", "xlsx", periode=PERIOD, min=1)
    assert response.status_code == 200 and "evaluasi-peringkat-2025-03.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    ranking, marks = book.worksheets
    rows = list(ranking.iter_rows(values_only=True))
    assert rows[1][:5] == (1, w.agency_a.name, "kecil", 1, 2) and rows[1][6] == 50.0
    assert rows[2][:5] == (2, w.agency_b.name, "kecil", 2, 1)
    assert {r[0] for r in list(marks.iter_rows(values_only=True))[1:]} == {w.unit_a2.name, w.unit_b1.name}
    csv = _export(client, w.admin_a, "tanda-merah", "csv", periode=PERIOD).content.decode("utf-8-sig")
    assert w.unit_a2.name in csv and w.unit_b1.name not in csv  # an agency admin: its own units only
    assert _export(client, w.verifier, "rahasia", "csv").status_code == 404
    assert _export(client, w.verifier, "peringkat", "pdf").status_code == 404
    assert _export(client, w.reporter, "peringkat", "csv").status_code == 403


def test_the_evaluation_pdf_is_national_for_national_users_and_scoped_for_others(client, march):
    import io

    from pypdf import PdfReader

    w = march
    client.force_login(w.verifier)
    url = reverse("web:monitoring_evaluation_pdf")
    national = client.get(url, {"periode": PERIOD})
    assert national.status_code == 200 and national["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(national.content)).pages[0].extract_text().split())
    assert "Nasional" in text and "Laporan diterima 3" in text
    client.force_login(w.admin_a)
    own = client.get(url, {"periode": PERIOD})
    assert own.status_code == 200 and w.agency_a.code in own["Content-Disposition"]
    assert client.get(url, {"periode": PERIOD, "instansi": w.agency_b.pk}).status_code == 403
    assert client.get(url, {"periode": "kemarin"}).status_code == 400


def test_every_dashboard_and_trends_table_downloads_with_the_page_numbers(client, march):
    import io

    from openpyxl import load_workbook

    w = march
    client.force_login(w.admin_a)
    page = html(client.get(reverse("web:monitoring"), {"periode": PERIOD}))
    url = reverse("web:monitoring_export", args=["dasbor", "semua", "xlsx"])
    assert url in page
    book = load_workbook(io.BytesIO(client.get(url, {"periode": PERIOD}).content))
    summary, stages, monthly, units = book.worksheets
    assert ("Laporan diterima", "2") in list(summary.iter_rows(values_only=True))
    # an agency's stages (verification is the national verifiers'): of A's two reports, one was
    # answered within a day and one never was (its deadline long past); one completed in 2 days
    assert list(stages.iter_rows(values_only=True))[1:] == [
        ("Tindak lanjut pertama", 50, "≤ 1 hari", "≤ 1 hari"), ("Penyelesaian", 100, "≤ 2 hari", "≤ 2 hari"),
    ]
    assert list(monthly.iter_rows(values_only=True))[1][:3] == ("Mar 2025", 2, 1)
    unit_rows = {r[0]: r[1:] for r in list(units.iter_rows(values_only=True))[1:]}
    assert unit_rows[w.unit_a1.name][:2] == (1, 100.0) and w.unit_b1.name not in unit_rows
    csv_url = reverse("web:monitoring_export", args=["dasbor", "unit", "csv"])
    assert csv_url in page
    assert w.unit_a2.name in client.get(csv_url, {"periode": PERIOD}).content.decode("utf-8-sig")
    # the national verifier gets agencies and provinces instead of units
    client.force_login(w.verifier)
    national = load_workbook(io.BytesIO(client.get(url, {"periode": PERIOD}).content))
    assert [ws.title for ws in national.worksheets][3:] == ["Instansi", "Provinsi"]
    verify = list(national.worksheets[1].iter_rows(values_only=True))[1]
    assert verify == ("Verifikasi dan disposisi", 100, "≤ 4 jam", "≤ 4 jam")  # disposed an hour after filing
    trends = client.get(reverse("web:monitoring_export", args=["tren", "kategori", "csv"]), {"periode": "2025-Q1"})
    lines = trends.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kategori,Jan 2025,Feb 2025,Mar 2025") and lines[1] == f"{w.category.name},0,0,3,3"
    for bad in (("dasbor", "rahasia", "csv"), ("dasbor", "semua", "csv"), ("lain", "unit", "csv")):
        assert client.get(reverse("web:monitoring_export", args=bad)).status_code == 404


def test_trends_per_province(client, march):
    w = march
    client.force_login(w.verifier)
    page = html(client.get(reverse("web:monitoring_trends"), {"periode": "2025-Q1"}))
    table = page.split('id="province-trend-table"')[1].split("</table>")[0]
    # the three reports of March were all filed from a village in Bali
    assert "Bali" in table and ">3</td>" in table
