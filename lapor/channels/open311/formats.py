"""How GeoReport v2 writes things: W3C date-times, XML and JSON from one structure, errors.

The spec's JSON is the "Spark convention" mapping of its XML: a list becomes a wrapper element
holding one element per item, named in the singular (`services` → `service`). One structure of
dicts and lists is rendered both ways, so the two formats cannot drift apart.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

JSON, XML = "json", "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}
# The element each item of a list is written as, by the list's name.
ITEM_NAMES = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
}

# W3C-DTF (https://www.w3.org/TR/NOTE-datetime): a date, or a date and time with its zone.
_W3C = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?P<zone>Z|[+-]\d{2}:\d{2}))?$"
)


class Open311Error(Exception):
    """A refusal in the spec's shape: an HTTP status and one or more (code, description) pairs."""

    def __init__(self, status: int, *descriptions, code: int | None = None, headers: dict | None = None):
        super().__init__("; ".join(str(d) for d in descriptions))
        self.status = status
        self.errors = [{"code": code or status, "description": str(d)} for d in descriptions]
        self.headers = headers or {}


def parse_w3c(value: str, *, field: str, end_of_day: bool = False) -> datetime:
    """An aware datetime from a W3C date-time; a bare date is midnight (or the day's end) in the
    server's zone. A time without a zone is refused: the spec requires one."""
    match = _W3C.match((value or "").strip())
    try:
        if match is None:
            raise ValueError
        day = date.fromisoformat(match["date"])
        if match["time"] is None:
            zone = ZoneInfo(settings.TIME_ZONE)
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=zone)
        zone_text = "+00:00" if match["zone"] == "Z" else match["zone"]
        return datetime.fromisoformat(f"{match['date']}T{match['time']}{zone_text}")
    except ValueError:
        raise Open311Error(
            400,
            _("%(field)s bukan waktu W3C yang sah (contoh: 2026-01-31T08:00:00+07:00 atau 2026-01-31T01:00:00Z).")
            % {"field": field},
        ) from None


def w3c(moment: datetime | None) -> str | None:
    """`2026-03-16T12:00:00+07:00`: the server's zone, to the second, with its offset."""
    if moment is None:
        return None
    local = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0)
    text = local.isoformat()
    return text[:-6] + "Z" if local.utcoffset() == timedelta(0) else text


# --- rendering --------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# Characters XML 1.0 cannot carry at all (a citizen's text may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(_plain(value)))


def _element(parent: ET.Element, name: str, value) -> None:
    node = ET.SubElement(parent, name)
    _fill(node, name, value)


def _fill(node: ET.Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[name]
        for item in value:
            _element(node, item_name, item)
    else:
        node.text = _text(value)


def to_xml(root: str, body) -> bytes:
    """`body` (a dict or a list) under the element `root`, with the XML declaration."""
    node = ET.Element(root)
    _fill(node, root, body)
    ET.indent(node)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(node, encoding="utf-8") + b"\n"


def to_json(body) -> bytes:
    return json.dumps(_plain(body), ensure_ascii=False, indent=1).encode()


def render(fmt: str, root: str, body, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    """The response in `fmt`: JSON as the bare list or object, XML under `root`."""
    content = to_xml(root, body) if fmt == XML else to_json(body)
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    return render(fmt, "errors", error.errors, status=error.status, headers=error.headers)


def format_of_path(path: str) -> str:
    """The format a request asked for by its extension (errors use it too); JSON otherwise."""
    return XML if path.lower().rstrip("/").endswith(".xml") else JSON
