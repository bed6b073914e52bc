"""Near-duplicates: the same matter filed again is found despite small edits, and only nearby."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from lapor.complaints.models import Report
from lapor.complaints.models import Status as S
from lapor.routing.duplicates import find_duplicates, normalized, similarity

from ..complaints.flow import walk_to
from ..factories import make_region_chain, make_report

ORIGINAL = (
    "Jalan di depan SDN 4 Sesetan berlubang besar sejak bulan Maret. Kalau hujan lubangnya tertutup air "
    "sehingga pengendara motor sering jatuh. Sudah dua kali warga melapor ke kelurahan tetapi belum ada perbaikan."
)
EDITS = {
    "typos": (
        "Jalan di depan SDN 4 Sesetan berlubng besar sejak bulan Maret. Kalau hujan lubangnya tertutup air "
        "sehinga pengendara motor sering jatu. Sudah dua kali warga melapor ke kelurahan tetapi belum ada perbaikan."
    ),
    "reordered": (
        "Sudah dua kali warga melapor ke kelurahan tetapi belum ada perbaikan. Jalan di depan SDN 4 Sesetan "
        "berlubang besar sejak bulan Maret. Kalau hujan lubangnya tertutup air sehingga pengendara motor sering jatuh."
    ),
    "greetings": (
        "Assalamualaikum, selamat pagi Bapak/Ibu admin LAPOR. " + ORIGINAL + " Mohon segera ditindaklanjuti. Terima kasih."
    ),
    "sms": (
        "jalan di depan sdn 4 sesetan berlubang besar sejak bulan maret. kalau hujan lubangnya tertutup air "
        "sehingga pengendara motor sering jatuh. sdh dua kali warga melapor ke kelurahan tp blm ada perbaikan"
    ),
}
OTHER_MATTER = (
    "Lampu penerangan jalan di Gang Mawar mati sudah dua minggu sehingga warga takut keluar malam. "
    "Mohon petugas memeriksa kabel dan menggantinya."
)
# Same words, another school and another month: another pothole
SAME_WORDS_OTHER_PLACE = ORIGINAL.replace("SDN 4 Sesetan", "SDN 9 Pedungan").replace("Maret", "Juni")


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_small_edits_keep_the_score_high(edit):
    assert similarity(ORIGINAL, EDITS[edit], places=lambda _t: ()) >= 0.7


def test_another_matter_scores_low():
    assert similarity(ORIGINAL, OTHER_MATTER, places=lambda _t: ()) < 0.2


def test_other_numbers_and_other_places_lower_the_score():
    plain = similarity(ORIGINAL, SAME_WORDS_OTHER_PLACE, places=lambda _t: ())
    placed = similarity(ORIGINAL, SAME_WORDS_OTHER_PLACE, places=lambda t: {"sesetan"} if "Sesetan" in t else {"pedungan"})
    assert placed < plain < 1
    assert placed < 0.6  # below the duplicate threshold


def test_greetings_and_sms_spellings_are_normalised_away():
    assert normalized("Selamat pagi Bapak/Ibu, jalan yg rusak blm diperbaiki. Terima kasih.") == (
        "jalan yang rusak belum diperbaiki"
    )


@pytest.fixture
def original(world):
    return make_report(reporter=world.reporter, text=ORIGINAL, region=world.bali_village, category=world.category)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_find_duplicates_finds_the_report_filed_again(world, original, edit):
    again = make_report(reporter=world.other_reporter, text=EDITS[edit], region=world.bali_village)
    found = find_duplicates(again)
    assert [r.pk for r, _s in found] == [original.pk]
    assert 0.6 <= found[0][1] <= 1


def test_another_village_of_the_same_regency_counts(world, original):
    nearby = make_region_chain("51.71.02.1002", ("Bali", "Kota Denpasar", "Denpasar Barat", "Pemecutan"))
    again = make_report(reporter=world.other_reporter, text=EDITS["typos"], region=nearby)
    assert [r.pk for r, _s in find_duplicates(again)] == [original.pk]


def test_not_across_regencies(world, original):
    badung = make_region_chain("51.03.01.2001", ("Bali", "Kabupaten Badung", "Kuta Selatan", "Jimbaran"))
    elsewhere = make_report(reporter=world.other_reporter, text=ORIGINAL, region=badung)
    other_province = make_report(reporter=world.other_reporter, text=ORIGINAL, region=world.ntb_village)
    assert find_duplicates(elsewhere) == [] and find_duplicates(other_province) == []


def test_not_outside_the_window(world, original):
    Report.objects.filter(pk=original.pk).update(created_at=timezone.now() - timedelta(days=31))
    again = make_report(reporter=world.other_reporter, text=ORIGINAL, region=world.bali_village)
    assert find_duplicates(again) == []
    assert [r.pk for r, _s in find_duplicates(again, days=40)] == [original.pk]
    with override_settings(LAPOR={"DUPLICATE_WINDOW_DAYS": 45}):
        assert [r.pk for r, _s in find_duplicates(again)] == [original.pk]


def test_not_another_matter_nor_a_report_without_place(world, original):
    assert find_duplicates(make_report(reporter=world.other_reporter, text=OTHER_MATTER, region=world.bali_village)) == []
    assert find_duplicates(make_report(reporter=world.other_reporter, text=ORIGINAL)) == []


def test_archived_and_merged_reports_are_not_offered(world, original, duplicate_reason):
    from lapor.complaints import handling

    main = walk_to(world, S.DISPOSED, text=EDITS["typos"])
    handling.report_merge(actor=world.verifier, report=original, into=main)  # original is now merged
    archived = walk_to(world, S.ARCHIVED, text=EDITS["reordered"])
    again = make_report(reporter=world.other_reporter, text=EDITS["sms"], region=world.bali_village)
    found = [r.pk for r, _s in find_duplicates(again)]
    assert main.pk in found and original.pk not in found and archived.pk not in found


def test_best_first_and_limited(world, original):
    close = make_report(reporter=world.other_reporter, text=EDITS["typos"], region=world.bali_village)
    again = make_report(reporter=world.other_reporter, text=ORIGINAL, region=world.bali_village)
    found = find_duplicates(again)
    assert [r.pk for r, _s in found] == [original.pk, close.pk]
    assert found[0][1] >= found[1][1]
    assert len(find_duplicates(again, limit=1)) == 1


@pytest.fixture
def duplicate_reason(db):
    from ..factories import make_archive_reason

    return make_archive_reason(code="duplikat", name="Duplikat")
