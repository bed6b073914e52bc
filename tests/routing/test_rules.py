"""Category rules: topic and level of government pick the agency and its unit."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.test import override_settings

from lapor.accounts.models import Agency, Unit
from lapor.routing import rules
from lapor.routing.rules import route_by_rules

from ..factories import make_agency, make_category, make_region_chain


def unit(agency, code, unit_type) -> Unit:
    return Unit.objects.create(agency=agency, code=code, name=f"{code} {agency.name}", unit_type=unit_type)


@dataclass
class Map:
    sesetan: object
    jaksel: object
    bali: Agency
    denpasar: Agency
    dki: Agency
    kemenpu: Agency
    pln: Agency


@pytest.fixture
def places(db):
    sesetan = make_region_chain("51.71.01.1003", ("Bali", "Kota Denpasar", "Denpasar Selatan", "Sesetan"))
    jaksel = make_region_chain(
        "31.74.05.1001", ("Daerah Khusus Ibukota Jakarta", "Kota Administrasi Jakarta Selatan", "Kebayoran Baru", "Selong")
    )
    bali = make_agency(code="pemprov-bali", name="Pemerintah Provinsi Bali", kind=Agency.Kind.PROVINCE, region=sesetan.parent.parent.parent)
    denpasar = make_agency(code="pemkot-denpasar", name="Pemerintah Kota Denpasar", region=sesetan.parent.parent)
    dki = make_agency(code="pemprov-dki", name="Pemerintah Provinsi DKI Jakarta", kind=Agency.Kind.PROVINCE, region=jaksel.parent.parent.parent)
    kemenpu = make_agency(code="kemenpu", name="Kementerian Pekerjaan Umum", kind=Agency.Kind.MINISTRY)
    pln = make_agency(code="pln", name="PT PLN (Persero)", kind=Agency.Kind.SOE)
    make_agency(code="bpjs-kesehatan", name="BPJS Kesehatan", kind=Agency.Kind.INSTITUTION)
    unit(bali, "dinas-pupr", "public_works")
    unit(bali, "dinas-pendidikan", "education")
    unit(denpasar, "dinas-pupr", "public_works")
    unit(denpasar, "dinas-dukcapil", "civil_registry")
    unit(denpasar, "dinas-pendidikan", "education")
    unit(dki, "dinas-pupr", "public_works")
    unit(kemenpu, "bina-marga", "public_works")
    unit(kemenpu, "cipta-karya", "housing")
    unit(pln, "uid-jakarta-raya", "electricity")
    unit(pln, "uid-jawa-barat", "electricity")
    return Map(sesetan, jaksel, bali, denpasar, dki, kemenpu, pln)


def first(text, **kwargs):
    found = route_by_rules(text, **kwargs)
    assert found, "no rule fired"
    agency, unit_, reason = found[0]
    return agency.code, unit_.code if unit_ else None, reason


def test_a_national_road_goes_to_the_public_works_ministry(places):
    assert first("Jalan nasional lintas Denpasar–Gilimanuk berlubang besar")[:2] == ("kemenpu", "bina-marga")


def test_a_provincial_road_goes_to_the_province_of_the_place(places):
    agency, unit_code, reason = first("Jalan provinsi di Sesetan, Denpasar Selatan retak dan berlubang")
    assert (agency, unit_code) == ("pemprov-bali", "dinas-pupr")
    assert "provinsi" in reason


def test_a_village_road_goes_to_the_regency_public_works_unit(places):
    assert first("Jln desa di RT 03 rusak parah", region=places.sesetan)[:2] == ("pemkot-denpasar", "dinas-pupr")


def test_an_identity_card_goes_to_the_civil_registry_of_the_regency(places):
    assert first("KTP elektronik saya belum dicetak sejak 3 bulan", region=places.sesetan)[:2] == (
        "pemkot-denpasar", "dinas-dukcapil"
    )
    assert first("Mengurus Kartu Keluarga baru lama sekali", region=places.sesetan.code)[:2] == (
        "pemkot-denpasar", "dinas-dukcapil"
    )


def test_the_place_read_from_the_text_when_the_report_has_none(places):
    # Jakarta's administrative cities have no government of their own: the province answers,
    # and it has no civil registry unit in this database
    assert first("e-KTP saya di Jakarta Selatan belum jadi")[:2] == ("pemprov-dki", None)


def test_a_regional_rule_without_a_known_place_is_left_out(places):
    assert route_by_rules("KTP saya belum jadi") == []


def test_electricity_goes_to_pln_and_its_regional_unit_where_there_is_one(places):
    assert first("Listrik padam tiap malam", region=places.jaksel)[:2] == ("pln", "uid-jakarta-raya")
    assert first("Listrik padam tiap malam", region=places.sesetan)[:2] == ("pln", None)


def test_the_category_alone_fires_a_rule_through_its_parents(places):
    parent = make_category(code="kependudukan", name="Kependudukan")
    child = make_category(code="kependudukan-kk", name="Kartu Keluarga", parent=parent)
    assert first("Mohon dibantu, sudah lama menunggu", category=child, region=places.sesetan)[:2] == (
        "pemkot-denpasar", "dinas-dukcapil"
    )


def test_several_rules_give_several_suggestions_in_file_order(places):
    found = route_by_rules("Jalan nasional rusak dan kabel listrik putus", region=places.jaksel)
    assert [(a.code, u.code if u else None) for a, u, _r in found] == [("kemenpu", "bina-marga"), ("pln", "uid-jakarta-raya")]


def test_school_levels_go_to_their_government(places):
    assert first("SMA negeri menarik uang gedung", region=places.sesetan)[:2] == ("pemprov-bali", "dinas-pendidikan")
    assert first("SDN 3 kekurangan guru", region=places.sesetan)[:2] == ("pemkot-denpasar", "dinas-pendidikan")


def test_unless_phrases_veto_a_rule(places):
    found = route_by_rules("Jalan desa menuju jalan nasional rusak", region=places.sesetan)
    assert [a.code for a, _u, _r in found] == ["kemenpu"]


@pytest.mark.parametrize("text", ["Lampu taman kota mati", "Pelayanan ramah sekali, terima kasih"])
def test_no_topic_no_rule(places, text):
    assert route_by_rules(text, region=places.sesetan) == []


def test_words_inside_other_words_do_not_fire(places):
    # "kk" inside "kkn", "sd" inside "sdm": whole words only
    assert route_by_rules("Pelatihan SDM tentang KKN", region=places.sesetan) == []


def test_an_admins_rules_file_comes_first(places, tmp_path):
    extra = tmp_path / "rules.json"
    extra.write_text(json.dumps({"rules": [{
        "code": "listrik-desa", "when": ["listrik padam"], "government": "regency", "unit_type": "public_works",
        "reason": "Listrik desa dikelola pemda.",
    }]}), "utf-8")
    rules.rules.cache_clear()
    try:
        with override_settings(LAPOR={"ROUTING_RULES": str(extra)}):
            found = route_by_rules("Listrik padam", region=places.sesetan)
        assert [(a.code, r) for a, _u, r in found][:1] == [("pemkot-denpasar", "Listrik desa dikelola pemda.")]
        assert [a.code for a, _u, _r in found][1:] == ["pln"]
    finally:
        rules.rules.cache_clear()


def test_a_rule_must_name_an_agency_or_a_government():
    with pytest.raises(ValueError, match="either an agency or a government"):
        rules.Rule.from_data({"code": "x", "when": ["y"]})
