"""SMS 1708 through the generic gateway: confirmation of new numbers, keywords, status, replies."""

from __future__ import annotations

import json
import re

import pytest

from lapor.accounts.models import Agency
from lapor.channels.inbound.models import Conversation, InboundMessage, RegionKeyword
from lapor.complaints.models import Channel, Report, Status
from lapor.notifications.models import Channel as Outbound

from ...complaints.flow import PATHS, walk
from ...factories import make_agency, make_region_chain
from .conftest import API, OTHER_PHONE, PHONE, SMS_TOKEN, inbox, last_text, only_report, sent_to

REPORT_TEXT = "Jalan di depan Pasar Cikupa berlubang besar dan sudah sebulan tidak diperbaiki."
_ids = iter(range(1, 10_000))


def sms(client, text, *, sender=PHONE, message_id=None, token=SMS_TOKEN, **extra):
    body = {"from": sender, "to": "1708", "text": text, "id": message_id or f"gw-{next(_ids)}", **extra}
    return client.post(f"{API}/sms/generic?token={token}", json.dumps(body), content_type="application/json")


def code_in(text: str) -> str:
    return re.search(r"YA (\d{4})", text).group(1)


def confirm_number(client, phone=PHONE) -> None:
    """A number that has confirmed once (its first report filed)."""
    sms(client, REPORT_TEXT, sender=phone)
    sms(client, f"YA {code_in(last_text(phone))}", sender=phone)


# --- the gateway ----------------------------------------------------------------------------------


def test_a_new_number_confirms_with_the_code_before_its_report_is_filed(client, world):
    answer = sms(client, REPORT_TEXT)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"status": "accepted", "stored": 1, "duplicates": 0}
    assert not Report.objects.exists()
    prompt = sent_to(PHONE)[-1]
    assert prompt.channel == Outbound.SMS and prompt.kind == "inbound.confirm_number" and prompt.sensitive
    sms(client, f"YA {code_in(prompt.body)}")
    report = only_report()
    assert (report.channel, report.contact_phone, report.text) == (Channel.SMS, PHONE, REPORT_TEXT)
    confirmation = sent_to(PHONE, kind="report.submitted")
    assert len(confirmation) == 1 and report.tracking_id in confirmation[0].body
    assert inbox()[-1].report_id == report.pk and inbox()[-1].state == InboundMessage.State.PROCESSED
    # Confirmed once: the next report goes straight in.
    sms(client, "Lampu penerangan jalan di Jalan Raya Serang mati sejak minggu lalu, gelap sekali.")
    assert Report.objects.count() == 2


def test_a_wrong_code_files_nothing_and_five_wrong_codes_drop_the_report(client, world):
    sms(client, REPORT_TEXT)
    code = code_in(last_text(PHONE))
    wrong = "0000" if code != "0000" else "1111"
    sms(client, f"YA {wrong}")
    assert "Kode tidak cocok" in last_text(PHONE)
    sms(client, "YA")  # the code is needed: a forged sender never saw it
    assert not Report.objects.exists()
    for _attempt in range(3):
        sms(client, wrong)
    assert Conversation.objects.get(address=PHONE).step == Conversation.Step.IDLE
    sms(client, f"YA {code}")
    assert not Report.objects.exists()


def test_batal_cancels_and_a_second_sms_before_confirming_is_added(client, world):
    sms(client, REPORT_TEXT)
    sms(client, "BATAL")
    assert "dibatalkan" in last_text(PHONE)
    sms(client, REPORT_TEXT)
    sms(client, "Lokasinya tepat di depan gerbang pasar.")
    sms(client, f"YA {code_in(last_text(PHONE))}")
    assert only_report().text == f"{REPORT_TEXT}\nLokasinya tepat di depan gerbang pasar."


