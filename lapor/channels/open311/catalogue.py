"""Services and their definitions: lapor's categories as GeoReport v2 service types.

Every active category is a service (`service_code` = the category code), grouped under its
top-level category. A report's other choices — kind, anonymity, confidentiality, the incident
date, a title, the agency the citizen thinks responsible — are the attributes of every service
definition, posted as `attribute[code]=value`. The first attribute only informs (`variable`
false): which kinds of agency usually handle the category. Requests are created while the client
waits, so every service is `realtime`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lapor.accounts.models import Agency
from lapor.complaints.models import Category, Kind

from .formats import Open311Error, parse_w3c

TRUE_FALSE = ("true", "false")


def localized(category: Category) -> str:
    if (get_language() or "").startswith("en") and category.name_en:
        return category.name_en
    return category.name


def _tree_order(categories: list[Category]) -> list[Category]:
    """Parents before their children, siblings by position and name (the portal's order)."""
    children: dict[int | None, list[Category]] = {}
    for c in sorted(categories, key=lambda c: (c.position, c.name)):
        children.setdefault(c.parent_id, []).append(c)
    out: list[Category] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return out


def _ancestors(category: Category, by_pk: dict[int, Category]) -> list[Category]:
    """The category's parents, top-level first."""
    chain: list[Category] = []
    node = by_pk.get(category.parent_id)
    while node is not None and len(chain) < 10:
        chain.insert(0, node)
        node = by_pk.get(node.parent_id)
    return chain


def services_list() -> list[dict]:
    """Every active category as a service, in tree order (one query)."""
    every = list(Category.objects.all())
    by_pk = {c.pk: c for c in every}
    out = []
    for c in _tree_order(every):
        if not c.is_active:
            continue
        parents = _ancestors(c, by_pk)
        path = [*parents, c]
        names = [c.name, c.name_en, *(p.name for p in parents)]
        out.append({
            "service_code": c.code,
            "service_name": localized(c),
            "description": " › ".join(localized(n) for n in path),
            "metadata": True,
            "type": "realtime",
            "keywords": ", ".join(dict.fromkeys(n for n in names if n)),
            "group": localized(path[0]),
        })
    return out


def service_get(code: str) -> Category:
    """The active category a service code names; 404 in the spec's words otherwise."""
    category = Category.objects.filter(code=(code or "").strip(), is_active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code '%(code)s' tidak ditemukan.") % {"code": code})
    return category


# --- attributes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    description: str
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = field(default=())
    required: bool = False
    variable: bool = True


def attributes() -> list[Attribute]:
    """What a client may send besides the spec's own fields, in the order shown to people."""
    yes_no = ((TRUE_FALSE[1], _("Tidak")), (TRUE_FALSE[0], _("Ya")))
    return [
        Attribute(
            code="kind", datatype="singlevaluelist", description=_("Jenis laporan (bawaan: pengaduan)."),
            values=tuple((value, str(label)) for value, label in Kind.choices),
        ),
        Attribute(
            code="title", datatype="string",
            description=_("Judul singkat, paling banyak 200 karakter (kosong: dibuat dari isi laporan)."),
        ),
        Attribute(
            code="incident_date", datatype="datetime", description=_("Tanggal kejadian, bila diketahui."),
            datatype_description=_("Tanggal W3C, mis. 2026-01-31 atau 2026-01-31T08:00:00+07:00."),
        ),
        Attribute(
            code="anonymous", datatype="singlevaluelist", values=yes_no,
            description=_(
                "Anonim: identitas pelapor disembunyikan dari semua petugas; laporan tetap dapat tampil untuk publik."
            ),
        ),
        Attribute(
            code="confidential", datatype="singlevaluelist", values=yes_no,
            description=_("Rahasia: laporan tidak ditampilkan untuk publik sama sekali."),
        ),
        Attribute(
            code="agency", datatype="string",
            description=_("Instansi yang menurut pelapor berwenang, bila diketahui (kosong: Saya tidak tahu)."),
            datatype_description=_("Kode instansi dari GET /api/v1/agencies."),
        ),
    ]


def _handled_by(category: Category) -> Attribute:
    labels = dict(Agency.Kind.choices)
    kinds = [str(labels[k]) for k in category.agency_kinds or [] if k in labels]
    text = ", ".join(kinds) if kinds else _("ditentukan oleh verifikator")
    return Attribute(
        code="handled_by", datatype="text", variable=False,
        description=_("Biasanya ditangani oleh: %(kinds)s.") % {"kinds": text},
    )


def service_definition(category: Category) -> dict:
    out = []
    for order, attribute in enumerate([_handled_by(category), *attributes()], start=1):
        item = {
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description or None,
            "order": order,
            "description": attribute.description,
        }
        if attribute.values:
            item["values"] = [{"key": key, "name": name} for key, name in attribute.values]
        out.append(item)
    return {"service_code": category.code, "attributes": out}


def posted_attributes(data) -> dict[str, list[str]]:
    """`attribute[code]=v` and `attribute[code][]=v` fields of a form, as code → values."""
    found: dict[str, list[str]] = {}
    for name in data:
        if not (name.startswith("attribute[") and name.endswith("]")):
            continue
        code = name[len("attribute["):-1].removesuffix("][").removesuffix("]")
        values = [v.strip() for v in data.getlist(name) if v.strip()]
        if code and values:
            found.setdefault(code, []).extend(values)
    return found


def submission_fields(data) -> dict:
    """The filing service's arguments from the posted attributes; unknown codes are ignored
    (clients such as FixMyStreet send their own), a wrong value is a 400 naming it."""
    posted = posted_attributes(data)
    errors: list[str] = []
    out: dict = {}
    for attribute in attributes():
        values = posted.get(attribute.code)
        if not values:
            if attribute.required:
                errors.append(_("attribute[%(code)s] wajib diisi.") % {"code": attribute.code})
            continue
        value = values[0]
        if attribute.values and value.lower() not in {key for key, _name in attribute.values}:
            errors.append(
                _("attribute[%(code)s]: nilai '%(value)s' tidak dikenal; pilihan: %(keys)s.")
                % {"code": attribute.code, "value": value, "keys": ", ".join(k for k, _n in attribute.values)}
            )
            continue
        try:
            out.update(_converted(attribute.code, value))
        except Open311Error as error:
            errors.extend(e["description"] for e in error.errors)
    if errors:
        raise Open311Error(400, *errors)
    return out


def _converted(code: str, value: str) -> dict:
    if code == "kind":
        return {"kind": value.lower()}
    if code in ("anonymous", "confidential"):
        return {f"is_{code}": value.lower() == "true"}
    if code == "title":
        if len(value) > 200:
            raise Open311Error(400, _("attribute[title] paling banyak 200 karakter."))
        return {"title": value}
    if code == "incident_date":
        moment = parse_w3c(value, field="attribute[incident_date]")
        day: date = timezone.localtime(moment).date()
        return {"incident_date": day}
    if code == "agency":
        agency = Agency.objects.filter(code=value).first()
        if agency is None:
            raise Open311Error(400, _("attribute[agency]: instansi '%(code)s' tidak dikenal.") % {"code": value})
        return {"suggested_agency": agency}
    return {}
