"""What only a database with concurrent writers shows (PostgreSQL): the feed has no gaps when
changes commit out of order, and two pushes of one id at once file one report."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from lapor.channels.partners import push
from lapor.complaints import services
from lapor.complaints.models import Report

from ...factories import make_report
from .conftest import report_body

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_change_committed_late_is_not_skipped_by_the_feed(api, world, hendi):
    early, late = (make_report(reporter=world.reporter, region=world.bali_village) for _ in range(2))
    written, release = threading.Event(), threading.Event()

    def slow_change():
        try:
            with transaction.atomic():
                services.report_dispose(actor=world.verifier, report=early.pk, agency=world.agency_a)
                written.set()  # its rows hold the lower ids, not yet visible to anyone
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=slow_change)
    worker.start()
    assert written.wait(10)
    services.report_dispose(actor=world.verifier, report=late.pk, agency=world.agency_a)
    first = api.get("/partners/changes", token=hendi.key).json()
    assert [i["report"]["tracking_id"] for i in first["items"]] == [late.tracking_id]
    release.set()
    worker.join(10)
    second = api.get("/partners/changes", {"cursor": first["next_cursor"]}, token=hendi.key).json()
    assert [i["report"]["tracking_id"] for i in second["items"]] == [early.tracking_id]
    assert second["items"][0]["event_id"] < first["items"][0]["event_id"]  # an id cursor would skip it


def test_two_pushes_of_one_id_at_once_file_one_report(world, hendi):
    from lapor.api.reports import _submission_fields

    from lapor.channels.partners.api import PartnerReportIn

    payload = PartnerReportIn(**report_body(world))
    outcomes, barrier = [], threading.Barrier(2)

    def one():
        try:
            fields = {**_submission_fields(payload), "channel": "local_app", "suggested_agency": world.agency_a}
            barrier.wait(5)
            outcomes.append(push.report_push(
                partner=hendi.partner, external_id="HENDI-1", payload=payload.model_dump(mode="json"), fields=fields
            ))
        except Exception as error:  # noqa: BLE001
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(o.result for o in outcomes) == ["created", "unchanged"], outcomes
    assert outcomes[0].tracking_id == outcomes[1].tracking_id
    assert Report.objects.count() == 1
