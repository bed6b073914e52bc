"""The reference-data command: complete official regions, generated agencies, idempotent runs."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from lapor.accounts.models import Agency, TimeZone, Unit
from lapor.complaints.models import ArchiveReason, Category
from lapor.reference import services
from lapor.regions.models import Region

_ALL_REGIONS = None


def official_regions():
    global _ALL_REGIONS
    if _ALL_REGIONS is None:
        _ALL_REGIONS = services._official_regions()
    return _ALL_REGIONS


@pytest.fixture
def some_provinces(monkeypatch):
    """Bali, Papua and DKI Jakarta only, so a load takes a fraction of a second."""
    subset = [dict(r) for r in official_regions() if r["code"][:2] in {"51", "91", "31"}]
    monkeypatch.setattr(services, "_official_regions", lambda: [dict(r) for r in subset])
    return subset


def snapshot():
    return {
        "regions": list(Region.objects.order_by("code").values_list("code", "name", "parent_id", "postal_code")),
        "agencies": list(Agency.objects.order_by("code").values_list("code", "name", "kind", "parent__code", "region_id", "time_zone")),
        "units": list(Unit.objects.order_by("agency__code", "code").values_list("agency__code", "code", "name", "unit_type")),
        "categories": list(Category.objects.order_by("code").values_list("code", "name", "parent__code", "agency_kinds", "unit_types")),
        "reasons": list(ArchiveReason.objects.order_by("code").values_list("code", "name")),
    }


def test_the_official_data_set_is_complete_and_consistent():
    rows = official_regions()
    per_level = Counter(r["level"] for r in rows)
    assert per_level == {1: 38, 2: 514, 3: 7285, 4: 83762}
    codes = {r["code"] for r in rows}
    assert all(r["parent_id"] in codes for r in rows if r["level"] > 1)
    assert all(r["code"].startswith(r["parent_id"] + ".") for r in rows if r["level"] > 1)
    denpasar = next(r for r in rows if r["code"] == "51.71")
    assert (denpasar["name"], denpasar["kind"]) == ("Kota Denpasar", "kota")
    assert sum(1 for r in rows if r["level"] == 4 and r["postal_code"]) > 80000


@pytest.mark.django_db
def test_second_run_changes_nothing_and_says_so(some_provinces):
    first = StringIO()
    call_command("reference-data", stdout=first)
    before = snapshot()
    second = StringIO()
    call_command("reference-data", stdout=second)

    assert snapshot() == before
    lines = {line.split()[0]: line.split()[1:] for line in second.getvalue().splitlines()[1:6]}
    for kind in ("regions", "agencies", "units", "categories", "archive_reasons"):
        total, created, updated, unchanged = map(int, lines[kind])
        assert (created, updated) == (0, 0)
        assert unchanged == total > 0
    assert first.getvalue().splitlines()[1].split()[:3] == ["regions", str(len(some_provinces)), str(len(some_provinces))]


@pytest.mark.django_db
def test_regional_governments_are_generated_from_the_regions(some_provinces):
    services.load_reference_data()
    bali = Agency.objects.get(region_id="51")
    assert bali.name == "Pemerintah Provinsi Bali"
    assert bali.kind == Agency.Kind.PROVINCE and bali.time_zone == TimeZone.WITA
    regencies_in_bali = Agency.objects.filter(parent=bali)
    assert regencies_in_bali.count() == Region.objects.filter(parent_id="51").count() == 9
    denpasar = Agency.objects.get(region_id="51.71")
    assert (denpasar.name, denpasar.kind, denpasar.parent) == ("Pemerintah Kota Denpasar", "city", bali)
    assert Agency.objects.get(region_id="91").time_zone == TimeZone.WIT
    # Jakarta's administrative cities belong to the province: no agency of their own.
    assert Agency.objects.filter(region_id="31").exists()
    assert not Agency.objects.filter(region__code__startswith="31.").exists()
    # Typical units, named after their government; civil registry at the city, not the province.
    assert denpasar.units.filter(unit_type="civil_registry", name__endswith="Kota Denpasar").exists()
    assert not bali.units.filter(unit_type="civil_registry").exists()
    assert bali.units.filter(name__endswith="Provinsi Bali").count() == bali.units.count() > 10


@pytest.mark.django_db
def test_national_agencies_categories_and_reasons_are_loaded(some_provinces):
    services.load_reference_data()
    kinds = Counter(Agency.objects.values_list("kind", flat=True))
    assert kinds["ministry"] >= 34 and kinds["institution"] >= 60
    for kind in ("oversight", "soe", "university", "mission"):
        assert kinds[kind] >= 2
    assert Agency.objects.filter(name="Ombudsman Republik Indonesia", kind="oversight").exists()
    kemendagri = Agency.objects.get(name="Kementerian Dalam Negeri")
    assert kemendagri.units.exists()
    top = Category.objects.filter(parent=None)
    assert top.count() == 38
    assert Category.objects.filter(parent__parent__isnull=False).exists(), "a third level exists"
    kependudukan = Category.objects.get(name="Kependudukan", parent=None)
    assert "civil_registry" in kependudukan.unit_types
    assert ArchiveReason.objects.filter(code="spam").exists()


@pytest.mark.django_db
def test_admin_edits_survive_a_reload_unless_update_is_asked(some_provinces):
    services.load_reference_data()
    category = Category.objects.get(name="Kependudukan", parent=None)
    category.name = "Administrasi Kependudukan"
    category.save()
    agency = Agency.objects.get(region_id="51.71")
    agency.decree_number = "188.45/123/HK/2025"
    agency.admin_account_active = True
    agency.save()

    services.load_reference_data()
    category.refresh_from_db()
    agency.refresh_from_db()
    assert category.name == "Administrasi Kependudukan"
    assert agency.connectivity_group == Agency.Connectivity.GROUP_I

    result = services.load_reference_data(update=True)
    category.refresh_from_db()
    agency.refresh_from_db()
    assert category.name == "Kependudukan"
    assert result.tallies["categories"].updated == 1
    # Connectivity facts are the agency's, never reset by the data files.
    assert agency.decree_number == "188.45/123/HK/2025"


def test_connectivity_groups_follow_decree_and_account():
    agency = Agency(name="X", code="x", kind="city")
    assert agency.connectivity_group == "III"
    agency.decree_number = "SK 1/2025"
    assert agency.connectivity_group == "II"
    agency.admin_account_active = True
    assert agency.connectivity_group == "I"


def test_every_category_names_known_agency_kinds_and_unit_types():
    import json
    from importlib import resources

    unit_types = set()
    for units in json.loads(resources.files("lapor.reference").joinpath("data", "regional_units.json").read_text()).values():
        unit_types |= {u["unit_type"] for u in units}
    for agency in services._data("national_agencies.json"):
        unit_types |= {u["unit_type"] for u in agency.get("units", [])}
    kinds = set(Agency.Kind.values)
    flat = services._flatten_categories(services._data("categories.json"))
    assert len({row["code"] for row in flat}) == len(flat), "category codes are unique"
    for row in flat:
        assert set(row["agency_kinds"]) <= kinds, row["code"]
        assert row["unit_types"], row["code"]
