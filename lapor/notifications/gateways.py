"""Gateways: how one outbox message leaves lapor, by e-mail, SMS, WhatsApp or a social media reply.

`send(delivery)` picks the sender for the channel from `settings.LAPOR_NOTIFY`, read at each
call and never at import, so an overridden setting applies at once. Every failure to deliver is
a `GatewayError` that says whether trying again later can help, so the outbox can retry the
retryable ones and give up early on the rest. HTTP goes through the standard library only.

Tokens never appear in log lines or error texts: error texts are stored in the outbox row.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

from .models import Channel

# Letters, digits, "-", "_" and inner dots: safe in a Message-ID, a header and a JSON field.
_KEY = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")
# Graph API error codes that mean "later": throttling (4, 80007, 130429, 131056) and a
# temporary outage (2, 131016). Meta sends some of them with HTTP 400, so the status alone
# would give up on a message that the next run delivers.
_GRAPH_RETRYABLE_CODES = frozenset({2, 4, 80007, 130429, 131016, 131056})
_SMS_FIELDS = {"to": "to", "message": "message", "reference": "reference"}


@dataclass(frozen=True)
class Delivery:
    channel: str  # a Channel value other than in_app
    recipient: str  # e-mail address, or phone in E.164 ("+6281234567890")
    subject: str
    body: str
    # Stable per message and sent to the provider, so a retry after a crash is recognisable
    # as the same message instead of being a second one.
    idempotency_key: str
    language: str = "id"

    def __post_init__(self):
        if not _KEY.fullmatch(self.idempotency_key):
            raise ValueError("an idempotency key is letters, digits, '-', '_' and inner dots")


class GatewayError(Exception):
    """A message was not delivered; `retryable` says whether a later attempt may succeed."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


class Gateway(Protocol):
    def send(self, delivery: Delivery) -> str:
        """Deliver, return the provider's message id ("" when it gives none)."""


def send(delivery: Delivery) -> str:
    """Deliver one message through the gateway configured for its channel.

    Returns the provider's message id ("" if none). Raises GatewayError when delivery failed,
    ImproperlyConfigured when the chosen gateway lacks a setting, and ValueError for in-app
    messages, which are read where they are stored and never sent.
    """
    return gateway_for(delivery.channel).send(delivery)


def gateway_for(channel: str) -> Gateway:
    config = settings.LAPOR_NOTIFY
    if channel == Channel.EMAIL:
        return EmailGateway(config)
    if channel == Channel.SMS:
        return _choose(config, "SMS_BACKEND", {"log": LogGateway, "http": HttpSmsGateway})
    if channel == Channel.WHATSAPP:
        return _choose(config, "WHATSAPP_BACKEND", {"log": LogGateway, "cloud": WhatsAppCloudGateway})
    if channel == Channel.SOCIAL:
        return _choose(config, "SOCIAL_BACKEND", {"log": LogGateway, "x": XReplyGateway})
    raise ValueError(f"no gateway sends {channel!r} messages")


def _choose(config: dict, setting: str, backends: dict) -> Gateway:
    name = config[setting]
    if name not in backends:
        raise ImproperlyConfigured(f"LAPOR_NOTIFY[{setting!r}] is {name!r}; choose one of {sorted(backends)}")
    return backends[name](config)


# --- e-mail ---------------------------------------------------------------------------------------


class EmailGateway:
    """Django's e-mail backend, with a Message-ID derived from the idempotency key."""

    def __init__(self, config: dict):
        self.domain = config["EMAIL_MESSAGE_ID_DOMAIN"]

    def send(self, delivery: Delivery) -> str:
        message_id = f"<{delivery.idempotency_key}@{self.domain}>"
        email = EmailMessage(
            subject=delivery.subject or "lapor", body=delivery.body, to=[delivery.recipient],
            headers={"Message-ID": message_id},
        )
        try:
            email.send()
        except OSError as error:  # smtplib's errors are OSErrors, and so are refused connections
            raise _smtp_error(error) from error
        return message_id


