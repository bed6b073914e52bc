"""Options for the portal's pickers: regions level by level, agencies, categories.

Each function runs a fixed number of queries whatever the choice, so a form costs the same
to render on every step of the no-JavaScript region picker.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapor.accounts.models import Agency
from lapor.complaints.models import Category
from lapor.regions.models import Region

REGION_FIELDS = ("province", "regency", "district", "village")


def region_chain(values) -> list[str]:
    """The chosen region codes, province first, cut where a level is not inside the one above.

    `values` is any mapping (POST data, GET data, initial values). A regency left over from a
    previously chosen province is dropped instead of raising an error.
    """
    chain: list[str] = []
    for name in REGION_FIELDS:
        code = (values.get(name) or "").strip()
        if not code:
            break
        parent = chain[-1] if chain else None
        expected_dots = len(chain)
        if code.count(".") != expected_dots or (parent and not code.startswith(parent + ".")):
            break
        chain.append(code)
    return chain


def region_options(chain: list[str], levels: int = 4) -> list[list[tuple[str, str]]]:
    """Options per level (provinces, then the children of each chosen level), in one query."""
    parents = chain[: levels - 1]
    rows = (
        Region.objects.filter(Q(level=Region.Level.PROVINCE) | Q(parent_id__in=parents))
        .order_by("name")
        .values_list("code", "name", "parent_id")
    )
    by_parent: dict[str | None, list[tuple[str, str]]] = {}
    for code, name, parent_id in rows:
        by_parent.setdefault(parent_id, []).append((code, name))
    options = [by_parent.get(None, [])]
    for code in parents:
        options.append(by_parent.get(code, []))
    while len(options) < levels:
        options.append([])
    return options


def localized(obj) -> str:
    """A category's (or similar) name in the current language, when an English name exists."""
    name_en = getattr(obj, "name_en", "")
    if name_en and (get_language() or "id").startswith("en"):
        return name_en
    return obj.name


def category_options(*, top_level_only: bool = False) -> list:
    """The active category tree as select options: one group per top-level category."""
    nodes = list(Category.objects.filter(is_active=True).order_by("position", "name"))
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    tops = children.get(None, [])
    if top_level_only:
        return [(top.code, localized(top)) for top in tops]
    groups = []
    for top in tops:
        options = [(top.code, _("%(name)s (umum)") % {"name": localized(top)})]
        for child in children.get(top.pk, []):
            options.append((child.code, localized(child)))
            options.extend((grand.code, f"– {localized(grand)}") for grand in children.get(child.pk, []))
        groups.append((localized(top), options))
    return groups


def _agency_label(agency: Agency) -> str:
    return agency.name


def agency_options(*, chain: list[str], query: str = "", selected: str = "") -> list:
    """Agencies to offer: the governments of the chosen region, plus national agencies.

    With a search text the second group holds the matching agencies of the whole country
    instead of the national ones. A previously selected agency is always kept.
    """
    fields = ("code", "name")
    groups = []
    regional = list(
        Agency.objects.filter(is_active=True, region_id__in=chain[:2]).order_by("region_id").values_list(*fields)
    )
    if regional:
        groups.append((_("Pemerintah daerah pilihan Anda"), regional))
    query = (query or "").strip()
    if query:
        found = list(
            Agency.objects.filter(is_active=True)
            .filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query))
            .order_by("name")
            .values_list(*fields)[:50]
        )
        groups.append((_("Hasil pencarian “%(q)s”") % {"q": query[:60]}, found))
    else:
        national = list(Agency.objects.filter(is_active=True, region__isnull=True).order_by("name").values_list(*fields))
        groups.append((_("Kementerian, lembaga, dan instansi nasional"), national))
    offered = {code for _label, options in groups for code, _name in options}
    if selected and selected not in offered:
        kept = list(Agency.objects.filter(is_active=True, code=selected).values_list(*fields))
        if kept:
            groups.insert(0, (_("Pilihan Anda"), kept))
    return groups


def feed_agency_options(*, province: str = "", selected: str = "") -> list:
    """Agencies for the public feed filter: national ones and the regional governments in scope."""
    fields = ("code", "name")
    if province:
        regional = Agency.objects.filter(Q(region_id=province) | Q(region__code__startswith=f"{province}."))
    else:
        regional = Agency.objects.filter(kind=Agency.Kind.PROVINCE)
    groups = [
        (_("Pemerintah daerah"), list(regional.filter(is_active=True).order_by("name").values_list(*fields))),
        (
            _("Kementerian, lembaga, dan instansi nasional"),
            list(Agency.objects.filter(is_active=True, region__isnull=True).order_by("name").values_list(*fields)),
        ),
    ]
    offered = {code for _label, options in groups for code, _name in options}
    if selected and selected not in offered:
        kept = list(Agency.objects.filter(code=selected).values_list(*fields))
        if kept:
            groups.insert(0, (_("Pilihan Anda"), kept))
    return groups
