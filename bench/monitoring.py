"""Monitoring benchmark: how fast each dashboard's figures answer at national scale (PostgreSQL).

Usage: python bench/monitoring.py [--reports 2000000] [--days 730] [--repeat 7] [--keep] [--reuse]

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/lapor_bench_monitoring);
it is dropped and created unless --reuse. The script loads the reference data (all 731 agencies
and their units), inserts N reports spread over the last --days days with INSERT … SELECT, with
their facts and agency stints (10 % moved once between agencies) the same way, builds the daily
rollups with the real code (`rollups.rebuild_days`), then times each dashboard's queries: the
median of --repeat calls after one warm-up. The facts are generated directly, not replayed from
events (the replay runs per changed report, in the worker); the rollups are built by the real
code, and the time per day is printed: the cost of one day made dirty by new events. Nothing here
is asserted by the tests.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sweep import Server, scalar, sql  # the same helpers, beside this file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lapor_bench_monitoring"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=2_000_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="measure on a kept database without generating")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --reuse: migrate and rebuild the rollups from the kept facts before measuring")
    return parser.parse_args()


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    print(f"  {label:<60}{time.perf_counter() - start:>8.1f} s", flush=True)
    return value


def generate(args) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    quiet = open(os.devnull, "w")
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    timed("reference-data", lambda: call_command("reference-data", stdout=quiet))
    now = timezone.now().replace(microsecond=0)
    params = {"now": now, "n": args.reports, "days": args.days}
    sql("SELECT setseed(0.2026)")
    sql("""CREATE TEMP TABLE b_units AS
           SELECT row_number() OVER (ORDER BY md5(u.id::text)) AS i, u.id, u.agency_id, a.region_id
           FROM accounts_unit u JOIN accounts_agency a ON a.id = u.agency_id
           WHERE u.is_active AND a.is_active AND a.region_id IS NOT NULL""")
    sql("""CREATE TEMP TABLE b_agencies AS
           SELECT row_number() OVER (ORDER BY md5(id::text)) AS i, id FROM accounts_agency WHERE is_active""")
    sql("""CREATE TEMP TABLE b_categories AS
           SELECT row_number() OVER (ORDER BY id) AS i, id, COALESCE(parent_id, id) AS root FROM complaints_category""")
    for table in ("b_units", "b_agencies", "b_categories"):
        sql(f"CREATE UNIQUE INDEX ON {table} (i)")
        sql(f"ANALYZE {table}")
    n_units, n_agencies = scalar("SELECT count(*) FROM b_units"), scalar("SELECT count(*) FROM b_agencies")
    n_categories = scalar("SELECT count(*) FROM b_categories")
    # One row per report with its random draws and its dates.
    timed("plan (random draws)", lambda: sql(f"""
        CREATE TEMP TABLE b_plan AS
        SELECT g, random() AS x_unit, random() AS x_state, random() AS x_speed, random() AS x_misc,
               %(now)s - (power(random(), 0.8) * %(days)s) * interval '1 day' AS created_at
        FROM generate_series(1, %(n)s) g""", params))
    timed(f"reports ({args.reports:,}, INSERT … SELECT)", lambda: sql(f"""
        INSERT INTO complaints_report (
          id, created_at, updated_at, tracking_id, kind, title, original_title, original_text, text, channel,
          contact_name, contact_phone, contact_email, secret_hash, is_anonymous, is_confidential, status,
          held_from_status, transfer_count, closure, rating_comment, reporter_gender, reporter_age_group,
          flag_reason, contact_language, escalation_level, category_id, current_agency_id, current_unit_id,
          region_id, stage_due_at, rating, archive_reason_id)
        SELECT p.g, p.created_at, p.created_at, 'BENCH-' || p.g,
          (ARRAY['complaint','complaint','complaint','aspiration','information'])[1 + p.g % 5],
          'Laporan ' || p.g, '', 'isi', 'isi',
          (ARRAY['web','web','mobile','sms','whatsapp','email','social','call_center'])[1 + p.g % 8],
          '', '', '', '', p.g % 10 = 0, p.g % 20 = 0,
          CASE WHEN x_state < .80 THEN 'completed' WHEN x_state < .85 THEN 'archived'
               WHEN x_state < .92 THEN 'forwarded' ELSE 'disposed' END,
          '', (p.g % 10 = 1)::int, '', '',
          (ARRAY['perempuan','laki-laki',''])[1 + p.g % 3], (ARRAY['18-25','26-40','41-60','60+',''])[1 + p.g % 5],
          '', 'id', 0, c.id, u.agency_id, u.id, u.region_id,
          CASE WHEN x_state >= .85 THEN p.created_at + (1 + 9 * x_speed) * interval '1 day' END,
          CASE WHEN x_state < .80 AND p.g % 3 = 0 THEN 1 + (p.g % 5) END,
          CASE WHEN x_state >= .80 AND x_state < .85 THEN (SELECT min(id) FROM complaints_archivereason) END
        FROM b_plan p
        JOIN b_units u ON u.i = 1 + floor(power(p.x_unit, 1.6) * {n_units})::int
        JOIN b_categories c ON c.i = 1 + (p.g * 7) % {n_categories}"""))
    timed("report facts (INSERT … SELECT)", lambda: sql("""
        INSERT INTO monitoring_reportfact (
          report_id, day, received_at, kind, channel, province, regency, category_root_id, is_confidential,
          gender, age_group, disability, status, verified_at, verify_due_at, first_follow_up_at,
          follow_up_due_at, completed_at, completion_due_at, archived_at, transfers, reopened, appealed,
          was_held, rating, agency_id, answer_fingerprint, answer_canned)
        SELECT r.id, (r.created_at AT TIME ZONE 'Asia/Jakarta')::date, r.created_at, r.kind, r.channel,
          substr(r.region_id, 1, 2), CASE WHEN length(r.region_id) >= 5 THEN substr(r.region_id, 1, 5) ELSE '' END, c.root, r.is_confidential,
          r.reporter_gender, r.reporter_age_group, CASE WHEN r.id % 50 = 0 THEN true END, r.status,
          r.created_at + (0.5 + 3 * p.x_speed) * interval '1 day', r.created_at + interval '3 days',
          CASE WHEN r.status <> 'archived' AND p.x_speed < .9 THEN r.created_at + (1 + 8 * p.x_speed) * interval '1 day' END,
          r.created_at + interval '8 days',
          CASE WHEN r.status = 'completed' THEN r.created_at + (2 + 50 * p.x_speed) * interval '1 day' END,
          r.created_at + interval '60 days',
          CASE WHEN r.status = 'archived' THEN r.created_at + interval '4 days' END,
          r.transfer_count, (r.id % 97 = 0)::int, r.id % 97 = 0, r.id % 13 = 0, r.rating, r.current_agency_id,
          CASE WHEN p.x_speed < .9 THEN md5((r.id % 5000)::text) ELSE '' END, r.id % 17 = 0
        FROM complaints_report r JOIN b_plan p ON p.g = r.id JOIN b_categories c ON c.id = r.category_id"""))
    timed("agency stints (INSERT … SELECT; 10 % transferred)", lambda: sql(f"""
        INSERT INTO monitoring_agencystint (
          report_id, seq, agency_id, unit_id, day, started_at, follow_up_due_at, first_follow_up_at, ended_at,
          "end", completed_at, answer_fingerprint, answer_canned)
        SELECT f.report_id, 1, a.id, NULL, f.day, f.received_at + interval '1 day', f.received_at + interval '8 days',
          NULL, f.received_at + interval '2 days', 'transferred', NULL, '', false
        FROM monitoring_reportfact f JOIN b_plan p ON p.g = f.report_id
        JOIN b_agencies a ON a.i = 1 + floor(p.x_misc * {n_agencies})::int
        WHERE f.transfers > 0
        UNION ALL
        SELECT f.report_id, 1 + (f.transfers > 0)::int, r.current_agency_id, r.current_unit_id,
          (f.verified_at AT TIME ZONE 'Asia/Jakarta')::date, f.verified_at, f.follow_up_due_at, f.first_follow_up_at,
          COALESCE(f.completed_at, f.archived_at),
          CASE WHEN f.completed_at IS NOT NULL THEN 'completed' WHEN f.archived_at IS NOT NULL THEN 'archived' ELSE '' END,
          f.completed_at, f.answer_fingerprint, f.answer_canned
        FROM monitoring_reportfact f JOIN complaints_report r ON r.id = f.report_id"""))
    sql("SELECT setval(pg_get_serial_sequence('complaints_report', 'id'), (SELECT max(id) FROM complaints_report))")
    for table in ("complaints_report", "monitoring_reportfact", "monitoring_agencystint"):
        timed(f"VACUUM ANALYZE {table}", lambda t=table: sql(f"VACUUM ANALYZE {t}"))


def build_rollups() -> None:
    from lapor.monitoring.models import AgencyStint, DailyStat, ReportFact
    from lapor.monitoring.rollups import rebuild_days

    days = set(ReportFact.objects.values_list("day", flat=True).distinct())
    days |= set(AgencyStint.objects.values_list("day", flat=True).distinct())
    start = time.perf_counter()
    rows = rebuild_days(days)
    seconds = time.perf_counter() - start
    print(f"  daily rollups: {len(days)} days, {rows:,} rows in {seconds:.1f} s "
          f"({seconds / len(days) * 1000:.0f} ms per day, the cost of one day made dirty by new events)")
    sql("VACUUM ANALYZE monitoring_dailystat")
    print(f"  monitoring_dailystat: {DailyStat.objects.count():,} rows")


def dashboards() -> dict:
    """What each page asks for, as the page asks for it."""
    from django.utils import timezone

    from lapor.accounts.models import Agency, Unit
    from lapor.monitoring import indicators as ind
    from lapor.monitoring.periods import containing

    today = timezone.localdate()
    semester = containing("semester", today).previous()  # a whole semester
    year = containing("year", today)
    months = containing("year", today).months()
    by_agency = ind.indicators("agency", year.start, year.end)
    busiest = Agency.objects.get(pk=int(max(by_agency.items(), key=lambda kv: kv[1].received)[0]))
    unit_ids = list(Unit.objects.filter(agency=busiest).values_list("pk", flat=True))
    return {
        "evaluation: ranking of all agencies, one semester": lambda: ind.ranking(semester, min_volume=10),
        "evaluation: red marks (late units now + slow units)": lambda: ind.red_marks(semester),
        "  the same counted live (no worker has counted late work)": lambda: ind.red_marks(
            semester, now=timezone.now()),
        "national dashboard: headline with percentiles, semester": lambda: ind.total("national", semester.start, semester.end),
        "national dashboard: per province, semester": lambda: ind.indicators("province", semester.start, semester.end),
        "national dashboard: 12 months series": lambda: ind.monthly("national", "", months),
        "agency dashboard: busiest agency headline, year": lambda: ind.total("agency", year.start, year.end, str(busiest.pk)),
        "agency dashboard: its units, year": lambda: ind.indicators("unit", year.start, year.end, keys=unit_ids),
        "monitoring room: today + late now + early warnings": lambda: (
            ind.total("national", today, today), ind.late_count(), ind.early_warnings(today)),
        "trends: 12 months for every top-level category": lambda: ind.monthly_by_key("category", months),
        "public: per regency/city, year": lambda: ind.indicators("regency", year.start, year.end),
        "public: per category and per channel, year": lambda: (
            ind.indicators("category", year.start, year.end), ind.indicators("channel", year.start, year.end)),
        "inclusion: gender, age group, disability, year": lambda: [
            ind.indicators(d, year.start, year.end) for d in ("gender", "age", "disability")],
    }


def measure(repeat: int) -> None:
    print(f"\nlatency per dashboard (median of {repeat} after one warm-up; target under 200 ms):")
    worst = 0.0
    for label, fn in dashboards().items():
        fn()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"  {label:<60}{median:>8.1f} ms  (max {max(times):.1f})")
    print(f"slowest dashboard: {worst:.1f} ms")


def main() -> None:
    args = parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("LAPOR_DATA_DIR", tempfile.mkdtemp(prefix="lapor-bench-monitoring-"))
    os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    server = Server(url)
    import django

    django.setup()
    from django.db import connection

    print(f"lapor monitoring benchmark · PostgreSQL {server.version() // 10000} · {os.cpu_count()} cores\n")
    if not args.reuse:
        server.drop(server.name)
        server.create(server.name)
        print(f"generating {args.reports:,} reports over {args.days} days in {server.name}")
        generate(args)
        build_rollups()
    elif args.rebuild:
        from django.core.management import call_command

        timed("migrate", lambda: call_command("migrate", verbosity=0))
        build_rollups()
    reports = scalar("SELECT count(*) FROM complaints_report")
    agencies = scalar("SELECT count(DISTINCT agency_id) FROM monitoring_agencystint")
    print(f"\ndata set: {reports:,} reports, {agencies} agencies holding reports, "
          f"{scalar('SELECT count(*) FROM monitoring_agencystint'):,} stints, "
          f"{scalar('SELECT count(*) FROM monitoring_dailystat'):,} rollup rows")
    from lapor.monitoring.late import count_late

    # What the worker does every 5 minutes; the pages read its count while it is fresh.
    timed("count late work per agency and unit (the refresh job's step)", count_late)
    measure(args.repeat)
    connection.close()
    if not args.keep:
        server.drop(server.name)


if __name__ == "__main__":
    main()
