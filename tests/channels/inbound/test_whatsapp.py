"""WhatsApp Business Cloud API: handshake, signature, payloads as Meta documents them, the guided
conversation end to end, photos fetched by the worker, status and replies."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from lapor.channels.inbound import security
from lapor.channels.inbound.models import Conversation, InboundMedia, InboundMessage
from lapor.channels.inbound.whatsapp import GraphMediaClient, fetch_pending_media
from lapor.complaints.models import Channel, Report, Status
from lapor.notifications.models import Channel as Outbound

from ...complaints.flow import PATHS, PNG_BYTES, walk
from .conftest import API, WA_APP_SECRET, WA_VERIFY_TOKEN, inbox, last_text, only_report, sent_to

WA_ID = "6281234567001"
PHONE = "+6281234567001"
TEXT = "Saluran air di depan Pasar Badung tersumbat, air meluap ke jalan setiap hujan turun."
_ids = iter(range(1, 10_000))


def wamid() -> str:
    return f"wamid.HBgNNjI4MTIzNDU2NzAwMRUCABIYFjNFQjBDNzk{next(_ids):05d}"


def envelope(*, messages=(), statuses=(), name="Made Sukerta") -> dict:
    """A webhook notification in the shape of Meta's documentation."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "628111708", "phone_number_id": "106540352242922"},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": WA_ID}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}


def message(kind: str, content: dict, *, message_id=None) -> dict:
    return {"from": WA_ID, "id": message_id or wamid(), "timestamp": "1767582245", "type": kind, kind: content}


def text(body, **kw):
    return message("text", {"body": body}, **kw)


def location():
    return message("location", {"latitude": -8.655924, "longitude": 115.216934, "name": "Pasar Badung",
                                "address": "Jl. Gajah Mada, Denpasar"})


def image(media_id="1003383421387256", caption=""):
    content = {"mime_type": "image/jpeg", "sha256": "NLHK2nmt8Qm5Hv4lhVxIbMdcnFEOEJZfRXEhU8z6vBg=", "id": media_id}
    if caption:
        content["caption"] = caption
    return message("image", content)


def button(button_id, title):
    reply = message("interactive", {"type": "button_reply", "button_reply": {"id": button_id, "title": title}})
    reply["context"] = {"from": "628111708", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTQ2Q0RENEMyRjQ3NjFGQkQA"}
    return reply


def post(client, payload, *, signature=None):
    body = json.dumps(payload).encode()
    signature = signature if signature is not None else "sha256=" + security.hmac_sha256_hex(WA_APP_SECRET, body)
    return client.post(f"{API}/whatsapp", body, content_type="application/json",
                       headers={"X-Hub-Signature-256": signature})


def say(client, *messages):
    answer = post(client, envelope(messages=messages))
    assert answer.status_code == 200, answer.content
    return answer


class FakeMedia:
    """The Graph API's media download, in memory."""

    def __init__(self, files=None, fail=0):
        self.files = files or {}
        self.fail = fail
        self.asked = []

    def fetch(self, media_id):
        self.asked.append(media_id)
        if self.fail:
            self.fail -= 1
            raise OSError("Graph API unreachable")
        return self.files[media_id]


# --- the webhook ----------------------------------------------------------------------------------


def test_the_verification_handshake_echoes_the_challenge(client, world):
    params = {"hub.mode": "subscribe", "hub.verify_token": WA_VERIFY_TOKEN, "hub.challenge": "1158201444"}
    answer = client.get(f"{API}/whatsapp", params)
    assert answer.status_code == 200 and answer.content == b"1158201444"
    assert answer["Content-Type"].startswith("text/plain")
    assert client.get(f"{API}/whatsapp", {**params, "hub.verify_token": "salah"}).status_code == 403
    assert client.get(f"{API}/whatsapp", {**params, "hub.mode": "unsubscribe"}).status_code == 403


def test_a_bad_or_missing_signature_is_refused(client, world):
    assert post(client, envelope(messages=[text(TEXT)]), signature="sha256=" + "0" * 64).status_code == 403
    assert post(client, envelope(messages=[text(TEXT)]), signature="").status_code == 403
    body = json.dumps(envelope(messages=[text(TEXT)])).encode()
    signed_other = "sha256=" + security.hmac_sha256_hex(WA_APP_SECRET, body + b" ")
    answer = client.post(f"{API}/whatsapp", body, content_type="application/json",
                         headers={"X-Hub-Signature-256": signed_other})
    assert answer.status_code == 403
    assert not InboundMessage.objects.exists()


def test_whatsapp_is_off_without_its_app_secret(client, world, channels_on):
    channels_on["WHATSAPP_APP_SECRET"] = ""
    assert post(client, envelope(messages=[text(TEXT)]), signature="sha256=x").status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "page", "entry": []},
        {"object": "whatsapp_business_account"},
        {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": "x"}]},
        envelope(messages=[{"from": WA_ID, "type": "text", "text": {"body": TEXT}}]),  # no id
        [1, 2, 3],
    ],
)
def test_a_malformed_payload_is_a_400_and_nothing_is_stored(client, world, payload):
    answer = post(client, payload)
    assert answer.status_code == 400 and answer.json()["message"]
    assert not InboundMessage.objects.exists()


