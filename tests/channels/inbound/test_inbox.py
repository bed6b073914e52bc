"""The durable inbox: stored first, failures kept and retried, nothing lost; the worker's jobs."""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from lapor.channels.inbound import conversation
from lapor.channels.inbound.inbox import Incoming, inbox_process, inbox_store, purge, run_pending
from lapor.channels.inbound.models import Conversation, InboundMessage, Provider, RegionKeyword
from lapor.complaints.models import Report

from ...factories import make_region_chain
from .conftest import API, PHONE, SMS_TOKEN, inbox, only_report

TEXT = "Drainase di Jalan Diponegoro mampet sehingga air menggenangi rumah warga setiap hujan deras."
State = InboundMessage.State


def sms(client, text=TEXT, message_id="gw-1"):
    body = json.dumps({"from": PHONE, "text": text, "id": message_id})
    return client.post(f"{API}/sms/generic?token={SMS_TOKEN}", body, content_type="application/json")


def broken_filing(*args, **kwargs):
    raise RuntimeError("database hiccup")


def test_a_failure_while_handling_keeps_the_message_with_its_error(client, world, channels_on, monkeypatch):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    monkeypatch.setattr(conversation, "report_file", broken_filing)
    answer = sms(client)
    assert answer.status_code == 200  # stored: the gateway must not resend
    message = inbox()[0]
    assert message.state == State.FAILED and "database hiccup" in message.error and message.attempts == 1
    assert not Report.objects.exists()
    monkeypatch.undo()
    call_command("inbound", "retry")
    message.refresh_from_db()
    assert message.state == State.PROCESSED and message.error == "" and message.attempts == 2
    assert message.report == only_report()
    assert sms(client).json()["duplicates"] == 1  # the gateway's resend is still a duplicate


def test_the_admin_lists_messages_and_retries_failures(admin_client, world, channels_on, monkeypatch):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    monkeypatch.setattr(conversation, "report_file", broken_filing)
    sms(admin_client)
    monkeypatch.undo()
    page = admin_client.get("/admin/inbound/inboundmessage/?state=failed")
    assert page.status_code == 200 and PHONE.encode() in page.content
    message = inbox()[0]
    detail = admin_client.get(f"/admin/inbound/inboundmessage/{message.pk}/change/")
    assert detail.status_code == 200 and b"database hiccup" in detail.content
    answer = admin_client.post("/admin/inbound/inboundmessage/", {"action": "retry", "_selected_action": [message.pk]})
    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.state == State.PROCESSED and Report.objects.count() == 1


def test_a_message_stored_before_a_crash_is_handled_by_the_worker(world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    stored, created = inbox_store(Incoming(
        provider=Provider.SMS_GENERIC, external_id="crash-1", sender=PHONE, kind="sms",
        payload={"sms": {"from": PHONE, "text": TEXT, "id": "crash-1"}},
    ))
    assert created and stored.state == State.RECEIVED
    assert run_pending()["handled"] == 1
    stored.refresh_from_db()
    assert stored.state == State.PROCESSED and stored.report == only_report()


def test_a_dead_workers_claim_is_taken_back(world, channels_on):
    channels_on["SMS_CONFIRM_NEW_NUMBERS"] = False
    stored, _created = inbox_store(Incoming(
        provider=Provider.SMS_GENERIC, external_id="claimed-1", sender=PHONE,
        payload={"sms": {"from": PHONE, "text": TEXT, "id": "claimed-1"}},
    ))
    InboundMessage.objects.filter(pk=stored.pk).update(state=State.PROCESSING, claimed_at=timezone.now())
    assert inbox_process(stored.pk).state == State.PROCESSING  # someone else's claim is left alone
    assert run_pending()["requeued"] == 0
    later = timezone.now() + timedelta(minutes=16)
    assert run_pending(now=later)["requeued"] == 1
    stored.refresh_from_db()
    assert stored.state == State.PROCESSED and Report.objects.count() == 1


def test_purge_blanks_old_payloads_but_keeps_the_row_for_dedup(client, world, channels_on):
    sms(client)
    message = inbox()[0]
    assert message.payload["sms"]["text"] == TEXT
    purge()
    message.refresh_from_db()
    assert message.purged_at is None
    chat = Conversation.objects.get(address=PHONE)
    assert chat.step == Conversation.Step.CONFIRM_NUMBER
    result = purge(now=timezone.now() + timedelta(days=31))
    assert result["blanked"] == 1 and result["drafts"] == 1
    message.refresh_from_db()
    chat.refresh_from_db()
    assert message.payload == {} and message.purged_at is not None
    assert chat.step == Conversation.Step.IDLE and chat.draft == {}
    assert sms(client).json()["duplicates"] == 1


def test_webhooks_are_rate_limited_per_address(client, world, channels_on):
    channels_on["WEBHOOK_REQUESTS_PER_MINUTE"] = 2
    assert sms(client, message_id="r-1").status_code == 200
    assert sms(client, message_id="r-2").status_code == 200
    answer = sms(client, message_id="r-3")
    assert answer.status_code == 429 and answer["Retry-After"]
    assert len(inbox()) == 2


def test_the_webhooks_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/channels/sms/{gateway}", "/api/v1/channels/whatsapp", "/api/v1/channels/email",
                 "/api/v1/channels/x"):
        assert path in paths, path
    assert set(paths["/api/v1/channels/whatsapp"]) == {"get", "post"}
    assert "requestBody" in paths["/api/v1/channels/email"]["post"]


def test_the_keyword_command(world, capsys):
    make_region_chain("36.03.01.2001", ("Banten", "Kabupaten Tangerang", "Cikupa", "Bitung Jaya"))
    call_command("inbound", "add-keyword", "tangkab", "36.03")
    keyword = RegionKeyword.objects.get()
    assert (keyword.keyword, keyword.region_id) == ("TANGKAB", "36.03")
    assert "TANGKAB" in capsys.readouterr().out


def test_nul_characters_are_taken_out_before_storing(client, world):
    answer = sms(client, text="Jalan\x00 rusak di depan sekolah dasar negeri sejak awal bulan ini.", message_id="n\x00ul")
    assert answer.status_code == 200
    message = inbox()[0]
    assert message.external_id == "nul" and "\x00" not in message.payload["sms"]["text"]
