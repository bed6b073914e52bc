"""Answers written in a partner's back office: posted by its officer, only for its agency's
reports, once per follow-up id."""

from __future__ import annotations

from lapor.accounts.models import Role
from lapor.channels.partners.models import PartnerFollowUp
from lapor.complaints import services
from lapor.complaints.models import Report, ReportEvent, Status

from ...api.conftest import assert_error
from ...factories import make_report
from .conftest import report_body

ANSWER = "Lampu sudah diganti oleh Dinas Perhubungan kemarin sore."


def pushed_and_disposed(api, world, hendi, external_id="HENDI-7", agency=None) -> Report:
    assert api.client.put(
        f"/api/v1/partners/reports/{external_id}", report_body(world), content_type="application/json",
        headers={"Authorization": f"Bearer {hendi.key}"},
    ).status_code == 201
    report = Report.objects.get(partner_link__external_id=external_id)
    return services.report_dispose(actor=world.verifier, report=report.pk, agency=agency or world.agency_a)


def follow_up(api, key, **body):
    body.setdefault("followup_id", "TL-1")
    body.setdefault("answer", ANSWER)
    return api.post("/partners/followups", body, token=key)


def test_an_answer_is_posted_by_the_partners_officer(api, world, hendi):
    report = pushed_and_disposed(api, world, hendi)
    answer = follow_up(api, hendi.key, external_id="HENDI-7", officer_name="Budi (Dishub)")
    assert answer.status_code == 201
    event = ReportEvent.objects.filter(report=report, type="report.followed_up").get()
    assert answer.json() == {
        "tracking_id": report.tracking_id, "external_id": "HENDI-7", "followup_id": "TL-1",
        "status": Status.FOLLOWED_UP, "result": "created", "event_id": event.pk, "sandbox": False,
    }
    assert (event.actor, event.actor_role, event.message) == (hendi.partner.officer, Role.AGENCY_ADMIN, ANSWER)
    assert hendi.partner.officer.agency == world.agency_a and not hendi.partner.officer.is_active
    assert PartnerFollowUp.objects.get().officer_name == "Budi (Dishub)"


def test_the_same_follow_up_twice_is_one_answer(api, world, hendi):
    report = pushed_and_disposed(api, world, hendi)
    first = follow_up(api, hendi.key, external_id="HENDI-7")
    again = follow_up(api, hendi.key, external_id="HENDI-7")
    assert (first.status_code, again.status_code, again.json()["result"]) == (201, 200, "unchanged")
    assert again.json()["event_id"] == first.json()["event_id"]
    assert ReportEvent.objects.filter(report=report, type="report.followed_up").count() == 1


def test_a_follow_up_id_reused_for_another_answer_is_refused(api, world, hendi):
    pushed_and_disposed(api, world, hendi)
    follow_up(api, hendi.key, external_id="HENDI-7")
    assert_error(follow_up(api, hendi.key, external_id="HENDI-7", answer="Jawaban yang lain sama sekali."), 409,
                 "followup_id_reused", "followup_id")


def test_any_report_at_its_agency_can_be_answered_by_tracking_id(api, world, hendi):
    report = make_report(reporter=world.reporter, region=world.bali_village)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    answer = follow_up(api, hendi.key, tracking_id=report.tracking_id.lower().replace("-", ""))
    assert answer.status_code == 201 and answer.json()["external_id"] is None
    assert Report.objects.get(pk=report.pk).status == Status.FOLLOWED_UP


def test_reports_of_another_agency_cannot_be_answered(api, world, hendi):
    # one filed elsewhere and at agency B: not found, whatever the partner guesses
    theirs = make_report(reporter=world.reporter, region=world.bali_village)
    services.report_dispose(actor=world.verifier, report=theirs.pk, agency=world.agency_b)
    assert_error(follow_up(api, hendi.key, tracking_id=theirs.tracking_id), 404, "not_found")
    # its own report, sent to agency B by the verifier: refused as outside its agency
    own = pushed_and_disposed(api, world, hendi, agency=world.agency_b)
    assert_error(follow_up(api, hendi.key, followup_id="TL-2", external_id="HENDI-7"), 403, "forbidden")
    assert not ReportEvent.objects.filter(type="report.followed_up").exists()
    assert not PartnerFollowUp.objects.exists()
    assert Report.objects.get(pk=own.pk).status == Status.DISPOSED


def test_a_report_not_yet_verified_takes_no_answer(api, world, hendi):
    api.client.put(
        "/api/v1/partners/reports/HENDI-7", report_body(world), content_type="application/json",
        headers={"Authorization": f"Bearer {hendi.key}"},
    )
    assert_error(follow_up(api, hendi.key, external_id="HENDI-7"), 403, "forbidden")  # not at its agency yet
    assert not PartnerFollowUp.objects.exists()


def test_a_closed_report_takes_no_answer(api, world, hendi):
    report = pushed_and_disposed(api, world, hendi)
    follow_up(api, hendi.key, external_id="HENDI-7")
    services.report_close(actor=world.admin_a, report=report.pk)
    assert_error(follow_up(api, hendi.key, followup_id="TL-2", external_id="HENDI-7"), 409, "invalid_state")


def test_an_answer_needs_one_report_and_enough_words(api, world, hendi):
    report = pushed_and_disposed(api, world, hendi)
    assert_error(follow_up(api, hendi.key), 400, "invalid", "external_id")
    assert_error(follow_up(api, hendi.key, external_id="HENDI-7", tracking_id=report.tracking_id), 400, "invalid",
                 "external_id")
    assert_error(follow_up(api, hendi.key, external_id="HENDI-7", answer="Ok."), 400, "invalid", "answer")
    assert_error(api.post("/partners/followups", {"external_id": "HENDI-7"}, token=hendi.key), 422, "required",
                 "followup_id")
    assert not PartnerFollowUp.objects.exists()
