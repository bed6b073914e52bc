"""The channels' webhooks, as operations of the API (`/api/v1/channels/...`).

Each webhook proves the request is the provider's (signature or shared token: 403 otherwise),
reads its messages (a malformed payload is a 400 and nothing is stored), stores every message
in the inbox and handles the new ones. A provider's resend is answered 200 and changes nothing.
A channel whose secret is not configured is switched off (404). Requests are rate-limited per
address. These endpoints carry their own proof, so they take no account token and no cookie.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from lapor.api.auth import throttle
from lapor.api.errors import ErrorOut
from lapor.core.errors import InvalidInput, NotFound

from . import mail, security, sms_gateways, social, whatsapp
from .inbox import Receipt, receive

router = Router(tags=["channels"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 429: ErrorOut}
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class Accepted(Schema):
    status: str
    stored: int
    duplicates: int


def _throttle(request, channel: str) -> None:
    throttle(
        request, f"inbound-{channel}", limit=settings.LAPOR_CHANNELS["WEBHOOK_REQUESTS_PER_MINUTE"], window_seconds=60
    )


def _accepted(receipt: Receipt) -> dict:
    return {"status": "accepted", "stored": len(receipt.stored), "duplicates": receipt.duplicates}


def _raw_body(content_types: dict, description: str) -> dict:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {name: {"schema": schema} for name, schema in content_types.items()},
        }
    }


JSON = {"application/json": {"type": "object"}}
SMS_BODY = _raw_body(
    {
        "application/x-www-form-urlencoded": {"type": "object", "additionalProperties": {"type": "string"}},
        "application/json": {"type": "object"},
    },
    "The gateway's own fields (see the README's Channels section); Vonage may also use GET with a query string.",
)


# --- SMS 1708 -------------------------------------------------------------------------------------


@router.api_operation(
    ["GET", "POST"], "/channels/sms/{gateway}", response={200: Accepted, **ERRORS}, openapi_extra=SMS_BODY,
    summary="Incoming SMS from a gateway (generic, twilio, vonage, zenziva)",
)
def sms_inbound(request, gateway: str):
    """An incoming SMS to 1708. Twilio is answered with empty TwiML: replies leave through the outbox."""
    if gateway not in sms_gateways.GATEWAYS:
        raise NotFound(_("Gateway SMS tidak dikenal."), code="unknown_gateway")
    _throttle(request, f"sms-{gateway}")
    params = sms_gateways.request_params(request)
    sms_gateways.authenticate(gateway, request, params)
    receipt = receive(sms_gateways.parse(gateway, params))
    if gateway == "twilio":
        return HttpResponse(TWIML_EMPTY, content_type="text/xml")
    return _accepted(receipt)


# --- WhatsApp -------------------------------------------------------------------------------------


@router.get("/channels/whatsapp", response={200: str, **ERRORS}, summary="WhatsApp webhook verification")
def whatsapp_verify(request):
    """Meta's subscription handshake: answer `hub.challenge` when `hub.verify_token` is ours."""
    _throttle(request, "whatsapp")
    challenge = whatsapp.verify_handshake(
        request.GET.get("hub.mode", ""), request.GET.get("hub.verify_token", ""), request.GET.get("hub.challenge", "")
    )
    return HttpResponse(challenge, content_type="text/plain")


@router.post(
    "/channels/whatsapp", response={200: Accepted, **ERRORS},
    openapi_extra=_raw_body(JSON, "A WhatsApp Business Cloud API webhook (object whatsapp_business_account)."),
    summary="WhatsApp Business Cloud API messages",
)
def whatsapp_inbound(request):
    return _signed_json(request, "whatsapp", whatsapp, "X-Hub-Signature-256")


# --- e-mail ---------------------------------------------------------------------------------------


@router.post(
    "/channels/email", response={200: Accepted, **ERRORS},
    openapi_extra=_raw_body(
        {
            "message/rfc822": {"type": "string", "format": "binary"},
            "multipart/form-data": {"type": "object", "properties": {"body-mime": {"type": "string"},
                                                                     "email": {"type": "string"}}},
        },
        "The raw MIME message, as the body or in a form field `body-mime` (Mailgun) or `email` (SendGrid).",
    ),
    summary="An incoming e-mail as raw MIME",
)
def email_inbound(request):
    _throttle(request, "email")
    config = settings.LAPOR_CHANNELS
    security.require_enabled(config["EMAIL_WEBHOOK_TOKEN"])
    security.check_token(request, config["EMAIL_WEBHOOK_TOKEN"])
    raw = mail.webhook_mime(request, max_bytes=config["EMAIL_MAX_MB"] * 1024 * 1024)
    return _accepted(receive([mail.incoming(raw)]))


# --- X (Twitter) ----------------------------------------------------------------------------------


class Crc(Schema):
    response_token: str


@router.get("/channels/x", response={200: Crc, **ERRORS}, summary="X Account Activity API CRC check")
def x_crc(request, crc_token: str):
    _throttle(request, "x")
    return social.crc_response(crc_token)


@router.post(
    "/channels/x", response={200: Accepted, **ERRORS},
    openapi_extra=_raw_body(JSON, "An Account Activity API event (tweet_create_events)."),
    summary="X Account Activity API events (mentions)",
)
def x_inbound(request):
    return _signed_json(request, "x", social, "X-Twitter-Webhooks-Signature")


def _signed_json(request, channel: str, provider, signature_header: str) -> dict:
    """A JSON webhook signed over its raw body: check, read, store, handle."""
    _throttle(request, channel)
    provider.authenticate(request.body, request.headers.get(signature_header, ""))
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        raise InvalidInput(_("Isi permintaan bukan JSON yang valid."), code="malformed_json") from None
    return _accepted(receive(provider.parse(data)))

