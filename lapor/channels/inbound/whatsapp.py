"""WhatsApp Business Cloud API: the webhook, a short guided report, status and replies.

The conversation: the citizen writes what happened → we ask for the location (optional: share
it or reply LEWATI) → for a photo (optional) → show a summary → KIRIM files the report and the
tracking id (and secret) come back on WhatsApp; BATAL drops it. "STATUS LAP-…" and "LAP-… text"
work as on SMS. A draft untouched for `CONVERSATION_HOURS` is forgotten.

Photos arrive as media ids. Fetching one is a network call, so the id is stored with the report
(`InboundMedia`) and the worker fetches it through `MediaClient` (a fake in the tests) and
attaches it through the same checks as any upload.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.services import normalize_phone
from lapor.complaints.attachments import report_attach
from lapor.complaints.models import Channel as ReportChannel
from lapor.core.errors import DomainError
from lapor.notifications.models import Channel
from lapor.notifications.services import MAX_ATTEMPTS, backoff

from . import conversation as talk
from . import security
from .inbox import Incoming, Outcome, malformed
from .models import Conversation, InboundMedia, InboundMessage, Provider

log = logging.getLogger("lapor.channels.inbound")
State = InboundMessage.State
Step = Conversation.Step
# Ids of reply buttons a business may send with its prompts; their titles work as typed words too.
BUTTONS = {"skip": "LEWATI", "send": "KIRIM", "cancel": "BATAL"}
MEDIA_CLAIM = timedelta(minutes=15)


# --- the webhook ----------------------------------------------------------------------------------


def verify_handshake(mode: str, token: str, challenge: str) -> str:
    """Meta's GET: `hub.mode=subscribe`, our verify token, a challenge to echo."""
    configured = settings.LAPOR_CHANNELS["WHATSAPP_VERIFY_TOKEN"]
    security.require_enabled(configured)
    if mode != "subscribe" or not challenge or not security.token_matches(token, configured):
        raise security.refused()
    return challenge


