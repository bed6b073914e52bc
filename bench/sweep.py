"""Escalation-sweep benchmark: `lapor.sla.sweep.run_sweep` over N open reports on PostgreSQL.

Usage: python bench/sweep.py [--reports 1000000] [--runs 3] [--batch-size 2000] [--keep] [--reuse]
                             [--explain] [--profile]

DATABASE_URL names the database the sweep runs in (default
postgres://postgres@127.0.0.1:5432/lapor_bench_sweep). The script generates the data once into
that database with set-based SQL, renames it to `<name>_seed`, and runs every measurement on a
fresh copy (`CREATE DATABASE <name> TEMPLATE <name>_seed`), so each run starts from the same
state. `--keep` keeps both databases; `--reuse` measures again on a kept seed without generating.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lapor_bench_sweep"
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REPORTER_ACCOUNTS = 20_000

# Shares of the late reports (--late) by what the sweep must do with them.
LATE_SPLIT = {
    "late_recent": 0.40,  # agency stage, late for less than ESCALATE_AFTER working days → agency admin
    "late_very": 0.25,  # agency stage, very late, never escalated → coordinator
    "late_very_level1": 0.15,  # escalated to the agency admin earlier, now very late → coordinator
    "late_verifier": 0.10,  # received, verification overdue → national verifiers
    "late_done": 0.10,  # already at the coordinator: nothing left to do
}
EXPECTED = {
    "closed": ("followup_expired",),
    "archived": ("hold_expired",),
    "escalated_to_agency": ("late_recent",),
    "escalated_to_coordinator": ("late_very", "late_very_level1", "late_verifier"),
    "reminded": ("due_soon",),
}

TITLES = [
    "Jalan berlubang di depan pasar",
    "Lampu penerangan jalan mati sebulan",
    "Pelayanan KTP elektronik lambat",
    "Sampah menumpuk di tepi sungai",
    "Bantuan sosial tidak tepat sasaran",
    "Antrean panjang di puskesmas",
    "Pungutan liar saat mengurus izin usaha",
    "Saluran air tersumbat, rumah warga banjir",
    "Guru sering tidak hadir di sekolah",
    "Air PDAM tidak mengalir tiga hari",
]
SENTENCES = [
    "Kondisi ini sudah berlangsung beberapa bulan dan belum ada tindakan dari dinas terkait.",
    "Warga sudah menyampaikan keluhan ini ke kelurahan tetapi belum ada tanggapan.",
    "Kalau hujan genangan air menutup lubang sehingga pengendara motor sering jatuh.",
    "Kami mohon pemerintah segera memeriksa lokasi dan memperbaikinya sebelum ada korban.",
    "Petugas meminta biaya tambahan di luar ketentuan tanpa memberikan kuitansi resmi.",
    "Anak-anak sekolah melewati jalan ini setiap pagi dan sangat membahayakan.",
    "Mohon informasi kapan masalah ini akan ditangani dan siapa yang bertanggung jawab.",
    "Kami sudah menunggu lebih dari dua minggu tanpa kepastian jadwal pelayanan.",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1_000_000, help="open reports to generate")
    parser.add_argument("--late", type=float, default=0.03, help="share of reports past their stage deadline")
    parser.add_argument("--due-soon", type=float, default=0.01, help="share due within the reminder window")
    parser.add_argument("--expired-follow-ups", type=float, default=0.005, help="share past auto-close")
    parser.add_argument("--expired-holds", type=float, default=0.002, help="share held longer than the period")
    parser.add_argument("--runs", type=int, default=3, help="timed runs, each on a fresh copy")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--workers", default="1,2",
                        help="SWEEP_WORKERS settings to compare, comma-separated (each measured on fresh copies)")
    parser.add_argument("--keep", action="store_true", help="keep the seed and the last copy")
    parser.add_argument("--reuse", action="store_true", help="measure on the seed kept by an earlier --keep")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the sweep's costliest queries")
    parser.add_argument("--profile", action="store_true", help="one more run under cProfile")
    return parser.parse_args()


# --- databases --------------------------------------------------------------------------------


class Server:
    """CREATE / DROP / copy databases through the `postgres` maintenance database."""

    def __init__(self, url: str):
        import dj_database_url

        cfg = dj_database_url.parse(url)
        if "postgresql" not in cfg["ENGINE"]:
            sys.exit("bench/sweep.py measures PostgreSQL: DATABASE_URL must be postgres://…")
        self.name = cfg["NAME"]
        self.seed = f"{self.name}_seed"
        self.params = {k: v for k, v in {
            "host": cfg.get("HOST"), "port": cfg.get("PORT"), "user": cfg.get("USER"), "password": cfg.get("PASSWORD"),
        }.items() if v}

    def _run(self, sql: str):
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else None

    def exists(self, name: str) -> bool:
        return bool(self._run(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))

    def drop(self, name: str) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{name}"')

    def create(self, name: str, template: str | None = None) -> None:
        strategy = " STRATEGY = FILE_COPY" if template and self.version() >= 150000 else ""
        self._run(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"{strategy}' if template else ""))

    def rename(self, old: str, new: str) -> None:
        self._run(f'ALTER DATABASE "{old}" RENAME TO "{new}"')

    def version(self) -> int:
        return int(self._run("SELECT current_setting('server_version_num')")[0][0])


def fresh_copy(server: Server) -> None:
    from django.db import connections

    connections.close_all()
    server.drop(server.name)
    server.create(server.name, template=server.seed)


def sql(statement: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def scalar(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    print(f"  {label:<52}{time.perf_counter() - start:>8.1f} s", flush=True)
    return value


# --- the data set -----------------------------------------------------------------------------


def plan(args) -> dict[str, int]:
    n = args.reports
    late = round(n * args.late)
    counts = {name: round(late * share) for name, share in LATE_SPLIT.items()}
    counts["late_done"] = late - sum(v for k, v in counts.items() if k != "late_done")
    counts["due_soon"] = round(n * args.due_soon)
    counts["due_soon_reminded"] = round(n * args.due_soon / 2)  # reminded by an earlier run: skipped
    counts["followup_expired"] = round(n * args.expired_follow_ups)
    counts["hold_expired"] = round(n * args.expired_holds)
    counts["on_time"] = n - sum(counts.values())
    if counts["on_time"] < 0:
        sys.exit("the shares add up to more than all reports")
    return counts


def thresholds(now: datetime) -> dict[str, datetime]:
    """The moments the sweep compares with, computed by the sweep's own functions."""
    from django.conf import settings

    from lapor.complaints.automatic import hold_expiry
    from lapor.sla.calendar import working_days_ago
    from lapor.sla.reminders import reminder_horizon

    return {
        "now": now,
        "very_late": working_days_ago(now, settings.LAPOR["ESCALATE_AFTER_WORKING_DAYS"] + 1),
        "horizon": reminder_horizon(now),
        "hold_expiry": hold_expiry(now),
    }