def test_confirmation_can_be_switched_off(client, world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    sms(client, REPORT_TEXT)
    assert only_report().contact_phone == PHONE


def test_a_resend_with_the_same_id_changes_nothing(client, world):
    confirm_number(client)
    first = sms(client, "Sampah menumpuk di bantaran sungai dekat jembatan Cisadane sudah dua minggu.", message_id="dup-1")
    again = sms(client, "Sampah menumpuk di bantaran sungai dekat jembatan Cisadane sudah dua minggu.", message_id="dup-1")
    assert first.json()["stored"] == 1
    assert again.status_code == 200 and again.json() == {"status": "accepted", "stored": 0, "duplicates": 1}
    assert Report.objects.count() == 2  # the confirmed first one and this one, once
    assert InboundMessage.objects.filter(external_id="dup-1").count() == 1


def test_without_a_gateway_id_an_identical_resend_is_still_one_message(client, world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    body = json.dumps({"from": PHONE, "text": REPORT_TEXT, "timestamp": "2026-01-05 10:00:00"})
    for _twice in range(2):
        client.post(f"{API}/sms/generic?token={SMS_TOKEN}", body, content_type="application/json")
    assert Report.objects.count() == 1 and len(inbox()) == 1


def test_form_posts_and_renamed_fields_are_read(client, world, channels_on):
    channels_on["SMS_GENERIC_FIELDS"] = {"from": "sender", "text": "message", "id": "msgid"}
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    answer = client.post(
        f"{API}/sms/generic", {"sender": "081234567001", "message": REPORT_TEXT, "msgid": "f-1"},
        headers={"X-Lapor-Token": SMS_TOKEN},
    )
    assert answer.status_code == 200, answer.content
    assert only_report().contact_phone == PHONE  # 0812… read as +62812…


@pytest.mark.parametrize(
    "body, field",
    [
        ({"to": "1708", "text": REPORT_TEXT, "id": "m-1"}, "from"),
        ({"from": PHONE, "to": "1708", "id": "m-1"}, "text"),
        ({"from": PHONE, "text": REPORT_TEXT, "id": "m-1", "total": "2", "part": "x"}, "part"),
    ],
)
def test_a_malformed_sms_is_a_clear_400_and_nothing_is_stored(client, world, body, field):
    answer = client.post(f"{API}/sms/generic?token={SMS_TOKEN}", json.dumps(body), content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["field"] == field and answer.json()["message"]
    assert not InboundMessage.objects.exists()


def test_a_body_that_is_not_json_is_a_400(client, world):
    answer = client.post(f"{API}/sms/generic?token={SMS_TOKEN}", "{nope", content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "malformed_json"
    assert not InboundMessage.objects.exists()


def test_a_wrong_or_missing_token_is_refused_with_403(client, world):
    assert sms(client, REPORT_TEXT, token="salah").status_code == 403
    answer = client.post(f"{API}/sms/generic", json.dumps({"from": PHONE, "text": REPORT_TEXT, "id": "x"}),
                         content_type="application/json")
    assert answer.status_code == 403 and answer.json()["code"] == "bad_signature"
    assert not InboundMessage.objects.exists()


def test_a_token_configured_as_its_digest_is_accepted(client, world, channels_on):
    import hashlib

    channels_on["SMS_GENERIC_TOKEN"] = "sha256:" + hashlib.sha256(b"hanya-digest").hexdigest()
    assert sms(client, REPORT_TEXT, token="hanya-digest").status_code == 200
    assert sms(client, REPORT_TEXT, token=SMS_TOKEN).status_code == 403


def test_a_gateway_without_its_secret_is_switched_off(client, world, channels_on):
    channels_on["SMS_GENERIC_TOKEN"] = ""
    answer = sms(client, REPORT_TEXT, token="")
    assert answer.status_code == 404 and answer.json()["code"] == "channel_disabled"
    assert client.post(f"{API}/sms/nokia", {}).status_code == 404
    assert not InboundMessage.objects.exists()


def test_senders_without_a_phone_number_are_ignored(client, world):
    sms(client, "Promo paket data 10GB hanya hari ini, ketik UL ON kirim ke 888.", sender="TELKOMSEL")
    assert inbox()[0].state == InboundMessage.State.IGNORED
    assert not Report.objects.exists() and not sent_to("TELKOMSEL")


def test_a_too_short_report_is_answered_and_not_filed(client, world):
    sms(client, "jalan rusak")
    assert "terlalu singkat" in last_text(PHONE)
    assert not Report.objects.exists() and Conversation.objects.get(address=PHONE).step == Conversation.Step.IDLE


def test_a_number_filing_too_often_is_ignored(client, world, settings, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    settings.LAPOR = {**settings.LAPOR, "SUBMISSIONS_PER_HOUR": 1}
    sms(client, REPORT_TEXT)
    sms(client, REPORT_TEXT + " Mohon segera.")
    assert Report.objects.count() == 1
    assert inbox()[-1].state == InboundMessage.State.IGNORED


# --- keywords -------------------------------------------------------------------------------------


def test_a_keyword_prefix_routes_the_report_to_its_region(client, world):
    village = make_region_chain("36.03.01.2001", ("Banten", "Kabupaten Tangerang", "Cikupa", "Bitung Jaya"))
    regency = village.parent.parent
    tangkab = make_agency(code="kab-tangerang", name="Pemerintah Kabupaten Tangerang", kind=Agency.Kind.REGENCY,
                          region=regency)
    RegionKeyword.objects.create(keyword="tangkab", region=regency)
    confirm_number(client)
    sms(client, f"TANGKAB {REPORT_TEXT}")
    report = Report.objects.order_by("-pk").first()
    assert report.region == regency and report.suggested_agency == tangkab
    assert report.text == REPORT_TEXT  # the keyword is not part of the citizen's words


def test_an_unknown_first_word_is_just_part_of_the_report(client, world):
    confirm_number(client)
    sms(client, f"CIKUPA {REPORT_TEXT}")
    report = Report.objects.order_by("-pk").first()
    assert report.region is None and report.text == f"CIKUPA {REPORT_TEXT}"


# --- status and replies ---------------------------------------------------------------------------


def filed_by_sms(client, world, status: str) -> Report:
    """A report filed by SMS from PHONE (confirming the number when needed), now in `status`."""
    sms(client, REPORT_TEXT)
    if sent_to(PHONE)[-1].kind == "inbound.confirm_number":
        sms(client, f"YA {code_in(last_text(PHONE))}")
    report = Report.objects.filter(contact_phone=PHONE).order_by("-pk").first()
    return walk(world, report, PATHS[status])


def test_status_query_from_the_reporter_includes_the_answer(client, world):
    report = filed_by_sms(client, world, Status.FOLLOWED_UP)
    sms(client, f"STATUS {report.tracking_id.lower().replace('-', ' ')}")
    text = last_text(PHONE)
    assert report.tracking_id in text and "Ditindaklanjuti" in text
    assert "Jalan sudah ditambal" in text  # the answer of the follow-up


def test_status_query_from_another_number_gets_only_the_public_view(client, world):
    report = filed_by_sms(client, world, Status.FOLLOWED_UP)
    sms(client, f"STATUS {report.tracking_id}", sender=OTHER_PHONE)
    text = last_text(OTHER_PHONE)
    assert "Ditindaklanjuti" in text and "ditambal" not in text
    held = filed_by_sms(client, world, Status.RECEIVED)  # not public before verification
    sms(client, f"CEK {held.tracking_id}", sender=OTHER_PHONE)
    assert "tidak ditemukan" in last_text(OTHER_PHONE)


def test_the_reporter_replies_to_a_follow_up_by_sms(client, world):
    report = filed_by_sms(client, world, Status.FOLLOWED_UP)
    sms(client, f"{report.tracking_id} Lubangnya ditambal tapi sudah terbuka lagi setelah hujan.")
    report.refresh_from_db()
    assert report.status == Status.REPORTER_REPLIED
    event = report.events.order_by("-pk").first()
    assert event.type == "report.reporter_replied" and "terbuka lagi" in event.message
    assert "diterima" in last_text(PHONE)


def test_only_the_number_that_filed_may_reply(client, world):
    report = filed_by_sms(client, world, Status.FOLLOWED_UP)
    sms(client, f"{report.tracking_id} Saya bukan pelapornya tapi ingin menanggapi.", sender=OTHER_PHONE)
    report.refresh_from_db()
    assert report.status == Status.FOLLOWED_UP
    assert "Hanya pelapor" in last_text(OTHER_PHONE)


def test_the_reporter_completes_a_held_report_by_sms(client, world):
    report = filed_by_sms(client, world, Status.ON_HOLD)
    sms(client, f"{report.tracking_id}: alamatnya Jl. Raya Cikupa No. 12, depan gerbang pasar.")
    report.refresh_from_db()
    assert report.status == Status.FORWARDED


def test_a_reply_while_the_report_is_being_handled_is_explained(client, world):
    report = filed_by_sms(client, world, Status.DISPOSED)
    sms(client, f"{report.tracking_id} Bagaimana perkembangannya?")
    report.refresh_from_db()
    assert report.status == Status.DISPOSED
    assert "setelah ada tindak lanjut" in last_text(PHONE)


def test_help_for_a_lone_keyword(client, world):
    sms(client, "BANTUAN")
    assert "STATUS" in last_text(PHONE)