def test_the_same_message_twice_is_handled_once(client, world):
    first = text(TEXT)
    say(client, first)
    answer = say(client, first)
    assert answer.json() == {"status": "accepted", "stored": 0, "duplicates": 1}
    assert len(sent_to(PHONE)) == 1 and len(inbox()) == 1


def test_delivery_statuses_are_not_stored_but_failures_are_recorded(client, world):
    delivered = {"id": "wamid.A1", "status": "delivered", "timestamp": "1767582300", "recipient_id": WA_ID}
    failed = {"id": "wamid.A2", "status": "failed", "timestamp": "1767582301", "recipient_id": WA_ID,
              "errors": [{"code": 131047, "title": "Re-engagement message",
                          "error_data": {"details": "More than 24 hours have passed since the customer last replied."}}]}
    answer = post(client, envelope(statuses=[delivered, failed]))
    assert answer.json()["stored"] == 1
    recorded = inbox()[0]
    assert recorded.state == InboundMessage.State.IGNORED and "Re-engagement" in recorded.note


# --- the conversation -----------------------------------------------------------------------------


def test_the_guided_conversation_end_to_end(client, world):
    say(client, text(TEXT))
    assert "lokasi" in last_text(PHONE).lower()
    say(client, location())
    assert "foto" in last_text(PHONE).lower()
    say(client, image(caption="Foto diambil pagi ini"))
    summary = last_text(PHONE)
    assert "Pasar Badung" in summary and "Foto: 1" in summary and "KIRIM" in summary
    assert not Report.objects.exists()
    say(client, button("send", "Kirim"))

    report = only_report()
    assert report.channel == Channel.WHATSAPP
    assert (report.contact_phone, report.contact_name) == (PHONE, "Made Sukerta")
    assert report.text == f"{TEXT}\nFoto diambil pagi ini"
    assert (str(report.latitude), str(report.longitude)) == ("-8.655924", "115.216934")
    confirmation = sent_to(PHONE, kind="report.submitted")
    assert [m.channel for m in confirmation] == [Outbound.WHATSAPP]  # on WhatsApp, not by SMS
    assert report.tracking_id in confirmation[0].body and "Kode rahasia" in confirmation[0].body
    assert all(m.channel == Outbound.WHATSAPP for m in sent_to(PHONE))
    assert Conversation.objects.get(address=PHONE).step == Conversation.Step.IDLE

    # The photo is fetched by the worker, through the same checks as any upload.
    media = InboundMedia.objects.get(report=report)
    assert (media.media_id, media.state) == ("1003383421387256", InboundMedia.State.PENDING)
    fake = FakeMedia({"1003383421387256": (PNG_BYTES, "image/png")})
    assert fetch_pending_media(client=fake) == 1
    attachment = report.attachments.get()
    assert attachment.content_type == "image/png" and attachment.uploaded_by is None
    assert fetch_pending_media(client=fake) == 0 and fake.asked == ["1003383421387256"]


def test_location_and_photo_may_be_skipped(client, world):
    say(client, text(TEXT))
    say(client, text("LEWATI"))
    say(client, button("skip", "Lewati"))
    assert "Lokasi: tidak ada. Foto: 0" in last_text(PHONE)
    say(client, text("kirim"))
    report = only_report()
    assert report.latitude is None and not InboundMedia.objects.exists()


def test_more_words_before_sending_are_added_and_batal_drops_the_draft(client, world):
    say(client, text(TEXT))
    say(client, text("Sudah berlangsung dua minggu."))
    say(client, text("LEWATI"), text("LEWATI"))
    assert "dua minggu" in last_text(PHONE)
    say(client, button("cancel", "Batal"))
    assert "dibatalkan" in last_text(PHONE)
    say(client, text("KIRIM"))
    assert not Report.objects.exists()