def create_people() -> dict[str, int]:
    """Recipients: an admin per agency, officers for every second unit, verifiers, citizens."""
    from django.contrib.auth.hashers import make_password

    from lapor.accounts.models import Agency, Role, Unit, User

    unusable = make_password(None)
    users = [
        User(username=f"bench.verifikator.{i}", email=f"verifikator{i}@example.com", role=Role.VERIFIER, password=unusable)
        for i in range(1, 4)
    ]
    for pk, code in Agency.objects.values_list("pk", "code"):
        users.append(User(username=f"bench.admin.{code}"[:150], email=f"admin.{code}@example.com"[:254],
                          role=Role.AGENCY_ADMIN, agency_id=pk, password=unusable))
    for pk, agency_id in Unit.objects.filter(is_active=True).order_by("pk").values_list("pk", "agency_id")[::2]:
        users.append(User(username=f"bench.unit.{pk}", email=f"unit{pk}@example.com", phone=f"0812{pk:08d}",
                          role=Role.UNIT_OFFICER, agency_id=agency_id, unit_id=pk, password=unusable))
    for i in range(1, REPORTER_ACCOUNTS + 1):
        users.append(User(username=f"bench.pelapor.{i}", email=f"pelapor{i}@example.com" if i % 3 else "",
                          phone=f"0857{i:08d}" if i % 2 else "", role=Role.REPORTER, password=unusable))
    User.objects.bulk_create(users, batch_size=2000)
    return dict(sorted((str(Role(r)), len([u for u in users if u.role == r])) for r in {u.role for u in users}))


