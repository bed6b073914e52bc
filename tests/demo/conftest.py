"""A tiny hand-built world: two regencies/cities of Bali, three agencies, a few categories."""

import pytest
from django.db import connections, transaction

from lapor.accounts.models import Agency, Unit
from lapor.complaints.models import ArchiveReason, Category
from lapor.regions.models import Region


def _region(code, name, level, kind):
    parent = code.rsplit(".", 1)[0] if "." in code else None
    return Region.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The same world for a whole module, rolled back at its end (for read-only checks)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
        # Leave no session behind: PostgreSQL cannot drop a test database someone still uses.
        connections.close_all()


def build_world():
    _region("51", "Bali", 1, "provinsi")
    _region("51.71", "Kota Denpasar", 2, "kota")
    _region("51.71.01", "Denpasar Selatan", 3, "kecamatan")
    _region("51.71.01.1001", "Sesetan", 4, "kelurahan")
    _region("51.71.01.1002", "Pedungan", 4, "kelurahan")
    _region("51.03", "Kabupaten Badung", 2, "kabupaten")
    _region("51.03.01", "Kuta Selatan", 3, "kecamatan")
    _region("51.03.01.2001", "Jimbaran", 4, "desa")
    denpasar = Agency.objects.create(
        code="pemkot-denpasar", name="Pemerintah Kota Denpasar", short_name="Pemkot Denpasar",
        kind=Agency.Kind.CITY, region_id="51.71", time_zone="Asia/Makassar",
    )
    # A government without units: its admin answers reports directly.
    Agency.objects.create(
        code="pemkab-badung", name="Pemerintah Kabupaten Badung", short_name="Pemkab Badung",
        kind=Agency.Kind.REGENCY, region_id="51.03", time_zone="Asia/Makassar",
    )
    kemenkes = Agency.objects.create(code="kemenkes", name="Kementerian Kesehatan", short_name="Kemenkes", kind=Agency.Kind.MINISTRY)
    Agency.objects.create(code="ombudsman", name="Ombudsman Republik Indonesia", kind=Agency.Kind.OVERSIGHT)
    for code, name, unit_type in (
        ("dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang Kota Denpasar", "public_works"),
        ("dinas-dukcapil", "Dinas Kependudukan dan Pencatatan Sipil Kota Denpasar", "civil_registry"),
        ("dinas-kesehatan", "Dinas Kesehatan Kota Denpasar", "health"),
        ("inspektorat", "Inspektorat Daerah Kota Denpasar", "inspectorate"),
    ):
        Unit.objects.create(agency=denpasar, code=code, name=name, unit_type=unit_type)
    Unit.objects.create(agency=kemenkes, code="ditjen-yankes", name="Direktorat Jenderal Pelayanan Kesehatan", unit_type="hospital")
    Unit.objects.create(agency=kemenkes, code="ditjen-p2p", name="Direktorat Jenderal Pencegahan dan Pengendalian Penyakit", unit_type="health")

    local = ["province", "regency", "city"]
    pupr = Category.objects.create(code="pupr", name="Pekerjaan Umum dan Penataan Ruang", agency_kinds=["ministry", *local], unit_types=["public_works"])
    Category.objects.create(code="pupr-jalan-kabupaten-kota", name="Jalan Kabupaten/Kota", parent=pupr, agency_kinds=["regency", "city"], unit_types=["public_works"])
    Category.objects.create(code="pupr-pju", name="Penerangan Jalan Umum", parent=pupr)  # inherits its parent's hints
    ktp = Category.objects.create(code="kependudukan", name="Kependudukan", agency_kinds=["regency", "city"], unit_types=["civil_registry"])
    Category.objects.create(code="kependudukan-ktp", name="KTP Elektronik", parent=ktp)
    health = Category.objects.create(code="kesehatan", name="Kesehatan", agency_kinds=["ministry", *local], unit_types=["health", "hospital"])
    Category.objects.create(code="kesehatan-rumah-sakit", name="Pelayanan Rumah Sakit", parent=health, agency_kinds=["ministry", *local], unit_types=["hospital"])
    # No agency has a social unit here: forwarding falls back to another unit.
    Category.objects.create(code="sosial-kesejahteraan-bansos-pkh", name="Program Keluarga Harapan (PKH)", agency_kinds=["ministry", "regency", "city"], unit_types=["social"])
    ArchiveReason.objects.create(code="spam", name="Spam")
    ArchiveReason.objects.create(code="tidak-dilengkapi", name="Tidak dilengkapi pelapor dalam batas waktu")
    return {"denpasar": denpasar, "kemenkes": kemenkes}
