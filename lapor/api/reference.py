"""Reference data for forms and apps: the category tree and the region pickers."""

from django.db.models import Q
from ninja import Schema

from lapor.complaints.models import Category
from lapor.core.errors import NotFound
from lapor.regions.models import Region

from .v1 import api


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    children: list["CategoryOut"] = []


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    postal_code: str


@api.get("/categories", response=list[CategoryOut], tags=["reference"])
def categories(request):
    """The active category tree, parent → children (two queries whatever its size)."""
    nodes = list(Category.objects.filter(is_active=True).order_by("position", "name"))
    children: dict[int | None, list[dict]] = {}
    as_dict = {n.pk: {"code": n.code, "name": n.name, "name_en": n.name_en, "children": []} for n in nodes}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(as_dict[n.pk])
    for pk, item in as_dict.items():
        item["children"] = children.get(pk, [])
    return children.get(None, [])


@api.get("/regions", response=list[RegionOut], tags=["reference"])
def regions(request, parent: str = "", q: str = ""):
    """Children of a region (no parent: the provinces), optionally filtered by name."""
    qs = Region.objects.all()
    if parent:
        if not Region.objects.filter(code=parent).exists():
            raise NotFound(f"Wilayah {parent} tidak dikenal.")
        qs = qs.filter(parent_id=parent)
    else:
        qs = qs.filter(level=Region.Level.PROVINCE)
    if q:
        qs = qs.filter(Q(name__icontains=q))
    return list(qs.order_by("name")[:500])
