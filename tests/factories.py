"""Small, plain factory functions for the test suite (no factory-boy).

Every function creates rows through the ORM (reference data) or through the real services
(reports), with readable defaults that a test overrides only where it matters.
"""

from __future__ import annotations

import itertools

from lapor.accounts.models import Agency, Role, TimeZone, Unit, User
from lapor.complaints import services
from lapor.complaints.models import ArchiveReason, Category, Report
from lapor.regions.models import Region

_seq = itertools.count(1)

DEFAULT_TEXT = "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam."

_REGION_LEVEL_KIND = {
    1: (Region.Level.PROVINCE, Region.Kind.PROVINCE),
    2: (Region.Level.REGENCY, Region.Kind.CITY),
    3: (Region.Level.DISTRICT, Region.Kind.DISTRICT),
    4: (Region.Level.VILLAGE, Region.Kind.URBAN_VILLAGE),
}


def _next() -> int:
    return next(_seq)


def make_region(code: str, name: str = "", *, kind: str | None = None) -> Region:
    """A region with the level taken from its dotted code; the parent must exist already."""
    parts = code.split(".")
    level, default_kind = _REGION_LEVEL_KIND[len(parts)]
    parent = Region.objects.get(pk=".".join(parts[:-1])) if len(parts) > 1 else None
    return Region.objects.create(
        code=code, name=name or f"Wilayah {code}", level=level, kind=kind or default_kind, parent=parent
    )


def make_region_chain(village_code: str, names: tuple[str, ...] = ()) -> Region:
    """Province, regency/city, district and village for `village_code` (created as needed)."""
    parts = village_code.split(".")
    region = None
    for depth in range(1, len(parts) + 1):
        code = ".".join(parts[:depth])
        name = names[depth - 1] if depth - 1 < len(names) else ""
        region = Region.objects.filter(pk=code).first() or make_region(code, name)
    return region


def make_agency(
    *, name: str = "", code: str = "", kind: str = Agency.Kind.CITY, region: Region | None = None,
    time_zone: str = TimeZone.WIB, is_active: bool = True, **extra,
) -> Agency:
    n = _next()
    return Agency.objects.create(
        code=code or f"instansi-{n}",
        name=name or f"Instansi {n}",
        kind=kind,
        region=region,
        time_zone=time_zone,
        is_active=is_active,
        **extra,
    )


def make_unit(agency: Agency, *, name: str = "", code: str = "", is_active: bool = True) -> Unit:
    n = _next()
    return Unit.objects.create(
        agency=agency, code=code or f"unit-{n}", name=name or f"Unit {n}", is_active=is_active
    )


def make_user(
    role: str = Role.REPORTER, *, agency: Agency | None = None, unit: Unit | None = None, username: str = "",
    **extra,
) -> User:
    """A user in `role`; a unit officer's agency defaults to its unit's agency."""
    n = _next()
    if unit is not None and agency is None:
        agency = unit.agency
    extra.setdefault("first_name", f"Nama{n}")
    extra.setdefault("last_name", role.replace("_", " ").title())
    extra.setdefault("email", f"user{n}@contoh.id")
    return User.objects.create(username=username or f"{role}-{n}", role=role, agency=agency, unit=unit, **extra)


def make_category(
    *, name: str = "", code: str = "", parent: Category | None = None, is_active: bool = True
) -> Category:
    n = _next()
    return Category.objects.create(
        code=code or f"kategori-{n}", name=name or f"Kategori {n}", parent=parent, is_active=is_active
    )


def make_archive_reason(*, name: str = "", code: str = "", is_active: bool = True) -> ArchiveReason:
    n = _next()
    return ArchiveReason.objects.create(
        code=code or f"alasan-{n}", name=name or f"Alasan {n}", is_active=is_active
    )


def make_report(*, reporter: User | None = None, text: str = DEFAULT_TEXT, **kwargs) -> Report:
    """A report filed through `services.report_submit` (status RECEIVED)."""
    return services.report_submit(reporter=reporter, text=text, **kwargs).report
