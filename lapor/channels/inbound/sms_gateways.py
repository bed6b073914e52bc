"""SMS gateways' webhook formats: check the request is the gateway's, read its messages.

Each gateway posts an incoming SMS in its own shape; all become the same fields (`from`, `to`,
`text`, `id`, and for one part of a long SMS `ref`, `part`, `total`):

- generic: a form or JSON object `{from, to, text, id, ...}`; the names are configurable
  (`LAPOR_SMS_GENERIC_FIELDS="from=sender,text=message"`), authenticated by a shared token;
- Twilio: the form fields From, To, Body, MessageSid, signed with `X-Twilio-Signature`;
- Vonage (Nexmo): msisdn, to, text, messageId and `concat`, `concat-ref`, `concat-total`,
  `concat-part` for the parts of a long SMS (GET query, form or JSON), signed with `sig` when the
  account signs webhooks, else a shared token;
- Zenziva and gateways like it: the inbox record's fields dari, isiPesan, messageId (or id),
  date (or tgl + waktu), one record or the inbox listing `{"msg": [...]}`, with a shared token.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.utils.translation import gettext as _

from lapor.core.errors import InvalidInput

from . import security
from .inbox import Incoming
from .models import Provider

GATEWAYS = {
    "generic": Provider.SMS_GENERIC,
    "twilio": Provider.SMS_TWILIO,
    "vonage": Provider.SMS_VONAGE,
    "zenziva": Provider.SMS_ZENZIVA,
}
# A concatenated SMS's reference and part numbers are single octets.
MAX_PARTS = 255
GENERIC_FIELDS = {
    "from": "from", "to": "to", "text": "text", "id": "id", "ref": "ref", "part": "part", "total": "total",
    "timestamp": "timestamp",
}


def request_params(request) -> dict | list:
    """The request's fields: JSON body, form body or query string."""
    if request.method == "GET":
        # The shared token may ride in the query string: it is proof, not content, and is not stored.
        return {key: request.GET.get(key) for key in request.GET if key != "token"}
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except ValueError:
            raise InvalidInput(_("Isi permintaan bukan JSON yang valid."), code="malformed_json") from None
        if not isinstance(data, (dict, list)):
            raise InvalidInput(_("Isi permintaan harus berupa objek JSON."), code="malformed_json")
        return data
    return {key: request.POST.get(key) for key in request.POST}


def authenticate(gateway: str, request, params) -> None:
    """403 unless the request carries the gateway's token or signature; 404 when it is switched off."""
    config = settings.LAPOR_CHANNELS
    if gateway == "twilio":
        token = config["SMS_TWILIO_AUTH_TOKEN"]
        security.require_enabled(token)
        url = config["SMS_TWILIO_WEBHOOK_URL"] or request.build_absolute_uri()
        signed = params if request.method == "POST" and isinstance(params, dict) else {}
        security.check_twilio(request.headers.get("X-Twilio-Signature", ""), token, url, signed)
    elif gateway == "vonage":
        secret, token = config["SMS_VONAGE_SIGNATURE_SECRET"], config["SMS_VONAGE_TOKEN"]
        security.require_enabled(secret, token)
        if secret:
            if not isinstance(params, dict):
                raise security.refused()
            security.check_vonage(_as_text(params), secret, config["SMS_VONAGE_SIGNATURE_METHOD"])
        else:
            security.check_token(request, token)
    else:
        token = config["SMS_GENERIC_TOKEN" if gateway == "generic" else "SMS_ZENZIVA_TOKEN"]
        security.require_enabled(token)
        security.check_token(request, token)


def _as_text(params: dict) -> dict[str, str]:
    """Values as the gateway wrote them (JSON true is "true")."""
    return {key: json.dumps(value) if isinstance(value, bool) else str(value) for key, value in params.items()}


