"""Twilio, Vonage (Nexmo) and Zenziva webhooks in their own formats; long SMS in parts."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone

from lapor.channels.inbound import security
from lapor.channels.inbound.inbox import run_pending
from lapor.channels.inbound.models import InboundMessage, Provider, SmsConcat
from lapor.complaints.models import Report

from .conftest import API, PHONE, TWILIO_TOKEN, VONAGE_SECRET, ZENZIVA_TOKEN, inbox, only_report, sent_to

TEXT = "Pipa PDAM bocor di Jalan Melati sejak tiga hari, air terbuang dan jalan tergenang."
State = InboundMessage.State


def test_known_signature_vectors():
    # Twilio's documented example (auth token 12345) and the Vonage SDK's md5hash example.
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234", "From": "+12349013030",
              "To": "+18005551212"}
    assert security.twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) == (
        "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    )
    assert security.vonage_signature("secret", {"a": "1", "b": "2", "timestamp": "1461605396"}) == (
        "6af838ef94998832dbfc29020b564830"
    )


# --- Twilio ---------------------------------------------------------------------------------------

TWILIO_URL = f"http://testserver{API}/sms/twilio"


def twilio_params(body=TEXT, sid="SM7a2f0c3b5d1e4f6a8b9c0d1e2f3a4b5c", sender=PHONE) -> dict:
    """An inbound SMS as Twilio posts it (application/x-www-form-urlencoded)."""
    return {
        "ToCountry": "ID", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "", "FromZip": "",
        "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body, "FromCountry": "ID",
        "To": "+628111708", "ToZip": "", "NumSegments": "1", "MessageSid": sid,
        "AccountSid": "AC0123456789abcdef0123456789abcdef", "From": sender, "ApiVersion": "2010-04-01",
    }


def twilio_post(client, params, signature=None):
    signature = signature or security.twilio_signature(TWILIO_TOKEN, TWILIO_URL, params)
    return client.post(
        f"{API}/sms/twilio", urlencode(params), content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )


def test_twilio_signed_sms_is_stored_and_answered_with_empty_twiml(client, world):
    answer = twilio_post(client, twilio_params())
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/xml") and b"<Response></Response>" in answer.content
    message = inbox(Provider.SMS_TWILIO)[0]
    assert (message.external_id, message.sender) == ("SM7a2f0c3b5d1e4f6a8b9c0d1e2f3a4b5c", PHONE)
    assert sent_to(PHONE)[-1].kind == "inbound.confirm_number"


def test_twilio_with_a_bad_or_missing_signature_is_refused(client, world):
    params = twilio_params()
    assert twilio_post(client, params, signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=").status_code == 403
    tampered = {**params, "Body": "Teks yang diubah di tengah jalan oleh pihak lain."}
    signed_for_original = security.twilio_signature(TWILIO_TOKEN, TWILIO_URL, params)
    assert twilio_post(client, tampered, signature=signed_for_original).status_code == 403
    answer = client.post(f"{API}/sms/twilio", urlencode(params), content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 403
    assert not InboundMessage.objects.exists()


def test_twilio_signs_the_configured_public_url_behind_a_proxy(client, world, channels_on):
    channels_on["SMS_TWILIO_WEBHOOK_URL"] = "https://lapor.example.id/api/v1/channels/sms/twilio"
    params = twilio_params()
    signature = security.twilio_signature(TWILIO_TOKEN, channels_on["SMS_TWILIO_WEBHOOK_URL"], params)
    assert twilio_post(client, params, signature=signature).status_code == 200


def test_twilio_without_message_sid_is_a_400(client, world):
    params = {key: value for key, value in twilio_params().items() if key not in ("MessageSid", "SmsSid")}
    answer = twilio_post(client, params)
    assert answer.status_code == 400 and answer.json()["field"] == "MessageSid"


# --- Vonage ---------------------------------------------------------------------------------------


def vonage_params(text=TEXT, message_id="0A0000000123ABCD1", **extra) -> dict:
    """An inbound SMS as Vonage sends it, signed with the account's signature secret (md5hash)."""
    params = {
        "msisdn": PHONE.lstrip("+"), "to": "628111708", "messageId": message_id, "text": text, "type": "text",
        "keyword": text.split()[0].upper(), "api-key": "abcd1234", "message-timestamp": "2026-01-05 03:04:05",
        "timestamp": "1767582245", "nonce": "7f1e8a52-9f5d-4e2a-9c1b-0d2e3f4a5b6c", **extra,
    }
    params["sig"] = security.vonage_signature(VONAGE_SECRET, params)
    return params


