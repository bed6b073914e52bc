"""Polling a mailbox by IMAP (`imaplib`): each unseen message goes into the inbox, then is marked seen.

A message is marked \\Seen only after it is stored, so a crash in between fetches it again and the
Message-ID makes the second copy a duplicate. A message that is not a mail at all (no sender) is
marked seen and logged rather than fetched for ever. The worker's `inbound_poll_email` job runs
this every minute when `LAPOR_IMAP_HOST` is set; `lapor inbound poll-imap` runs it by hand.
"""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Callable

from django.conf import settings

from lapor.core.errors import DomainError

from . import mail
from .inbox import receive

log = logging.getLogger("lapor.channels.inbound")


def connect(config: dict):
    """An IMAP connection (TLS by default) with the configured timeout."""
    timeout = settings.LAPOR_NOTIFY["HTTP_TIMEOUT"] * 3
    if config["IMAP_SSL"]:
        return imaplib.IMAP4_SSL(config["IMAP_HOST"], config["IMAP_PORT"], timeout=timeout)
    return imaplib.IMAP4(config["IMAP_HOST"], config["IMAP_PORT"], timeout=timeout)


def _check(answer, what: str):
    status, data = answer
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP {what} answered {status}: {data!r}")
    return data


def poll_mailbox(*, connection_factory: Callable | None = None, limit: int = 50) -> int:
    """Fetch up to `limit` unseen messages; returns how many were new to the inbox (0 when off)."""
    config = settings.LAPOR_CHANNELS
    if not config["IMAP_HOST"]:
        return 0
    client = (connection_factory or connect)(config)
    new = 0
    try:
        _check(client.login(config["IMAP_USER"], config["IMAP_PASSWORD"]), "LOGIN")
        _check(client.select(config["IMAP_FOLDER"]), "SELECT")
        found = _check(client.uid("SEARCH", None, "UNSEEN"), "SEARCH")
        for uid in (found[0] or b"").split()[:limit]:
            data = _check(client.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
            raw = next((item[1] for item in data if isinstance(item, tuple) and len(item) > 1), b"")
            try:
                new += len(receive([mail.incoming(raw)]).stored)
            except DomainError as error:
                log.warning("IMAP message %s skipped: %s", uid.decode(errors="replace"), error)
            _check(client.uid("STORE", uid, "+FLAGS", "(\\Seen)"), "STORE")
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return new
