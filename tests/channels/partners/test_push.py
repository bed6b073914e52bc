"""Pushing reports: idempotent upsert by the partner's own id, clear refusals that store nothing,
and what a changed payload may still change."""

from __future__ import annotations

import pytest

from lapor.channels.partners.models import PartnerReport, WebhookDelivery
from lapor.complaints import services
from lapor.complaints.models import Channel, Report, ReportEvent, Status
from lapor.notifications.models import OutboxMessage

from ...api.conftest import assert_error
from .conftest import report_body


def push(api, key, external_id, body, **kw):
    return api.client.put(
        f"/api/v1/partners/reports/{external_id}", body if isinstance(body, (str, bytes)) else __import__("json").dumps(body),
        content_type="application/json", headers={"Authorization": f"Bearer {key}", **kw},
    )


def nothing_stored():
    return not (Report.objects.exists() or PartnerReport.objects.exists() or WebhookDelivery.objects.exists()
                or OutboxMessage.objects.exists())


def test_a_push_files_a_local_app_report_for_the_partners_agency(api, world, hendi):
    answer = push(api, hendi.key, "HENDI-7", report_body(world))
    assert answer.status_code == 201
    body = answer.json()
    report = Report.objects.get()
    assert body == {
        "tracking_id": report.tracking_id, "external_id": "HENDI-7", "status": "received", "result": "created",
        "applied": [], "ignored": [], "sandbox": False,
    }
    assert (report.channel, report.suggested_agency, report.reporter) == (Channel.LOCAL_APP, world.agency_a, None)
    assert PartnerReport.objects.get().report == report
    # the reporter is told the tracking id through the contact given, as for any report
    assert OutboxMessage.objects.filter(report=report, kind="report.submitted").exists()


def test_pushing_the_same_payload_twice_files_one_report(api, world, hendi):
    first = push(api, hendi.key, "HENDI-7", report_body(world))
    events = ReportEvent.objects.count()
    deliveries = WebhookDelivery.objects.count()
    # key order and spacing do not make it another payload
    again = push(api, hendi.key, "HENDI-7", dict(reversed(list(report_body(world).items()))))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["result"] == "unchanged"
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert Report.objects.count() == 1
    assert (ReportEvent.objects.count(), WebhookDelivery.objects.count()) == (events, deliveries)


def test_the_same_id_of_another_partner_is_another_report(api, world, hendi, paman):
    a = push(api, hendi.key, "X-1", report_body(world)).json()
    b = push(api, paman.key, "X-1", report_body(world)).json()
    assert a["tracking_id"] != b["tracking_id"] and Report.objects.count() == 2


@pytest.mark.parametrize(
    "raw,status,code,field",
    [
        ("{not json", 400, "malformed_json", None),
        ("[1, 2]", 400, "malformed_json", None),
        ('{"region": "51.71.01.1001"}', 422, "required", "text"),
        ('{"text": 5, "region": "51.71.01.1001"}', 422, "invalid", "text"),
    ],
)
def test_a_malformed_payload_is_refused_clearly_and_stores_nothing(api, world, hendi, raw, status, code, field):
    assert_error(push(api, hendi.key, "HENDI-1", raw), status, code, field)
    assert nothing_stored()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"category": "tidak-ada"}, "category"),
        ({"region": "99.99"}, "region"),
        ({"suggested_agency": "tidak-ada"}, "suggested_agency"),
        ({"text": "Terlalu pendek"}, "text"),
        ({"contact_phone": "12"}, "contact_phone"),
    ],
)
def test_a_payload_the_services_refuse_names_its_field_and_stores_nothing(api, world, hendi, change, field):
    body = assert_error(push(api, hendi.key, "HENDI-1", report_body(world, **change)), 400, "invalid", field)
    assert body["message"]
    assert nothing_stored()


def test_an_external_id_that_is_too_long_is_refused(api, world, hendi):
    assert_error(push(api, hendi.key, "X" * 101, report_body(world)), 400, "invalid", "external_id")
    assert nothing_stored()


def test_a_changed_payload_never_files_a_second_report_and_lists_what_it_ignored(api, world, hendi):
    push(api, hendi.key, "HENDI-7", report_body(world))
    report = Report.objects.get()
    changed = report_body(world, title="Judul lain", contact_name="Orang lain", is_confidential=False)
    answer = push(api, hendi.key, "HENDI-7", changed)
    assert answer.status_code == 200
    assert answer.json()["result"] == "ignored"
    assert answer.json()["ignored"] == ["contact_name", "title"]
    fresh = Report.objects.get()
    assert (fresh.pk, fresh.title, fresh.contact_name) == (report.pk, report.title, report.contact_name)
    # pushed again, it is looked at again and still changes nothing
    events = ReportEvent.objects.count()
    assert push(api, hendi.key, "HENDI-7", changed).json()["ignored"] == ["contact_name", "title"]
    assert (Report.objects.count(), ReportEvent.objects.count()) == (1, events)