def authenticate(body: bytes, header: str) -> None:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`."""
    secret = settings.LAPOR_CHANNELS["WHATSAPP_APP_SECRET"]
    security.require_enabled(secret)
    security.check_prefixed(header, security.hmac_sha256_hex(secret, body))


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise malformed("WhatsApp", what)
    return value


def parse(data) -> list[Incoming]:
    """Messages (and failed deliveries) of a webhook, or a 400 when its shape is not Meta's."""
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        raise malformed("WhatsApp", "object")
    if not isinstance(data.get("entry"), list):
        raise malformed("WhatsApp", "entry")
    found = []
    for entry in data["entry"]:
        if not isinstance(entry, dict):
            raise malformed("WhatsApp", "entry")
        for change in _list(entry.get("changes"), "changes"):
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise malformed("WhatsApp", "changes.value")
            if change.get("field") == "messages":
                found += _messages(change["value"])
    return found


def _messages(value: dict) -> list[Incoming]:
    names = {
        contact.get("wa_id"): str((contact.get("profile") or {}).get("name") or "")
        for contact in _list(value.get("contacts"), "contacts")
        if isinstance(contact, dict)
    }
    found = []
    for message in _list(value.get("messages"), "messages"):
        if not isinstance(message, dict) or not all(message.get(key) for key in ("id", "from", "type")):
            raise malformed("WhatsApp", "messages[].id/from/type")
        found.append(Incoming(
            provider=Provider.WHATSAPP, external_id=str(message["id"]), sender=str(message["from"]),
            kind=str(message["type"]), payload={"message": message, "name": names.get(message["from"], "")},
        ))
    for status in _list(value.get("statuses"), "statuses"):
        # Sent, delivered and read need nothing from us; a failed delivery is kept for the admin.
        if isinstance(status, dict) and status.get("status") == "failed" and status.get("id"):
            found.append(Incoming(
                provider=Provider.WHATSAPP, external_id=f"status:{status['id']}:failed",
                sender=str(status.get("recipient_id") or ""), kind="status", payload={"status": status},
            ))
    return found


# --- the conversation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: str  # text, location, image, other
    text: str = ""
    latitude: str = ""
    longitude: str = ""
    media_id: str = ""
    mime_type: str = ""


def _event(message: dict) -> Event:
    kind = message.get("type")
    if kind == "text":
        return Event("text", text=str((message.get("text") or {}).get("body") or ""))
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        chosen = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return Event("text", text=BUTTONS.get(chosen.get("id"), str(chosen.get("title") or "")))
    if kind == "button":  # a quick-reply button of a template message
        button = message.get("button") or {}
        return Event("text", text=BUTTONS.get(button.get("payload"), str(button.get("text") or "")))
    if kind == "location":
        place = message.get("location") or {}
        where = ", ".join(str(place[key]) for key in ("name", "address") if place.get(key))
        return Event("location", text=where, latitude=str(place.get("latitude", "")),
                     longitude=str(place.get("longitude", "")))
    if kind == "image":
        image = message.get("image") or {}
        return Event("image", text=str(image.get("caption") or ""), media_id=str(image.get("id") or ""),
                     mime_type=str(image.get("mime_type") or ""))
    return Event("other")


def handle(message: InboundMessage) -> Outcome:
    """The inbox's handler for WhatsApp."""
    if message.kind == "status":
        status = message.payload.get("status", {})
        errors = status.get("errors") or [{}]
        return Outcome(State.IGNORED, _("pengiriman gagal: %(error)s") % {"error": errors[0].get("title", "")})
    phone = normalize_phone(message.sender)
    if not phone:
        return Outcome(State.IGNORED, _("nomor pengirim tidak dikenal"))
    event = _event(message.payload.get("message", {}))
    return Guide(phone, message.payload.get("name", "")).on(event)


class Guide:
    """One step of one number's guided report."""

    def __init__(self, phone: str, name: str, now: datetime | None = None):
        self.phone, self.name, self.now = phone, name[:120], now or timezone.now()
        self.sender = talk.Sender(phone=phone)

    def say(self, text: str, kind: str, report=None) -> None:
        talk.reply(Channel.WHATSAPP, self.phone, text, kind=kind, report=report)

    def on(self, event: Event) -> Outcome:
        command = talk.parse_command(event.text) if event.kind == "text" else talk.Command("other")
        if command.verb == "status":
            self.say(talk.status_text(command.tracking, self.sender), "status")
            return Outcome(note=_("pertanyaan status %(tracking)s") % {"tracking": command.tracking})
        if command.verb == "follow_up":
            answer = talk.reporter_message(command.tracking, command.text, self.sender)
            self.say(answer.text, "follow_up", answer.report)
            return Outcome(note=_("tanggapan pelapor") if answer.acted else _("tanggapan ditolak"), report=answer.report)
        Conversation.objects.get_or_create(channel="whatsapp", address=self.phone)
        self.chat = Conversation.objects.select_for_update().get(channel="whatsapp", address=self.phone)
        hours = settings.LAPOR_CHANNELS["CONVERSATION_HOURS"]
        if self.chat.step != Step.IDLE and self.chat.updated_at < self.now - timedelta(hours=hours):
            self.chat.step, self.chat.draft = Step.IDLE, {}
        if self.chat.step == Step.IDLE:
            return self._idle(event, command)
        return self._drafting(event, command)

    def _idle(self, event: Event, command) -> Outcome:
        text = event.text if event.kind in ("text", "image") and command.verb in ("text", "other") else ""
        if not text:
            self.say(talk.help_text() if event.kind == "text" else _("Tuliskan dulu isi laporan Anda (apa, di mana, "
                                                                    "sejak kapan), lalu kirim lokasi dan foto."), "help")
            return Outcome(note=_("bantuan"))
        if not talk.within_rate("whatsapp", self.phone):
            return Outcome(State.IGNORED, _("terlalu banyak laporan dari nomor ini"))
        if talk.too_short(talk.route_by_keyword(text)[1]):
            self.say(talk.too_short_text(), "refused")
            return Outcome(note=_("laporan terlalu singkat"))
        self.chat.draft = {"text": text, "media": []}
        self._add_media(event)
        return self._ask(Step.ASK_LOCATION)

    def _drafting(self, event: Event, command) -> Outcome:
        step, verb = self.chat.step, command.verb
        if verb == "no":
            self._save(Step.IDLE, {})
            self.say(_("Laporan dibatalkan dan tidak dikirim. Kirim pesan baru kapan saja untuk melapor."), "cancelled")
            return Outcome(note=_("laporan dibatalkan"))
        if verb in ("send", "yes") and step == Step.CONFIRM_REPORT:
            return self._file()
        if event.kind == "location":
            self.chat.draft.update(lat=event.latitude, lng=event.longitude, place=event.text)
            return self._ask(Step.ASK_PHOTO if step == Step.ASK_LOCATION else step)
        if event.kind == "image":
            self._add_media(event)
            if event.text:  # a caption adds to the report's words
                self.chat.draft["text"] = f"{self.chat.draft.get('text', '')}\n{event.text}".strip()
            return self._ask(Step.ASK_LOCATION if step == Step.ASK_LOCATION else Step.CONFIRM_REPORT)
        if verb in ("skip", "send", "yes"):
            return self._ask(Step.ASK_PHOTO if step == Step.ASK_LOCATION else Step.CONFIRM_REPORT)
        if verb == "text":
            self.chat.draft["text"] = f"{self.chat.draft.get('text', '')}\n{command.text}".strip()
        elif event.kind == "other":
            self.say(_("Jenis pesan ini belum dapat kami terima. Kirim teks, lokasi, atau foto."), "refused")
        return self._ask(step)

    def _add_media(self, event: Event) -> None:
        media = self.chat.draft.setdefault("media", [])
        if event.kind == "image" and event.media_id and len(media) < settings.LAPOR["MAX_ATTACHMENTS_PER_REPORT"]:
            media.append({"id": event.media_id, "mime_type": event.mime_type})

    def _save(self, step: str, draft: dict) -> None:
        self.chat.step, self.chat.draft, self.chat.updated_at = step, draft, self.now
        self.chat.save()

    def _ask(self, step: str) -> Outcome:
        self._save(step, self.chat.draft)
        draft = self.chat.draft
        if step == Step.ASK_LOCATION:
            text = _("Laporan dicatat. Kirim lokasi kejadian (lampiran › Lokasi), atau balas LEWATI.")
        elif step == Step.ASK_PHOTO:
            text = _("Kirim foto pendukung (opsional), atau balas LEWATI.")
        else:
            text = _(
                "Periksa laporan Anda:\n%(text)s\nLokasi: %(location)s. Foto: %(photos)d.\n"
                "Balas KIRIM untuk mengirim, atau BATAL untuk membatalkan."
            ) % {
                "text": draft.get("text", "")[:500],
                "location": draft.get("place") or (_("ada") if draft.get("lat") else _("tidak ada")),
                "photos": len(draft.get("media", [])),
            }
        self.say(text, "guide")
        return Outcome(note=str(Step(step).label))

    def _file(self) -> Outcome:
        draft = self.chat.draft
        self._save(Step.IDLE, {})
        keyword, body = talk.route_by_keyword(draft.get("text", ""))
        try:
            submitted = talk.file_report(
                channel=ReportChannel.WHATSAPP, text=body, keyword=keyword, contact_phone=self.phone,
                contact_name=self.name, latitude=draft.get("lat") or None, longitude=draft.get("lng") or None,
                confirm_to=[(Channel.WHATSAPP, self.phone)],
            )
        except DomainError as error:
            self.say(str(error), "refused")
            return Outcome(note=_("laporan ditolak: %(error)s") % {"error": error})
        report = submitted.report
        for media in draft.get("media", []):
            InboundMedia.objects.get_or_create(
                report=report, provider=Provider.WHATSAPP, media_id=media["id"],
                defaults={"mime_type": media.get("mime_type", "")},
            )
        if draft.get("media"):
            transaction.on_commit(_wake_worker)
        return Outcome(note=_("laporan %(tracking)s") % {"tracking": report.tracking_id}, report=report)


def _wake_worker() -> None:
    from lapor.core import jobs

    jobs.wake("inbound_work")


# --- media ----------------------------------------------------------------------------------------


class MediaClient(Protocol):
    def fetch(self, media_id: str) -> tuple[bytes, str]:
        """The file's bytes and content type; raises on failure."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class GraphMediaClient:
    """The Graph API: GET /{media id} gives a short-lived URL, GET on it (same token) the file."""

    def __init__(self, config: dict | None = None):
        config = config or settings.LAPOR_NOTIFY
        self.base = config["WHATSAPP_API_BASE"].rstrip("/")
        self.token = config["WHATSAPP_TOKEN"]
        self.timeout = config["HTTP_TIMEOUT"]

    def _get(self, url: str, limit: int) -> tuple[bytes, str]:
        if urllib.parse.urlsplit(url).scheme != "https" and not url.startswith(self.base):
            raise ValueError("a media address must be https")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"})
        # No redirects: following one would carry the token to another address.
        with _OPENER.open(request, timeout=self.timeout) as response:
            return response.read(limit + 1), response.headers.get_content_type()

    def fetch(self, media_id: str) -> tuple[bytes, str]:
        if not self.token:
            raise RuntimeError("LAPOR_WHATSAPP_TOKEN is not set: media cannot be fetched")
        meta, _type = self._get(f"{self.base}/{urllib.parse.quote(media_id)}", 64 * 1024)
        info = json.loads(meta)
        return self._get(info["url"], settings.LAPOR["MAX_ATTACHMENT_BYTES"])[0], info.get("mime_type", "")


def media_client() -> MediaClient:
    return GraphMediaClient()


def fetch_pending_media(*, client: MediaClient | None = None, now: datetime | None = None, batch_size: int = 20) -> int:
    """Fetch due photos and attach them to their reports; returns how many were attached."""
    now = now or timezone.now()
    due = list(
        InboundMedia.objects.filter(state=InboundMedia.State.PENDING, next_attempt_at__lte=now)
        .select_related("report").order_by("next_attempt_at", "pk")[:batch_size]
    )
    if not due:
        return 0
    client = client or media_client()
    attached = 0
    for media in due:
        # Claim it by moving its time on: another worker then skips it, and a worker that dies
        # here leaves it to be fetched again after the claim ran out.
        claimed = InboundMedia.objects.filter(
            pk=media.pk, state=InboundMedia.State.PENDING, next_attempt_at=media.next_attempt_at
        ).update(next_attempt_at=now + MEDIA_CLAIM)
        if not claimed:
            continue
        try:
            content, content_type = client.fetch(media.media_id)
        except Exception as error:  # noqa: BLE001  (any failure is retried later, then given up)
            media.attempts += 1
            media.error = str(error)[:2000]
            media.next_attempt_at = timezone.now() + backoff(media.attempts)
            if media.attempts >= MAX_ATTEMPTS:
                media.state = InboundMedia.State.FAILED
            media.save(update_fields=["attempts", "error", "next_attempt_at", "state"])
            log.warning("media %s of report %s not fetched: %s", media.media_id, media.report_id, error)
            continue
        attached += _attach(media, content, content_type or media.mime_type)
    return attached


def _attach(media: InboundMedia, content: bytes, content_type: str) -> int:
    extension = mimetypes.guess_extension(content_type or "") or ""
    upload = SimpleUploadedFile(f"whatsapp-{media.pk}{extension}", content, content_type=content_type)
    try:
        report_attach(actor=talk.reporter_actor(media.report), report=media.report.pk, upload=upload)
    except DomainError as error:
        # Not an accepted type or size, or the report closed meanwhile: the reporter keeps the photo.
        media.state, media.error = InboundMedia.State.REFUSED, str(error)
        media.save(update_fields=["state", "error"])
        return 0
    media.state, media.error = InboundMedia.State.ATTACHED, ""
    media.save(update_fields=["state", "error"])
    return 1
