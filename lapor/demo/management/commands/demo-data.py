from django.core.management.base import BaseCommand, CommandError

from lapor.complaints.models import Report, Status
from lapor.core.errors import DomainError
from lapor.demo.services import generate_reports


class Command(BaseCommand):
    help = (
        "Generate realistic demo reports (Indonesian texts, every status, histories consistent with "
        "the lifecycle) filed over the last D days, routed to fitting agencies and units. NOT "
        "idempotent: every run adds N more reports. Needs `lapor reference-data`; run "
        "`lapor demo-accounts` first so the demo staff appear in the histories and the demo citizen "
        "gets reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, required=True, metavar="N", help="How many reports to add.")
        parser.add_argument("--seed", type=int, default=None, metavar="S", help="Random seed (same seed, same reports; tracking ids stay random).")
        parser.add_argument("--days", type=int, default=180, metavar="D", help="Spread the reports over the last D days (default 180).")
        parser.add_argument("--batch-size", type=int, default=2000, help="Reports per transaction (default 2000).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Only generate when the database has no reports yet (for `make demo`)."
        )

    def handle(self, *args, reports: int, seed, days: int, batch_size: int, if_empty: bool, **options):
        if if_empty and Report.objects.exists():
            self.stdout.write(f"Sudah ada {Report.objects.count()} laporan: data demo tidak ditambah (--if-empty).")
            return
        def progress(done: int, total: int, seconds: float) -> None:
            self.stdout.write(f"  {done:>9,}/{total:,} laporan  ({seconds:.1f} s)".replace(",", "."))

        try:
            summary = generate_reports(count=reports, seed=seed, days=days, batch_size=batch_size, progress=progress)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary['reports']} laporan, {summary['events']} peristiwa, {summary['assignments']} penugasan unit "
                f"dalam {summary['seconds']} s (seed {summary['seed']})."
            )
        )
        self.stdout.write(f"{'status':<18}{'label':<38}{'jumlah':>8}")
        for value, count in summary["by_status"].items():
            self.stdout.write(f"{value:<18}{str(Status(value).label):<38}{count:>8}")
