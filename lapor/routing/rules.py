"""Category rules: the topic and the level of government together name who answers.

A national road is the public works ministry's, a village road the regency's public works
office's, an identity card the regency's civil registry's, electricity PLN's. The rules are data
(`data/routing_rules.json`, plus an admin's own file named by `LAPOR["ROUTING_RULES"]`, read
first), so a new programme or a local arrangement is a new entry, not new code. The place comes
from the report's region when it has one, else from the gazetteer reading the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from . import spelling
from .gazetteer import locate, regional_agency

# Informal spellings a rule phrase should not have to list ("jln desa", "e-KTP").
_INFORMAL = {"jln": "jalan", "jl": "jalan", "kab": "kabupaten", "prov": "provinsi", "propinsi": "provinsi"}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Rule:
    code: str
    when: tuple[str, ...]
    unless: tuple[str, ...]
    categories: frozenset[str]
    agency: str = ""
    unit: str = ""
    unit_type: str = ""
    unit_by_province: tuple[tuple[str, str], ...] = ()
    government: str = ""  # "regency" or "province": the report's own regional government
    reason: str = ""
    reason_en: str = ""

    @classmethod
    def from_data(cls, data: dict) -> Rule:
        if bool(data.get("agency")) == bool(data.get("government")):
            raise ValueError(f"rule {data.get('code')!r}: name either an agency or a government level")
        if data.get("government") not in (None, "regency", "province"):
            raise ValueError(f"rule {data.get('code')!r}: government is 'regency' or 'province'")
        return cls(
            code=data["code"],
            when=tuple(_normalized(p) for p in data.get("when", [])),
            unless=tuple(_normalized(p) for p in data.get("unless", [])),
            categories=frozenset(data.get("categories", [])),
            agency=data.get("agency", ""),
            unit=data.get("unit", ""),
            unit_type=data.get("unit_type", ""),
            unit_by_province=tuple(sorted(data.get("unit_by_province", {}).items())),
            government=data.get("government", ""),
            reason=data.get("reason", ""),
            reason_en=data.get("reason_en", ""),
        )

    def localized_reason(self) -> str:
        return self.reason_en if (get_language() or "id").startswith("en") and self.reason_en else self.reason


@dataclass(frozen=True)
class Route:
    """One suggestion: the agency (and unit, when it has one of that kind) and why."""

    agency: object  # accounts.Agency
    unit: object | None  # accounts.Unit
    reason: str
    rule: str

    def __iter__(self):  # (agency, unit, reason), as callers unpack it
        return iter((self.agency, self.unit, self.reason))


def _normalized(text: str) -> str:
    words = (_INFORMAL.get(w, w) for w in _WORD.findall(spelling.fold(text or "")))
    return f" {' '.join(words)} "


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The admin's rules first, then the shipped ones; read once per process."""
    sources = []
    extra = settings.LAPOR.get("ROUTING_RULES", "")
    if extra:
        sources.append(json.loads(Path(extra).read_text("utf-8")))
    sources.append(json.loads(resources.files("lapor.routing").joinpath("data", "routing_rules.json").read_text("utf-8")))
    return tuple(Rule.from_data(r) for source in sources for r in source["rules"])


def _category_codes(category) -> set[str]:
    codes, node, seen = set(), category, 0
    while node is not None and seen < 10:  # the tree is shallow; the bound guards a bad cycle
        codes.add(node.code)
        node, seen = node.parent, seen + 1
    return codes


def matching_rules(text: str, category=None) -> list[Rule]:
    """Rules whose topic the text or the category shows, in the files' order."""
    body = _normalized(text)
    categories = _category_codes(category) if category is not None else set()
    found = []
    for rule in rules():
        by_text = any(p in body for p in rule.when) and not any(p in body for p in rule.unless)
        if by_text or (rule.categories & categories):
            found.append(rule)
    return found


def _region_code(region, text: str) -> str | None:
    if region is not None:
        return getattr(region, "code", region) or None
    return locate(text).code


def _unit(agency, rule: Rule, region_code: str | None):
    units = agency.units.filter(is_active=True)
    wanted = dict(rule.unit_by_province).get((region_code or "")[:2]) or rule.unit
    if wanted:
        return units.filter(code=wanted).first()
    if rule.unit_type:
        return units.filter(unit_type=rule.unit_type).order_by("name").first()
    return None


def route_by_rules(text: str, category=None, *, region=None) -> list[Route]:
    """Agencies the rules name for this text (and category), with the unit and the reason.

    `region` (a Region or its code) is the report's place; without it the gazetteer reads the
    place from the text. A rule for a regional government is left out when no place is known,
    and so is one whose agency is not in the database. One suggestion per agency and unit.
    """
    from lapor.accounts.models import Agency

    found: list[Route] = []
    seen: set[tuple] = set()
    place: str | None | bool = False  # read on first need
    for rule in matching_rules(text, category):
        if rule.government:
            if place is False:
                place = _region_code(region, text)
            if not place:
                continue
            agency = regional_agency(place.split(".")[0] if rule.government == "province" else place)
        else:
            agency = Agency.objects.filter(code=rule.agency, is_active=True).first()
            if agency is not None and rule.unit_by_province and place is False:
                place = _region_code(region, text)
        if agency is None:
            continue
        unit = _unit(agency, rule, place or None)
        key = (agency.pk, unit.pk if unit else None)
        if key in seen:
            continue
        seen.add(key)
        found.append(Route(agency, unit, rule.localized_reason(), rule.code))
    return found
