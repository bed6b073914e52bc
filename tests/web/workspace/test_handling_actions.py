"""The report page's handling actions by HTTP: notes, interim answers, transfers, flags, merges.

Each role that may act succeeds; the wrong role, the wrong agency and the wrong state are
refused with the service's message and nothing changed.
"""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from lapor.complaints import handling
from lapor.complaints.models import Report, ReportEvent, Status

from ...complaints.flow import snapshot, walk_to
from ...factories import make_archive_reason
from ..conftest import html, public_report
from .conftest import detail_url, post_action


def ok(client, user, report, action, **fields):
    client.force_login(user)
    response = post_action(client, report, action, **fields)
    assert response.status_code == 302, html(response)[:3000]
    return Report.objects.get(pk=report.pk)


def page_of(client, user, report) -> str:
    client.force_login(user)
    response = client.get(detail_url(report))
    assert response.status_code == 200
    return html(response)


LAPOR_TWO = {"MAX_TRANSFERS": 2}


# --- internal notes -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["verifier", "admin_a", "officer_a1"])
def test_staff_add_internal_notes_shown_as_internal(world, client, who):
    report = walk_to(world, Status.FORWARDED)
    ok(client, getattr(world, who), report, "note", note="Sudah dicek ke lapangan oleh tim.")
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert event.type == "report.note_added" and event.is_public is False
    page = page_of(client, world.admin_a, report)
    assert "Sudah dicek ke lapangan oleh tim." in page and "(internal)" in page


def test_note_form_follows_the_lifecycle(world, client):
    report = walk_to(world, Status.FORWARDED)
    assert 'value="note"' in page_of(client, world.officer_a1, report)
    assert 'value="note"' not in page_of(client, world.observer, report)


def test_note_refusals(world, client, refused):
    report = walk_to(world, Status.FORWARDED)
    refused(world.observer, report, "note", 403, note="Catatan pengawas")
    refused(world.admin_b, report, "note", 404, note="Catatan instansi lain")
    refused(world.officer_a2, report, "note", 404, note="Catatan unit lain")
    refused(world.admin_a, report, "note", 400, "minimal", note="ab")
    held = walk_to(world, Status.ON_HOLD)
    refused(world.officer_a1, held, "note", 409, note="Catatan saat laporan ditunda")


# --- interim answers ------------------------------------------------------------------------------


