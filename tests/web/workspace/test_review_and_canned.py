"""Review before publication, canned answers, the agency settings page and the inspectorate tab."""

import pytest
from django.urls import reverse

from lapor.accounts.models import Agency
from lapor.complaints import handling, review, services
from lapor.complaints.models import AnswerDraft, CannedAnswer, Report, Status

from ...complaints.flow import snapshot, walk_to
from ..conftest import html
from .conftest import detail_url, list_url, post_action

SETTINGS = "/petugas/instansi/pengaturan/"
ANSWER = "Jalan sudah ditambal oleh tim lapangan kemarin sore."


@pytest.fixture
def reviewing(world):
    world.agency_a.review_answers = True
    world.agency_a.save()
    return world


def page_of(client, user, report) -> str:
    client.force_login(user)
    response = client.get(detail_url(report))
    assert response.status_code == 200
    return html(response)


def drafts(report):
    return list(AnswerDraft.objects.filter(report=report).values_list("state", "text", "review_note"))


# --- review before publication ------------------------------------------------------------------


def test_unit_proposes_instead_of_publishing_where_review_is_on(reviewing, client):
    world = reviewing
    report = walk_to(world, Status.FORWARDED)
    page = page_of(client, world.officer_a1, report)
    assert "Ajukan jawaban untuk ditinjau" in page and 'value="follow_up"' not in page
    response = post_action(client, report, "propose", answer=ANSWER)
    assert response.status_code == 302
    assert drafts(report) == [(AnswerDraft.State.PENDING, ANSWER, "")]
    assert Report.objects.get(pk=report.pk).status == Status.FORWARDED
    page = page_of(client, world.officer_a1, report)
    assert 'id="draft-pending"' in page and 'value="propose"' not in page


def test_without_review_the_unit_publishes_and_sees_no_propose(world, client):
    report = walk_to(world, Status.FORWARDED)
    page = page_of(client, world.officer_a1, report)
    assert 'value="follow_up"' in page and 'value="propose"' not in page


def test_unit_direct_follow_up_refused_where_review_is_on(reviewing, client, refused):
    world = reviewing
    report = walk_to(world, Status.FORWARDED)
    refused(world.officer_a1, report, "follow_up", 409, "ajukan jawaban untuk ditinjau", answer=ANSWER)


def test_admin_publishes_the_draft_optionally_edited(reviewing, client):
    world = reviewing
    report = walk_to(world, Status.FORWARDED)
    review.answer_propose(actor=world.officer_a1, report=report.pk, text=ANSWER)
    page = page_of(client, world.admin_a, report)
    assert 'id="publish-submit"' in page and "Kembalikan ke unit" in page and ANSWER in page
    edited = "Jalan sudah ditambal dan diaspal ulang oleh tim lapangan."
    response = post_action(client, report, "publish", text=edited)
    assert response.status_code == 302
    done = Report.objects.get(pk=report.pk)
    assert done.status == Status.FOLLOWED_UP
    assert done.events.filter(type="report.followed_up", message=edited).exists()
    assert drafts(report)[0][0] == AnswerDraft.State.PUBLISHED


def test_admin_returns_the_draft_with_a_note_the_unit_sees(reviewing, client):
    world = reviewing
    report = walk_to(world, Status.FORWARDED)
    review.answer_propose(actor=world.officer_a1, report=report.pk, text=ANSWER)
    client.force_login(world.admin_a)
    response = post_action(client, report, "review", note="Sebutkan tanggal penambalan.")
    assert response.status_code == 302
    assert drafts(report) == [(AnswerDraft.State.RETURNED, ANSWER, "Sebutkan tanggal penambalan.")]
    page = page_of(client, world.officer_a1, report)
    assert "Sebutkan tanggal penambalan." in page and 'value="propose"' in page


def test_review_refusals(reviewing, client, refused):
    world = reviewing
    report = walk_to(world, Status.FORWARDED)
    # Nothing pending yet.
    refused(world.admin_a, report, "publish", 409, "menunggu tinjauan", text="")
    refused(world.admin_a, report, "review", 409, note="Perbaiki jawabannya.")
    review.answer_propose(actor=world.officer_a1, report=report.pk, text=ANSWER)
    before = drafts(report)
    refused(world.officer_a1, report, "publish", 403, text="")  # the unit cannot approve its own draft
    refused(world.officer_a1, report, "review", 403, note="Perbaiki jawabannya.")
    refused(world.admin_b, report, "publish", 404, text="")
    refused(world.admin_b, report, "review", 404, note="Perbaiki jawabannya.")
    refused(world.verifier, report, "review", 403, note="Perbaiki jawabannya.")
    refused(world.officer_a1, report, "propose", 409, "menunggu tinjauan", answer=ANSWER)
    assert drafts(report) == before


