"""Agencies that review a unit's answer before the reporter sees it."""

import pytest

from lapor.complaints import review, services
from lapor.complaints.models import AnswerDraft, ReportEvent
from lapor.complaints.models import Status as S
from lapor.core.errors import Conflict, PermissionDenied
from lapor.notifications.models import OutboxMessage

from .flow import assert_refused, walk_to


@pytest.fixture
def reviewing(world):
    world.agency_a.review_answers = True
    world.agency_a.save()
    return world


def test_a_unit_cannot_publish_directly_where_answers_are_reviewed(reviewing):
    world = reviewing
    report = walk_to(world, S.FORWARDED)
    assert_refused(Conflict, report, lambda: services.report_follow_up(
        actor=world.officer_a1, report=report, answer="Lubang sudah ditambal kemarin sore."
    ))


def test_a_proposed_answer_waits_hidden_and_the_admin_is_told(reviewing):
    world = reviewing
    report = walk_to(world, S.FORWARDED)

    draft = review.answer_propose(actor=world.officer_a1, report=report, text="Lubang ditambal besok pagi.")

    assert (draft.state, draft.unit, draft.author) == (AnswerDraft.State.PENDING, world.unit_a1, world.officer_a1)
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert event.type == "report.answer_proposed" and event.is_public is False
    assert OutboxMessage.objects.filter(report=report, user=world.admin_a, kind="report.answer_proposed").exists()
    report.refresh_from_db()
    assert report.status == S.FORWARDED
    assert_refused(Conflict, report, lambda: review.answer_propose(
        actor=world.officer_a1, report=report, text="Jawaban kedua sebelum yang pertama ditinjau."
    ))


def test_the_admin_publishes_the_draft_as_the_follow_up(reviewing):
    world = reviewing
    report = walk_to(world, S.FORWARDED)
    draft = review.answer_propose(actor=world.officer_a1, report=report, text="Lubang ditambal besok pagi.")

    report = review.answer_publish(actor=world.admin_a, report=report, text="Lubang ditambal Selasa pagi.")

    assert report.status == S.FOLLOWED_UP
    published = ReportEvent.objects.filter(report=report, type="report.followed_up").get()
    assert published.is_public and published.message == "Lubang ditambal Selasa pagi."
    draft.refresh_from_db()
    assert (draft.state, draft.reviewed_by) == (AnswerDraft.State.PUBLISHED, world.admin_a)


def test_the_admin_returns_a_draft_with_a_note_and_the_unit_is_told(reviewing):
    world = reviewing
    report = walk_to(world, S.FORWARDED)
    review.answer_propose(actor=world.officer_a1, report=report, text="Sudah ditangani oleh dinas.")

    draft = review.answer_return(actor=world.admin_a, report=report, note="Sebutkan tanggal pengerjaan.")

    assert (draft.state, draft.review_note) == (AnswerDraft.State.RETURNED, "Sebutkan tanggal pengerjaan.")
    assert OutboxMessage.objects.filter(report=report, user=world.officer_a1, kind="report.answer_returned").exists()
    # the unit may now propose a better answer
    review.answer_propose(actor=world.officer_a1, report=report, text="Ditambal Selasa, 10 pagi, oleh tim jalan.")


def test_publishing_needs_a_pending_draft_and_the_right_agency(reviewing):
    world = reviewing
    report = walk_to(world, S.FORWARDED)
    assert_refused(Conflict, report, lambda: review.answer_publish(actor=world.admin_a, report=report))
    review.answer_propose(actor=world.officer_a1, report=report, text="Lubang ditambal besok pagi.")
    assert_refused(PermissionDenied, report, lambda: review.answer_publish(actor=world.admin_b, report=report))
    assert AnswerDraft.objects.get(report=report).state == AnswerDraft.State.PENDING


def test_without_review_a_unit_publishes_directly(world):
    report = walk_to(world, S.FORWARDED)
    report = services.report_follow_up(actor=world.officer_a1, report=report, answer="Lubang sudah ditambal kemarin.")
    assert report.status == S.FOLLOWED_UP