def test_a_held_reports_new_text_resumes_it_as_the_citizens_completion(api, world, hendi):
    push(api, hendi.key, "HENDI-7", report_body(world))
    report = Report.objects.get()
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    services.report_hold(actor=world.admin_a, report=report.pk, question="Di tiang nomor berapa?")
    completed = report_body(world, text="Lampu penerangan jalan di tiang nomor 12 Jalan Sesetan mati sejak seminggu.")
    answer = push(api, hendi.key, "HENDI-7", completed).json()
    assert (answer["result"], answer["applied"], answer["status"]) == ("updated", ["text"], Status.DISPOSED)
    event = ReportEvent.objects.filter(report=report).latest("id")
    assert (event.type, event.actor_role, event.message) == ("report.resumed", "reporter", completed["text"])
    assert Report.objects.get().original_text == report.original_text  # the first words stay


def test_flags_are_switched_on_while_at_the_partners_agency_never_off(api, world, hendi):
    push(api, hendi.key, "HENDI-7", report_body(world))
    report = Report.objects.get()
    # before verification the agency may not edit: the wish is listed as ignored
    wish = report_body(world, is_anonymous=True, is_confidential=True)
    assert push(api, hendi.key, "HENDI-7", wish).json()["ignored"] == ["is_anonymous", "is_confidential"]
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    # the same payload again: the wish still stands and now applies
    answer = push(api, hendi.key, "HENDI-7", wish).json()
    assert (answer["result"], answer["applied"]) == ("updated", ["is_anonymous", "is_confidential"])
    assert push(api, hendi.key, "HENDI-7", wish).json()["result"] == "unchanged"
    fresh = Report.objects.get()
    assert fresh.is_anonymous and fresh.is_confidential
    edited = ReportEvent.objects.filter(report=report, type="report.edited").get()
    assert edited.actor == hendi.partner.officer and not edited.is_public
    answer = push(api, hendi.key, "HENDI-7", report_body(world)).json()
    assert answer["ignored"] == ["is_anonymous", "is_confidential"]
    assert Report.objects.filter(is_anonymous=True, is_confidential=True).exists()


def test_a_report_it_pushed_can_be_read_back(api, world, hendi):
    push(api, hendi.key, "HENDI-7", report_body(world))
    report = Report.objects.get()
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    body = api.get("/partners/reports/HENDI-7", token=hendi.key).json()
    assert (body["tracking_id"], body["external_id"], body["status"], body["agency"]) == (
        report.tracking_id, "HENDI-7", "disposed", world.agency_a.code
    )
    assert body["reporter"] == {"name": "Ni Luh Putu", "phone": "+6281234500001", "email": ""}
    assert [e["type"] for e in body["timeline"]] == ["report.submitted", "report.disposed"]
    assert_error(api.get("/partners/reports/HENDI-8", token=hendi.key), 404, "not_found")


def test_reading_by_tracking_id_covers_its_agency_only(api, world, hendi):
    from ...factories import make_report

    ours = make_report(reporter=world.reporter, region=world.bali_village)
    theirs = make_report(reporter=None, region=world.bali_village, is_anonymous=True)
    services.report_dispose(actor=world.verifier, report=ours.pk, agency=world.agency_a)
    services.report_dispose(actor=world.verifier, report=theirs.pk, agency=world.agency_b)
    body = api.get(f"/partners/agency/reports/{ours.tracking_id}", token=hendi.key).json()
    assert (body["external_id"], body["reporter"]["name"]) == (None, "Made Sukerta")
    assert_error(api.get(f"/partners/agency/reports/{theirs.tracking_id}", token=hendi.key), 404, "not_found")


def test_a_changed_payload_is_checked_like_a_new_report(api, world, hendi):
    push(api, hendi.key, "HENDI-7", report_body(world))
    events = ReportEvent.objects.count()
    assert_error(push(api, hendi.key, "HENDI-7", report_body(world, contact_email="bukan-surel")), 400, "invalid",
                 "contact_email")
    assert (Report.objects.count(), ReportEvent.objects.count()) == (1, events)
