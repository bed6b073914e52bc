"""Reference data for forms and apps: the category tree and the region pickers."""

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Router, Schema

from lapor.complaints.models import Category
from lapor.core.errors import NotFound
from lapor.regions.models import Region

from .errors import ErrorOut

router = Router(tags=["reference"])
MAX_REGIONS = 500


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    children: list["CategoryOut"] = []


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    postal_code: str


@router.get("/categories", response=list[CategoryOut], url_name="categories")
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


@router.get("/regions", response={200: list[RegionOut], 404: ErrorOut, 422: ErrorOut}, url_name="regions")
def regions(request, parent: str = "", level: Region.Level | None = None, q: str = ""):
    """Regions for the pickers (at most 500, by name).

    Neither `parent` nor `level`: the provinces. `parent`: its children, or with `level` every
    region of that level inside it (the villages of a regency). `level` alone: every region of
    that level (narrow it with `q`).
    """
    qs = Region.objects.all()
    if parent:
        if not Region.objects.filter(code=parent).exists():
            raise NotFound(_("Wilayah %(code)s tidak dikenal.") % {"code": parent})
        if level is None:
            qs = qs.filter(parent_id=parent)
        else:
            qs = qs.filter(code__startswith=f"{parent}.", level=level)
    else:
        qs = qs.filter(level=level or Region.Level.PROVINCE)
    if q:
        qs = qs.filter(Q(name__icontains=q))
    return list(qs.order_by("name", "code")[:MAX_REGIONS])
