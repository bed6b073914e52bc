from django.core.management.base import BaseCommand

from lapor.reference.services import load_reference_data


class Command(BaseCommand):
    help = (
        "Load reference data: every region (Kemendagri codes), agencies and their units, the "
        "category tree and archive reasons. Idempotent: running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also bring agencies, units, categories and reasons edited by admins back in line with the data files.",
        )
        parser.add_argument("--skip-regions", action="store_true", help="Do not (re)load regions.")

    def handle(self, *args, update: bool, skip_regions: bool, **options):
        result = load_reference_data(update=update, regions=not skip_regions)
        self.stdout.write(f"{'kind':<16}{'total':>8}{'created':>9}{'updated':>9}{'unchanged':>11}")
        for name, t in result.tallies.items():
            self.stdout.write(f"{name:<16}{t.total:>8}{t.created:>9}{t.updated:>9}{t.unchanged:>11}")
        for name, counter in result.details.items():
            parts = ", ".join(f"{k}: {v}" for k, v in sorted(counter.items()))
            self.stdout.write(f"{name} by kind: {parts}")
