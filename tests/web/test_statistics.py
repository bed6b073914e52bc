"""The public statistics page and its exports, on hand-built reports with known answers.

First semester 2026, WITA. Four reports:
  r1  Bali, "Jalan rusak", web       disposed 2 Mar, answered 3 Mar (on time), closed, rated 5
  r2  NTB,  "Air bersih",  SMS       disposed 1 Apr, never answered (late)
  r3  NTB,  "Jalan rusak", WhatsApp  confidential; disposed 6 Apr, answered a month later (late)
  r4  NTB,  "Jalan rusak", web       disposed 1 Jun, answered a month later (late), closed, rated 4
"""

import json
import re
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import localize
from openpyxl import load_workbook

from lapor.accounts.models import Role
from lapor.complaints import services
from lapor.complaints.models import Channel
from lapor.monitoring.rollups import refresh
from lapor.web.views.statistics import DATA

from ..factories import make_category, make_report, make_user

WITA = ZoneInfo("Asia/Makassar")
URL = reverse("web:statistics")
PROVINCES = json.loads((DATA / "provinces.json").read_text(encoding="utf-8"))
TABLES = ("provinsi", "kategori", "kanal", "bulanan")

SECRET_TITLE = "Pungli Kepala Sekolah Xylofonia"
SECRET_TEXT = "Bendahara Qwertyuiopasdf meminta uang pelicin sebesar Rp 7.777.777 untuk ijazah anak saya."
SECRET_NAME, SECRET_SURNAME = "Zulkarnaenzz", "Rahasiawatiqq"
SECRET_PHONE, SECRET_EMAIL = "089977766655", "zulkar.rahasia@contoh.id"
SECRETS = (SECRET_TITLE, "Xylofonia", "Qwertyuiopasdf", "7.777.777", SECRET_NAME, SECRET_SURNAME, SECRET_PHONE,
           SECRET_EMAIL)


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WITA)


@pytest.fixture
def semester(world):
    w = world
    v, a, b = w.verifier, w.admin_a, w.admin_b
    secret = make_user(Role.REPORTER, first_name=SECRET_NAME, last_name=SECRET_SURNAME, phone=SECRET_PHONE,
                       email=SECRET_EMAIL)
    water = make_category(code="air-bersih", name="Air bersih")

    def disposed(agency, when, reporter=w.reporter, **kw):
        kw.setdefault("category", w.category)
        report = make_report(reporter=reporter, now=when.replace(hour=8), **kw)
        return services.report_dispose(actor=v, report=report, agency=agency, now=when)

    r1 = disposed(w.agency_a, at(3, 2), region=w.bali_village)
    services.report_follow_up(actor=a, report=r1, answer="Lubang di jalan sudah ditambal hari ini.", now=at(3, 3))
    services.report_close(actor=a, report=r1, now=at(3, 4))
    services.report_rate(actor=w.reporter, report=r1, rating=5, now=at(3, 4, 12))

    disposed(w.agency_b, at(4, 1), region=w.ntb_village, category=water, channel=Channel.SMS)

    r3 = disposed(w.agency_b, at(4, 6), reporter=secret, region=w.ntb_village, channel=Channel.WHATSAPP,
                  is_confidential=True, title=SECRET_TITLE, text=SECRET_TEXT)
    services.report_follow_up(actor=b, report=r3, answer="Sudah kami teruskan ke inspektorat.", now=at(5, 6))

    r4 = disposed(w.agency_b, at(6, 1), region=w.ntb_village)
    services.report_follow_up(actor=b, report=r4, answer="Perbaikan jalan sudah dijadwalkan.", now=at(7, 1))
    services.report_close(actor=b, report=r4, now=at(7, 2))
    services.report_rate(actor=w.reporter, report=r4, rating=4, now=at(7, 2, 12))
    refresh()
    return w


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    width = len(rows[0])
    return [row + [None] * (width - len(row)) for row in rows]  # trailing empty cells are not stored


def test_page_shows_the_national_figures_of_the_period(semester, client: Client):
    response = client.get(URL, {"periode": "2026-S1"})
    assert response.status_code == 200
    f = response.context["figures"]
    assert (f.received, f.confidential) == (4, 1)
    assert (f.pct_followed_up, f.pct_completed, f.pct_follow_up_on_time) == (75.0, 50.0, 25.0)
    assert (f.satisfaction, f.pct_rating_good) == (4.5, 100.0)
    html = response.content.decode()
    for value in (75.0, 50.0, 25.0, 4.5, 100.0):
        assert f'<span class="n">{localize(value)}' in html
    assert '<li id="headline-received"><span class="n">4</span>' in html


def test_page_tables_hold_the_hand_counted_numbers(semester, client: Client):
    response = client.get(URL, {"periode": "2026-S1"})
    ctx = response.context
    assert ctx["provinces"].rows == [
        ["52", "Nusa Tenggara Barat", 3, 33.33, 0.0],
        ["51", "Bali", 1, 100.0, 100.0],
    ]
    assert ctx["categories"].rows == [["Jalan rusak", 3, 66.67], ["Air bersih", 1, 0.0]]
    assert ctx["channels"].rows == [["Situs web", 2, 100.0], ["SMS 1708", 1, 0.0], ["WhatsApp", 1, 0.0]]
    assert [row[:3] for row in ctx["monthly"].rows] == [
        ["Jan 2026", 0, 0], ["Feb 2026", 0, 0], ["Mar 2026", 1, 1], ["Apr 2026", 2, 0], ["Mei 2026", 0, 0],
        ["Jun 2026", 1, 1],
    ]
    html = response.content.decode()
    assert "Nusa Tenggara Barat" in html and localize(33.33) in html
    for table in TABLES:
        assert f"/statistik/ekspor/{table}.csv?periode=2026-S1" in html
    assert reverse("web:statistics") in client.get(reverse("web:home")).content.decode()


