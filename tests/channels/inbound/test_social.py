"""Social media mentions through X's Account Activity API: CRC, signature, #lapor1708, public reply."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from lapor.channels.inbound import security
from lapor.channels.inbound.models import InboundMessage
from lapor.complaints.models import Channel, Report
from lapor.notifications.gateways import Delivery, GatewayError, XReplyGateway, gateway_for
from lapor.notifications.models import Channel as Outbound
from lapor.notifications.models import OutboxMessage

from .conftest import API, X_SECRET, inbox, only_report

OUR_ID = "1204455212445573120"
TEXT = ("@lapor1708 Jembatan gantung di Desa Sukamaju putus sejak banjir minggu lalu, anak sekolah harus "
        "menyeberang sungai #lapor1708")


def post_event(text=TEXT, *, post_id="1880000000000000001", user_id="3349928817", screen_name="warga_sukamaju",
               hashtags=("lapor1708",), **extra) -> dict:
    """A post as it comes in `tweet_create_events` (v1.1 post object)."""
    post = {
        "created_at": "Mon Jan 05 03:04:05 +0000 2026",
        "id": int(post_id), "id_str": post_id, "text": text, "truncated": False,
        "in_reply_to_status_id": None, "in_reply_to_status_id_str": None,
        "in_reply_to_user_id_str": OUR_ID, "in_reply_to_screen_name": "lapor1708",
        "user": {"id": int(user_id), "id_str": user_id, "name": "Warga Sukamaju", "screen_name": screen_name},
        "coordinates": None, "place": None, "is_quote_status": False,
        "entities": {"hashtags": [{"text": tag, "indices": [0, 0]} for tag in hashtags],
                     "user_mentions": [{"screen_name": "lapor1708", "id_str": OUR_ID}], "urls": []},
        "lang": "in",
    }
    post.update(extra)
    return post


def envelope(*posts) -> dict:
    return {"for_user_id": OUR_ID, "tweet_create_events": list(posts)}


def send(client, payload, *, signature=None):
    body = json.dumps(payload).encode()
    signature = signature if signature is not None else "sha256=" + security.hmac_sha256_base64(X_SECRET, body)
    return client.post(f"{API}/x", body, content_type="application/json",
                       headers={"X-Twitter-Webhooks-Signature": signature})


def test_the_crc_check_answers_with_the_hmac_of_the_token(client, world):
    answer = client.get(f"{API}/x", {"crc_token": "9b4507b3-9040-4669-9ca3-6b94edb50553"})
    assert answer.status_code == 200
    expected = base64.b64encode(hmac.new(X_SECRET.encode(), b"9b4507b3-9040-4669-9ca3-6b94edb50553",
                                         hashlib.sha256).digest()).decode()
    assert answer.json() == {"response_token": f"sha256={expected}"}


def test_a_mention_with_the_hashtag_becomes_a_report_and_gets_a_public_reply(client, world):
    answer = send(client, envelope(post_event()))
    assert answer.status_code == 200 and answer.json()["stored"] == 1, answer.content
    report = only_report()
    assert report.channel == Channel.SOCIAL and report.contact_name == "@warga_sukamaju"
    assert report.text.startswith("Jembatan gantung di Desa Sukamaju") and "#lapor1708" not in report.text
    assert "@lapor1708" not in report.text
    reply = OutboxMessage.objects.get(channel=Outbound.SOCIAL)
    assert reply.recipient == "@warga_sukamaju/status/1880000000000000001"
    assert reply.body.startswith("@warga_sukamaju ") and report.tracking_id in reply.body
    assert f"https://lapor.example.id/lacak/?nomor={report.tracking_id}" in reply.body
    # No secret goes out in public, and nothing else is sent.
    assert OutboxMessage.objects.count() == 1


def test_posts_that_are_not_reports_are_recorded_and_ignored(client, world):
    own = post_event(post_id="1880000000000000002", user_id=OUR_ID, screen_name="lapor1708")
    repost = post_event(post_id="1880000000000000003", retweeted_status={"id_str": "1"})
    untagged = post_event("@lapor1708 terima kasih atas informasinya kemarin, sangat membantu warga.",
                          post_id="1880000000000000004", hashtags=())
    assert send(client, envelope(own, repost, untagged)).json()["stored"] == 3
    assert [m.state for m in inbox()] == [InboundMessage.State.IGNORED] * 3
    assert not Report.objects.exists() and not OutboxMessage.objects.exists()


def test_a_long_post_is_read_from_its_extended_text(client, world):
    full = TEXT.replace("#lapor1708", "Sudah tiga hari warga memutar sejauh lima kilometer. #lapor1708")
    post = post_event(TEXT[:140] + "…", truncated=True, entities={"hashtags": []},
                      extended_tweet={"full_text": full, "entities": {"hashtags": [{"text": "Lapor1708"}]}})
    send(client, envelope(post))
    assert "memutar sejauh lima kilometer" in only_report().text


def test_the_same_post_twice_is_one_report(client, world):
    send(client, envelope(post_event()))
    assert send(client, envelope(post_event())).json() == {"status": "accepted", "stored": 0, "duplicates": 1}
    assert Report.objects.count() == 1


def test_a_bad_signature_is_refused(client, world):
    assert send(client, envelope(post_event()), signature="sha256=AAAA").status_code == 403
    assert send(client, envelope(post_event()), signature="").status_code == 403
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("payload", [[1], {"tweet_create_events": "x"}, {"tweet_create_events": [{"id_str": "1"}]}])
def test_a_malformed_event_is_a_400(client, world, payload):
    assert send(client, payload).status_code == 400
    assert not InboundMessage.objects.exists()


def test_other_events_are_accepted_with_nothing_stored(client, world):
    answer = send(client, {"for_user_id": OUR_ID, "favorite_events": [{"id": "1"}]})
    assert answer.json() == {"status": "accepted", "stored": 0, "duplicates": 0}


# --- the reply gateway ----------------------------------------------------------------------------


def test_social_replies_go_to_the_log_in_the_demo(settings, caplog):
    caplog.set_level("INFO")
    delivery = Delivery(channel=Outbound.SOCIAL, recipient="@warga/status/18", subject="", body="@warga terima kasih",
                        idempotency_key="k-1")
    assert gateway_for(Outbound.SOCIAL).send(delivery) == "log-k-1"
    assert "@warga terima kasih" in caplog.text


def test_the_x_gateway_posts_a_reply_to_the_mentioning_post(settings):
    settings.LAPOR_NOTIFY = {**settings.LAPOR_NOTIFY, "SOCIAL_BACKEND": "x", "X_USER_TOKEN": "user-token"}
    gateway = gateway_for(Outbound.SOCIAL)
    assert isinstance(gateway, XReplyGateway)
    delivery = Delivery(channel=Outbound.SOCIAL, recipient="@warga/status/1880000000000000001", subject="",
                        body="@warga Laporan LAP-ABCD-EFGH tercatat.", idempotency_key="k-2")
    assert gateway.payload(delivery) == {"text": "@warga Laporan LAP-ABCD-EFGH tercatat.",
                                         "reply": {"in_reply_to_tweet_id": "1880000000000000001"}}
    with pytest.raises(GatewayError) as refused:
        gateway.payload(Delivery(channel=Outbound.SOCIAL, recipient="@warga", subject="", body="x",
                                 idempotency_key="k-3"))
    assert refused.value.retryable is False
