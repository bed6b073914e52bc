"""`lapor monitoring-refresh [--all]`: bring the indicators up to date now (the worker does it every 5 minutes)."""

from django.core.management.base import BaseCommand

from lapor.monitoring.rollups import rebuild_all, refresh


class Command(BaseCommand):
    help = "Update the monitoring facts and daily rollups from new report events (--all: from scratch)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="forget every rollup and rebuild from the whole event log")

    def handle(self, *args, **options):
        result = rebuild_all() if options["all"] else refresh()
        self.stdout.write(
            f"{result['reports']} reports re-read, {result['days']} days recomputed, {result['rows']} rollup rows written"
        )
