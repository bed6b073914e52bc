"""Bulk import benchmark: export the demo data in the official columns, empty the reports, import.

Usage: python bench/intake_import.py [--reports 5000] [--keep]
Prints the time of the dry run, the real import and the second (idempotent) import, and how
many rows read back the same (the status of reports in handling is mapped to "disposed").
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    print(f"{label:<50}{time.perf_counter() - start:>10.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="lapor-bench-intake-")
    os.environ["LAPOR_DATA_DIR"] = data_dir
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from lapor.accounts.models import Role, User
    from lapor.channels.intake import importing
    from lapor.complaints.exports import export_header, export_rows
    from lapor.complaints.models import Report

    quiet = open(os.devnull, "w")
    print(f"lapor intake benchmark · {args.reports:,} reports · data in {data_dir}\n")
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    timed("reference-data", lambda: call_command("reference-data", stdout=quiet))
    call_command("demo-accounts", stdout=quiet)
    timed(f"demo-data --reports {args.reports:,}", lambda: call_command("demo-data", reports=args.reports, stdout=quiet))
    verifier = User.objects.filter(role=Role.VERIFIER).order_by("pk").first()

    def export() -> list[list[str]]:
        rows = [[str(h) for h in export_header()]]
        rows += [[str(c) for c in r] for r in export_rows(Report.objects.order_by("pk"), verifier, limit=10**7)]
        return rows

    before = timed("export", export)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(before)
    raw = buffer.getvalue().encode()
    print(f"export: {len(before) - 1:,} rows, {len(raw) / 1e6:.1f} MB\n")
    Report.objects.all().delete()

    checked, _none = timed("dry run (check every row, write nothing)", lambda: importing.import_file(raw, dry_run=True))
    print(f"  ready {len(checked.plans):,}, errors {len(checked.errors):,}, existing {len(checked.existing):,}")
    result = timed("import", lambda: importing.run_import(checked, user=verifier))
    print(f"  created {len(result.created):,}, refused {len(result.errors):,}")
    _c, again = timed("import the same file again", lambda: importing.import_file(raw, dry_run=False))
    print(f"  created {len(again.created):,}, skipped {again.skipped:,}")

    after = {r[0]: r for r in export()[1:]}
    # Column 11 is the status, 12 the hold/archive reason: reports in handling come back disposed.
    same = mapped = other = 0
    for row in before[1:]:
        back = after.get(row[0])
        if back == row:
            same += 1
        elif back is not None and [c for i, c in enumerate(back) if i not in (11, 12)] == [
            c for i, c in enumerate(row) if i not in (11, 12)
        ]:
            mapped += 1
        else:
            other += 1
            if other <= 5:
                print("  differs:", row[0], [(before[0][i], x, y) for i, (x, y) in enumerate(zip(row, back or [])) if x != y])
    print(f"\nrows read back identical: {same:,}; only status/hold reason mapped: {mapped:,}; other differences: {other:,}")
    if not args.keep:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