def test_vonage_signed_get_is_accepted(client, world):
    answer = client.get(f"{API}/sms/vonage", vonage_params())
    assert answer.status_code == 200, answer.content
    assert inbox(Provider.SMS_VONAGE)[0].sender == PHONE.lstrip("+")


def test_vonage_signed_json_post_is_accepted(client, world):
    answer = client.post(f"{API}/sms/vonage", json.dumps(vonage_params()), content_type="application/json")
    assert answer.status_code == 200, answer.content


def test_vonage_with_a_bad_signature_is_refused(client, world):
    params = {**vonage_params(), "text": "Teks lain dari yang ditandatangani oleh Vonage."}
    assert client.get(f"{API}/sms/vonage", params).status_code == 403
    unsigned = {key: value for key, value in vonage_params().items() if key != "sig"}
    assert client.get(f"{API}/sms/vonage", unsigned).status_code == 403
    assert not InboundMessage.objects.exists()


def test_vonage_with_a_token_when_the_account_does_not_sign(client, world, channels_on):
    channels_on["SMS_VONAGE_SIGNATURE_SECRET"], channels_on["SMS_VONAGE_TOKEN"] = "", "vonage-url-token"
    params = {key: value for key, value in vonage_params().items() if key != "sig"}
    assert client.get(f"{API}/sms/vonage", {**params, "token": "vonage-url-token"}).status_code == 200
    assert client.get(f"{API}/sms/vonage", {**params, "token": "salah"}).status_code == 403