def _tomorrow_plus(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("who", ["admin_a", "officer_a1"])
def test_interim_answer_moves_the_completion_deadline(world, client, who):
    report = walk_to(world, Status.FORWARDED)
    day = _tomorrow_plus(20)
    done = ok(client, getattr(world, who), report, "interim", answer="Perbaikan menunggu anggaran bulan depan.",
              expected_date=day, reason="Anggaran pemeliharaan belum cair.")
    assert done.status == Status.FORWARDED
    assert timezone.localtime(done.completion_due_at, done.completion_due_at.tzinfo).date().isoformat() == day
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert event.type == "report.interim_answer" and event.is_public


def test_interim_refusals(world, client, refused):
    report = walk_to(world, Status.FORWARDED)
    fields = dict(answer="Perbaikan menunggu anggaran bulan depan.", expected_date=_tomorrow_plus(10),
                  reason="Anggaran pemeliharaan belum cair.")
    refused(world.verifier, report, "interim", 403, **fields)
    refused(world.admin_b, report, "interim", 404, **fields)
    past = dict(fields, expected_date=timezone.localdate().isoformat())
    refused(world.admin_a, report, "interim", 400, "setelah hari ini", **past)
    refused(world.admin_a, report, "interim", 400, "Alasan minimal", **dict(fields, reason="singkat"))
    followed = walk_to(world, Status.FOLLOWED_UP)
    refused(world.admin_a, followed, "interim", 409, **fields)


# --- transfers ------------------------------------------------------------------------------------


def test_admin_transfers_straight_to_another_agency(world, client):
    report = walk_to(world, Status.FORWARDED)
    page = page_of(client, world.admin_a, report)
    assert 'id="transfer-count"' in page and "0 kali dari batas 3 kali" in page
    page = html(client.get(detail_url(report) + "?cari_instansi=mataram"))
    assert "Pemerintah Kota Mataram" in page
    done = ok(client, world.admin_a, report, "transfer", agency=world.agency_b.code,
              reason="Lokasi jalan ada di wilayah Kota Mataram.")
    assert (done.status, done.current_agency, done.transfer_count) == (Status.DISPOSED, world.agency_b, 1)
    assert done.current_unit is None
    # The old agency lost it; the new agency's admin has it, with the count shown.
    client.force_login(world.admin_a)
    assert client.get(detail_url(report)).status_code == 404
    assert "1 kali dari batas 3 kali" in page_of(client, world.admin_b, report)


def test_the_verifier_intervenes_on_an_overdue_report_by_transferring_it(world, client):
    report = walk_to(world, Status.FORWARDED)
    done = ok(client, world.verifier, report, "transfer", agency=world.agency_b.code,
              reason="Dinas kota tidak menanggapi; dialihkan ke Kota Mataram.")
    assert (done.status, done.current_agency, done.transfer_count) == (Status.DISPOSED, world.agency_b, 1)


def test_transfer_refusals(world, client, refused):
    report = walk_to(world, Status.FORWARDED)
    fields = dict(agency=world.agency_b.code, reason="Lokasi jalan ada di wilayah Kota Mataram.")
    refused(world.officer_a1, report, "transfer", 403, **fields)
    refused(world.observer, report, "transfer", 403, **fields)
    refused(world.admin_b, report, "transfer", 404, **fields)
    refused(world.admin_a, report, "transfer", 400, "sama dengan instansi saat ini",
            **dict(fields, agency=world.agency_a.code))
    refused(world.admin_a, report, "transfer", 400, **dict(fields, agency="tidak-ada"))
    followed = walk_to(world, Status.FOLLOWED_UP)
    refused(world.admin_a, followed, "transfer", 409, **fields)


@override_settings(LAPOR={**__import__("django.conf").conf.settings.LAPOR, **LAPOR_TWO})
def test_transfer_limit_reached_is_refused(world, client, refused):
    report = walk_to(world, Status.DISPOSED)
    handling.report_transfer(actor=world.admin_a, report=report.pk, agency=world.agency_b,
                             reason="Lokasi jalan ada di wilayah Kota Mataram.")
    handling.report_transfer(actor=world.admin_b, report=report.pk, agency=world.agency_a,
                             reason="Ternyata lokasi ada di Kota Denpasar.")
    assert "2 kali dari batas 2 kali" in page_of(client, world.admin_a, report)
    refused(world.admin_a, report, "transfer", 409, "Batas pengalihan (2 kali)",
            agency=world.agency_b.code, reason="Lokasi jalan ada di wilayah Kota Mataram.")


# --- inspectorate -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["verifier", "admin_a"])
def test_flag_to_the_inspectorate_is_shown_with_its_reason(world, client, who):
    report = walk_to(world, Status.FORWARDED)
    done = ok(client, getattr(world, who), report, "flag", reason="Ada dugaan pungutan liar oleh petugas.")
    assert done.flagged_at is not None and done.flag_reason == "Ada dugaan pungutan liar oleh petugas."
    page = page_of(client, world.observer, report)
    assert "Diteruskan ke inspektorat" in page and "Ada dugaan pungutan liar oleh petugas." in page
    assert 'value="flag"' not in page_of(client, world.admin_a, report)  # flagged once


def test_flag_refusals(world, client, refused):
    report = walk_to(world, Status.FORWARDED)
    fields = dict(reason="Ada dugaan pungutan liar oleh petugas.")
    refused(world.officer_a1, report, "flag", 403, **fields)
    refused(world.observer, report, "flag", 403, **fields)
    refused(world.admin_b, report, "flag", 404, **fields)
    handling.report_flag(actor=world.verifier, report=report.pk, reason="Dugaan suap dalam proses perizinan.")
    refused(world.admin_a, report, "flag", 409, "sudah diteruskan", **fields)
    archived = walk_to(world, Status.ARCHIVED)
    refused(world.admin_a, archived, "flag", 409, **fields)


# --- merging duplicates -------------------------------------------------------------------------


@pytest.fixture
def duplicate_reason(db):
    return make_archive_reason(code=handling.DUPLICATE_REASON, name="Duplikat")


def test_verifier_merges_by_tracking_id_and_the_main_case_lists_it(world, client, duplicate_reason):
    main = walk_to(world, Status.DISPOSED)
    dup = walk_to(world, Status.RECEIVED)
    done = ok(client, world.verifier, dup, "merge", into=main.tracking_id.lower())
    assert done.status == Status.ARCHIVED and done.merged_into == main and done.archive_reason == duplicate_reason
    page = page_of(client, world.admin_a, main)
    assert 'id="duplicates"' in page and dup.tracking_id in page
    assert main.tracking_id in page_of(client, world.verifier, dup)


def test_similar_public_reports_are_offered_as_merge_targets(world, client, duplicate_reason):
    text = "Jalan utama di depan pasar Sesetan berlubang besar dan membahayakan pengendara motor."
    main = public_report(world, text=text, title="Jalan berlubang depan pasar")
    dup = walk_to(world, Status.RECEIVED, text=text, category=world.category)
    page = page_of(client, world.verifier, dup)
    assert f'id="merge-into-{main.tracking_id}"' in page and "gabungkan ke laporan ini" in page
    client.post(detail_url(dup), {"action": "merge", "merge-into": main.tracking_id})
    assert Report.objects.get(pk=dup.pk).merged_into_id == main.pk


def test_merge_refusals(world, client, refused, duplicate_reason):
    main = walk_to(world, Status.DISPOSED)
    dup = walk_to(world, Status.RECEIVED)
    refused(world.admin_a, dup, "merge", 404, into=main.tracking_id)  # not in the agency's scope yet
    disposed = walk_to(world, Status.DISPOSED)
    refused(world.admin_a, disposed, "merge", 403, into=main.tracking_id)
    refused(world.verifier, disposed, "merge", 409, into=main.tracking_id)  # wrong state
    refused(world.verifier, dup, "merge", 400, "tidak ditemukan", into="LAP-0000-0000")
    refused(world.verifier, dup, "merge", 400, "dirinya sendiri", into=dup.tracking_id)
    archived = walk_to(world, Status.ARCHIVED)
    refused(world.verifier, dup, "merge", 409, "sudah diarsipkan", into=archived.tracking_id)
