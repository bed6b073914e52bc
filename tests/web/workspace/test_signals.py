"""The report page shows red flags and possible duplicates; merging goes through the service;
priority reports lead the queue."""

from __future__ import annotations

import pytest

from lapor.complaints.filing import report_file
from lapor.complaints.models import Priority, Report, ReportEvent, Status

from ...complaints.flow import walk, walk_to
from ...factories import make_archive_reason, make_report
from ..conftest import html
from .conftest import detail_url, list_url

TEXT = (
    "Lampu penerangan jalan di Jalan Raya Sesetan mati total sejak tanggal 3, sepanjang 200 meter gelap "
    "dan sudah ada dua kejadian jambret. Mohon segera diperbaiki."
)
AGAIN = (
    "Selamat pagi Bapak/Ibu. Lampu penerangan jalan di Jalan Raya Sesetan mati total sejak tanggal 3, "
    "sepanjang 200 meter gelap dan sdh ada dua kejadian jambret. Mohon segera diperbaiki, terima kasih."
)
EXTORTION = "Petugas loket samsat meminta uang pelicin Rp200.000 supaya STNK saya cepat selesai diproses."


def page(client, user, report) -> str:
    client.force_login(user)
    response = client.get(detail_url(report))
    assert response.status_code == 200
    return html(response)


@pytest.fixture
def pair(world):
    make_archive_reason(code="duplikat", name="Duplikat")
    main = walk_to(world, Status.DISPOSED, text=TEXT, category=world.category)
    again = make_report(reporter=world.other_reporter, text=AGAIN, region=world.bali_village, category=world.category)
    return main, again


def test_the_verifier_sees_possible_duplicates_with_scores_and_merges_one(world, client, pair):
    main, again = pair
    shown = page(client, world.verifier, again)
    assert 'id="possible-duplicates"' in shown and "Kemungkinan duplikat" in shown
    assert main.tracking_id in shown and "kemiripan" in shown and f'id="merge-into-{main.tracking_id}"' in shown

    response = client.post(detail_url(again), {"action": "merge", "merge-into": main.tracking_id})

    assert response.status_code == 302
    merged = Report.objects.get(pk=again.pk)
    assert merged.merged_into_id == main.pk and merged.status == Status.ARCHIVED
    assert ReportEvent.objects.filter(report=main, type="report.duplicate_merged").exists()
    # once merged it offers nothing more
    assert 'id="possible-duplicates"' not in page(client, world.verifier, merged)


def test_the_list_leaves_out_what_the_user_may_not_see_and_nothing_is_offered_to_unit_officers(world, client, pair):
    main, again = pair
    admin_page = page(client, world.admin_a, main)  # the agency holds `main`, not `again` (unverified)
    assert again.tracking_id not in admin_page
    forwarded = walk(world, main, ["forward"])
    assert 'id="possible-duplicates"' not in page(client, world.officer_a1, forwarded)


def test_a_different_matter_is_not_offered(world, client, pair):
    main, _again = pair
    other = make_report(reporter=world.other_reporter, region=world.bali_village,
                        text="Pendaftaran KTP elektronik di kantor kecamatan lambat, blangko habis sejak bulan lalu.")
    assert main.tracking_id not in page(client, world.verifier, other)


def test_red_flags_are_shown_to_the_verifier_and_not_to_unit_officers(world, client):
    report = report_file(reporter=world.reporter, text=EXTORTION, region=world.bali_village).report
    shown = page(client, world.verifier, report)
    assert 'id="red-flags"' in shown and "Dugaan pungutan liar atau pemerasan" in shown and "uang pelicin" in shown
    assert 'id="priority"' in shown and 'id="flagged"' in shown
    forwarded = walk(world, report, ["dispose", "forward"])
    unit_page = page(client, world.officer_a1, forwarded)
    assert 'id="red-flags"' not in unit_page


def test_priority_reports_lead_the_verifiers_queue_with_a_mark(world, client):
    first = make_report(reporter=world.reporter, region=world.bali_village)
    second = make_report(reporter=world.reporter, region=world.bali_village)
    Report.objects.filter(pk=second.pk).update(priority=Priority.HIGH)
    client.force_login(world.verifier)
    listing = html(client.get(list_url()))
    assert listing.index(second.tracking_id) < listing.index(first.tracking_id)
    assert 'class="priority"' in listing


def test_the_inspectorate_finds_the_flagged_report_in_its_tab(world, client):
    from lapor.accounts.models import Role

    from ...factories import make_user

    inspectorate = make_user(Role.OBSERVER)
    inspectorate.observed_agencies.add(world.agency_a)
    flagged = report_file(reporter=world.reporter, text=EXTORTION, region=world.bali_village).report
    plain = make_report(reporter=world.reporter, region=world.bali_village)
    client.force_login(inspectorate)
    listing = html(client.get(list_url(tab="inspektorat")))
    assert flagged.tracking_id in listing and plain.tracking_id not in listing
