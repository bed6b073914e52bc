"""Shared fixtures: a small world of regions, agencies, units and users in every role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lapor.accounts.models import Agency, Role, TimeZone, Unit, User
from lapor.complaints.models import ArchiveReason, Category
from lapor.regions.models import Region

from .factories import (
    make_agency,
    make_archive_reason,
    make_category,
    make_region_chain,
    make_unit,
    make_user,
)


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """Each test starts in the default language; a request switching to English must not leak."""
    from django.utils import translation

    from lapor.routing.flags import forget_lexicon
    from lapor.routing.gazetteer import forget
    from lapor.sla.calendar import clear_cache

    translation.activate("id")
    clear_cache()  # admin-added days of a rolled-back test must not linger in the calendar cache
    forget()  # nor the regions of another test's database in the gazetteer,
    forget_lexicon()  # nor its red-flag terms in the lexicon
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres` tests need PostgreSQL row locks; skip them on any other database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (row locks); this run uses {connection.vendor}. "
        "Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_helper"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@dataclass
class World:
    """Two city governments in two provinces, two units each, and one user per role."""

    bali_village: Region
    ntb_village: Region
    agency_a: Agency
    agency_b: Agency
    unit_a1: Unit
    unit_a2: Unit
    unit_b1: Unit
    unit_b2: Unit
    reporter: User
    other_reporter: User
    verifier: User
    admin_a: User
    admin_b: User
    officer_a1: User
    officer_a2: User
    officer_b1: User
    observer: User
    sysadmin: User
    category: Category
    archive_reason: ArchiveReason

    def admin_of(self, agency: Agency) -> User:
        return {self.agency_a.pk: self.admin_a, self.agency_b.pk: self.admin_b}[agency.pk]

    def units_of(self, agency: Agency) -> list[Unit]:
        return {self.agency_a.pk: [self.unit_a1, self.unit_a2], self.agency_b.pk: [self.unit_b1, self.unit_b2]}[
            agency.pk
        ]

    def officer_of(self, unit: Unit) -> User:
        return {self.unit_a1.pk: self.officer_a1, self.unit_a2.pk: self.officer_a2, self.unit_b1.pk: self.officer_b1}[
            unit.pk
        ]


@pytest.fixture
def world(db) -> World:
    bali = make_region_chain("51.71.01.1001", ("Bali", "Kota Denpasar", "Denpasar Selatan", "Sesetan"))
    ntb = make_region_chain("52.71.01.1001", ("Nusa Tenggara Barat", "Kota Mataram", "Ampenan", "Ampenan Selatan"))
    agency_a = make_agency(
        code="kota-denpasar", name="Pemerintah Kota Denpasar", region=Region.objects.get(pk="51.71"),
        time_zone=TimeZone.WITA,
    )
    agency_b = make_agency(
        code="kota-mataram", name="Pemerintah Kota Mataram", region=Region.objects.get(pk="52.71"),
        time_zone=TimeZone.WITA,
    )
    unit_a1 = make_unit(agency_a, code="dpupr", name="Dinas PUPR Kota Denpasar")
    unit_a2 = make_unit(agency_a, code="dishub", name="Dinas Perhubungan Kota Denpasar")
    unit_b1 = make_unit(agency_b, code="dpupr", name="Dinas PUPR Kota Mataram")
    unit_b2 = make_unit(agency_b, code="dishub", name="Dinas Perhubungan Kota Mataram")
    return World(
        bali_village=bali,
        ntb_village=ntb,
        agency_a=agency_a,
        agency_b=agency_b,
        unit_a1=unit_a1,
        unit_a2=unit_a2,
        unit_b1=unit_b1,
        unit_b2=unit_b2,
        reporter=make_user(Role.REPORTER, first_name="Made", last_name="Sukerta", phone="081234567890"),
        other_reporter=make_user(Role.REPORTER, first_name="Lalu", last_name="Ahmad"),
        verifier=make_user(Role.VERIFIER),
        admin_a=make_user(Role.AGENCY_ADMIN, agency=agency_a),
        admin_b=make_user(Role.AGENCY_ADMIN, agency=agency_b),
        officer_a1=make_user(Role.UNIT_OFFICER, unit=unit_a1),
        officer_a2=make_user(Role.UNIT_OFFICER, unit=unit_a2),
        officer_b1=make_user(Role.UNIT_OFFICER, unit=unit_b1),
        observer=make_user(Role.OBSERVER, observes_all=True),
        sysadmin=make_user(Role.SYSADMIN),
        category=make_category(code="jalan-rusak", name="Jalan rusak"),
        archive_reason=make_archive_reason(code="spam", name="Spam"),
    )
