"""Sandbox partners: the same API and the same refusals, and nothing reaches real work."""

from __future__ import annotations

import json

from lapor.channels.partners.delivery import deliver_webhooks
from lapor.channels.partners.models import PartnerFollowUp, SandboxReport, WebhookDelivery
from lapor.complaints.models import Report, ReportEvent
from lapor.notifications.models import OutboxMessage

from ...api.conftest import assert_error
from .conftest import Receiver, report_body


def push(api, key, external_id, body):
    return api.client.put(
        f"/api/v1/partners/reports/{external_id}", json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def no_real_work():
    return not (Report.objects.exists() or ReportEvent.objects.exists() or OutboxMessage.objects.exists())


def test_a_sandbox_push_is_kept_apart_and_idempotent(api, world, sandbox_partner):
    first = push(api, sandbox_partner.key, "T-1", report_body(world))
    again = push(api, sandbox_partner.key, "T-1", report_body(world))
    assert (first.status_code, again.status_code, again.json()["result"]) == (201, 200, "unchanged")
    body = first.json()
    assert body["sandbox"] and body["tracking_id"].startswith("SBX-") and body["status"] == "received"
    assert body["tracking_id"] == again.json()["tracking_id"]
    assert SandboxReport.objects.count() == 1
    assert no_real_work()  # no verifier, list, statistic or reporter message sees it


def test_a_sandbox_push_is_refused_for_the_same_reasons(api, world, sandbox_partner):
    assert_error(push(api, sandbox_partner.key, "T-1", report_body(world, category="tidak-ada")), 400, "invalid", "category")
    assert_error(push(api, sandbox_partner.key, "T-1", report_body(world, text="Pendek")), 400, "invalid", "text")
    assert_error(push(api, sandbox_partner.key, "T-1", report_body(world, contact_email="bukan-surel")), 400, "invalid",
                 "contact_email")
    assert not SandboxReport.objects.exists() and not WebhookDelivery.objects.exists()
    assert no_real_work()


def test_a_sandbox_report_walks_the_lifecycle_and_its_changes_reach_the_receiver(api, world, sandbox_partner):
    created = push(api, sandbox_partner.key, "T-1", report_body(world)).json()
    key = sandbox_partner.key
    # a follow-up before disposition is refused as for a real report
    assert_error(api.post("/partners/followups", {"followup_id": "F-1", "external_id": "T-1", "answer": "Sudah ditangani."},
                          token=key), 409, "invalid_state")
    assert api.post("/partners/sandbox/reports/T-1/simulate", {"step": "dispose"}, token=key).json()["status"] == "disposed"
    assert_error(api.post("/partners/sandbox/reports/T-1/simulate", {"step": "dispose"}, token=key), 409, "invalid_state")
    answer = api.post("/partners/followups", {"followup_id": "F-1", "external_id": "T-1", "answer": "Sudah ditangani."},
                      token=key)
    assert (answer.status_code, answer.json()["status"], answer.json()["sandbox"]) == (201, "followed_up", True)
    again = api.post("/partners/followups", {"followup_id": "F-1", "external_id": "T-1", "answer": "Sudah ditangani."},
                     token=key)
    assert again.json()["result"] == "unchanged" and PartnerFollowUp.objects.count() == 1
    api.post("/partners/sandbox/reports/T-1/simulate", {"step": "close", "message": "Selesai."}, token=key)
    read = api.get("/partners/reports/T-1", token=key).json()
    assert (read["status"], read["sandbox"]) == ("completed", True)
    assert [e["type"] for e in read["timeline"]] == [
        "report.submitted", "report.disposed", "report.followed_up", "report.closed"
    ]
    receiver = Receiver(secrets={sandbox_partner.partner.webhook_url: sandbox_partner.secret})
    deliver_webhooks(transport=receiver)
    assert [(p["type"], p["sandbox"], p["report"]["tracking_id"]) for p in receiver.received] == [
        (t, True, created["tracking_id"]) for t in ("report.submitted", "report.disposed", "report.followed_up", "report.closed")
    ]
    feed = api.get("/partners/changes", token=key).json()["items"]
    assert [i["delivery_id"] for i in feed] == [p["delivery_id"] for p in receiver.received]
    assert no_real_work()


def test_a_held_sandbox_report_is_resumed_by_a_new_text(api, world, sandbox_partner):
    key = sandbox_partner.key
    push(api, key, "T-1", report_body(world))
    for step in ("dispose", "hold"):
        api.post("/partners/sandbox/reports/T-1/simulate", {"step": step}, token=key)
    answer = push(api, key, "T-1", report_body(world, text="Lampu di tiang nomor 12 Jalan Sesetan mati sejak seminggu.")).json()
    assert (answer["result"], answer["applied"], answer["status"]) == ("updated", ["text"], "disposed")


def test_simulation_is_for_sandbox_partners_and_known_steps(api, world, hendi, sandbox_partner):
    assert_error(api.post("/partners/sandbox/reports/X/simulate", {"step": "dispose"}, token=hendi.key), 409,
                 "not_sandbox")
    assert_error(api.post("/partners/sandbox/reports/X/simulate", {"step": "fly"}, token=sandbox_partner.key), 422,
                 "invalid", "step")
    assert_error(api.post("/partners/sandbox/reports/X/simulate", {"step": "dispose"}, token=sandbox_partner.key), 404,
                 "not_found")


def test_a_sandbox_partner_reads_no_real_report(api, world, sandbox_partner, hendi):
    from lapor.complaints import services

    from ...factories import make_report

    report = make_report(reporter=world.reporter, region=world.bali_village)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    assert_error(api.get(f"/partners/agency/reports/{report.tracking_id}", token=sandbox_partner.key), 404, "not_found")
    assert api.get("/partners/changes", token=sandbox_partner.key).json()["items"] == []
