from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lapor.accounts.models import Agency
from lapor.channels.intake import importing
from lapor.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import reports from an official LAPOR! admin export (CSV or XLSX). --dry-run checks every "
        "row and lists every error without writing; a real run files the valid rows (rows already "
        "imported are skipped, so running it twice creates nothing new)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export file (.csv or .xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--agency", metavar="CODE",
            help="import for this agency only: an empty Instansi cell means it, another agency is an error",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"Instansi dengan kode {options['agency']} tidak dikenal.")
        try:
            checked, imported = importing.import_file(
                path.read_bytes(), dry_run=options["dry_run"], agency=agency
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        for error in checked.errors:
            self.stdout.write(f"baris {error.row}\t{error.column}\t{error.message}")
        if checked.unknown_columns:
            self.stdout.write(f"kolom diabaikan: {', '.join(checked.unknown_columns)}")
        summary = (
            f"{checked.rows} baris: {len(checked.plans)} siap, {len(checked.existing)} sudah ada, "
            f"{checked.error_rows} bermasalah"
        )
        if imported is None:
            self.stdout.write(summary + " (pemeriksaan saja, tidak ada yang disimpan)")
            if checked.errors:
                raise CommandError(f"{checked.error_rows} baris bermasalah")
            return
        for error in imported.errors:
            self.stdout.write(f"baris {error.row}\t{error.column}\t{error.message}")
        self.stdout.write(
            summary + f"; {len(imported.created)} laporan dibuat, {imported.skipped} dilewati, "
            f"{len(imported.errors)} ditolak saat disimpan"
        )
        if checked.errors or imported.errors:
            raise CommandError("sebagian baris tidak diimpor (lihat daftar di atas)")
