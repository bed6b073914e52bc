"""`lapor open311 create-key|list-keys|revoke-key`: the Open311 clients' API keys."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lapor.accounts.models import Agency
from lapor.core.errors import DomainError

from ...keys import key_create, key_revoke, keys_list


class Command(BaseCommand):
    help = "Manage Open311 API keys: create-key --name NAME [--agency CODE], list-keys, revoke-key NAME."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{create-key,list-keys,revoke-key}")
        create = commands.add_parser("create-key", help="Make a key; it is printed once and never again.")
        create.add_argument("--name", required=True, help="The client application's name (unique).")
        create.add_argument(
            "--agency", default="",
            help="Agency code: the key is that agency's back office and may also answer its reports.",
        )
        commands.add_parser("list-keys", help="Every key: name, prefix, agency, state, created, last used.")
        revoke = commands.add_parser("revoke-key", help="Deactivate a key by its name (or its prefix).")
        revoke.add_argument("name")

    def handle(self, *args, action: str, **options):
        try:
            if action == "create-key":
                self._create(options["name"], options["agency"])
            elif action == "list-keys":
                self._list()
            else:
                key = key_revoke(name=options["name"])
                self.stdout.write(f"Kunci '{key.name}' ({key.prefix}…) dicabut.")
        except DomainError as error:
            raise CommandError(str(error)) from error

    def _create(self, name: str, agency_code: str) -> None:
        agency = None
        if agency_code:
            agency = Agency.objects.filter(code=agency_code).first()
            if agency is None:
                raise CommandError(f"Instansi '{agency_code}' tidak dikenal.")
        new = key_create(name=name, agency=agency)
        self.stdout.write(f"Kunci API Open311 untuk '{new.key.name}'" + (f" ({agency.name})" if agency else "") + ":")
        self.stdout.write(new.raw)
        self.stdout.write(self.style.WARNING("Simpan kunci ini sekarang: hanya sidik kuncinya yang disimpan."))

    def _list(self) -> None:
        rows = [
            (
                k.name, f"{k.prefix}…", k.agency.code if k.agency else "-", "aktif" if k.is_active else "dicabut",
                _local(k.created_at), _local(k.last_used_at),
            )
            for k in keys_list()
        ]
        headers = ("Nama", "Awalan", "Instansi", "Status", "Dibuat", "Terakhir dipakai")
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
        for row in [headers, *rows]:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "-"