def test_a_photo_with_nothing_written_first_asks_for_the_words(client, world):
    say(client, image())
    assert "Tuliskan dulu" in last_text(PHONE)
    assert Conversation.objects.get(address=PHONE).step == Conversation.Step.IDLE


def test_an_old_draft_is_forgotten(client, world):
    say(client, text(TEXT))
    Conversation.objects.filter(address=PHONE).update(updated_at=timezone.now() - timedelta(hours=25))
    say(client, text("KIRIM"))
    assert not Report.objects.exists() and "STATUS" in last_text(PHONE)


def test_unsupported_message_types_are_explained(client, world):
    say(client, text(TEXT))
    say(client, message("audio", {"mime_type": "audio/ogg; codecs=opus", "id": "2001", "voice": True}))
    assert "belum dapat kami terima" in sent_to(PHONE)[-2].body


def test_status_and_reply_by_whatsapp(client, world):
    say(client, text(TEXT))
    say(client, text("LEWATI"), text("LEWATI"), text("KIRIM"))
    report = walk(world, only_report(), PATHS[Status.FOLLOWED_UP])
    say(client, text(f"status {report.tracking_id}"))
    assert "Ditindaklanjuti" in last_text(PHONE) and "ditambal" in last_text(PHONE)
    say(client, text(f"{report.tracking_id} Saluran masih tersumbat di sisi timur pasar."))
    report.refresh_from_db()
    assert report.status == Status.REPORTER_REPLIED


# --- media ----------------------------------------------------------------------------------------


def filed_with_photo(client, media_id="777") -> Report:
    say(client, text(TEXT), text("LEWATI"), image(media_id=media_id), text("KIRIM"))
    return only_report()


def test_a_failed_download_is_retried_later(client, world):
    report = filed_with_photo(client)
    fake = FakeMedia({"777": (PNG_BYTES, "image/png")}, fail=1)
    assert fetch_pending_media(client=fake) == 0
    media = InboundMedia.objects.get(report=report)
    assert media.attempts == 1 and "unreachable" in media.error and media.state == InboundMedia.State.PENDING
    assert fetch_pending_media(client=fake) == 0  # not due yet
    assert fetch_pending_media(client=fake, now=timezone.now() + timedelta(minutes=5)) == 1


def test_a_file_that_is_not_a_photo_is_refused_by_the_upload_checks(client, world):
    report = filed_with_photo(client)
    assert fetch_pending_media(client=FakeMedia({"777": (b"MZ\x90\x00 not an image", "image/jpeg")})) == 0
    media = InboundMedia.objects.get(report=report)
    assert media.state == InboundMedia.State.REFUSED and not report.attachments.exists()


class _Graph(BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802
        _Graph.seen.append((self.path, self.headers.get("Authorization")))
        base = f"http://127.0.0.1:{self.server.server_port}/v21.0"
        if self.path == "/v21.0/555":
            body, kind = json.dumps({"url": f"{base}/files/555", "mime_type": "image/png", "id": "555"}).encode(), "application/json"
        elif self.path == "/v21.0/files/555":
            body, kind = PNG_BYTES, "image/png"
        else:
            self.send_response(302)
            self.send_header("Location", "http://example.invalid/")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_graph_client_asks_for_the_url_then_the_file_with_the_token():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Graph)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = {"WHATSAPP_API_BASE": f"http://127.0.0.1:{server.server_port}/v21.0", "WHATSAPP_TOKEN": "EAA-token",
                  "HTTP_TIMEOUT": 5}
        content, content_type = GraphMediaClient(config).fetch("555")
        assert (content, content_type) == (PNG_BYTES, "image/png")
        assert _Graph.seen[-2:] == [("/v21.0/555", "Bearer EAA-token"), ("/v21.0/files/555", "Bearer EAA-token")]
        with pytest.raises(Exception, match=re.escape("302")):
            GraphMediaClient(config).fetch("redirected")  # a redirect would carry the token elsewhere
    finally:
        server.shutdown()


def test_a_photo_another_worker_is_fetching_is_skipped(client, world):
    report = filed_with_photo(client)
    media = InboundMedia.objects.get(report=report)
    fake = FakeMedia({"777": (PNG_BYTES, "image/png")})

    class Racing(FakeMedia):
        def fetch(self, media_id):
            # While this worker fetches, the row is claimed: a second worker finds nothing due.
            assert fetch_pending_media(client=fake) == 0
            return super().fetch(media_id)

    assert fetch_pending_media(client=Racing({"777": (PNG_BYTES, "image/png")})) == 1
    media.refresh_from_db()
    assert media.state == InboundMedia.State.ATTACHED and fake.asked == [] and report.attachments.count() == 1
