from django.core.management.base import BaseCommand, CommandError

from lapor.accounts.models import Role
from lapor.channels.open311.keys import demo_key_ensure
from lapor.core.errors import DomainError
from lapor.demo.services import ensure_demo_accounts


class Command(BaseCommand):
    help = (
        "Create or update one demo account per role and desk (national verifier, a city's agency "
        "admin and two unit officers, a ministry admin, two observers, a system admin, a citizen) "
        "and the demo Open311 client's API key, and print the log-ins and the key. Idempotent; "
        "resets the shared demo password and the demo key on every run."
    )

    def handle(self, *args, **options):
        try:
            accounts = ensure_demo_accounts()
            open311_key = demo_key_ensure()
        except DomainError as error:
            raise CommandError(str(error)) from error
        rows = [(str(Role(a.role).label), a.username, a.password, a.scope) for a in accounts]
        headers = ("Peran", "Nama pengguna", "Kata sandi", "Lingkup")
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        self.stdout.write(f"Kunci API Open311 (klien demo, /open311/): {open311_key}")
        self.stdout.write(self.style.WARNING("Akun demo: jangan gunakan kata sandi dan kunci ini di server produksi."))