def _tracking_sql(expr: str) -> str:
    """A unique LAP-XXXX-XXXX from a row number: an odd multiplier and an xor permute 40 bits."""
    x = f"((({expr})::bigint * 2654435761) # 750599155207) & 1099511627775"
    chars = [f"substr('{TRACKING_ALPHABET}', ((({x}) >> {35 - 5 * k}) & 31)::int + 1, 1)" for k in range(8)]
    return "'LAP-' || " + " || ".join(chars[:4]) + " || '-' || " + " || ".join(chars[4:])


def generate_reports(counts: dict[str, int], moments: dict[str, datetime]) -> None:
    """Insert the reports with INSERT … SELECT: shuffled categories, skewed over units/agencies."""
    n = sum(counts.values())
    bounds, upper = [], 0
    for name, count in counts.items():
        upper += count
        bounds.append(f"WHEN r <= {upper} THEN '{name}'")
    sql("SELECT setseed(0.2025)")
    sql(f"""
        CREATE TEMP TABLE bench_plan AS
        WITH shuffled AS (SELECT g, row_number() OVER (ORDER BY random()) AS r FROM generate_series(1, {n}) g)
        SELECT g, CASE {' '.join(bounds)} END AS cat,
               random() AS x_status, random() AS x_due, random() AS x_agency, random() AS x_unit,
               random() AS x_pick, random() AS x_misc, random() AS x_contact, random() AS x_created
        FROM shuffled
    """)
    # The handling units (and their agencies) in a shuffled order; a power law makes some busy.
    sql("""CREATE TEMP TABLE bench_units AS
           SELECT row_number() OVER (ORDER BY md5(u.id::text)) AS i, u.id, u.agency_id, a.region_id
           FROM accounts_unit u JOIN accounts_agency a ON a.id = u.agency_id WHERE u.is_active AND a.is_active""")
    sql("""CREATE TEMP TABLE bench_agencies AS
           SELECT row_number() OVER (ORDER BY md5(id::text)) AS i, id, region_id FROM accounts_agency WHERE is_active""")
    sql("""CREATE TEMP TABLE bench_reporters AS
           SELECT row_number() OVER (ORDER BY id) AS i, id FROM accounts_user WHERE username LIKE 'bench.pelapor.%'""")
    sql("CREATE TEMP TABLE bench_categories AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM complaints_category")
    for table in ("bench_units", "bench_agencies", "bench_reporters", "bench_categories"):
        sql(f"CREATE UNIQUE INDEX ON {table} (i)")
        sql(f"ANALYZE {table}")
    n_units, n_agencies = scalar("SELECT count(*) FROM bench_units"), scalar("SELECT count(*) FROM bench_agencies")
    n_reporters, n_categories = scalar("SELECT count(*) FROM bench_reporters"), scalar("SELECT count(*) FROM bench_categories")

    on_time_status = """CASE WHEN x_status < .12 THEN 'received' WHEN x_status < .34 THEN 'disposed'
        WHEN x_status < .69 THEN 'forwarded' WHEN x_status < .81 THEN 'followed_up'
        WHEN x_status < .86 THEN 'reporter_replied' WHEN x_status < .94 THEN 'on_hold' ELSE 'appealed' END"""
    agency_status = """CASE WHEN x_status < .30 THEN 'disposed' WHEN x_status < .80 THEN 'forwarded'
        WHEN x_status < .92 THEN 'reporter_replied' ELSE 'appealed' END"""
    sql(f"""
        CREATE TEMP TABLE bench_rows AS
        SELECT s.*, CASE WHEN status = 'on_hold'
                         THEN CASE WHEN x_misc < .4 THEN 'received' WHEN x_misc < .7 THEN 'disposed' ELSE 'forwarded' END
                         ELSE '' END AS held_from
        FROM (SELECT p.*, CASE cat WHEN 'late_verifier' THEN 'received' WHEN 'followup_expired' THEN 'followed_up'
                                   WHEN 'hold_expired' THEN 'on_hold' WHEN 'on_time' THEN {on_time_status}
                                   ELSE {agency_status} END AS status
              FROM bench_plan p) s
    """)
    sql("""
        CREATE TEMP TABLE bench_dated AS
        SELECT r.*,
          CASE WHEN status = 'on_hold' THEN NULL
               WHEN cat = 'late_recent' THEN %(very_late)s + (%(now)s - %(very_late)s) * (0.01 + 0.98 * x_due)
               WHEN cat IN ('late_very', 'late_very_level1', 'late_done')
                    THEN %(very_late)s - interval '1 minute' - x_due * interval '30 days'
               WHEN cat = 'late_verifier' THEN %(now)s - interval '1 minute' - x_due * interval '10 days'
               WHEN cat IN ('due_soon', 'due_soon_reminded') THEN %(now)s + (%(horizon)s - %(now)s) * (0.01 + 0.99 * x_due)
               WHEN cat = 'followup_expired' THEN %(now)s - interval '1 minute' - x_due * interval '20 days'
               WHEN status = 'received' THEN %(now)s + interval '1 minute' + x_due * interval '5 days'
               WHEN status = 'followed_up' THEN %(now)s + interval '1 minute' + x_due * interval '14 days'
               ELSE %(horizon)s + interval '1 minute' + x_due * interval '40 days' END AS due,
          CASE WHEN cat = 'hold_expired' THEN %(hold_expiry)s - interval '1 minute' - x_due * interval '30 days'
               WHEN status = 'on_hold' THEN %(hold_expiry)s + (%(now)s - %(hold_expiry)s) * (0.01 + 0.98 * x_due)
               END AS held,
          COALESCE(NULLIF(held_from, ''), status) AS holder,
          (x_agency < .85 OR COALESCE(NULLIF(held_from, ''), status) = 'forwarded') AS via_unit
        FROM bench_rows r
    """, moments)
    text = " || ' ' || ".join(f"(ARRAY{SENTENCES!r})[1 + (g * {p}) %% {len(SENTENCES)}]" for p in (1, 3, 5, 7))
    sql(f"""
        INSERT INTO complaints_report (
          created_at, updated_at, tracking_id, kind, title, original_title, original_text, text, channel,
          contact_name, contact_phone, contact_email, secret_hash, is_anonymous, is_confidential,
          status, held_from_status, transfer_count, closure, stage_due_at, completion_due_at, disposed_at,
          followed_up_at, rating, rating_comment, rated_at, appealed_at, reporter_gender, reporter_age_group,
          category_id, current_agency_id, current_unit_id, region_id, reporter_id, flag_reason,
          reminded_due_at, contact_language, escalation_level, held_at, held_stage_due_at)
        SELECT c.created_at, c.created_at + (%(now)s - c.created_at) * 0.7, {_tracking_sql('d.g')},
          CASE WHEN x_misc < .75 THEN 'complaint' WHEN x_misc < .9 THEN 'aspiration' ELSE 'information' END,
          (ARRAY{TITLES!r})[1 + d.g %% {len(TITLES)}], '', {text}, {text},
          (ARRAY['web','web','web','mobile','mobile','sms','whatsapp','email','social','call_center'])[1 + d.g %% 10],
          CASE WHEN rp.id IS NULL THEN 'Warga ' || d.g ELSE '' END,
          CASE WHEN rp.id IS NULL AND x_contact >= .7 THEN '0813' || lpad((d.g %% 100000000)::text, 8, '0') ELSE '' END,
          CASE WHEN rp.id IS NULL AND x_contact < .82 THEN 'warga' || d.g || '@example.com' ELSE '' END,
          CASE WHEN rp.id IS NULL THEN md5(d.g::text) || md5((d.g + 1)::text) ELSE '' END,
          x_created < .1, x_created > .95,
          status, held_from, 0, '', due, c.created_at + interval '60 days',
          CASE WHEN holder <> 'received' THEN c.created_at + (%(now)s - c.created_at) * 0.2 END,
          CASE WHEN status IN ('followed_up', 'reporter_replied', 'appealed') THEN c.created_at + (%(now)s - c.created_at) * 0.5 END,
          CASE WHEN status = 'appealed' THEN 1 + (d.g %% 2) END, '',
          CASE WHEN status = 'appealed' THEN c.created_at + (%(now)s - c.created_at) * 0.6 END,
          CASE WHEN status = 'appealed' THEN c.created_at + (%(now)s - c.created_at) * 0.6 END,
          '', '', cat.id,
          CASE WHEN holder = 'received' THEN NULL WHEN via_unit THEN u.agency_id ELSE a.id END,
          CASE WHEN holder = 'forwarded' THEN u.id
               WHEN status IN ('followed_up', 'reporter_replied', 'appealed') AND via_unit AND d.g %% 5 < 3 THEN u.id END,
          CASE WHEN holder = 'received' THEN NULL WHEN via_unit THEN u.region_id ELSE a.region_id END,
          rp.id, '',
          CASE WHEN d.cat IN ('due_soon_reminded', 'late_recent', 'late_very', 'late_very_level1', 'late_done')
                    AND holder <> 'received' THEN due END,
          CASE WHEN d.g %% 20 = 0 THEN 'en' ELSE 'id' END,
          CASE d.cat WHEN 'late_very_level1' THEN 1 WHEN 'late_done' THEN 2 ELSE 0 END,
          held, CASE WHEN held IS NOT NULL THEN held + interval '3 days' END
        FROM bench_dated d
        CROSS JOIN LATERAL (SELECT LEAST(%(now)s - interval '2 hours', COALESCE(d.due, d.held) - interval '3 days')
                                   - x_created * CASE WHEN d.status = 'received' THEN interval '1 day'
                                                      ELSE interval '30 days' END AS created_at) c
        JOIN bench_units u ON u.i = 1 + floor(power(d.x_pick, 1.6) * {n_units})::int
        JOIN bench_agencies a ON a.i = 1 + floor(d.x_unit * {n_agencies})::int
        JOIN bench_categories cat ON cat.i = 1 + (d.g * 7) %% {n_categories}
        LEFT JOIN bench_reporters rp ON d.x_contact < .4 AND rp.i = 1 + (d.g * 13) %% {n_reporters}
        ORDER BY d.g
    """, moments)


