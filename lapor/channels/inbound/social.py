"""Social media mentions: a post with the hashtag (#lapor1708) becomes a report (channel social).

The webhook follows X's Account Activity API: a GET with `crc_token` is answered with
`sha256=<base64 HMAC-SHA256(consumer secret, token)>`, and every POST carries
`x-twitter-webhooks-signature` over the raw body with the same key. Posts arrive in
`tweet_create_events`: the account's own posts, reposts and mentions without the hashtag are
recorded and ignored. A report gets a public reply with its tracking link through the outbox
(the `social` channel). Social reports have no private contact: their secret is never sent,
and the reporter follows the report on the public tracking page.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from lapor.complaints.models import Channel as ReportChannel
from lapor.core.errors import DomainError
from lapor.notifications.models import Channel

from . import conversation as talk
from . import security
from .inbox import Incoming, Outcome, malformed
from .models import InboundMessage, Provider

State = InboundMessage.State
MENTION = re.compile(r"(?<!\w)@\w{1,15}")


def crc_response(crc_token: str) -> dict:
    secret = settings.LAPOR_CHANNELS["X_CONSUMER_SECRET"]
    security.require_enabled(secret)
    return {"response_token": "sha256=" + security.hmac_sha256_base64(secret, crc_token.encode())}


def authenticate(body: bytes, header: str) -> None:
    secret = settings.LAPOR_CHANNELS["X_CONSUMER_SECRET"]
    security.require_enabled(secret)
    security.check_prefixed(header, security.hmac_sha256_base64(secret, body))


def parse(data) -> list[Incoming]:
    """The posts of an event; other event kinds (likes, follows, messages) carry none."""
    if not isinstance(data, dict):
        raise malformed("X", "object")
    events = data.get("tweet_create_events", [])
    if not isinstance(events, list):
        raise malformed("X", "tweet_create_events")
    found = []
    for post in events:
        user = post.get("user") if isinstance(post, dict) else None
        if not isinstance(user, dict) or not post.get("id_str") or not user.get("screen_name") or not user.get("id_str"):
            raise malformed("X", "tweet_create_events[].id_str/user")
        found.append(Incoming(
            provider=Provider.X, external_id=str(post["id_str"]), sender="@" + str(user["screen_name"]),
            kind="mention", payload={"post": post, "for_user_id": str(data.get("for_user_id") or "")},
        ))
    return found


def _full_text(post: dict) -> str:
    extended = post.get("extended_tweet") or {}
    return str(extended.get("full_text") or post.get("full_text") or post.get("text") or "")


def _hashtags(post: dict) -> set[str]:
    tags = set()
    for source in (post, post.get("extended_tweet") or {}):
        for tag in (source.get("entities") or {}).get("hashtags") or []:
            tags.add(str(tag.get("text", "")).lower())
    return tags


def tracking_link(tracking: str) -> str:
    base = settings.LAPOR_CHANNELS["PUBLIC_URL"].rstrip("/")
    return f"{base}{reverse('web:track')}?{urlencode({'nomor': tracking})}"


def handle(message: InboundMessage) -> Outcome:
    """The inbox's handler for X posts."""
    post = message.payload.get("post", {})
    user = post.get("user") or {}
    if str(user.get("id_str")) == message.payload.get("for_user_id"):
        return Outcome(State.IGNORED, _("kiriman akun sendiri"))
    if post.get("retweeted_status"):
        return Outcome(State.IGNORED, _("kiriman ulang"))
    hashtag = settings.LAPOR_CHANNELS["X_HASHTAG"].lstrip("#").lower()
    if hashtag not in _hashtags(post):
        return Outcome(State.IGNORED, _("tanpa tagar #%(tag)s") % {"tag": hashtag})
    handle_name = message.sender
    if not talk.within_rate("social", handle_name.lower()):
        return Outcome(State.IGNORED, _("terlalu banyak laporan dari akun ini"))
    text = re.sub(rf"(?i)#{re.escape(hashtag)}\b", " ", MENTION.sub(" ", _full_text(post)))
    text = " ".join(text.split())
    reply_to = f"{handle_name}/status/{post['id_str']}"
    if talk.too_short(text):
        talk.reply(Channel.SOCIAL, reply_to, f"{handle_name} " + _(
            "Mohon tulis laporan lebih lengkap (apa, di mana, sejak kapan) dengan tagar #%(tag)s."
        ) % {"tag": hashtag}, kind="refused")
        return Outcome(note=_("laporan terlalu singkat"))
    point = (post.get("coordinates") or {}).get("coordinates") or [None, None]  # GeoJSON: longitude first
    try:
        submitted = talk.file_report(
            channel=ReportChannel.SOCIAL, text=text, contact_name=handle_name, longitude=point[0], latitude=point[1],
            confirm_to=[],
        )
    except DomainError as error:
        talk.reply(Channel.SOCIAL, reply_to, f"{handle_name} {error}", kind="refused")
        return Outcome(note=_("laporan ditolak: %(error)s") % {"error": error})
    report = submitted.report
    talk.reply(Channel.SOCIAL, reply_to, f"{handle_name} " + _(
        "Terima kasih, laporan Anda tercatat dengan nomor %(tracking)s. Pantau perkembangannya: %(link)s"
    ) % {"tracking": report.tracking_id, "link": tracking_link(report.tracking_id)}, kind="report", report=report)
    return Outcome(note=_("laporan %(tracking)s") % {"tracking": report.tracking_id}, report=report)
