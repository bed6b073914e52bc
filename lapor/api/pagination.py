"""Cursor (keyset) pagination: stable under inserts, one query a page whatever the depth.

A cursor is opaque to clients: base64 of the last row's sort key. The next page continues
strictly after it, so rows filed while a client walks the list neither repeat nor vanish.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lapor.core.errors import InvalidInput

MAX_LIMIT = 50
DEFAULT_LIMIT = 20


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise InvalidInput(_("Kursor halaman tidak valid."), code="invalid_cursor", field="cursor")
    return values


def _after(fields: tuple[str, ...], values: list, *, descending: bool) -> Q:
    """Rows after `values` in the order of `fields`: (a < x) or (a = x and b < y) …"""
    op = "lt" if descending else "gt"
    condition = Q()
    for i in range(len(fields) - 1, -1, -1):
        step = Q(**{f"{fields[i]}__{op}": values[i]})
        if i < len(fields) - 1:
            step |= Q(**{fields[i]: values[i]}) & condition
        condition = step
    return condition


def keyset_page(
    queryset: QuerySet, *, fields: tuple[str, ...], cursor: str | None, limit: int, descending: bool = False
) -> tuple[list, str | None]:
    """One page of `queryset` ordered by `fields` (the last one unique) and the next cursor."""
    if cursor:
        values = decode_cursor(cursor, len(fields))
        values = [_parse(name, value) for name, value in zip(fields, values)]
        queryset = queryset.filter(_after(fields, values, descending=descending))
    ordering = [f"-{name}" if descending else name for name in fields]
    rows = list(queryset.order_by(*ordering)[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = encode_cursor([_value(last, name) for name in fields])
    return page, next_cursor


def _parse(name: str, value):
    """A cursor value back to the column's type; anything else is a tampered cursor."""
    try:
        if name.endswith("created_at"):
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                return parsed
        elif name.endswith("id"):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif isinstance(value, str):
            return value
    except (TypeError, ValueError):
        pass
    raise InvalidInput(_("Kursor halaman tidak valid."), code="invalid_cursor", field="cursor")


def _value(obj, name: str):
    value = getattr(obj, name)
    return value.isoformat() if isinstance(value, datetime) else value
