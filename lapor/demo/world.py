"""The reference data the demo generator needs, loaded once into memory, and its choices.

Generating 100,000 reports cannot afford a query per report, so regions, agencies, units,
categories, archive reasons and staff accounts are read once here; the routing choices
(which agency a report goes to, which units follow it up) are made against these tables.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

from lapor.accounts.models import Agency, Role, Unit, User
from lapor.complaints.models import ArchiveReason, Category
from lapor.core.errors import Conflict
from lapor.regions.models import Region

from .texts import Place, Subject, generic_subject, match_score, subjects

LOCAL_KINDS = frozenset({Agency.Kind.REGENCY, Agency.Kind.CITY})
REGIONAL_KINDS = LOCAL_KINDS | {Agency.Kind.PROVINCE}
# Unit types every agency has; they say nothing about which agency fits a category.
GENERIC_UNIT_TYPES = frozenset({"general", "secretariat", "inspectorate", "planning"})

# Which archive reasons fit which moment (codes of lapor/reference/data/archive_reasons.json;
# other reason lists fall back to an even choice).
REASONS_AT_VERIFICATION = {"spam": 25, "duplikat": 35, "tidak-jelas": 20, "bukan-pelayanan-publik": 15, "sara-ujaran-kebencian": 3, "proses-hukum-lembaga-lain": 2}
REASONS_WHEN_HELD = {"tidak-dilengkapi": 80, "permintaan-pelapor": 20}
REASONS_AT_AGENCY = {"duplikat": 50, "proses-hukum-lembaga-lain": 30, "permintaan-pelapor": 20}


@dataclass
class CategoryInfo:
    pk: int
    code: str
    name: str
    names: list[str]  # from the category up to its top-level ancestor
    agency_kinds: list[str]  # its own, or inherited from the nearest ancestor that has some
    unit_types: list[str]
    subject: Subject = field(default_factory=generic_subject)


class World:
    def __init__(self, *, rng: random.Random):
        self.rng = rng
        self._load_regions()
        self._load_agencies()
        self._load_categories()
        self.reasons = {r.code: r for r in ArchiveReason.objects.filter(is_active=True)}
        self._load_staff()
        missing = [
            name
            for name, present in (
                ("wilayah", self.regency_codes),
                ("instansi", self.agencies),
                ("kategori", self.categories),
                ("alasan arsip", self.reasons),
            )
            if not present
        ]
        if missing:
            raise Conflict(
                "Data referensi belum lengkap (" + ", ".join(missing) + "): jalankan `lapor reference-data` dahulu."
            )

    # --- loading ------------------------------------------------------------------------------

    def _load_regions(self) -> None:
        self.region_names: dict[str, tuple[str, str]] = {}
        levels: dict[int, list[str]] = defaultdict(list)
        for code, name, level, kind in Region.objects.values_list("code", "name", "level", "kind").iterator(5000):
            self.region_names[code] = (name, kind)
            levels[level].append(code)
        self.province_codes = sorted(levels[Region.Level.PROVINCE])
        self.regency_codes = sorted(levels[Region.Level.REGENCY]) or self.province_codes
        villages, districts = defaultdict(list), defaultdict(list)
        for code in levels[Region.Level.VILLAGE]:
            villages[code[:5]].append(code)
        for code in levels[Region.Level.DISTRICT]:
            districts[code[:5]].append(code)
        # Where in a regency a report can be placed: its villages, else its districts.
        self.spots = {code: villages.get(code) or districts.get(code) or [] for code in self.regency_codes}

    def _load_agencies(self) -> None:
        self.agencies = {a.pk: a for a in Agency.objects.filter(is_active=True)}
        self.local_agency: dict[str, Agency] = {}
        self.national: dict[str, list[Agency]] = defaultdict(list)
        for agency in self.agencies.values():
            if agency.kind in REGIONAL_KINDS and agency.region_id:
                self.local_agency[agency.region_id] = agency
            elif agency.kind not in REGIONAL_KINDS:
                self.national[agency.kind].append(agency)
        self.units: dict[int, list[Unit]] = defaultdict(list)
        for unit in Unit.objects.filter(is_active=True, agency__is_active=True).order_by("agency_id", "name"):
            self.units[unit.agency_id].append(unit)
        self.unit_types = {pk: {u.unit_type for u in units} - GENERIC_UNIT_TYPES for pk, units in self.units.items()}
        self._national_fit: dict[int, list[Agency]] = {}

    def _load_categories(self) -> None:
        rows = {c.pk: c for c in Category.objects.filter(is_active=True)}
        parents = {c.parent_id for c in rows.values()}
        self.categories: list[CategoryInfo] = []
        for c in rows.values():
            if c.pk in parents:
                continue  # reports go to the most specific categories
            chain, node = [], c
            while node is not None:
                chain.append(node)
                node = rows.get(node.parent_id)
            kinds = next((n.agency_kinds for n in chain if n.agency_kinds), [])
            types = next((n.unit_types for n in chain if n.unit_types), [])
            self.categories.append(CategoryInfo(c.pk, c.code, c.name, [n.name for n in chain], list(kinds), list(types)))
        self.categories.sort(key=lambda c: c.code)
        self._match_subjects()

    def _match_subjects(self) -> None:
        """Pair categories and subjects: by the codes a subject names, else by keywords."""
        by_code = {c.code: c for c in self.categories}
        self.subject_categories: dict[str, list[CategoryInfo]] = {}
        for subject in subjects():
            found = [by_code[code] for code in subject.categories if code in by_code]
            if not found:
                scored = [(match_score(subject, c.names), c) for c in self.categories]
                top = max((s for s, _ in scored), default=0)
                found = [c for s, c in scored if s and s == top]
            if found:
                self.subject_categories[subject.key] = found
        for category in self.categories:
            named = [s for s in subjects() if category in self.subject_categories.get(s.key, [])]
            if named:
                category.subject = named[0]
                continue
            scored = max(((match_score(s, category.names), s) for s in subjects()), key=lambda x: x[0], default=(0, None))
            if scored[0] >= 60:  # a keyword of six letters or more in the category's own name
                category.subject = scored[1]
        self.subjects = [s for s in subjects() if s.key in self.subject_categories]

    def _load_staff(self) -> None:
        self.verifiers: list[int] = []
        self.agency_admins: dict[int, list[int]] = defaultdict(list)
        self.unit_officers: dict[int, list[int]] = defaultdict(list)
        for pk, role, agency_id, unit_id in User.objects.filter(
            is_active=True, role__in=[Role.VERIFIER, Role.AGENCY_ADMIN, Role.UNIT_OFFICER]
        ).values_list("pk", "role", "agency_id", "unit_id"):
            if role == Role.VERIFIER:
                self.verifiers.append(pk)
            elif role == Role.AGENCY_ADMIN:
                self.agency_admins[agency_id].append(pk)
            else:
                self.unit_officers[unit_id].append(pk)

    # --- places -------------------------------------------------------------------------------

    def place(self, regency_code: str) -> tuple[str, Place]:
        """A random spot in a regency/city: (most specific region code, names for the texts)."""
        candidates = self.spots.get(regency_code)
        code = self.rng.choice(candidates) if candidates else regency_code
        return code, self.place_of(code)

    def place_of(self, code: str) -> Place:
        def name(c: str) -> tuple[str, str]:
            return self.region_names.get(c, ("", ""))

        parts = code.split(".")
        village = name(code) if len(parts) == 4 else ("", "")
        district = name(".".join(parts[:3])) if len(parts) >= 3 else ("", "")
        return Place(
            village=village[0],
            village_kind=village[1],
            district=district[0],
            district_kind=district[1],
            regency=name(".".join(parts[:2]))[0] if len(parts) >= 2 else "",
            province=name(parts[0])[0],
            province_code=parts[0],
        )

    def regencies_in(self, province_code: str) -> list[str]:
        return [c for c in self.regency_codes if c.startswith(f"{province_code}.")] or [province_code]

    # --- routing ------------------------------------------------------------------------------

    def local_government(self, region_code: str) -> Agency | None:
        return self.local_agency.get(region_code[:5]) or self.local_agency.get(region_code[:2])

    def _national_candidates(self, category: CategoryInfo) -> list[Agency]:
        """National agencies of the category's kinds whose units or name fit it best."""
        if category.pk in self._national_fit:
            return self._national_fit[category.pk]
        # The category's first unit type is the one that matters most (PTSL: land before village).
        wanted = {t: 3 if i == 0 else 1 for i, t in enumerate(category.unit_types) if t not in GENERIC_UNIT_TYPES}
        names = " ".join(category.names).lower()
        scored = []
        for kind in category.agency_kinds:
            for agency in self.national.get(kind, []):
                score = sum(w for t, w in wanted.items() if t in self.unit_types.get(agency.pk, ()))
                if agency.short_name and re.search(rf"\b{re.escape(agency.short_name.lower())}\b", names):
                    score += 5
                if score:
                    scored.append((score, agency))
        top = max((s for s, _ in scored), default=0)
        best = [a for s, a in scored if s == top]
        self._national_fit[category.pk] = best
        return best

    def choose_agency(self, category: CategoryInfo | None, region_code: str, *, exclude=frozenset()) -> Agency:
        """Where a verifier sends the report: local government or a fitting national agency."""
        kinds = set(category.agency_kinds) if category and category.agency_kinds else set(REGIONAL_KINDS)
        options: list[tuple[Agency, int]] = []
        local = self.local_agency.get(region_code[:5])
        province = self.local_agency.get(region_code[:2])
        if kinds & LOCAL_KINDS:
            if local:
                options.append((local, 60))
            elif province:
                options.append((province, 60))
        if Agency.Kind.PROVINCE in kinds and province:
            options.append((province, 12))
        if category:
            national = self._national_candidates(category)
            for agency in national:
                options.append((agency, max(1, 30 // len(national)) if options else 10))
        # An agency that returned the report is not asked again while another one fits; when
        # none does, the verifier sends it back: a report is never dropped as "not ours".
        options = [(a, w) for a, w in options if a.pk not in exclude] or options
        if not options:
            fallback = [a for a in (local, province) if a] or [a for a in self.agencies.values() if self.units.get(a.pk)]
            return self.rng.choice(fallback or list(self.agencies.values()))
        agencies, weights = zip(*options, strict=True)
        return self.rng.choices(agencies, weights)[0]

    def choose_units(self, agency: Agency, category: CategoryInfo | None, *, prefer: Unit | None = None) -> list[Unit]:
        """The lead unit first, sometimes a second contributing unit."""
        units = self.units.get(agency.pk, [])
        if not units:
            return []
        types = category.unit_types if category else []
        fitting = []
        for unit_type in types:
            fitting = [u for u in units if u.unit_type == unit_type]
            if fitting:
                break
        if not fitting:
            fitting = [u for u in units if u.unit_type not in GENERIC_UNIT_TYPES] or units
        lead = prefer if prefer is not None and prefer.agency_id == agency.pk else self.rng.choice(fitting)
        chosen = [lead]
        if self.rng.random() < 0.15:
            others = [u for u in units if u.pk != lead.pk and (u.unit_type in types or u.unit_type == "inspectorate")]
            if others:
                chosen.append(self.rng.choice(others))
        return chosen

    def archive_reason(self, weights: dict[str, int]) -> ArchiveReason:
        known = [(self.reasons[code], w) for code, w in weights.items() if code in self.reasons]
        if not known:
            return self.rng.choice(list(self.reasons.values()))
        reasons, ws = zip(*known, strict=True)
        return self.rng.choices(reasons, ws)[0]

    def actor(self, role: str, *, agency_id: int | None = None, unit_id: int | None = None) -> int | None:
        """A staff account to name in the event, when one exists for that desk."""
        if role == Role.VERIFIER:
            pool = self.verifiers
        elif role == Role.AGENCY_ADMIN:
            pool = self.agency_admins.get(agency_id, [])
        elif role == Role.UNIT_OFFICER:
            pool = self.unit_officers.get(unit_id, [])
        else:
            pool = []
        return self.rng.choice(pool) if pool else None

    # --- subjects and categories --------------------------------------------------------------

    def categories_for_subject(self, subject: Subject) -> list[CategoryInfo]:
        return self.subject_categories.get(subject.key, [])

    def categories_for_unit(self, unit: Unit) -> list[CategoryInfo]:
        """Categories a unit of this type would handle (their first unit type is the unit's)."""
        first = [c for c in self.categories if c.unit_types[:1] == [unit.unit_type]]
        return first or [c for c in self.categories if unit.unit_type in c.unit_types]

    def categories_for_agency(self, agency: Agency) -> list[CategoryInfo]:
        return [c for c in self.categories if agency in self._national_candidates(c)]