def test_period_links_go_to_the_neighbouring_semesters_and_years(semester, client: Client):
    html = client.get(URL, {"periode": "2026-S1"}).content.decode()
    assert "?periode=2025-S2" in html and "?periode=2026-S2" in html and "?periode=2025" in html


@pytest.mark.parametrize("code", ["2026-S3", "semester", "2026-13", "<script>"])
def test_a_bad_period_is_a_400_with_a_readable_message(world, client: Client, code):
    response = client.get(URL, {"periode": code})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and ("Periode tidak dikenal" in html or "Bulan tidak dikenal" in html)
    assert "<script>" not in html.split("<main", 1)[1]
    assert client.get(reverse("web:statistics_export", args=["provinsi", "csv"]), {"periode": code}).status_code == 400


def test_default_period_is_the_current_semester(world, client: Client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["period"].kind == "semester"


def test_province_map_has_one_path_per_province_with_data(semester, client: Client):
    response = client.get(URL, {"periode": "2026-S1"})
    svg = str(response.context["map_svg"])
    with_data = re.findall(r'<path d="[^"]+" fill="#[0-9a-fA-F]+"><title>([^<]+)</title></path>', svg)
    assert sorted(with_data) == ["Bali: 1", "Nusa Tenggara Barat: 3"]
    # the other provinces are drawn too, hatched as without data
    assert svg.count(": tidak ada data</title></path>") == len(PROVINCES) - 2
    # no data in a semester without reports: still a map, no numbers for any province
    empty = client.get(URL, {"periode": "2025-S1"})
    assert empty.status_code == 200 and empty.context["provinces"].rows == []


def test_map_switches_to_completion_and_to_regencies(semester, client: Client):
    completed = client.get(URL, {"periode": "2026-S1", "ukuran": "selesai"})
    assert completed.status_code == 200 and "selesai" in str(completed.context["map_svg"]).lower()
    regencies = client.get(URL, {"periode": "2026-S1", "peta": "kabkota"})
    assert regencies.status_code == 200
    assert regencies.context["map_table"].rows == [
        ["52.71", "Kota Mataram", 3, 33.33, 0.0],
        ["51.71", "Kota Denpasar", 1, 100.0, 100.0],
    ]


def test_page_and_exports_carry_no_personal_data_or_confidential_content(semester, client: Client):
    bodies = [client.get(URL, {"periode": "2026-S1", "peta": peta}).content for peta in ("provinsi", "kabkota")]
    for table in TABLES:
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("web:statistics_export", args=[table, fmt]), {"periode": "2026-S1"})
            assert response.status_code == 200
            bodies.append(response.content)
            if fmt == "xlsx":
                bodies.append(repr(_xlsx_rows(response.content)).encode())
    for body in bodies:
        text = body.decode("utf-8", errors="replace")
        for secret in SECRETS:
            assert secret not in text
        assert semester.reporter.phone not in text and semester.reporter.email not in text
        assert semester.reporter.last_name not in text


def test_csv_is_utf8_with_bom_and_commas(semester, client: Client):
    response = client.get(reverse("web:statistics_export", args=["provinsi", "csv"]), {"periode": "2026-S1"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="statistik-provinsi-2026-S1.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kode,Provinsi,Diterima")
    assert lines[1] == "52,Nusa Tenggara Barat,3,33.33,0.0"


def test_xlsx_numbers_equal_the_page(semester, client: Client):
    page = client.get(URL, {"periode": "2026-S1"}).context
    expected = {"provinsi": page["provinces"], "kategori": page["categories"], "kanal": page["channels"],
                "bulanan": page["monthly"]}
    for name, table in expected.items():
        response = client.get(reverse("web:statistics_export", args=[name, "xlsx"]), {"periode": "2026-S1"})
        rows = _xlsx_rows(response.content)
        assert rows[0] == table.columns
        assert rows[1:] == table.rows


@pytest.mark.parametrize("path", ["orang.csv", "provinsi.pdf", "laporan.xlsx"])
def test_unknown_table_or_format_is_a_404(world, client: Client, path):
    table, fmt = path.split(".")
    assert client.get(reverse("web:statistics_export", args=[table, fmt])).status_code == 404


def test_page_runs_a_constant_number_of_queries(semester, client: Client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(URL, {"periode": "2026-S1"}).status_code == 200


def test_the_regency_map_travels_compressed_to_a_browser_that_accepts_it(semester, client: Client):
    import gzip

    plain = client.get(URL, {"periode": "2026-S1", "peta": "kabkota"})
    packed = client.get(URL, {"periode": "2026-S1", "peta": "kabkota"}, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    body = gzip.decompress(packed.content)
    assert b"Kota Mataram" in body and b"<svg" in body
    # the page is mostly map shapes: well under a third of its size on the wire
    assert len(packed.content) * 3 < len(plain.content)
