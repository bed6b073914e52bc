"""Foundation benchmark: reference data, demo data at scale, list pages and transitions.

Usage: python bench/run.py [--reports 100000] [--keep]
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn, results: list):
    start = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - start
    results.append((label, elapsed))
    print(f"{label:<55}{elapsed:>10.2f} s", flush=True)
    return value


def median_ms(fn, runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument(
        "--data-dir", help="reuse a folder kept by an earlier run (--keep): migrate it and measure, no generation"
    )
    args = parser.parse_args()

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="lapor-bench-")
    reuse = bool(args.data_dir)
    os.environ["LAPOR_DATA_DIR"] = data_dir
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from lapor.accounts.models import Role, User
    from lapor.complaints import services
    from lapor.complaints.models import Report, Status
    from lapor.complaints.selectors import reports_visible_to

    DEMO_USERS = ["verifikator", "admin.denpasar", "unit.denpasar.pupr", "pengawas.ombudsman"]

    results: list = []
    print(f"lapor benchmark · {args.reports:,} reports · data in {data_dir}\n")
    quiet = open(os.devnull, "w")
    timed("migrate", lambda: call_command("migrate", verbosity=0), results)
    if not reuse:
        timed("reference-data (first run)", lambda: call_command("reference-data", stdout=quiet), results)
        timed("reference-data (second run, idempotent)", lambda: call_command("reference-data", stdout=quiet), results)
        timed("demo-accounts", lambda: call_command("demo-accounts", stdout=quiet), results)
        timed(f"demo-data --reports {args.reports:,}", lambda: call_command("demo-data", reports=args.reports, stdout=quiet), results)
    print(f"\nreports in database: {Report.objects.count():,}\n")

    client = Client()
    pages = [
        ("home page (anonymous)", None, "/"),
        ("public feed, page 1", None, "/laporan/"),
        ("public feed, page 40", None, "/laporan/?page=40"),
    ]
    for role in (Role.VERIFIER, Role.AGENCY_ADMIN, Role.UNIT_OFFICER, Role.OBSERVER):
        user = User.objects.filter(role=role, username__in=DEMO_USERS).order_by("pk").first()
        user = user or User.objects.filter(role=role).order_by("pk").first()
        if user is None:
            continue
        pages.append((f"workspace list, own queue ({user.username})", user, "/petugas/laporan/"))
        pages.append((f"workspace list, all in scope ({user.username})", user, "/petugas/laporan/?tab=semua"))
        pages.append((f"workspace list, all, page 40 ({user.username})", user, "/petugas/laporan/?tab=semua&page=40"))
        pages.append((f"workspace list, overdue ({user.username})", user, "/petugas/laporan/?tab=terlambat"))
        pages.append((f"workspace list, due today ({user.username})", user, "/petugas/laporan/?tab=hari-ini"))
        if role != Role.UNIT_OFFICER:
            pages.append((f"workspace list, inspectorate ({user.username})", user, "/petugas/laporan/?tab=inspektorat"))
        sample = reports_visible_to(user).order_by("-pk").values_list("tracking_id", flat=True).first()
        if sample:
            pages.append((f"workspace report page ({user.username})", user, f"/petugas/laporan/{sample}/"))
    for label, user, url in pages:
        if user:
            client.force_login(user)
        else:
            client.logout()
        status = client.get(url).status_code
        ms = median_ms(lambda: client.get(url))
        print(f"{label:<60}{ms:>8.1f} ms (median of 7, HTTP {status})")

    verifier = User.objects.filter(role=Role.VERIFIER).first()
    received = list(Report.objects.filter(status=Status.RECEIVED).values_list("pk", flat=True)[:200])
    from lapor.accounts.models import Agency

    agency = Agency.objects.filter(kind="city").first()
    if received and verifier and agency:
        start = time.perf_counter()
        for pk in received:
            services.report_dispose(actor=verifier, report=pk, agency=agency)
        elapsed = time.perf_counter() - start
        print(f"{'report_dispose (transition + event), per second':<55}{len(received) / elapsed:>10.0f} /s")

    if not (args.keep or reuse):
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
