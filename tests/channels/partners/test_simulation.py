"""The partner simulation of issue 8: a local app pushes 1,000 reports, officers work on them,
its webhook receiver is down for a while and comes back, and in the end it has received every
change exactly once and in order per report, as the event log has them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from lapor.channels.partners.delivery import deliver_webhooks
from lapor.channels.partners.models import PartnerReport, WebhookDelivery
from lapor.complaints import services
from lapor.complaints.models import Report, ReportEvent, Status
from lapor.sla.sweep import close_unanswered

from .conftest import report_body

REPORTS = 1000
R = REPORTS // 10


def _push_all(api, world, key) -> dict[str, str]:
    """The local app pushes its reports (every 10th anonymous, every 7th confidential)."""
    tracking = {}
    for n in range(REPORTS):
        body = report_body(
            world, title=f"Laporan warga {n}", text=f"Laporan warga nomor {n}: jalan rusak dan lampu mati di Sesetan.",
            is_anonymous=n % 10 == 0, is_confidential=n % 7 == 0,
        )
        answer = api.client.put(
            f"/api/v1/partners/reports/HENDI-{n}", body, content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert answer.status_code == 201, answer.content
        tracking[f"HENDI-{n}"] = answer.json()["tracking_id"]
    return tracking


def _run_worker(receiver, moment, *, times=1) -> None:
    for _ in range(times):
        deliver_webhooks(now=moment, transport=receiver)
        moment += timedelta(minutes=1)


def test_a_local_app_receives_every_change_once_and_in_order(api, world, hendi, receiver, settings):
    settings.LAPOR = {**settings.LAPOR, "PARTNER_REQUESTS_PER_MINUTE": 10 * REPORTS}
    # given a local app that pushed 1,000 reports, 50 of them twice
    tracking = _push_all(api, world, hendi.key)
    for n in range(0, REPORTS, 20):
        again = api.client.put(
            f"/api/v1/partners/reports/HENDI-{n}",
            report_body(world, title=f"Laporan warga {n}", text=f"Laporan warga nomor {n}: jalan rusak dan lampu mati di Sesetan.",
                        is_anonymous=n % 10 == 0, is_confidential=n % 7 == 0),
            content_type="application/json", headers={"Authorization": f"Bearer {hendi.key}"},
        )
        assert (again.status_code, again.json()["result"], again.json()["tracking_id"]) == (
            200, "unchanged", tracking[f"HENDI-{n}"]
        )
    assert Report.objects.count() == REPORTS
    ids = list(PartnerReport.objects.filter(partner=hendi.partner).order_by("pk").values_list("report_id", flat=True))

    # and a receiver that is down while the officers start working
    receiver.up = False
    t = timezone.now()
    for rid in ids[: 6 * R]:
        services.report_dispose(actor=world.verifier, report=rid, agency=world.agency_a)
    for rid in ids[6 * R : 7 * R]:
        services.report_dispose(actor=world.verifier, report=rid, agency=world.agency_b)
    for rid in ids[: 3 * R]:
        services.report_forward(actor=world.admin_a, report=rid, units=[world.unit_a1])
    _run_worker(receiver, t, times=4)
    assert receiver.received == [] and receiver.calls <= 4 * 3  # three failures end a run's turn

    # when it comes back, losing its answer five times, while the officers go on
    receiver.up, receiver.lose_answers = True, 5
    for rid in ids[: 2 * R]:
        services.report_follow_up(actor=world.officer_a1, report=rid, answer="Lampu sudah diganti petugas kemarin.")
    _run_worker(receiver, t + timedelta(hours=2))
    for n in range(3 * R, 4 * R):  # answers written in the partner's own back office
        done = api.post(
            "/partners/followups",
            {"followup_id": f"TL-{n}", "external_id": f"HENDI-{n}", "answer": "Sudah ditangani dinas."},
            token=hendi.key,
        )
        assert done.status_code == 201, done.content
    for rid in ids[: R // 2]:
        services.report_close(actor=world.admin_a, report=rid, note="Selesai.")
    for rid in ids[4 * R : 4 * R + R // 2]:
        services.report_hold(actor=world.admin_a, report=rid, question="Mohon sebutkan nomor tiang lampu.")
    # the sweep closes the unanswered follow-ups in bulk (the set-based path)
    closed = close_unanswered(now=timezone.now() + timedelta(days=40))
    assert closed == 5 * R // 2  # the officers' and the partner's answers nobody closed
    moment = t + timedelta(hours=3)
    for _ in range(10):
        _run_worker(receiver, moment)
        moment += timedelta(hours=2)
        if not WebhookDelivery.objects.exclude(state=WebhookDelivery.State.SENT).exists():
            break

    # then every public event of its reports arrived once, in the order of the event log
    expected = defaultdict(list)
    for report_id, event_id in ReportEvent.objects.filter(report_id__in=ids, is_public=True).order_by("id").values_list(
        "report_id", "id"
    ):
        expected[report_id].append(event_id)
    got = defaultdict(list)
    by_tracking = dict(Report.objects.filter(pk__in=ids).values_list("tracking_id", "id"))
    for payload in receiver.received:
        got[by_tracking[payload["report"]["tracking_id"]]].append(payload["event_id"])
    assert got == expected
    assert sum(len(v) for v in expected.values()) == len(receiver.received) > 2 * REPORTS
    assert receiver.duplicates == 5  # the lost answers were sent again and recognised
    assert not WebhookDelivery.objects.exclude(state=WebhookDelivery.State.SENT).exists()
    # and the anonymous and confidential reporters were named in none of it
    hidden = set(
        Report.objects.filter(Q(is_anonymous=True) | Q(is_confidential=True)).values_list("tracking_id", flat=True)
    )
    assert len(hidden) > 2 * R
    for payload in receiver.received:
        named = payload["reporter"] is not None
        assert named == (payload["report"]["tracking_id"] not in hidden)
    assert Report.objects.filter(status=Status.COMPLETED).count() == 3 * R
