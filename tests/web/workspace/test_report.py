"""The report page: scope, identity, timeline, and each action by HTTP with its refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lapor.complaints import services
from lapor.complaints.models import Attachment, Report, ReportAssignment, Status

from ...complaints.flow import snapshot, walk_to
from ..conftest import html, png
from .conftest import detail_url, post_action


# --- reading --------------------------------------------------------------------------------------


def test_out_of_scope_is_404_for_reading_and_acting(world, client):
    report = walk_to(world, Status.DISPOSED)
    before = snapshot(report)
    client.force_login(world.admin_b)
    assert client.get(detail_url(report)).status_code == 404
    assert post_action(client, report, "forward", units=[world.unit_b1.pk]).status_code == 404
    assert snapshot(report) == before
    client.force_login(world.officer_a2)  # same agency, not assigned
    assert client.get(detail_url(walk_to(world, Status.FORWARDED))).status_code == 404


def test_reporters_and_the_public_cannot_open_it(world, client):
    report = walk_to(world, Status.DISPOSED)
    assert client.get(detail_url(report)).status_code == 302
    client.force_login(world.reporter)
    assert client.get(detail_url(report)).status_code == 404


def test_anonymous_reporter_stays_hidden(world, client):
    report = walk_to(world, Status.FORWARDED, is_anonymous=True, contact_phone="081299998888")
    client.force_login(world.admin_a)
    page = html(client.get(detail_url(report)))
    assert "Anonim" in page
    assert world.reporter.first_name not in page and world.reporter.phone not in page


def test_named_reporter_is_shown_to_staff(world, client):
    report = walk_to(world, Status.RECEIVED)
    client.force_login(world.verifier)
    page = html(client.get(detail_url(report)))
    assert world.reporter.get_full_name() in page and world.reporter.phone in page


def test_full_timeline_with_internal_events_and_staff_names(world, client):
    report = walk_to(world, Status.FORWARDED)
    services.report_edit(actor=world.verifier, report=report.pk, text="Teks yang sudah dirapikan oleh petugas verifikasi.",
                         note="Catatan internal verifikator")
    client.force_login(world.admin_a)
    page = html(client.get(detail_url(report)))
    assert "Laporan disunting petugas" in page and "(internal)" in page
    assert "Catatan internal verifikator" in page
    assert world.verifier.get_full_name() in page  # staff actors are named
    assert "Isi laporan asli" in page and report.original_text in page  # original beside the edit
    assert "Dinas PUPR Kota Denpasar" in page and "unit utama" in page


def test_observer_reads_without_action_forms(world, client):
    report = walk_to(world, Status.DISPOSED)
    client.force_login(world.observer)
    page = html(client.get(detail_url(report)))
    assert "akses baca saja" in page and 'name="action"' not in page


def test_forms_follow_the_lifecycle_table(world, client):
    report = walk_to(world, Status.RECEIVED)
    client.force_login(world.verifier)
    page = html(client.get(detail_url(report)))
    for action in ("dispose", "hold", "archive", "edit"):
        assert f'name="action" value="{action}"' in page
    assert 'value="forward"' not in page and 'value="follow_up"' not in page


def test_dispose_suggests_agencies_and_searches(world, client):
    from ...factories import make_agency

    make_agency(code="kemen-pupr", name="Kementerian Pekerjaan Umum", kind="ministry")
    world.category.agency_kinds = ["ministry", "city"]
    world.category.save()
    report = walk_to(world, Status.RECEIVED, category=world.category)
    client.force_login(world.verifier)
    page = html(client.get(detail_url(report)))
    assert "Pemerintah Kota Denpasar" in page and "Kementerian Pekerjaan Umum" in page
    assert "Pemerintah Kota Mataram" not in page
    page = html(client.get(detail_url(report) + "?cari_instansi=mataram"))
    assert "Pemerintah Kota Mataram" in page


def test_detail_runs_a_constant_number_of_queries(world, client, django_assert_max_num_queries, media):
    report = walk_to(world, Status.FORWARDED)
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(30) as few:
        client.get(detail_url(report))
    for _ in range(4):
        services.report_edit(actor=world.admin_a, report=report.pk, title=f"Judul {_}")
        from lapor.complaints.attachments import report_attach

        report_attach(actor=world.admin_a, report=report.pk, upload=png())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(detail_url(report))


# --- acting: success --------------------------------------------------------------------------------


def ok(client, user, report, action, **fields):
    client.force_login(user)
    response = post_action(client, report, action, **fields)
    assert response.status_code == 302, html(response)[:3000]
    return Report.objects.get(pk=report.pk)


def test_verifier_edits_and_disposes(world, client):
    report = walk_to(world, Status.RECEIVED)
    edited = ok(client, world.verifier, report, "edit", title="Jalan berlubang di Sesetan", text=report.text,
                region=world.bali_village.pk, is_confidential="on", note="Ditandai rahasia")
    assert edited.title == "Jalan berlubang di Sesetan" and edited.is_confidential
    assert edited.original_title == report.original_title
    disposed = ok(client, world.verifier, report, "dispose", agency=world.agency_a.code, note="")
    assert disposed.status == Status.DISPOSED and disposed.current_agency == world.agency_a


def test_verifier_holds_resumes_and_archives(world, client):
    report = walk_to(world, Status.RECEIVED)
    assert ok(client, world.verifier, report, "hold", question="Mohon lengkapi alamatnya.").status == Status.ON_HOLD
    assert ok(client, world.verifier, report, "resume", message="").status == Status.RECEIVED
    archived = ok(client, world.verifier, report, "archive", reason=world.archive_reason.pk, note="")
    assert archived.status == Status.ARCHIVED and archived.archive_reason == world.archive_reason


def test_agency_admin_forwards_returns_and_closes(world, client):
    report = walk_to(world, Status.DISPOSED)
    forwarded = ok(client, world.admin_a, report, "forward", units=[world.unit_a1.pk, world.unit_a2.pk],
                   lead=world.unit_a2.pk, note="")
    assert forwarded.status == Status.FORWARDED and forwarded.current_unit == world.unit_a2
    assert ReportAssignment.objects.filter(report=report, is_active=True).count() == 2
    client.force_login(world.admin_a)
    response = post_action(client, report, "return", reason="Jalan nasional, bukan wewenang kota.")
    assert response.status_code == 302 and response["Location"].endswith("/petugas/laporan/")  # out of scope now
    assert Report.objects.get(pk=report.pk).status == Status.RETURNED

    other = walk_to(world, Status.FOLLOWED_UP)
    assert ok(client, world.admin_a, other, "close", note="Selesai.").status == Status.COMPLETED


def test_unit_officer_follows_up_with_files(world, client, media):
    report = walk_to(world, Status.FORWARDED)
    client.force_login(world.officer_a1)
    response = client.post(
        detail_url(report),
        {"action": "follow_up", "follow_up-answer": "Lubang sudah ditambal oleh tim lapangan.",
         "follow_up-files": [png("hasil.png"), png("sesudah.png")]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.FOLLOWED_UP
    assert Attachment.objects.filter(report=report, uploaded_by=world.officer_a1).count() == 2


# --- acting: refusals ------------------------------------------------------------------------------


def test_unit_officer_cannot_dispose(world, refused):
    report = walk_to(world, Status.FORWARDED)
    refused(world.officer_a1, report, "dispose", 403, "tidak berwenang", agency=world.agency_b.code)


def test_observer_cannot_act(world, refused):
    report = walk_to(world, Status.FORWARDED)
    refused(world.observer, report, "follow_up", 403, "tidak berwenang", answer="Sudah kami tangani dengan baik.")
    refused(world.observer, report, "close", 403, "tidak berwenang", note="")


def test_wrong_state_is_a_conflict(world, refused):
    report = walk_to(world, Status.DISPOSED)
    refused(world.verifier, report, "dispose", 409, "tidak dapat dilakukan", agency=world.agency_b.code)
    refused(world.admin_a, report, "close", 409, "tidak dapat dilakukan", note="")


def test_transfer_limit_reached(world, refused, settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_TRANSFERS": 0}
    report = walk_to(world, Status.DISPOSED)
    refused(world.admin_a, report, "return", 409, "Batas pengalihan", reason="Bukan kewenangan pemerintah kota.")


def test_invalid_input_is_400_and_changes_nothing(world, refused, media):
    report = walk_to(world, Status.FORWARDED)
    refused(world.admin_a, report, "forward", 400, "Pilih minimal satu unit kerja.")
    refused(world.admin_a, report, "return", 400, "Alasan minimal 10 karakter.", reason="pendek")
    refused(world.admin_a, report, "edit", 400, "Tidak ada perubahan.", title=report.title, text=report.text)
    refused(world.admin_a, report, "forward", 400, "", units=[world.unit_b1.pk])  # another agency's unit
    bad = SimpleUploadedFile("virus.exe", b"MZ not an image", content_type="image/png")
    refused(world.officer_a1, report, "follow_up", 400, "tidak didukung",
            answer="Sudah ditangani oleh tim lapangan.", files=bad)


def test_follow_up_and_files_are_all_or_nothing(world, client, media, settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_ATTACHMENTS_PER_REPORT": 1}
    report = walk_to(world, Status.FORWARDED)
    from lapor.complaints.attachments import report_attach

    report_attach(actor=world.admin_a, report=report.pk, upload=png())
    before = snapshot(report)
    client.force_login(world.officer_a1)
    response = client.post(
        detail_url(report),
        {"action": "follow_up", "follow_up-answer": "Lubang sudah ditambal oleh tim lapangan.",
         "follow_up-files": [png("hasil.png")]},
    )
    assert response.status_code == 400 and "paling banyak 1 lampiran" in html(response)
    assert snapshot(report) == before


def test_staff_cannot_lift_anonymity(world, client):
    report = walk_to(world, Status.RECEIVED, is_anonymous=True)
    client.force_login(world.verifier)
    before = snapshot(report)
    response = post_action(client, report, "edit", title=report.title, text=report.text)  # checkbox off
    assert response.status_code == 400 and "Tidak ada perubahan." in html(response)
    assert snapshot(report) == before


def test_unknown_action_is_refused(world, client):
    report = walk_to(world, Status.RECEIVED)
    client.force_login(world.verifier)
    before = snapshot(report)
    assert client.post(detail_url(report), {"action": "merge"}).status_code == 400
    assert snapshot(report) == before


@pytest.mark.parametrize("language, text", [("en", "Your role may not")])
def test_refusal_in_english(world, client, language, text):
    report = walk_to(world, Status.FORWARDED)
    client.cookies["django_language"] = language
    client.force_login(world.officer_a1)
    response = post_action(client, report, "dispose", agency=world.agency_b.code)
    assert response.status_code == 403 and text in html(response)