def parts(text: str, ref="2C", total=3):
    size = -(-len(text) // total)
    return [text[i * size:(i + 1) * size] for i in range(total)]


def send_part(client, text, number, *, ref="2C", total=3, batch="01"):
    params = vonage_params(text=text, message_id=f"0A000000{batch}{ref}{number}", concat="true", **{
        "concat-ref": ref, "concat-total": str(total), "concat-part": str(number)})
    return client.get(f"{API}/sms/vonage", params)


def test_a_long_sms_in_three_parts_out_of_order_is_one_report(client, world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    long_text = TEXT + " Warga sudah melapor ke kelurahan tetapi belum ada petugas yang datang memeriksa."
    pieces = parts(long_text)
    for number in (2, 3):
        send_part(client, pieces[number - 1], number)
    assert not Report.objects.exists()
    assert [m.state for m in inbox()] == [State.WAITING, State.WAITING]
    send_part(client, pieces[2], 3)  # a resend of a part: nothing changes
    send_part(client, pieces[0], 1)
    report = only_report()
    assert report.text == long_text
    assert sorted(m.state for m in inbox()) == [State.PROCESSED] * 3
    assert inbox()[-1].report_id == report.pk
    assert not SmsConcat.objects.filter(done=False).exists()


def test_parts_that_stop_coming_go_in_after_the_wait_with_the_gap_marked(client, world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    pieces = parts(TEXT + " Mohon segera ditangani oleh PDAM setempat, terima kasih banyak.")
    send_part(client, pieces[0], 1, ref="7")
    send_part(client, pieces[2], 3, ref="7")
    run_pending()
    assert not Report.objects.exists()  # still within the wait
    run_pending(now=timezone.now() + timedelta(minutes=11))
    report = only_report()
    assert report.text == pieces[0] + "[…]" + pieces[2]
    # The same reference later starts a new message.
    send_part(client, pieces[0], 1, ref="7", batch="02")
    assert SmsConcat.objects.filter(ref="7", done=False).count() == 1


def test_a_binary_sms_is_kept_and_ignored(client, world):
    params = {key: value for key, value in vonage_params().items() if key not in ("text", "keyword", "sig")}
    params.update(type="binary", data="0605040B8423F0", udh="06050415811581")
    params["sig"] = security.vonage_signature(VONAGE_SECRET, params)
    assert client.get(f"{API}/sms/vonage", params).status_code == 200
    assert inbox()[0].state == State.IGNORED


# --- Zenziva --------------------------------------------------------------------------------------


def test_a_zenziva_inbox_record_is_read(client, world):
    record = {"messageId": "424", "date": "2026-01-05 09:04:59", "dari": PHONE, "isiPesan": TEXT}
    answer = client.post(f"{API}/sms/zenziva?token={ZENZIVA_TOKEN}", record)
    assert answer.status_code == 200, answer.content
    message = inbox(Provider.SMS_ZENZIVA)[0]
    assert (message.external_id, message.payload["sms"]["text"]) == ("424", TEXT)


def test_a_zenziva_inbox_listing_brings_every_message_once(client, world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    listing = {"msg-count": 2, "msg": [
        {"messageId": "425", "date": "2026-01-05 09:10:00", "dari": PHONE, "isiPesan": TEXT},
        {"messageId": "426", "date": "2026-01-05 09:12:00", "dari": "+6281234567009",
         "isiPesan": "Lampu lalu lintas di simpang Jalan Sudirman mati sejak kemarin sore."},
    ]}
    url = f"{API}/sms/zenziva?token={ZENZIVA_TOKEN}"
    assert client.post(url, json.dumps(listing), content_type="application/json").json()["stored"] == 2
    again = client.post(url, json.dumps(listing), content_type="application/json").json()
    assert again == {"status": "accepted", "stored": 0, "duplicates": 2}
    assert Report.objects.count() == 2


def test_a_zenziva_record_without_sender_is_a_400(client, world):
    answer = client.post(f"{API}/sms/zenziva?token={ZENZIVA_TOKEN}", {"messageId": "9", "isiPesan": TEXT})
    assert answer.status_code == 400 and answer.json()["field"] == "dari"
    assert not InboundMessage.objects.exists()


def test_several_missing_parts_in_a_row_are_one_gap(client, world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    pieces = parts(TEXT + " Sudah dilaporkan ke kelurahan namun belum ada tindakan dari petugas.", total=5)
    send_part(client, pieces[0], 1, ref="9", total=5)
    send_part(client, pieces[4], 5, ref="9", total=5)
    run_pending(now=timezone.now() + timedelta(minutes=11))
    assert only_report().text == pieces[0] + "[…]" + pieces[4]


def test_a_part_count_beyond_one_octet_is_a_400(client, world):
    answer = send_part(client, "teks", 1, ref="1", total=300)
    assert answer.status_code == 400 and not InboundMessage.objects.exists()


def test_a_token_in_the_query_string_is_not_stored(client, world, channels_on):
    channels_on["SMS_VONAGE_SIGNATURE_SECRET"], channels_on["SMS_VONAGE_TOKEN"] = "", "vonage-url-token"
    params = {key: value for key, value in vonage_params().items() if key != "sig"}
    client.get(f"{API}/sms/vonage", {**params, "token": "vonage-url-token"})
    assert "vonage-url-token" not in json.dumps(inbox()[0].payload)


def test_webhooks_need_no_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    record = {"messageId": "501", "dari": PHONE, "isiPesan": TEXT}
    assert strict.post(f"{API}/sms/zenziva?token={ZENZIVA_TOKEN}", record).status_code == 200