def parse(gateway: str, params) -> list[Incoming]:
    """The messages of one request, or a 400 naming the missing field (nothing is stored then)."""
    if gateway == "zenziva" and isinstance(params, dict) and isinstance(params.get("msg"), list):
        records = params["msg"]
    else:
        records = [params]
    if not records or not all(isinstance(record, dict) for record in records):
        raise InvalidInput(_("Isi permintaan harus berupa objek."), code="malformed_payload")
    reader = {"twilio": _twilio, "vonage": _vonage, "zenziva": _zenziva}.get(gateway, _generic)
    return [_incoming(gateway, reader(record), record) for record in records]


def _required(fields: dict, name: str, source: str) -> str:
    value = fields.get(name)
    if value is None or not str(value).strip():
        raise InvalidInput(_("Kolom %(field)s wajib ada.") % {"field": source}, code="malformed_payload", field=source)
    return str(value).strip()


def _text(record: dict, name: str) -> str:
    """The message text: the field must be there, though a gateway may pass on an empty SMS."""
    if record.get(name) is None:
        raise InvalidInput(_("Kolom %(field)s wajib ada.") % {"field": name}, code="malformed_payload", field=name)
    return str(record[name])


def _number(value, source: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(_("Kolom %(field)s harus berupa angka.") % {"field": source}, field=source) from None


def _incoming(gateway: str, fields: dict, record: dict) -> Incoming:
    total = fields.get("total") or 1
    if total > MAX_PARTS or (total > 1 and not (1 <= fields.get("part", 0) <= total and fields.get("ref"))):
        raise InvalidInput(_("Bagian SMS panjang tidak lengkap (ref, part, total)."), code="malformed_payload")
    return Incoming(
        provider=GATEWAYS[gateway],
        external_id=fields["id"],
        sender=fields["from"],
        kind="sms-part" if total > 1 else "sms",
        payload={"sms": fields, "request": record},
    )


def _generic(record: dict) -> dict:
    names = {**GENERIC_FIELDS, **settings.LAPOR_CHANNELS["SMS_GENERIC_FIELDS"]}
    sender = _required(record, names["from"], names["from"])
    text = _text(record, names["text"])
    fields = {"from": sender, "to": str(record.get(names["to"]) or ""), "text": text}
    message_id = str(record.get(names["id"]) or "").strip()
    if not message_id:
        # Without the gateway's id, the message's content stands in: an identical resend is a no-op.
        stamp = str(record.get(names["timestamp"]) or "")
        message_id = "sha256:" + hashlib.sha256(f"{sender}\n{fields['to']}\n{stamp}\n{text}".encode()).hexdigest()
    fields["id"] = message_id
    if record.get(names["total"]) not in (None, ""):
        fields["total"] = _number(record[names["total"]], names["total"])
        fields["part"] = _number(record.get(names["part"]), names["part"])
        fields["ref"] = str(record.get(names["ref"]) or "")
    return fields


def _twilio(record: dict) -> dict:
    message_id = record.get("MessageSid") or record.get("SmsSid")
    return {
        "id": _required({"MessageSid": message_id}, "MessageSid", "MessageSid"),
        "from": _required(record, "From", "From"),
        "to": str(record.get("To") or ""),
        "text": _text(record, "Body"),
    }


def _vonage(record: dict) -> dict:
    fields = {
        "id": _required(record, "messageId", "messageId"),
        "from": _required(record, "msisdn", "msisdn"),
        "to": str(record.get("to") or ""),
        "type": str(record.get("type") or "text"),
    }
    # A binary SMS carries `data` and `udh` instead of text: kept, and ignored when handled.
    fields["text"] = "" if fields["type"] == "binary" else _text(record, "text")
    if str(record.get("concat", "")).lower() == "true":
        fields["ref"] = _required(record, "concat-ref", "concat-ref")
        fields["total"] = _number(record.get("concat-total"), "concat-total")
        fields["part"] = _number(record.get("concat-part"), "concat-part")
    return fields


def _zenziva(record: dict) -> dict:
    stamp = record.get("date") or " ".join(str(record.get(key) or "") for key in ("tgl", "waktu")).strip()
    return {
        "id": _required({"messageId": record.get("messageId") or record.get("id")}, "messageId", "messageId"),
        "from": _required(record, "dari", "dari"),
        "to": "",
        "text": _text(record, "isiPesan"),
        "timestamp": str(stamp or ""),
    }
