"""`lapor inbound`: the inbound channels by hand (what the worker's jobs do on their own)."""

from django.core.management.base import BaseCommand, CommandError

from lapor.regions.models import Region

from ...imap import poll_mailbox
from ...inbox import inbox_retry, purge, run_pending
from ...models import RegionKeyword


class Command(BaseCommand):
    help = "Inbound channels: poll the IMAP mailbox, handle waiting messages, retry failures, SMS keywords."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("poll-imap", help="fetch unseen mail from LAPOR_IMAP_HOST now")
        commands.add_parser("work", help="handle waiting messages, finish long SMS, fetch WhatsApp photos")
        retry = commands.add_parser("retry", help="handle failed messages again")
        retry.add_argument("ids", nargs="*", type=int, help="message ids (default: every failed one)")
        commands.add_parser("purge", help="blank old payloads and stale drafts")
        keyword = commands.add_parser("add-keyword", help="route SMS starting with KEYWORD to a region")
        keyword.add_argument("keyword")
        keyword.add_argument("region", help="Kemendagri region code, e.g. 36.03")

    def handle(self, *args, action, **options):
        if action == "poll-imap":
            self.stdout.write(f"{poll_mailbox()} new message(s)")
        elif action == "work":
            self.stdout.write(str(run_pending()))
        elif action == "retry":
            self.stdout.write(f"{inbox_retry(ids=options['ids'] or None)} message(s) handled")
        elif action == "purge":
            self.stdout.write(str(purge()))
        elif action == "add-keyword":
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"no region with code {options['region']!r}")
            keyword, created = RegionKeyword.objects.update_or_create(
                keyword=options["keyword"].strip().upper(), defaults={"region": region, "is_active": True}
            )
            self.stdout.write(f"{'added' if created else 'updated'}: {keyword.keyword} → {region.code} {region.name}")
