"""The servicerequestupdates extension: what is listed, and what a citizen's app or an agency's
back office may write through the existing services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.accounts.models import Role
from lapor.channels.open311.models import ApiKey
from lapor.complaints import handling
from lapor.complaints.models import Report, ReportEvent, Status

from ...complaints.flow import snapshot
from .conftest import error_descriptions, moved


def updates(o311, **params) -> list[dict]:
    return o311.json(o311.get("v2/servicerequestupdates", params=params))


def post(o311, key, tracking, update_id="fms-1", fmt="json", **fields):
    data = {"api_key": key, "service_request_id": tracking, "update_id": update_id, **fields}
    data.setdefault("description", "Lampunya masih mati, mohon dicek lagi.")
    return o311.post("v2/servicerequestupdates", fmt, data)


# --- listing ------------------------------------------------------------------------------------


def test_updates_are_the_public_status_changes_and_answers(world, o311, key):
    tracking = o311.file(key)
    report = moved(world, tracking, "forwarded")
    handling.report_note(actor=world.admin_a, report=report, note="Hanya untuk petugas.")
    handling.report_interim_answer(
        actor=world.admin_a, report=report, answer="Menunggu material lampu.", reason="Pengadaan butuh dua minggu.",
        expected_date=(timezone.now() + timedelta(days=20)).date(),
    )
    rows = updates(o311)
    events = ReportEvent.objects.filter(report=report, is_public=True).exclude(type="report.submitted")
    assert [r["update_id"] for r in rows] == [str(e.pk) for e in events.order_by("created_at", "pk")]
    assert [r["status"] for r in rows] == ["investigating", "in_progress", "in_progress"]
    assert rows[2]["description"].startswith("Menunggu material lampu.")
    assert all(r["media_url"] == "" for r in rows)


@pytest.mark.parametrize(
    "status, last",
    [("completed", "closed"), ("archived", "no_further_action"), ("appealed", "reopen"), ("returned", "open")],
)
def test_update_statuses_map_the_lifecycle_to_the_extension_s(world, o311, key, status, last):
    tracking = o311.file(key)
    moved(world, tracking, status)
    assert updates(o311, api_key=key)[-1]["status"] == last


def test_a_merged_duplicate_reads_duplicate(world, o311, key):
    from lapor.complaints.models import ArchiveReason

    ArchiveReason.objects.create(code="duplikat", name="Duplikat")
    main, copy = (Report.objects.get(tracking_id=o311.file(key)) for _ in range(2))
    handling.report_merge(actor=world.verifier, report=copy, into=main)
    rows = [r for r in updates(o311, api_key=key) if r["service_request_id"] == copy.tracking_id]
    assert [r["status"] for r in rows] == ["duplicate"]


def test_updates_are_selected_by_their_time(world, o311, key):
    tracking = o311.file(key)
    moved(world, tracking, "disposed")
    now = timezone.now()
    assert len(updates(o311, start_date=(now - timedelta(minutes=5)).isoformat(timespec="seconds"))) == 1
    assert updates(o311, end_date=(now - timedelta(days=1)).isoformat(timespec="seconds")) == []


# --- a citizen-facing app writes for the citizen ------------------------------------------------


def test_a_citizen_s_reply_goes_through_the_reply_service(world, o311, key):
    tracking = o311.file(key, **{"attribute[anonymous]": "true"})
    moved(world, tracking, "followed_up")
    (answer,) = o311.json(post(o311, key, tracking, account_id="akun-9"))
    report = Report.objects.get(tracking_id=tracking)
    event = ReportEvent.objects.get(pk=answer["update_id"])
    assert report.status == Status.REPORTER_REPLIED and answer["account_id"] == "akun-9"
    assert (event.type, event.actor_role, event.actor_id) == ("report.reporter_replied", Role.REPORTER, None)
    assert event.message == "Lampunya masih mati, mohon dicek lagi."
    assert updates(o311)[-1]["update_id"] == answer["update_id"]


def test_a_held_report_is_completed_by_the_citizen_s_update(world, o311, key):
    tracking = o311.file(key)
    moved(world, tracking, "on_hold")
    o311.json(post(o311, key, tracking, description="Lokasinya di depan balai banjar Kaja."))
    report = Report.objects.get(tracking_id=tracking)
    assert report.status == Status.FORWARDED
    assert report.events.order_by("-pk").first().type == "report.resumed"


def test_a_citizen_cannot_write_while_the_agency_is_working(world, o311, key):
    tracking = o311.file(key)
    report = moved(world, tracking, "forwarded")
    before = snapshot(report)
    (text,) = error_descriptions(post(o311, key, tracking, status="CLOSED"), 400)
    assert "Diteruskan ke unit" in text and snapshot(report) == before


def test_an_app_writes_only_on_the_reports_it_filed(world, o311, key, other_key):
    tracking = o311.file(key)
    report = moved(world, tracking, "followed_up")
    before = snapshot(report)
    error_descriptions(post(o311, other_key, tracking), 404)
    assert snapshot(report) == before


def test_the_client_s_update_id_makes_a_retry_write_nothing_more(world, o311, key):
    tracking = o311.file(key)
    report = moved(world, tracking, "followed_up")
    first = o311.json(post(o311, key, tracking, update_id="fms-7"))
    again = o311.json(post(o311, key, tracking, update_id="fms-7"))
    assert first == again
    assert report.events.filter(type="report.reporter_replied").count() == 1
    error_descriptions(post(o311, key, tracking, update_id="fms-7", description="Sebuah pesan yang lain."), 400)


# --- an agency's back office writes the agency's answer ----------------------------------------


def test_an_agency_key_answers_and_then_closes(world, o311, key, agency_key):
    tracking = o311.file(key)
    moved(world, tracking, "forwarded")
    (answer,) = o311.json(post(o311, agency_key, tracking, description="Lampu sudah diganti oleh petugas PJU."))
    report = Report.objects.get(tracking_id=tracking)
    event = ReportEvent.objects.get(pk=answer["update_id"])
    account = ApiKey.objects.get(agency=world.agency_a).acting_user
    assert report.status == Status.FOLLOWED_UP and event.type == "report.followed_up"
    assert (event.actor_id, event.actor_role) == (account.pk, Role.AGENCY_ADMIN)
    assert not account.is_active and not account.has_usable_password()

    o311.json(post(o311, agency_key, tracking, update_id="kanal-2", status="CLOSED", description="Selesai diperbaiki."))
    report.refresh_from_db()
    assert report.status == Status.COMPLETED and report.closure == "admin"


def test_an_agency_key_writes_only_on_its_agency_s_reports(world, o311, key, agency_key):
    tracking = o311.file(key)
    report = Report.objects.get(tracking_id=tracking)
    from lapor.complaints import services

    services.report_dispose(actor=world.verifier, report=report, agency=world.agency_b)
    before = snapshot(report)
    error_descriptions(post(o311, agency_key, tracking), 404)
    assert snapshot(report) == before


def test_an_agency_key_cannot_answer_twice_in_a_row(world, o311, key, agency_key):
    tracking = o311.file(key)
    report = moved(world, tracking, "followed_up")
    before = snapshot(report)
    error_descriptions(post(o311, agency_key, tracking, status="IN_PROGRESS"), 400, "json")
    assert snapshot(report) == before