def _smtp_error(error: OSError) -> GatewayError:
    """A 5xx answer is permanent (unknown mailbox, refused sender); anything else may pass later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
    else:
        codes = [getattr(error, "smtp_code", 0)]
    permanent = bool(codes) and all(500 <= code < 600 for code in codes)
    return GatewayError(_redact(f"mail server: {error}", settings.EMAIL_HOST_PASSWORD), retryable=not permanent)


# --- the demo -------------------------------------------------------------------------------------


class LogGateway:
    """The demo's SMS and WhatsApp: the message goes to the log, where a developer reads the code."""

    def __init__(self, config: dict):
        pass

    def send(self, delivery: Delivery) -> str:
        log = logging.getLogger(f"lapor.notifications.{delivery.channel}")
        log.info("%s to %s [%s]: %s", delivery.channel, delivery.recipient, delivery.idempotency_key, delivery.body)
        return f"log-{delivery.idempotency_key}"


# --- SMS over HTTP --------------------------------------------------------------------------------


class HttpSmsGateway:
    """The shape many Indonesian SMS providers share: one POST per message, JSON or a form."""

    def __init__(self, config: dict):
        self.config = config
        if not config["SMS_HTTP_URL"]:
            raise ImproperlyConfigured("LAPOR_SMS_BACKEND is http but LAPOR_SMS_HTTP_URL is not set")

    def send(self, delivery: Delivery) -> str:
        config, token = self.config, self.config["SMS_HTTP_TOKEN"]
        data, content_type = self._encode(self._fields(delivery))
        headers = {"Content-Type": content_type, "Idempotency-Key": delivery.idempotency_key}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        answer = _post(config["SMS_HTTP_URL"], data, headers, timeout=config["HTTP_TIMEOUT"], secret=token)
        return _dig(answer, config["SMS_HTTP_ID_FIELD"])

    def _fields(self, delivery: Delivery) -> dict[str, str]:
        names = {**_SMS_FIELDS, **self.config["SMS_HTTP_FIELDS"]}
        values = {"to": delivery.recipient, "message": delivery.body, "reference": delivery.idempotency_key}
        return {names[field]: value for field, value in values.items() if names[field]}

    def _encode(self, fields: dict[str, str]) -> tuple[bytes, str]:
        form = self.config["SMS_HTTP_FORMAT"]
        if form == "json":
            return json.dumps(fields).encode(), "application/json"
        if form == "form":
            return urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        raise ImproperlyConfigured(f"LAPOR_SMS_HTTP_FORMAT is {form!r}; choose json or form")


# --- WhatsApp Business Cloud API ------------------------------------------------------------------


class WhatsAppCloudGateway:
    """Meta's Cloud API: POST {base}/{phone number id}/messages, a text or an approved template.

    The API takes no idempotency key, so a retry after a timeout may deliver a message twice.
    """

    def __init__(self, config: dict):
        self.config = config
        if not (config["WHATSAPP_PHONE_NUMBER_ID"] and config["WHATSAPP_TOKEN"]):
            raise ImproperlyConfigured(
                "LAPOR_WHATSAPP_BACKEND is cloud: set LAPOR_WHATSAPP_PHONE_NUMBER_ID and LAPOR_WHATSAPP_TOKEN"
            )

    def send(self, delivery: Delivery) -> str:
        config, token = self.config, self.config["WHATSAPP_TOKEN"]
        url = f"{config['WHATSAPP_API_BASE'].rstrip('/')}/{config['WHATSAPP_PHONE_NUMBER_ID']}/messages"
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        data = json.dumps(self.payload(delivery)).encode()
        answer = _post(
            url, data, headers, timeout=config["HTTP_TIMEOUT"], secret=token, retryable_codes=_GRAPH_RETRYABLE_CODES
        )
        return _dig(answer, "messages.0.id")

    def payload(self, delivery: Delivery) -> dict:
        # The API takes the number as digits with the country code, without "+".
        to = "".join(ch for ch in delivery.recipient if ch.isdigit())
        if not to:
            raise GatewayError(f"not a phone number: {delivery.recipient!r}", retryable=False)
        template = self.config["WHATSAPP_TEMPLATE"]
        content = _template(template, delivery) if template else _text(delivery)
        return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, **content}


def _text(delivery: Delivery) -> dict:
    return {"type": "text", "text": {"preview_url": False, "body": delivery.body}}