# --- canned answers in the answer forms --------------------------------------------------------


def test_canned_answer_fills_the_follow_up_without_js(world, client):
    canned = handling.canned_answer_save(actor=world.admin_a, title="Sudah ditambal", body=ANSWER)
    report = walk_to(world, Status.FORWARDED)
    page = page_of(client, world.officer_a1, report)
    assert 'id="id_follow_up-canned"' in page and 'id="follow_up-use-canned"' in page
    assert 'id="canned-answers"' in page and "workspace.js" in page
    before = snapshot(report)
    response = client.post(detail_url(report), {"action": "follow_up", "follow_up-canned": canned.pk,
                                                "follow_up-answer": "", "use_canned": "1"})
    assert response.status_code == 200 and snapshot(report) == before
    assert f"{ANSWER}</textarea>" in html(response)


def test_canned_answer_fills_the_interim_form_keeping_other_fields(world, client):
    canned = handling.canned_answer_save(actor=world.admin_a, title="Menunggu anggaran", body=ANSWER)
    report = walk_to(world, Status.FORWARDED)
    client.force_login(world.admin_a)
    response = client.post(detail_url(report), {
        "action": "interim", "interim-canned": canned.pk, "interim-answer": "", "interim-reason": "Alasan saya",
        "interim-expected_date": "2099-01-31", "use_canned": "1",
    })
    page = html(response)
    assert f"{ANSWER}</textarea>" in page and "Alasan saya" in page and 'value="2099-01-31"' in page


def test_other_agencies_canned_answers_are_not_offered(world, client):
    handling.canned_answer_save(actor=world.admin_b, title="Jawaban Mataram", body=ANSWER)
    report = walk_to(world, Status.FORWARDED)
    page = page_of(client, world.officer_a1, report)
    assert "Jawaban Mataram" not in page and 'id="id_follow_up-canned"' not in page


# --- agency settings page ------------------------------------------------------------------------


def test_settings_page_is_for_agency_admins_only(world, client):
    for user in (world.verifier, world.officer_a1, world.observer, world.reporter):
        client.force_login(user)
        assert client.get(SETTINGS).status_code == 404
    client.force_login(world.admin_a)
    page = html(client.get(SETTINGS))
    assert world.agency_a.name in page and reverse("web:staff_agency_settings") == SETTINGS
    assert SETTINGS in html(client.get(list_url()))


def test_admin_toggles_review_for_own_agency(world, client):
    client.force_login(world.admin_a)
    response = client.post(SETTINGS, {"action": "review_setting", "setting-review_answers": "on"})
    assert response.status_code == 302
    assert Agency.objects.get(pk=world.agency_a.pk).review_answers
    assert not Agency.objects.get(pk=world.agency_b.pk).review_answers
    client.post(SETTINGS, {"action": "review_setting"})
    assert not Agency.objects.get(pk=world.agency_a.pk).review_answers


