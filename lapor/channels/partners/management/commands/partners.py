"""`lapor partners`: register partner apps and manage their keys and signing secrets.

    lapor partners create --agency kota-semarang --name LAPORHENDI --webhook https://hendi.example/lapor [--sandbox]
    lapor partners list
    lapor partners add-key laporhendi [--scopes changes:pull,reports:read] [--name dashboard]
    lapor partners revoke-key lpk_AbCdEfGh
    lapor partners rotate-secret laporhendi

Keys and secrets are printed once; only a key's digest is stored.
"""

from django.core.management.base import BaseCommand, CommandError

from lapor.accounts.models import Agency
from lapor.core.errors import DomainError

from ... import registry
from ...models import Partner


def _scopes(value: str | None):
    return [s for s in (value or "").split(",") if s.strip()] or None


class Command(BaseCommand):
    help = "Register partner apps (local apps of agencies) and manage their API keys and webhook secrets."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Register a partner; prints its first API key and its secret.")
        create.add_argument("--agency", required=True, help="The agency's code (e.g. kota-semarang).")
        create.add_argument("--name", required=True, help="The app's name (e.g. LAPORHENDI).")
        create.add_argument("--webhook", default="", help="Where changes are posted (https; empty: pull only).")
        create.add_argument("--sandbox", action="store_true", help="Sandbox: its reports never reach officers.")
        create.add_argument("--scopes", help=f"Comma-separated; default all: {','.join(registry.ALL_SCOPES)}.")
        create.add_argument("--code", default="", help="Short name used by these commands (default: from the name).")
        actions.add_parser("list", help="Every partner with its agency, mode and keys.")
        add_key = actions.add_parser("add-key", help="Issue another API key; prints it once.")
        add_key.add_argument("code")
        add_key.add_argument("--scopes")
        add_key.add_argument("--name", default="")
        revoke = actions.add_parser("revoke-key", help="Revoke a key by its prefix (as `list` shows it).")
        revoke.add_argument("prefix")
        rotate = actions.add_parser("rotate-secret", help="A new webhook signing secret; prints it once.")
        rotate.add_argument("code")

    def handle(self, *args, action, **options):
        try:
            run = {
                "create": self.create, "list": self.list_partners, "add-key": self.add_key,
                "revoke-key": self.revoke_key, "rotate-secret": self.rotate_secret,
            }[action]
            run(**options)
        except DomainError as error:
            raise CommandError(str(error)) from error

    def create(self, *, agency, name, webhook, sandbox, scopes, code, **_options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"no agency with code {agency!r}")
        issued = registry.partner_register(
            name=name, agency=found, webhook_url=webhook, sandbox=sandbox, scopes=_scopes(scopes), code=code
        )
        partner = issued.partner
        mode = "sandbox" if partner.is_sandbox else "live"
        self.stdout.write(f"Partner {partner.code} ({partner.name}) of {found.name}, {mode}")
        self.stdout.write(f"API key:        {issued.key}")
        self.stdout.write(f"Signing secret: {issued.secret}")
        self.stdout.write(self.style.WARNING("Shown once: give both to the partner over a safe channel."))

    def list_partners(self, **_options):
        for partner in Partner.objects.select_related("agency").prefetch_related("keys"):
            state = ("sandbox" if partner.is_sandbox else "live") + ("" if partner.is_active else ", inactive")
            self.stdout.write(f"{partner.code}  {partner.name}  [{partner.agency.code}; {state}]  {partner.webhook_url or '(pull only)'}")
            for key in partner.keys.all():
                revoked = " revoked" if key.revoked_at else ""
                self.stdout.write(f"    {key.prefix}…  {','.join(key.scopes)}{revoked}  {key.name}")

    def add_key(self, *, code, scopes, name, **_options):
        key = registry.key_issue(partner=registry.partner_get(code), scopes=_scopes(scopes), name=name)
        self.stdout.write(f"API key: {key}")

    def revoke_key(self, *, prefix, **_options):
        if not registry.key_revoke(prefix=prefix.rstrip("…")):
            raise CommandError(f"no live key starts with {prefix!r}")
        self.stdout.write(f"Revoked {prefix}")

    def rotate_secret(self, *, code, **_options):
        secret = registry.secret_rotate(partner=registry.partner_get(code))
        self.stdout.write(f"Signing secret: {secret}")
