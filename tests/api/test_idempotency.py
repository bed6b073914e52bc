"""`lapor.complaints.idempotency`: one report per (client, key), races and the daily sweep."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from lapor.complaints import idempotency
from lapor.complaints.idempotency import idempotency_keys_purge, submit_once
from lapor.complaints.models import IdempotencyKey, Report
from lapor.core.errors import Conflict

from ..factories import make_report

PAYLOAD = {"text": "Jalan berlubang", "region": "51"}


def filer(world, calls: list):
    def submit():
        report = make_report(reporter=None, region=world.bali_village)
        calls.append(report.pk)
        return report, {"tracking_id": report.tracking_id}

    return submit


def test_the_second_call_replays_without_submitting(world):
    calls = []
    first = submit_once(client="ip:1", key="k", payload=PAYLOAD, submit=filer(world, calls))
    again = submit_once(client="ip:1", key="k", payload=dict(reversed(PAYLOAD.items())), submit=filer(world, calls))

    assert (first.replayed, again.replayed) == (False, True)
    assert again.response == first.response and len(calls) == 1 and Report.objects.count() == 1


def test_another_payload_under_the_same_key_is_a_conflict(world):
    submit_once(client="ip:1", key="k", payload=PAYLOAD, submit=filer(world, []))
    with pytest.raises(Conflict) as refused:
        submit_once(client="ip:1", key="k", payload={**PAYLOAD, "text": "lain"}, submit=filer(world, []))
    assert refused.value.code == "idempotency_key_reused"


def test_a_request_that_lost_the_race_answers_with_the_winners_result(world, monkeypatch):
    """The check found no key, but a concurrent request stored it before we could."""
    winner = submit_once(client="ip:1", key="k", payload=PAYLOAD, submit=filer(world, []))
    real_stored = idempotency._stored
    seen = []

    def stored_after_our_check(*args, **kwargs):
        seen.append(1)
        return None if len(seen) == 1 else real_stored(*args, **kwargs)

    monkeypatch.setattr(idempotency, "_stored", stored_after_our_check)
    loser = submit_once(client="ip:1", key="k", payload=PAYLOAD, submit=filer(world, []))

    assert loser.replayed and loser.response == winner.response
    assert Report.objects.count() == 1  # the loser's report was rolled back with its key


def test_an_expired_key_may_be_used_again(world):
    old = submit_once(client="ip:1", key="k", payload=PAYLOAD, submit=filer(world, []),
                      now=timezone.now() - timedelta(hours=25))
    new = submit_once(client="ip:1", key="k", payload=PAYLOAD, submit=filer(world, []))
    assert not new.replayed and new.response != old.response
    assert IdempotencyKey.objects.count() == 1


def test_the_sweep_deletes_keys_older_than_a_day_and_keeps_reports(world):
    now = timezone.now()
    submit_once(client="ip:1", key="old", payload=PAYLOAD, submit=filer(world, []), now=now - timedelta(hours=25))
    submit_once(client="ip:1", key="new", payload=PAYLOAD, submit=filer(world, []), now=now - timedelta(hours=23))

    assert idempotency_keys_purge(now=now) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert Report.objects.count() == 2
    assert idempotency_keys_purge(now=now) == 0


def test_the_sweep_is_scheduled_hourly():
    import datetime

    from huey.contrib.djhuey import HUEY

    import lapor.core.tasks  # noqa: F401  (registers the schedule with huey)

    due = {t.name for t in HUEY.read_periodic(datetime.datetime(2026, 1, 5, 9, 40))}
    assert any("purge_idempotency_keys" in name for name in due)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_file_one_report(world):
    """Two requests with one key at the same moment: the unique constraint lets one through."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def request():
        try:
            def submit():
                report = make_report(reporter=None, region=world.bali_village)
                barrier.wait(timeout=5)  # both have filed, neither has stored its key
                return report, {"tracking_id": report.tracking_id}

            results.append(submit_once(client="ip:1", key="k", payload=PAYLOAD, submit=submit))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == []
    assert sorted(r.replayed for r in results) == [False, True]
    assert results[0].response == results[1].response
    assert Report.objects.count() == 1 and IdempotencyKey.objects.count() == 1