def _template(name: str, delivery: Delivery) -> dict:
    """A business-initiated message outside the 24-hour window: the body fills the template's {{1}}."""
    # Meta refuses a parameter with a newline, a tab or more than four spaces in a row.
    parameter = " ".join(delivery.body.split())
    language = "en" if delivery.language.startswith("en") else "id"
    return {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": parameter}]}],
        },
    }


# --- social media replies -------------------------------------------------------------------------


class XReplyGateway:
    """A reply post on X (API v2 `POST /tweets`) to the post that mentioned us.

    The recipient is "@handle/status/<post id>"; the body already starts with the @handle. The API
    takes no idempotency key, so, as with WhatsApp, a retry after a timeout may post twice.
    """

    def __init__(self, config: dict):
        self.config = config
        if not config["X_USER_TOKEN"]:
            raise ImproperlyConfigured("LAPOR_SOCIAL_BACKEND is x: set LAPOR_X_USER_TOKEN (a user-context token)")

    def send(self, delivery: Delivery) -> str:
        token = self.config["X_USER_TOKEN"]
        url = f"{self.config['X_API_BASE'].rstrip('/')}/tweets"
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        data = json.dumps(self.payload(delivery)).encode()
        answer = _post(url, data, headers, timeout=self.config["HTTP_TIMEOUT"], secret=token)
        return _dig(answer, "data.id")

    @staticmethod
    def payload(delivery: Delivery) -> dict:
        post_id = delivery.recipient.rpartition("/status/")[2]
        if not post_id.isdigit():
            raise GatewayError(f"not a post to reply to: {delivery.recipient!r}", retryable=False)
        return {"text": delivery.body[:280], "reply": {"in_reply_to_tweet_id": post_id}}


# --- HTTP -----------------------------------------------------------------------------------------


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A provider's API does not redirect a POST; following one would carry the token elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises the 3xx as an HTTPError


_opener = urllib.request.build_opener(_RefuseRedirects)


def _post(url, data: bytes, headers: dict, *, timeout: float, secret: str, retryable_codes=frozenset()) -> dict:
    """POST and return the JSON object answered ({} for anything else); failures become GatewayErrors."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        # urllib would also open file: and ftp: addresses; the address may hold a key, so it is not quoted
        raise ImproperlyConfigured("a gateway address must start with http:// or https://")
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/json", **headers}, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise _status_error(error, secret, retryable_codes) from None
    except (OSError, http.client.HTTPException) as error:  # refused, unreachable, timed out, cut off
        reason = getattr(error, "reason", error)
        raise GatewayError(_redact(f"provider unreachable: {reason}", secret), retryable=True) from None
    return _json_object(raw)


def _status_error(error: urllib.error.HTTPError, secret: str, retryable_codes) -> GatewayError:
    """5xx and 429 may pass later; other refusals (bad number, bad token) will not."""
    try:
        answer = error.read()
    except (OSError, http.client.HTTPException):
        answer = b""
    detail, code = _provider_error(answer)
    retryable = error.code >= 500 or error.code == 429 or code in retryable_codes
    return GatewayError(_redact(f"provider answered HTTP {error.code}: {detail}", secret), retryable=retryable)


def _provider_error(raw: bytes) -> tuple[str, object]:
    """The provider's own words: Graph API's error.message (and details), or a short excerpt."""
    answer = _json_object(raw)
    error = answer.get("error")
    if isinstance(error, dict):
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        text = str(error.get("message") or "")
        return (f"{text} ({details})" if details else text) or "no message", error.get("code")
    for key in ("error", "message", "detail"):
        if isinstance(answer.get(key), str):
            return answer[key], None
    return " ".join(raw.decode("utf-8", "replace").split())[:300] or "no message", None


def _json_object(raw: bytes) -> dict:
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _dig(answer: dict, path: str) -> str:
    """The value at a dotted path ("data.msgid", "messages.0.id") as text, "" when absent."""
    value: object = answer
    for step in path.split("."):
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return ""
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _redact(text: str, secret: str) -> str:
    """Providers sometimes echo what they were sent; a token must not reach the outbox row."""
    return text.replace(secret, "[redacted]") if secret else text
