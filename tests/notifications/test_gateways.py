"""Gateways: each channel's provider gets exactly the request it expects, and failures say whether to retry.

The SMS and WhatsApp providers are a real HTTP server on 127.0.0.1 that records each request and
answers what the test tells it; nothing leaves the machine.
"""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

from lapor.notifications.gateways import Delivery, GatewayError, send
from lapor.notifications.models import Channel

from ..test_settings import run_python

SMS_TOKEN = "sms-token-rahasia-123"
WA_TOKEN = "EAAwa-token-rahasia-456"
BODY = "Laporan LAP-ABCD-EFGH Anda telah diterima."


def delivery(channel=Channel.SMS, recipient="+6281234567890", **extra) -> Delivery:
    extra.setdefault("subject", "Laporan diterima")
    extra.setdefault("body", BODY)
    extra.setdefault("idempotency_key", "outbox-41")
    return Delivery(channel=channel, recipient=recipient, **extra)


# --- a provider on 127.0.0.1 ----------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self):
        return json.loads(self.body)


class Provider:
    """Records every request; answers from a queue of (status, body, delay, headers)."""

    def __init__(self):
        self.requests: list[Request] = []
        self.answers: list[tuple] = []
        self.release = threading.Event()  # ends a delayed answer early when the test is over
        self.url = ""

    def answer(self, status=200, body=None, *, delay=0.0, headers=None):
        self.answers.append((status, {} if body is None else body, delay, headers or {}))

    def next_answer(self) -> tuple:
        return self.answers.pop(0) if self.answers else (200, {}, 0.0, {})


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            provider.requests.append(Request(self.command, self.path, headers, body))
            status, answer, delay, extra_headers = provider.next_answer()
            if delay:
                provider.release.wait(delay)
            payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            try:
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **extra_headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client gave up waiting (the timeout test)

        do_GET = do_POST  # a followed redirect would arrive as a GET

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture
def provider():
    recorder = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield recorder
    recorder.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def notify(settings):
    """Change some of LAPOR_NOTIFY for one test."""

    def configure(**changes):
        settings.LAPOR_NOTIFY = {**settings.LAPOR_NOTIFY, **changes}

    return configure


@pytest.fixture
def sms_http(notify, provider):
    notify(SMS_BACKEND="http", SMS_HTTP_URL=f"{provider.url}/api/sms/send", SMS_HTTP_TOKEN=SMS_TOKEN)
    return provider


@pytest.fixture
def whatsapp_cloud(notify, provider):
    notify(
        WHATSAPP_BACKEND="cloud", WHATSAPP_API_BASE=f"{provider.url}/v21.0/",
        WHATSAPP_PHONE_NUMBER_ID="106540352242922", WHATSAPP_TOKEN=WA_TOKEN,
    )
    return provider


def graph_answer(message_id="wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABEYEjQ="):
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "6281234567890", "wa_id": "6281234567890"}],
        "messages": [{"id": message_id}],
    }


def graph_error(message, code, status_type="OAuthException"):
    return {"error": {"message": message, "type": status_type, "code": code, "fbtrace_id": "AbCdEf"}}


# --- SMS over HTTP --------------------------------------------------------------------------------


def test_sms_is_posted_as_json_with_token_and_idempotency_key(sms_http):
    # given a provider that accepts the message
    sms_http.answer(200, {"id": "prov-7781", "status": "queued"})

    # when an SMS is sent
    provider_id = send(delivery())

    # then one POST carried the message, our reference, the token and the idempotency key
    assert provider_id == "prov-7781"
    [request] = sms_http.requests
    assert (request.method, request.path) == ("POST", "/api/sms/send")
    assert request.json() == {"to": "+6281234567890", "message": BODY, "reference": "outbox-41"}
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == f"Bearer {SMS_TOKEN}"
    assert request.headers["idempotency-key"] == "outbox-41"


def test_sms_field_names_follow_the_provider(sms_http, notify):
    notify(SMS_HTTP_FIELDS={"to": "destination", "message": "content", "reference": "client_ref"})
    sms_http.answer(201, {"id": 5012})

    assert send(delivery(idempotency_key="outbox-99")) == "5012"

    assert sms_http.requests[0].json() == {"destination": "+6281234567890", "content": BODY, "client_ref": "outbox-99"}


def test_sms_as_a_form_without_token_leaves_out_unmapped_fields_and_reads_a_nested_id(sms_http, notify):
    # given a provider that takes a form, has no reference field, and nests its id
    notify(
        SMS_HTTP_FORMAT="form", SMS_HTTP_TOKEN="", SMS_HTTP_ID_FIELD="data.msgid",
        SMS_HTTP_FIELDS={"to": "msisdn", "message": "text", "reference": ""},
    )
    sms_http.answer(200, {"status": 1, "data": {"msgid": "A-88"}})

    assert send(delivery(body="Kode: 123 456 & lainnya")) == "A-88"

    [request] = sms_http.requests
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(request.body.decode(), strict_parsing=True) == {
        "msisdn": ["+6281234567890"], "text": ["Kode: 123 456 & lainnya"],
    }
    assert "authorization" not in request.headers
    assert request.headers["idempotency-key"] == "outbox-41"