def test_canned_answers_crud_scoped_to_the_agency(world, client):
    client.force_login(world.admin_a)
    response = client.post(SETTINGS, {"action": "canned_save", "canned-title": "Sudah ditambal", "canned-body": ANSWER})
    assert response.status_code == 302
    canned = CannedAnswer.objects.get(agency=world.agency_a)
    assert "Sudah ditambal" in html(client.get(SETTINGS))
    assert ANSWER in html(client.get(f"{SETTINGS}?ubah={canned.pk}"))
    response = client.post(SETTINGS, {"action": "canned_save", "pk": canned.pk, "canned-title": "Selesai",
                                      "canned-body": ANSWER + " Terima kasih."})
    canned.refresh_from_db()
    assert (canned.title, canned.body) == ("Selesai", ANSWER + " Terima kasih.")
    # A duplicate title is refused with the service's message.
    CannedAnswer.objects.create(agency=world.agency_a, title="Lain", body=ANSWER)
    response = client.post(SETTINGS, {"action": "canned_save", "canned-title": "Lain", "canned-body": ANSWER})
    assert response.status_code == 409 and "sudah dipakai" in html(response)
    # Another agency's admin can neither see, edit nor delete it.
    client.force_login(world.admin_b)
    assert "Selesai" not in html(client.get(SETTINGS))
    assert client.get(f"{SETTINGS}?ubah={canned.pk}").status_code == 404
    assert client.post(SETTINGS, {"action": "canned_save", "pk": canned.pk, "canned-title": "Milik saya",
                                  "canned-body": ANSWER}).status_code == 404
    assert client.post(SETTINGS, {"action": "canned_delete", "pk": canned.pk}).status_code == 404
    canned.refresh_from_db()
    assert canned.title == "Selesai"
    # Its own admin deletes it.
    client.force_login(world.admin_a)
    assert client.post(SETTINGS, {"action": "canned_delete", "pk": canned.pk}).status_code == 302
    assert not CannedAnswer.objects.filter(pk=canned.pk).exists()


def test_canned_answer_form_errors(world, client):
    client.force_login(world.admin_a)
    response = client.post(SETTINGS, {"action": "canned_save", "canned-title": "", "canned-body": "pendek"})
    assert response.status_code == 400 and not CannedAnswer.objects.exists()


# --- inspectorate tab ----------------------------------------------------------------------------


def test_inspectorate_tab_lists_flagged_reports_in_scope(world, client):
    flagged_a = walk_to(world, Status.FORWARDED)
    flagged_b = walk_to(world, Status.DISPOSED, agency=world.agency_b)
    plain = walk_to(world, Status.FORWARDED)
    handling.report_flag(actor=world.admin_a, report=flagged_a.pk, reason="Ada dugaan pungutan liar oleh petugas.")
    handling.report_flag(actor=world.verifier, report=flagged_b.pk, reason="Dugaan suap dalam proses perizinan.")
    for user, seen, unseen in (
        (world.observer, [flagged_a, flagged_b], [plain]),
        (world.verifier, [flagged_a, flagged_b], [plain]),
        (world.admin_a, [flagged_a], [plain, flagged_b]),
    ):
        client.force_login(user)
        assert "tab=inspektorat" in html(client.get(list_url()))
        page = html(client.get(list_url(tab="inspektorat")))
        assert "Diteruskan ke inspektorat" in page
        for r in seen:
            assert r.tracking_id in page
        for r in unseen:
            assert r.tracking_id not in page
        assert {r.tracking_id for r in seen} == set(
            handling.flagged_reports(user).values_list("tracking_id", flat=True)
        )
    client.force_login(world.officer_a1)
    assert "tab=inspektorat" not in html(client.get(list_url()))


# --- query count ---------------------------------------------------------------------------------


def test_report_page_queries_stay_bounded(reviewing, client, django_assert_max_num_queries):
    world = reviewing
    for n in range(2):
        handling.canned_answer_save(actor=world.admin_a, title=f"Baku {n}", body=ANSWER)
    report = walk_to(world, Status.FORWARDED)
    review.answer_propose(actor=world.officer_a1, report=report.pk, text=ANSWER)
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(40) as few:
        assert client.get(detail_url(report)).status_code == 200
    for n in range(5):
        handling.canned_answer_save(actor=world.admin_a, title=f"Baku lagi {n}", body=ANSWER)
        handling.report_note(actor=world.admin_a, report=report.pk, note=f"Catatan {n}")
    handling.report_flag(actor=world.admin_a, report=report.pk, reason="Ada dugaan pungutan liar oleh petugas.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(detail_url(report)).status_code == 200


def test_verifier_page_with_duplicates_and_candidates_stays_bounded(world, client, django_assert_max_num_queries):
    from ...factories import make_archive_reason

    make_archive_reason(code=handling.DUPLICATE_REASON, name="Duplikat")
    main = walk_to(world, Status.RECEIVED)
    client.force_login(world.verifier)
    with django_assert_max_num_queries(40) as few:
        client.get(detail_url(main))
    for _ in range(4):
        handling.report_merge(actor=world.verifier, report=walk_to(world, Status.RECEIVED).pk, into=main)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = html(client.get(detail_url(main)))
    assert page.count("/petugas/laporan/LAP-") >= 4
