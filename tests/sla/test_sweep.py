"""The escalation sweep on hand-built reports with known outcomes, and its idempotency.

Dates are in March 2025 (no Indonesian holiday between 26 February and 27 March), in WITA,
the zone of both city governments of the test world. Working days: Mon 3, Tue 4, Wed 5, Thu 6,
Fri 7, Mon 10, Tue 11, Wed 12, Thu 13, Fri 14, Mon 17, Tue 18, Wed 19 March.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lapor.accounts.models import Agency, Role
from lapor.complaints import services
from lapor.complaints.models import ArchiveReason, Closure, Report, ReportEvent
from lapor.complaints.models import Status as S
from lapor.notifications.models import Channel, OutboxMessage
from lapor.regions.models import Region
from lapor.sla.sweep import run_sweep

from ..factories import make_agency, make_report, make_user

WITA = ZoneInfo("Asia/Makassar")


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=WITA)


@pytest.fixture
def scene(world):
    """Eight reports in known states, the Bali province coordinating Denpasar, none for Mataram."""
    ArchiveReason.objects.create(code="tidak-dilengkapi", name="Tidak dilengkapi pelapor dalam batas waktu")
    province = make_agency(
        code="prov-bali", name="Pemerintah Provinsi Bali", kind=Agency.Kind.PROVINCE,
        region=Region.objects.get(pk="51"), time_zone="Asia/Makassar",
    )
    Agency.objects.filter(pk=world.agency_a.pk).update(parent=province)
    world.agency_a.refresh_from_db()
    coordinator = make_user(Role.AGENCY_ADMIN, agency=province)
    v, admin = world.verifier, world.admin_a

    def disposed(agency, day=3):
        report = make_report(reporter=world.reporter, region=world.bali_village, now=at(day, 8))
        return services.report_dispose(actor=v, report=report, agency=agency, now=at(day))

    reports = {
        "A": disposed(world.agency_a),                                   # due Mon 10
        "B": services.report_forward(actor=admin, report=disposed(world.agency_a), units=[world.unit_a1], now=at(3, 10)),
        "C": disposed(world.agency_b),                                   # due Mon 10, no coordinator
        "D": disposed(world.agency_a, day=6),                            # due Thu 13
        "E": services.report_follow_up(actor=admin, report=disposed(world.agency_a), answer="Sudah diperbaiki.", now=at(3, 11)),
        "F": services.report_hold(actor=admin, report=disposed(world.agency_a), question="Mohon foto lokasi.", now=at(3, 11)),
        "G": make_report(reporter=world.reporter, region=world.bali_village, now=at(3, 8)),  # verify by Thu 6
        "H": services.report_close(
            actor=admin,
            report=services.report_follow_up(actor=admin, report=disposed(world.agency_a), answer="Selesai ditangani.", now=at(3, 12)),
            note="Selesai.", now=at(3, 13),
        ),
    }
    return world, coordinator, {k: r.pk for k, r in reports.items()}


def state(pk):
    r = Report.objects.get(pk=pk)
    return r.status, r.escalation_level


def escalations(pk):
    return list(
        ReportEvent.objects.filter(report_id=pk, type="report.escalated").values_list("changes__escalated_to", flat=True)
    )


def notices(user, kind):
    return list(OutboxMessage.objects.filter(user=user, kind=kind, channel=Channel.IN_APP).values_list("body", flat=True))


def test_the_sweep_reminds_escalates_closes_and_archives_what_is_due_and_nothing_else(scene):
    world, coordinator, ids = scene
    tracking = dict(Report.objects.filter(pk__in=ids.values()).values_list("pk", "tracking_id"))

    # Wednesday 12 March: A, B, C are late since Monday night, G since Thursday; D is due tomorrow.
    assert run_sweep(now=at(12, 10)) == {
        "closed": 0, "archived": 0, "escalated_to_agency": 3, "escalated_to_coordinator": 1, "reminded": 1,
    }
    assert [state(ids[k]) for k in "ABCDG"] == [
        (S.DISPOSED, 1), (S.FORWARDED, 1), (S.DISPOSED, 1), (S.DISPOSED, 0), (S.RECEIVED, 2),
    ]
    assert escalations(ids["A"]) == [[None, "admin Pemerintah Kota Denpasar"]]
    assert escalations(ids["G"]) == [[None, "Admin Nasional"]]
    # one digest per recipient, naming the reports
    (digest,) = notices(world.admin_a, "report.escalated")
    assert digest.startswith("2 laporan") and tracking[ids["A"]] in digest and tracking[ids["B"]] in digest
    assert tracking[ids["C"]] in notices(world.admin_b, "report.escalated")[0]
    assert tracking[ids["G"]] in notices(world.verifier, "report.escalated")[0]
    (reminder,) = notices(world.admin_a, "report.due_soon")
    assert tracking[ids["D"]] in reminder

    # a second run at the same moment changes nothing and writes nothing
    events, messages = ReportEvent.objects.count(), OutboxMessage.objects.count()
    assert set(run_sweep(now=at(12, 10)).values()) == {0}
    assert (ReportEvent.objects.count(), OutboxMessage.objects.count()) == (events, messages)

    # Friday 14 March: two full working days late → the coordinator (Bali for Denpasar, the
    # national verifiers for Mataram, which has none); D is late now.
    assert run_sweep(now=at(14, 10)) == {
        "closed": 0, "archived": 0, "escalated_to_agency": 1, "escalated_to_coordinator": 3, "reminded": 0,
    }
    assert [state(ids[k]) for k in "ABCD"] == [(S.DISPOSED, 2), (S.FORWARDED, 2), (S.DISPOSED, 2), (S.DISPOSED, 1)]
    assert escalations(ids["A"])[-1] == [None, "admin Pemerintah Provinsi Bali"]
    assert escalations(ids["C"])[-1] == [None, "Admin Nasional"]
    (to_province,) = notices(coordinator, "report.escalated")
    assert to_province.startswith("2 laporan")
    assert tracking[ids["C"]] in notices(world.verifier, "report.escalated")[-1]

    # Wednesday 19 March: E's follow-up got no reply for 10 working days (due Mon 17), and F has
    # waited for its reporter for more than 10 working days.
    result = run_sweep(now=at(19, 10))
    assert (result["closed"], result["archived"]) == (1, 1)
    e, f = Report.objects.get(pk=ids["E"]), Report.objects.get(pk=ids["F"])
    assert (e.status, e.closure) == (S.COMPLETED, Closure.BY_SYSTEM)
    assert (f.status, f.archive_reason.code, f.held_at) == (S.ARCHIVED, "tidak-dilengkapi", None)
    assert ReportEvent.objects.filter(report=e, type="report.closed_by_system").count() == 1
    assert ReportEvent.objects.filter(report=f, type="report.archived_by_system").count() == 1
    # the reporter is told, through their own contact
    assert OutboxMessage.objects.filter(report=f, kind="report.archived_by_system", user=world.reporter).exists()
    # the completed report was never touched by the sweep
    assert not ReportEvent.objects.filter(report_id=ids["H"], actor_role="system").exists()
    assert set(run_sweep(now=at(19, 10)).values()) == {0}


def test_a_new_stage_deadline_starts_a_fresh_escalation(scene):
    world, _, ids = scene
    run_sweep(now=at(12, 10))
    assert state(ids["B"]) == (S.FORWARDED, 1)
    # the unit answers, the reporter replies: a new stage with its own deadline
    services.report_follow_up(actor=world.officer_a1, report=ids["B"], answer="Sudah kami cek di lokasi.", now=at(12, 11))
    services.report_reply(actor=world.reporter, report=ids["B"], message="Belum selesai, masih ada lubang.", now=at(12, 12))
    assert state(ids["B"]) == (S.REPORTER_REPLIED, 0)
    assert run_sweep(now=at(13, 10))["escalated_to_agency"] == 0  # the new deadline is Wed 19


def test_a_report_changed_by_an_officer_between_selection_and_batch_is_left_alone(scene, monkeypatch):
    from lapor.complaints import automatic

    world, _, ids = scene
    escalate = automatic.reports_escalate

    def answer_first(batch, *, level, now):
        if ids["A"] in batch:
            services.report_follow_up(actor=world.admin_a, report=ids["A"], answer="Sudah ditangani hari ini.", now=now)
        return escalate(batch, level=level, now=now)

    monkeypatch.setattr(automatic, "reports_escalate", answer_first)
    run_sweep(now=at(12, 10))
    assert state(ids["A"]) == (S.FOLLOWED_UP, 0)
    assert escalations(ids["A"]) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_batches_on_several_connections_give_the_same_outcome(scene, settings):
    """SWEEP_WORKERS=2 with one report per batch: disjoint, locked batches on two connections."""
    from lapor.sla.sweep import sweep_workers

    world, _, ids = scene
    settings.LAPOR = {**settings.LAPOR, "SWEEP_WORKERS": 2}
    assert sweep_workers() == 2
    assert run_sweep(now=at(12, 10), batch_size=1) == {
        "closed": 0, "archived": 0, "escalated_to_agency": 3, "escalated_to_coordinator": 1, "reminded": 1,
    }
    assert [state(ids[k]) for k in "ABCDG"] == [
        (S.DISPOSED, 1), (S.FORWARDED, 1), (S.DISPOSED, 1), (S.DISPOSED, 0), (S.RECEIVED, 2),
    ]
    assert [len(escalations(ids[k])) for k in "ABCG"] == [1, 1, 1, 1]
    # one digest per batch and recipient: admin A got one for A and one for B
    assert len(notices(world.admin_a, "report.escalated")) == 2
    assert set(run_sweep(now=at(12, 10), batch_size=1).values()) == {0}