@pytest.mark.parametrize(
    "answer", [{"status": "queued"}, b"OK", b"", [{"id": "x"}]], ids=["no-id", "text", "empty", "list"]
)
def test_an_sms_answer_without_an_id_gives_an_empty_id(sms_http, answer):
    sms_http.answer(200, answer)
    assert send(delivery()) == ""
    assert len(sms_http.requests) == 1


# --- WhatsApp Cloud API ---------------------------------------------------------------------------


def test_whatsapp_text_goes_to_the_phone_numbers_messages_endpoint(whatsapp_cloud):
    whatsapp_cloud.answer(200, graph_answer("wamid.TEXT1"))

    assert send(delivery(Channel.WHATSAPP, recipient="+62 812-3456-7890")) == "wamid.TEXT1"

    [request] = whatsapp_cloud.requests
    assert (request.method, request.path) == ("POST", "/v21.0/106540352242922/messages")
    assert request.headers["authorization"] == f"Bearer {WA_TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": BODY},
    }


@pytest.mark.parametrize(("language", "code"), [("id", "id"), ("en", "en"), ("en-us", "en"), ("jv", "id")])
def test_whatsapp_with_a_template_sends_the_body_as_its_parameter(whatsapp_cloud, notify, language, code):
    notify(WHATSAPP_TEMPLATE="lapor_pemberitahuan")
    whatsapp_cloud.answer(200, graph_answer("wamid.TPL1"))

    assert send(delivery(Channel.WHATSAPP, language=language)) == "wamid.TPL1"

    assert whatsapp_cloud.requests[0].json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "template",
        "template": {
            "name": "lapor_pemberitahuan",
            "language": {"code": code},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": BODY}]}],
        },
    }


def test_a_template_parameter_is_one_line_because_meta_refuses_newlines(whatsapp_cloud, notify):
    notify(WHATSAPP_TEMPLATE="lapor_pemberitahuan")
    whatsapp_cloud.answer(200, graph_answer())

    send(delivery(Channel.WHATSAPP, body="Laporan diterima.\n\nNomor:\tLAP-ABCD      (simpan)"))

    parameters = whatsapp_cloud.requests[0].json()["template"]["components"][0]["parameters"]
    assert parameters == [{"type": "text", "text": "Laporan diterima. Nomor: LAP-ABCD (simpan)"}]


def test_a_recipient_without_digits_is_refused_before_calling_the_provider(whatsapp_cloud):
    with pytest.raises(GatewayError) as raised:
        send(delivery(Channel.WHATSAPP, recipient="made@contoh.id"))
    assert raised.value.retryable is False
    assert whatsapp_cloud.requests == []


