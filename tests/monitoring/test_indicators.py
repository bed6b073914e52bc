"""Indicators on hand-built reports with known answers: transfers, holds, reopening,
confidential reports, boilerplate answers and the period boundary (days are counted in WIB).

March 2025 in WITA (no holiday between 3 and 27 March); working days Mon 3 … Fri 7, Mon 10 …
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from lapor.complaints import handling, services
from lapor.complaints.models import CannedAnswer
from lapor.monitoring import indicators as ind
from lapor.monitoring.models import DailyStat
from lapor.monitoring.periods import parse
from lapor.monitoring.rollups import refresh

from ..factories import make_report

WITA = ZoneInfo("Asia/Makassar")
CANNED = "Terima kasih atas laporan Anda. Petugas kami telah memperbaiki jalan tersebut dan akan terus memantau kondisinya."


def at(day: int, hour: int = 9, month: int = 3, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=WITA)


@pytest.fixture
def march(world):
    w = world
    v, a, b, citizen = w.verifier, w.admin_a, w.admin_b, w.reporter
    CannedAnswer.objects.create(agency=w.agency_a, title="Jalan diperbaiki", body=CANNED)

    def filed(day, hour=8, month=3, minute=0, **kw):
        return make_report(reporter=citizen, region=w.bali_village, category=w.category, now=at(day, hour, month, minute), **kw)

    def disposed(agency, day, **kw):
        return services.report_dispose(actor=v, report=filed(day, **kw), agency=agency, now=at(day))

    r1 = disposed(w.agency_a, 3)
    services.report_follow_up(actor=a, report=r1, answer="Lubang di Jalan Sesetan sudah ditambal hari ini.", now=at(4, 10))
    services.report_close(actor=a, report=r1, now=at(5, 10))
    services.report_rate(actor=citizen, report=r1, rating=5, now=at(5, 12))

    r2 = disposed(w.agency_a, 3)
    handling.report_transfer(actor=a, report=r2, agency=w.agency_b, reason="Lokasi berada di wilayah Kota Mataram.", now=at(4))
    services.report_follow_up(actor=b, report=r2, answer="Sudah kami teruskan ke dinas terkait.", now=at(14))

    r3 = disposed(w.agency_a, 4, is_confidential=True)
    services.report_hold(actor=a, report=r3, question="Mohon kirim foto lokasi yang jelas.", now=at(5))
    services.report_resume(actor=citizen, report=r3, message="Foto sudah saya lampirkan.", now=at(12))
    services.report_follow_up(actor=a, report=r3, answer="Tim sudah meninjau lokasi dan menjadwalkan perbaikan.", now=at(17))

    r4 = disposed(w.agency_a, 5)
    services.report_follow_up(actor=a, report=r4, answer=CANNED.replace("jalan", "jalan nomor 12"), now=at(6))
    services.report_close(actor=a, report=r4, now=at(7))
    services.report_rate(actor=citizen, report=r4, rating=2, now=at(7, 12))
    services.report_appeal(actor=citizen, report=r4, reason="Jalan belum diperbaiki sama sekali.", now=at(7, 13))

    r5 = filed(3)  # never verified
    r6 = filed(1, hour=0, month=4, minute=30)  # 31 March 23:30 WIB: still March
    r7 = filed(1, hour=1, month=4, minute=30)  # 1 April 00:30 WIB
    refresh()
    return w, {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6, "r7": r7}


def test_national_figures_count_each_report_once_in_the_month_it_came_in(march):
    m = ind.total("national", *_span("2025-03"))
    assert (m.received, m.verified, m.completed, m.in_process, m.confidential) == (6, 4, 1, 5, 1)
    assert m.pct_completed == pytest.approx(16.67)
    assert (m.transferred, m.reopened, m.appealed) == (1, 1, 1)
    # the citizen's view: r2 waited past its first agency's deadline; r3's wait on hold is not counted
    assert (m.follow_up_timed, m.follow_up_on_time) == (4, 3)
    # all four were disposed an hour after filing
    assert (m.verified, m.verify_on_time, m.median_verify_hours, m.p90_verify_hours) == (4, 4, 4.0, 4.0)
    assert [row[0] for row in ind.stage_times(m)] == ["Verifikasi dan disposisi", "Tindak lanjut pertama", "Penyelesaian"]
    assert ind.stage_times(m)[0][2:] == ("≤ 4 jam", "≤ 4 jam")
    april = ind.total("national", *_span("2025-04"))
    assert april.received == 1
    assert ind.total("province", *_span("2025-03"), key="51").received == 6
    assert ind.total("regency", *_span("2025-03"), key="51.71").received == 6


def _span(code):
    p = parse(code)
    return p.start, p.end


def test_an_agency_counts_what_it_held_and_is_timed_net_of_holds(march):
    w, _ = march
    a = ind.total("agency", *_span("2025-03"), key=str(w.agency_a.pk))
    # r1, r2 (until transferred), r3, r4
    assert (a.received, a.followed_up, a.transferred, a.completed) == (4, 3, 1, 1)
    # r2 left within a day: not timed against A. r3's follow-up came after 5 working days, but
    # the report waited 5 working days for its reporter: on time.
    assert (a.follow_up_timed, a.follow_up_on_time) == (3, 3)
    assert (a.rated, a.satisfaction, a.pct_rating_good) == (2, 3.5, 50.0)
    assert (a.answered, a.boilerplate) == (3, 1)
    # follow-ups after 25 h, 312 h and 24 h: bins ≤48 h, ≤336 h and ≤24 h
    assert (a.median_follow_up_hours, a.p90_follow_up_hours) == (48.0, 336.0)
    b = ind.total("agency", *_span("2025-03"), key=str(w.agency_b.pk))
    # B got r2 on 4 March and answered on the 14th, after its 11 March deadline
    assert (b.received, b.followed_up, b.follow_up_timed, b.follow_up_on_time) == (1, 1, 1, 0)
    assert b.pct_follow_up_on_time == 0.0


def test_refresh_follows_new_events_into_old_periods_and_repeats_nothing(march):
    w, r = march
    rows = list(DailyStat.objects.order_by("dimension", "key", "day").values())
    again = refresh()
    assert (again["reports"], again["days"], again["rows"]) == (0, 0, 0)
    assert list(DailyStat.objects.order_by("dimension", "key", "day").values()) == rows
    # r5, received in March, is verified in April: March's figures change, April gets the stint
    services.report_dispose(actor=w.verifier, report=r["r5"], agency=w.agency_b, now=at(2, 9, month=4))
    assert refresh()["reports"] == 1
    assert ind.total("national", *_span("2025-03")).verified == 5
    assert ind.total("agency", *_span("2025-04"), key=str(w.agency_b.pk)).received == 1


def test_ranking_and_volume_groups(march):
    w, _ = march
    ranked = ind.ranking(parse("2025-03"), min_volume=1)
    assert [(x.agency.pk, x.rank, x.group, x.rank_in_group) for x in ranked] == [
        (w.agency_a.pk, 1, "kecil", 1), (w.agency_b.pk, 2, "kecil", 2),
    ]
    assert ranked[0].figures.pct_completed == 25.0
    unranked = ind.ranking(parse("2025-03"), min_volume=2)
    assert [(x.agency.pk, x.rank) for x in unranked] == [(w.agency_a.pk, 1), (w.agency_b.pk, None)]


def test_red_marks_name_units_with_late_work(march):
    w, _ = march
    report = services.report_dispose(
        actor=w.verifier, report=make_report(reporter=w.reporter, region=w.bali_village, now=at(10, 8)),
        agency=w.agency_a, now=at(10),
    )
    services.report_forward(actor=w.admin_a, report=report, units=[w.unit_a1], now=at(10, 10))
    marks = ind.red_marks(parse("2025-03"), now=at(27))
    assert [(m.unit_id, m.late_now) for m in marks] == [(w.unit_a1.pk, 1)]
    assert ind.red_marks(parse("2025-03"), agency_ids=[w.agency_b.pk], now=at(27)) == []


def test_early_warning_flags_a_jump_against_its_own_baseline(db):
    today = date(2025, 3, 31)
    for week in range(9):
        day = date.fromordinal(today.toordinal() - 7 * week)
        DailyStat.objects.create(day=day, dimension="category", key="7", received=3 if week else 25)
        DailyStat.objects.create(day=day, dimension="category", key="8", received=30)
    (warning,) = ind.early_warnings(today)
    assert (warning.key, warning.recent, warning.baseline) == ("7", 25, 3.0)


def test_periods_parse_and_name_themselves():
    s = parse("2021-S1")
    assert (s.start, s.end, s.label, s.code) == (date(2021, 1, 1), date(2021, 6, 30), "Semester 1 2021", "2021-S1")
    assert parse("2026-Q4").start == date(2026, 10, 1) and parse("2024-02").end == date(2024, 2, 29)
    assert [m.code for m in s.months()][-1] == "2021-06" and s.previous().code == "2020-S2"
    with pytest.raises(ValueError):
        parse("2026-13")
    with pytest.raises(ValueError):
        parse("semester satu")


def test_the_command_rebuilds_everything_to_the_same_figures(march):
    from io import StringIO

    from django.core.management import call_command

    before = list(DailyStat.objects.order_by("dimension", "key", "day").values_list(
        "dimension", "key", "day", "received", "completed", "follow_up_on_time", "boilerplate", "follow_up_hours"))
    out = StringIO()
    call_command("monitoring-refresh", "--all", stdout=out)
    assert "7 reports re-read" in out.getvalue()
    after = list(DailyStat.objects.order_by("dimension", "key", "day").values_list(
        "dimension", "key", "day", "received", "completed", "follow_up_on_time", "boilerplate", "follow_up_hours"))
    assert after == before


def test_month_rows_and_day_rows_add_up_the_same(march):
    # whole months read month rows, the edges read day rows
    assert ind.total("national", date(2025, 3, 1), date(2025, 4, 30)).received == 7
    assert ind.total("national", date(2025, 2, 20), date(2025, 3, 31)).received == 6
    assert ind.total("national", date(2025, 3, 15), date(2025, 4, 1)).received == 2
    assert ind.total("national", date(2025, 3, 3), date(2025, 3, 3)).received == 3
    months = parse("2025-Q1").months()
    assert [m.received for _, m in ind.monthly("national", "", months)] == [0, 0, 6]
    assert DailyStat.objects.filter(span="m", dimension="national", day=date(2025, 3, 1)).get().received == 6


def test_hours_read_as_words():
    assert [ind.hours_label(h) for h in (None, 8.0, 48.0, 336.0, float("inf"))] == [
        "–", "≤ 8 jam", "≤ 2 hari", "≤ 14 hari", "> 90 hari",
    ]


@pytest.mark.parametrize("answers, counted", [(4, 0), (5, 5)])
def test_an_answer_repeated_word_for_word_counts_as_boilerplate(world, answers, counted):
    for i in range(answers):
        report = make_report(reporter=world.reporter, region=world.bali_village, now=at(3, 8))
        report = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_b, now=at(3))
        services.report_follow_up(
            actor=world.admin_b, report=report, now=at(4),
            answer=f"Laporan nomor {i + 10} sudah kami terima dan akan kami tindak lanjuti sesuai prosedur.",
        )
    refresh()
    b = ind.total("agency", *_span("2025-03"), key=str(world.agency_b.pk))
    assert (b.answered, b.boilerplate) == (answers, counted)
