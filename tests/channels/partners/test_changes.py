"""The changes partners are owed: written with the events (single and bulk paths), scoped to
the partner, naming no anonymous or confidential reporter, and the pull feed over them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from lapor.channels.partners.models import WebhookDelivery
from lapor.complaints import handling, services
from lapor.complaints.models import ReportEvent
from lapor.sla.sweep import close_unanswered, escalate_late

from ...api.conftest import assert_error
from ...factories import make_report


def rows(partner) -> list[dict]:
    return list(WebhookDelivery.objects.filter(partner=partner).order_by("id").values_list("payload", flat=True))


def types(partner) -> list[str]:
    return [p["type"] for p in rows(partner)]


def filed(world, **kw):
    kw.setdefault("region", world.bali_village)
    return make_report(reporter=kw.pop("reporter", world.reporter), **kw)


def test_an_agencys_partner_gets_the_public_changes_while_the_report_is_there(world, hendi, paman):
    report = filed(world)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_b)
    handling.report_note(actor=world.admin_b, report=report.pk, note="Internal: cek lokasi.")
    services.report_return(actor=world.admin_b, report=report.pk, reason="Jalan ini kewenangan kota lain.")
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    services.report_follow_up(actor=world.admin_a, report=report.pk, answer="Sudah diperbaiki minggu ini.")
    # B saw it arrive and leave (not the internal note), A from its arrival on; nobody the submission
    assert types(paman.partner) == ["report.disposed", "report.returned"]
    assert types(hendi.partner) == ["report.disposed", "report.followed_up"]
    answer = rows(hendi.partner)[-1]
    assert answer["message"] == "Sudah diperbaiki minggu ini."
    assert answer["report"] == {
        "tracking_id": report.tracking_id, "external_id": None, "status": "followed_up",
        "previous_status": "disposed", "agency": world.agency_a.code, "unit": None, "is_anonymous": False,
        "is_confidential": False,
    }
    assert answer["reporter"] == {"name": "Made Sukerta", "phone": world.reporter.phone, "email": world.reporter.email}
    assert answer["event_id"] == ReportEvent.objects.get(report=report, type="report.followed_up").pk


def test_a_transfer_away_is_announced_to_the_agency_it_left(world, hendi, paman):
    report = filed(world)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    handling.report_transfer(actor=world.admin_a, report=report.pk, agency=world.agency_b,
                             reason="Ini kewenangan Kota Mataram, bukan kami.")
    assert types(hendi.partner) == ["report.disposed", "report.transferred"]
    assert types(paman.partner) == ["report.transferred"]


@pytest.mark.parametrize("flags", [{"is_anonymous": True}, {"is_confidential": True}])
def test_anonymous_and_confidential_reporters_are_named_nowhere(world, hendi, flags):
    report = filed(world, reporter=None, contact_name="Ketut", contact_phone="081234500002", **flags)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    (payload,) = rows(hendi.partner)
    assert payload["reporter"] is None
    assert "Ketut" not in str(payload) and "81234500002" not in str(payload)


def test_sandbox_and_inactive_partners_get_no_real_changes(world, sandbox_partner, hendi):
    hendi.partner.is_active = False
    hendi.partner.save()
    report = filed(world)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    assert not WebhookDelivery.objects.exists()


def test_a_change_that_rolls_back_leaves_no_row(world, hendi):
    report = filed(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
        assert WebhookDelivery.objects.count() == 1  # written in the transaction of the change
        raise RuntimeError("the request failed after the change")
    assert not WebhookDelivery.objects.exists()


def test_the_sweeps_bulk_paths_are_covered(world, hendi):
    reports = [filed(world) for _ in range(3)]
    for r in reports:
        services.report_dispose(actor=world.verifier, report=r.pk, agency=world.agency_a)
        services.report_follow_up(actor=world.admin_a, report=r.pk, answer="Sudah ditangani minggu ini.")
    later = timezone.now() + timedelta(days=40)
    assert close_unanswered(now=later) == 3
    closing = [p for p in rows(hendi.partner) if p["type"] == "report.closed_by_system"]
    assert sorted(p["report"]["tracking_id"] for p in closing) == sorted(r.tracking_id for r in reports)
    assert {p["event_id"] for p in closing} == set(
        ReportEvent.objects.filter(type="report.closed_by_system").values_list("id", flat=True)
    )


def test_internal_bulk_events_cost_no_row(world, hendi):
    report = filed(world)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    before = WebhookDelivery.objects.count()
    assert escalate_late(now=timezone.now() + timedelta(days=30))["escalated_to_coordinator"] == 1
    assert ReportEvent.objects.filter(type="report.escalated").exists()
    assert WebhookDelivery.objects.count() == before


# --- the pull feed ------------------------------------------------------------------------------


def test_the_feed_pages_with_a_cursor(api, world, hendi):
    reports = [filed(world) for _ in range(3)]
    for r in reports:
        services.report_dispose(actor=world.verifier, report=r.pk, agency=world.agency_a)
    services.report_follow_up(actor=world.admin_a, report=reports[0].pk, answer="Sudah ditangani minggu ini.")
    first = api.get("/partners/changes", {"limit": 3}, token=hendi.key).json()
    assert [i["type"] for i in first["items"]] == ["report.disposed"] * 3 and first["has_more"]
    second = api.get("/partners/changes", {"limit": 3, "cursor": first["next_cursor"]}, token=hendi.key).json()
    assert [i["type"] for i in second["items"]] == ["report.followed_up"] and not second["has_more"]
    # nothing new: the same cursor comes back, to be stored
    third = api.get("/partners/changes", {"cursor": second["next_cursor"]}, token=hendi.key).json()
    assert third == {"items": [], "next_cursor": second["next_cursor"], "has_more": False}
    # the items are the webhook bodies plus their cursor, in the order they happened
    items = first["items"] + second["items"]
    assert [{k: v for k, v in i.items() if k != "cursor"} for i in items] == [
        {**p, "occurred_at": i["occurred_at"]} for p, i in zip(rows(hendi.partner), items)
    ]
    assert [i["event_id"] for i in items] == sorted(i["event_id"] for i in items)
    # a later change appears after the cursor
    services.report_close(actor=world.admin_a, report=reports[0].pk)
    fourth = api.get("/partners/changes", {"cursor": second["next_cursor"]}, token=hendi.key).json()
    assert [i["type"] for i in fourth["items"]] == ["report.closed"]


def test_each_partner_reads_only_its_own_feed(api, world, hendi, paman):
    report = filed(world)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    assert len(api.get("/partners/changes", token=hendi.key).json()["items"]) == 1
    assert api.get("/partners/changes", token=paman.key).json()["items"] == []


@pytest.mark.parametrize("cursor", ["abc", "-1", "1" * 30])
def test_a_bad_cursor_is_refused(api, hendi, cursor):
    assert_error(api.get("/partners/changes", {"cursor": cursor}, token=hendi.key), 400, "invalid_cursor", "cursor")


def test_a_limit_out_of_range_is_refused(api, hendi):
    assert_error(api.get("/partners/changes", {"limit": 0}, token=hendi.key), 422, "invalid", "limit")
    assert_error(api.get("/partners/changes", {"limit": 201}, token=hendi.key), 422, "invalid", "limit")


def test_a_report_made_anonymous_stops_naming_its_reporter_in_the_feed(api, world, hendi):
    report = filed(world)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    assert rows(hendi.partner)[0]["reporter"]["name"] == "Made Sukerta"
    services.report_edit(actor=world.admin_a, report=report.pk, is_anonymous=True)
    assert [p["reporter"] for p in rows(hendi.partner)] == [None]
    assert "Made" not in str(api.get("/partners/changes", token=hendi.key).json())