# --- failures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_throttling_are_retryable(sms_http, status):
    sms_http.answer(status, {"message": "coba lagi nanti"})

    with pytest.raises(GatewayError) as raised:
        send(delivery())

    assert raised.value.retryable is True
    assert f"HTTP {status}" in str(raised.value) and "coba lagi nanti" in str(raised.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_refusals_are_not_retryable_and_carry_the_providers_message(sms_http, status):
    sms_http.answer(status, {"message": "nomor tujuan tidak valid"})

    with pytest.raises(GatewayError) as raised:
        send(delivery())

    assert raised.value.retryable is False
    assert str(raised.value) == f"provider answered HTTP {status}: nomor tujuan tidak valid"
    assert SMS_TOKEN not in str(raised.value)


def test_a_graph_api_refusal_carries_its_message_and_details(whatsapp_cloud):
    whatsapp_cloud.answer(400, {"error": {
        "message": "(#131030) Recipient phone number not in allowed list", "type": "OAuthException",
        "code": 131030, "error_data": {"messaging_product": "whatsapp", "details": "Add it to the allowed list"},
    }})

    with pytest.raises(GatewayError) as raised:
        send(delivery(Channel.WHATSAPP))

    assert raised.value.retryable is False
    assert str(raised.value) == (
        "provider answered HTTP 400: (#131030) Recipient phone number not in allowed list (Add it to the allowed list)"
    )


@pytest.mark.parametrize("code", [4, 130429, 131056])
def test_graph_api_throttling_sent_as_http_400_is_retryable(whatsapp_cloud, code):
    whatsapp_cloud.answer(400, graph_error(f"(#{code}) Rate limit hit", code))

    with pytest.raises(GatewayError) as raised:
        send(delivery(Channel.WHATSAPP))

    assert raised.value.retryable is True


def test_a_token_the_provider_echoes_is_redacted_from_the_error(whatsapp_cloud):
    # Graph API quotes a malformed token back in its error message
    whatsapp_cloud.answer(401, graph_error(f"Malformed access token {WA_TOKEN}", 190))

    with pytest.raises(GatewayError) as raised:
        send(delivery(Channel.WHATSAPP))

    assert raised.value.retryable is False
    assert WA_TOKEN not in str(raised.value)
    assert str(raised.value) == "provider answered HTTP 401: Malformed access token [redacted]"


def test_a_provider_that_does_not_answer_in_time_is_retryable(sms_http, notify):
    notify(HTTP_TIMEOUT=0.3)
    sms_http.answer(200, {"id": "too-late"}, delay=5)

    started = time.monotonic()
    with pytest.raises(GatewayError) as raised:
        send(delivery())

    assert time.monotonic() - started < 3
    assert raised.value.retryable is True
    assert "timed out" in str(raised.value)
    assert SMS_TOKEN not in str(raised.value)


def test_a_refused_connection_is_retryable_and_names_no_token(notify):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    notify(SMS_BACKEND="http", SMS_HTTP_URL=f"http://127.0.0.1:{port}/sms?key={SMS_TOKEN}", SMS_HTTP_TOKEN=SMS_TOKEN)

    with pytest.raises(GatewayError) as raised:
        send(delivery())

    assert raised.value.retryable is True
    assert str(raised.value).startswith("provider unreachable:")
    assert SMS_TOKEN not in str(raised.value)


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_is_not_followed_so_the_token_stays_with_the_provider(sms_http, status):
    sms_http.answer(status, {}, headers={"Location": f"{sms_http.url}/elsewhere"})

    with pytest.raises(GatewayError) as raised:
        send(delivery())

    assert raised.value.retryable is False
    assert [request.path for request in sms_http.requests] == ["/api/sms/send"]


def test_a_gateway_that_is_not_configured_says_so(notify):
    notify(SMS_BACKEND="http", SMS_HTTP_URL="")
    with pytest.raises(ImproperlyConfigured, match="LAPOR_SMS_HTTP_URL"):
        send(delivery())

    notify(WHATSAPP_BACKEND="cloud", WHATSAPP_TOKEN="")
    with pytest.raises(ImproperlyConfigured, match="LAPOR_WHATSAPP_TOKEN"):
        send(delivery(Channel.WHATSAPP))

    notify(SMS_BACKEND="pigeon")
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        send(delivery())

    notify(SMS_BACKEND="http", SMS_HTTP_URL=f"file:///etc/passwd?key={SMS_TOKEN}")
    with pytest.raises(ImproperlyConfigured, match="http:// or https://") as raised:
        send(delivery())
    assert SMS_TOKEN not in str(raised.value)


# --- e-mail ---------------------------------------------------------------------------------------


def test_email_goes_through_django_with_a_message_id_from_the_key(mailoutbox, notify):
    notify(EMAIL_MESSAGE_ID_DOMAIN="lapor.go.id")

    message_id = send(delivery(Channel.EMAIL, recipient="made@contoh.id"))

    assert message_id == "<outbox-41@lapor.go.id>"
    [mail] = mailoutbox
    assert (mail.to, mail.subject, mail.body) == (["made@contoh.id"], "Laporan diterima", BODY)
    assert mail.message()["Message-ID"] == "<outbox-41@lapor.go.id>"


def test_a_resent_email_carries_the_same_message_id(mailoutbox):
    first = send(delivery(Channel.EMAIL, recipient="made@contoh.id"))
    again = send(delivery(Channel.EMAIL, recipient="made@contoh.id"))
    other = send(delivery(Channel.EMAIL, recipient="made@contoh.id", idempotency_key="outbox-42"))

    assert first == again == "<outbox-41@lapor.invalid>"
    assert other == "<outbox-42@lapor.invalid>"
    assert [mail.message()["Message-ID"] for mail in mailoutbox] == [first, again, other]


def test_an_email_without_subject_gets_a_default_subject(mailoutbox):
    send(delivery(Channel.EMAIL, recipient="made@contoh.id", subject=""))
    assert mailoutbox[0].subject == "lapor"


class RefusingBackend(BaseEmailBackend):
    """A mail server that fails with `error`."""

    error: Exception = OSError()

    def send_messages(self, email_messages):
        raise self.error


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (smtplib.SMTPRecipientsRefused({"made@contoh.id": (550, b"5.1.1 no such user")}), False),
        (smtplib.SMTPRecipientsRefused({"made@contoh.id": (450, b"4.2.0 greylisted")}), True),
        (smtplib.SMTPDataError(554, b"5.7.1 rejected"), False),
        (smtplib.SMTPDataError(421, b"4.3.2 try later"), True),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
    ],
    ids=["unknown-mailbox", "greylisted", "rejected", "busy", "disconnected", "refused"],
)
def test_mail_server_failures_are_retryable_unless_permanent(settings, monkeypatch, error, retryable):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    monkeypatch.setattr(RefusingBackend, "error", error)

    with pytest.raises(GatewayError) as raised:
        send(delivery(Channel.EMAIL, recipient="made@contoh.id"))

    assert raised.value.retryable is retryable
    assert str(raised.value).startswith("mail server:")