def generate_history() -> None:
    """The events before the sweep (submitted; disposed for the verified) and lead assignments."""
    sql("""
        INSERT INTO complaints_reportevent (type, actor_role, from_status, to_status, changes, message, is_public,
                                            created_at, actor_id, agency_id, unit_id, report_id)
        SELECT 'report.submitted', 'reporter', '', 'received', '{}'::jsonb, '', true, created_at, reporter_id, NULL::bigint, NULL::bigint, id
        FROM complaints_report
        UNION ALL
        SELECT 'report.disposed', 'verifier', 'received', 'disposed', '{}'::jsonb, '', true, disposed_at, NULL::bigint,
               current_agency_id, NULL, id
        FROM complaints_report WHERE disposed_at IS NOT NULL
    """)
    sql("""
        INSERT INTO complaints_reportassignment (report_id, unit_id, is_lead, is_active, assigned_at)
        SELECT id, current_unit_id, true, true, COALESCE(disposed_at, created_at)
        FROM complaints_report WHERE current_unit_id IS NOT NULL
    """)


def generate(args, server: Server) -> None:
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    counts = plan(args)
    print(f"generating {args.reports:,} open reports in {server.name} (then renamed {server.seed})")
    quiet = open(os.devnull, "w")
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    timed("reference-data", lambda: call_command("reference-data", stdout=quiet))
    now = timezone.now().replace(microsecond=0)
    moments = thresholds(now)  # after reference-data: the calendar reads the days admins added
    print("  sweep moment " + ", ".join(f"{k} {v.isoformat()}" for k, v in moments.items()))
    people = timed("accounts (admins, officers, verifiers, reporters)", create_people)
    timed(f"reports ({args.reports:,}, INSERT … SELECT)", lambda: generate_reports(counts, moments))
    timed("events and assignments (INSERT … SELECT)", generate_history)
    sql("CREATE TABLE bench_sweep_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
    sql("INSERT INTO bench_sweep_meta VALUES ('now', %s), ('counts', %s)", [json.dumps(now.isoformat()), json.dumps(counts)])
    for table in ("complaints_report", "complaints_reportevent", "complaints_reportassignment", "accounts_user"):
        timed(f"VACUUM ANALYZE {table}", lambda t=table: sql(f"VACUUM ANALYZE {t}"))
    print("  accounts: " + ", ".join(f"{k} {v:,}" for k, v in people.items()))
    connections.close_all()
    server.rename(server.name, server.seed)


def describe() -> tuple[datetime, dict]:
    from django.db import connection

    now = datetime.fromisoformat(scalar("SELECT value #>> '{}' FROM bench_sweep_meta WHERE key = 'now'"))
    counts = scalar("SELECT value FROM bench_sweep_meta WHERE key = 'counts'")
    counts = json.loads(counts) if isinstance(counts, str) else counts
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM complaints_report GROUP BY status ORDER BY 2 DESC")
        by_status = cursor.fetchall()
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('complaints_report')), "
                       "(SELECT count(*) FROM complaints_reportevent), (SELECT count(DISTINCT current_agency_id) "
                       "FROM complaints_report)")
        size, events, agencies = cursor.fetchone()
    total = sum(c for _, c in by_status)
    print(f"\ndata set: {total:,} open reports ({size} with indexes), {events:,} earlier events, "
          f"{agencies} agencies handling; sweep moment {now.isoformat()}")
    print("  by status: " + ", ".join(f"{s} {c:,}" for s, c in by_status))
    print("  by what the sweep must do: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return now, counts


# --- measuring --------------------------------------------------------------------------------


class QueryLog:
    """Counts queries and their time by SQL text (an execute_wrapper)."""

    def __init__(self):
        self.stats = defaultdict(lambda: [0, 0.0, None])

    def __call__(self, execute, sql_text, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            # One entry per statement shape: IN lists and multi-row VALUES of any length together.
            shape = re.sub(r"\((?:%s, )+%s\)", "(%s, …)", sql_text)
            shape = re.sub(r"(?:\(%s, …\), )+\(%s, …\)", "(%s, …), …", shape)
            entry = self.stats[shape]
            entry[0] += 1
            entry[1] += time.perf_counter() - start
            if entry[2] is None:
                entry[2] = (sql_text, params)

    @property
    def count(self) -> int:
        return sum(e[0] for e in self.stats.values())

    @property
    def seconds(self) -> float:
        return sum(e[1] for e in self.stats.values())

    def top(self, k: int = 12):
        return sorted(self.stats.items(), key=lambda kv: -kv[1][1])[:k]


STEPS = ("close_unanswered", "archive_unfinished_holds", "escalate_late", "remind_due_soon")


def run_once(now: datetime, batch_size: int, step_times: dict) -> tuple[dict, float, QueryLog]:
    """One run_sweep, its wall time, and the queries it made; step_times gets each step's seconds."""
    from django.db import connection

    from lapor.sla import sweep

    originals = {name: getattr(sweep, name) for name in STEPS}

    def timing(name, fn):
        def wrapped(**kwargs):
            start = time.perf_counter()
            try:
                return fn(**kwargs)
            finally:
                step_times[name] = time.perf_counter() - start
        return wrapped

    log = QueryLog()
    for name, fn in originals.items():
        setattr(sweep, name, timing(name, fn))
    try:
        with connection.execute_wrapper(log):
            start = time.perf_counter()
            result = sweep.run_sweep(now=now, batch_size=batch_size)
            elapsed = time.perf_counter() - start
    finally:
        for name, fn in originals.items():
            setattr(sweep, name, fn)
    return result, elapsed, log


def written_since(marks: dict) -> dict:
    return {
        "events": scalar("SELECT count(*) FROM complaints_reportevent WHERE id > %s", [marks["events"]]),
        "outbox": scalar("SELECT count(*) FROM notifications_outboxmessage WHERE id > %s", [marks["outbox"]]),
    }


def marks() -> dict:
    return {
        "events": scalar("SELECT COALESCE(max(id), 0) FROM complaints_reportevent"),
        "outbox": scalar("SELECT COALESCE(max(id), 0) FROM notifications_outboxmessage"),
    }


def measure(now: datetime, counts: dict, batch_size: int, label: str) -> dict:
    from django.db import connection

    expected = {step: sum(counts.get(c, 0) for c in cats) for step, cats in EXPECTED.items()}
    before = marks()
    steps1, steps2 = {}, {}
    first, t1, log1 = run_once(now, batch_size, steps1)
    wrote1 = written_since(before)
    middle = marks()
    second, t2, log2 = run_once(now, batch_size, steps2)
    wrote2 = written_since(middle)
    changed = sum(first.values())
    print(f"\n{label}: first run {t1:.2f} s, second run {t2:.2f} s (batch size {batch_size})")
    print(f"  {'step':<26}{'changed':>9}{'expected':>10}{'2nd run':>9}")
    for step in first:
        flag = "" if first[step] == expected[step] else "  ≠ expected"
        print(f"  {step:<26}{first[step]:>9,}{expected[step]:>10,}{second[step]:>9,}{flag}")
    print(f"  rows changed per second: {changed / t1:,.0f}; events written {wrote1['events']:,}, "
          f"outbox rows {wrote1['outbox']:,} (second run: {wrote2['events']} events, {wrote2['outbox']} outbox rows)")
    print("  seconds per step, first / second run: " + ", ".join(
        f"{name} {steps1[name]:.2f} / {steps2[name]:.2f}" for name in STEPS))
    print(f"  queries: first run {log1.count:,} ({log1.seconds:.2f} s waiting on the database), "
          f"second run {log2.count:,} ({log2.seconds:.2f} s)")
    connection.close()
    return {"first": t1, "second": t2, "result": first, "second_result": second, "log1": log1, "log2": log2,
            "steps1": steps1, "steps2": steps2, "wrote": wrote1}


def print_top_queries(log: QueryLog, title: str) -> None:
    print(f"\n{title}")
    for text, (count, seconds, _params) in log.top():
        print(f"  {seconds:7.2f} s {count:6,}×  {' '.join(text.split())[:170]}")


def explain(log: QueryLog, title: str, k: int = 5) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) the costliest SELECTs of `log` with their first parameters."""
    from django.db import connection

    print(f"\n{title}")
    # The candidate selections of the sweep's steps: ids of reports.
    selects = [(t, e) for t, e in log.top(40) if t.startswith('SELECT "complaints_report"."id" AS "pk" FROM')]
    for _shape, (_count, _seconds, (text, params)) in selects[:k]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, params)
            plan_lines = [row[0] for row in cursor.fetchall()]
        print("  -- " + " ".join(text.split())[:200])
        for line in plan_lines:
            print("     " + line)


def profile(now: datetime, batch_size: int) -> None:
    from lapor.sla.sweep import run_sweep

    profiler = cProfile.Profile()
    profiler.enable()
    run_sweep(now=now, batch_size=batch_size)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(30)
        print(f"\ncProfile of a first run on a fresh copy, by {order}:")
        print("\n".join(out.getvalue().splitlines()[4:]))


def main() -> None:
    args = parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    server = Server(url)
    os.environ.setdefault("LAPOR_DATA_DIR", tempfile.mkdtemp(prefix="lapor-bench-sweep-"))
    # Production settings (no query log kept by DEBUG); a throwaway key for this process only.
    os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    print(f"lapor sweep benchmark · PostgreSQL {server.version() // 10000} · {os.cpu_count()} cores\n")
    if args.reuse:
        if not server.exists(server.seed):
            sys.exit(f"--reuse: database {server.seed} does not exist (run once with --keep)")
    else:
        server.drop(server.seed)
        server.drop(server.name)
        server.create(server.name)
        generate(args, server)

    from django.conf import settings

    workers = [int(w) for w in args.workers.split(",")]
    fresh_copy(server)
    now, counts = describe()
    by_workers: dict[int, list[dict]] = {w: [] for w in workers}
    copies = 0
    for i in range(1, args.runs + 1):
        for w in workers:  # interleaved, so a slow spell of the machine hits every setting alike
            if copies:
                fresh_copy(server)
            copies += 1
            settings.LAPOR["SWEEP_WORKERS"] = w
            by_workers[w].append(
                measure(now, counts, args.batch_size, f"run {i} of {args.runs}, SWEEP_WORKERS={w}, fresh copy")
            )
    print("\nqueries counted above are the main connection's; with SWEEP_WORKERS > 1 the batches run on others")
    medians = {}
    for w, runs in by_workers.items():
        firsts, seconds = [r["first"] for r in runs], [r["second"] for r in runs]
        medians[w] = median = statistics.median(firsts)
        changed = sum(runs[0]["result"].values())
        print(f"SWEEP_WORKERS={w}, median of {len(runs)}: first run {median:.2f} s ({changed / median:,.0f} rows "
              f"changed/s), second run {statistics.median(seconds):.2f} s; first runs "
              f"{', '.join(f'{t:.2f}' for t in firsts)} s")
    base = medians[workers[0]]
    for w in workers[1:]:
        print(f"SWEEP_WORKERS={w} against {workers[0]}: {base / medians[w]:.2f}× as fast (first run)")
    runs = by_workers[workers[-1]]
    print_top_queries(runs[-1]["log1"], "costliest queries of the last first run (total time, count, SQL):")
    print_top_queries(runs[-1]["log2"], "costliest queries of the last second run:")
    if args.explain:
        explain(runs[-1]["log2"], "EXPLAIN ANALYZE, second-run state (nothing left to do):")
        fresh_copy(server)
        explain(runs[-1]["log1"], "EXPLAIN ANALYZE on a fresh copy (first batch of each step):")
    if args.profile:
        fresh_copy(server)
        settings.LAPOR["SWEEP_WORKERS"] = 1
        profile(now, args.batch_size)
    connection.close()
    if not args.keep:
        server.drop(server.name)
        if not args.reuse:
            server.drop(server.seed)


if __name__ == "__main__":
    main()
