"""Agencies a citizen may name as the one responsible ("I don't know" is always allowed)."""

from __future__ import annotations

from django.db.models import Q
from ninja import Query, Router, Schema
from pydantic import Field

from lapor.accounts.models import Agency

from .errors import ErrorOut
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page

router = Router(tags=["reference"])


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    region: str | None


class AgencyPageOut(Schema):
    items: list[AgencyOut]
    next_cursor: str | None


class AgencyFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words of the name or short name")
    kind: Agency.Kind | None = None
    region: str | None = Field(
        None,
        description="Region code: agencies of that region, of the regions above it (province, regency) "
        "and inside it",
    )
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _region_q(code: str) -> Q:
    parts = code.strip().rstrip(".").split(".")
    above = [".".join(parts[: i + 1]) for i in range(len(parts))]
    return Q(region_id__in=above) | Q(region__code__startswith=".".join(parts) + ".")


@router.get("/agencies", response={200: AgencyPageOut, 400: ErrorOut, 422: ErrorOut}, url_name="agencies")
def agencies(request, filters: Query[AgencyFilters]):
    """Active agencies by name, a page at a time."""
    qs = Agency.objects.filter(is_active=True)
    if filters.q and filters.q.strip():
        for word in filters.q.split():
            qs = qs.filter(Q(name__icontains=word) | Q(short_name__icontains=word) | Q(code__icontains=word))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region and filters.region.strip():
        qs = qs.filter(_region_q(filters.region))
    rows, next_cursor = keyset_page(qs, fields=("name", "id"), cursor=filters.cursor, limit=filters.limit)
    return {
        "items": [
            {
                "code": a.code,
                "name": a.name,
                "short_name": a.short_name,
                "kind": a.kind,
                "kind_label": str(a.get_kind_display()),
                "region": a.region_id,
            }
            for a in rows
        ],
        "next_cursor": next_cursor,
    }