# --- the demo's log gateways ----------------------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.WHATSAPP])
def test_the_log_gateways_log_and_touch_no_network(notify, provider, monkeypatch, caplog, channel):
    # given the log backends, although a provider is configured and reachable
    notify(
        SMS_BACKEND="log", SMS_HTTP_URL=f"{provider.url}/sms", SMS_HTTP_TOKEN=SMS_TOKEN,
        WHATSAPP_BACKEND="log", WHATSAPP_API_BASE=provider.url, WHATSAPP_PHONE_NUMBER_ID="1", WHATSAPP_TOKEN=WA_TOKEN,
    )

    def no_network(*args, **kwargs):
        raise AssertionError("the log gateway opened a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)

    # when a message is sent
    with caplog.at_level(logging.INFO, logger=f"lapor.notifications.{channel}"):
        provider_id = send(delivery(channel, body="Kode verifikasi lapor Anda: 123456."))

    # then it is in the log under the channel's logger, with no token, and the provider saw nothing
    assert provider_id == "log-outbox-41"
    [record] = [r for r in caplog.records if r.name == f"lapor.notifications.{channel}"]
    assert record.levelno == logging.INFO
    assert "+6281234567890" in record.getMessage() and "123456" in record.getMessage()
    assert SMS_TOKEN not in caplog.text and WA_TOKEN not in caplog.text
    assert provider.requests == []


# --- what send refuses ----------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.IN_APP, "fax"])
def test_in_app_and_unknown_channels_are_never_sent(channel):
    with pytest.raises(ValueError):
        send(delivery(channel, recipient="made.sukerta"))


@pytest.mark.parametrize("key", ["", "outbox 41", "outbox-41\r\nBcc: x@contoh.id", "a@b", ".outbox", "a..b"])
def test_an_idempotency_key_that_could_break_a_header_is_refused(key):
    with pytest.raises(ValueError):
        delivery(idempotency_key=key)


def test_uuid_and_dotted_keys_are_accepted():
    assert delivery(idempotency_key="0b9a4c4e-7f1e-4b7e-9a56-0e1c2f3a4b5c").idempotency_key.startswith("0b9a")
    assert delivery(idempotency_key="outbox.41.2").idempotency_key == "outbox.41.2"


# --- settings -------------------------------------------------------------------------------------


def test_gateway_settings_are_read_from_the_environment(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.LAPOR_NOTIFY, sort_keys=True))"
    )
    env = {
        "SECRET_KEY": "x" * 50,
        "LAPOR_SMS_BACKEND": "http",
        "LAPOR_SMS_HTTP_URL": "https://sms.contoh.id/send",
        "LAPOR_SMS_HTTP_FORMAT": "form",
        "LAPOR_SMS_HTTP_FIELDS": "to=msisdn, message = text,reference=",
        "LAPOR_SMS_HTTP_ID_FIELD": "data.msgid",
        "LAPOR_NOTIFY_TIMEOUT": "4.5",
        "LAPOR_WHATSAPP_BACKEND": "cloud",
        "LAPOR_WHATSAPP_TEMPLATE": "lapor_pemberitahuan",
    }
    result = run_python(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    notify = json.loads(result.stdout.strip().splitlines()[-1])

    assert notify["SMS_HTTP_FIELDS"] == {"to": "msisdn", "message": "text", "reference": ""}
    assert (notify["SMS_BACKEND"], notify["SMS_HTTP_URL"], notify["SMS_HTTP_FORMAT"]) == (
        "http", "https://sms.contoh.id/send", "form",
    )
    assert (notify["SMS_HTTP_ID_FIELD"], notify["HTTP_TIMEOUT"]) == ("data.msgid", 4.5)
    assert (notify["WHATSAPP_BACKEND"], notify["WHATSAPP_TEMPLATE"]) == ("cloud", "lapor_pemberitahuan")
    # and what was not set keeps its default
    assert notify["WHATSAPP_API_BASE"] == "https://graph.facebook.com/v21.0"
    assert notify["EMAIL_MESSAGE_ID_DOMAIN"] == "lapor.invalid"
    assert notify["SMS_HTTP_TOKEN"] == ""
