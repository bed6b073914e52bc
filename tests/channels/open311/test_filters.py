"""GET requests' filters as the spec defines them, the 90-day / 1,000-request default, and its cost."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lapor.channels.open311 import service_requests

from ...complaints.flow import walk
from ...factories import make_category, make_report
from .conftest import moved


def ids(o311, **params) -> list[str]:
    return [row["service_request_id"] for row in o311.json(o311.get("v2/requests", params=params))]


def test_service_request_id_takes_a_comma_list_and_overrides_the_rest(world, o311, key):
    a, b, c = (o311.file(key) for _ in range(3))
    for tracking in (a, b, c):
        moved(world, tracking, "forwarded")
    assert set(ids(o311, service_request_id=f"{a},{c}")) == {a, c}
    assert set(ids(o311, service_request_id=f"{a}, {b}", status="closed", service_code="jalan-rusak")) == {a, b}
    assert ids(o311, status="closed") == []


def test_service_code_filter_may_list_several(world, o311, key):
    make_category(code="lampu-jalan", name="Lampu jalan")
    make_category(code="sampah", name="Sampah")
    road, light, waste = (o311.file(key, service_code=code) for code in ("jalan-rusak", "lampu-jalan", "sampah"))
    for tracking in (road, light, waste):
        moved(world, tracking, "disposed")
    assert ids(o311, service_code="lampu-jalan") == [light]
    assert set(ids(o311, service_code="lampu-jalan,sampah")) == {light, waste}
    assert set(ids(o311, service_code=["jalan-rusak", "sampah"])) == {road, waste}


def test_status_open_and_closed_follow_the_lifecycle(world, o311, key):
    done, archived, going = (o311.file(key) for _ in range(3))
    moved(world, done, "completed")
    moved(world, going, "followed_up")
    moved(world, archived, "archived")
    assert ids(o311, status="open") == [going]
    assert ids(o311, status="closed") == [done]  # archived reports leave the public feed
    assert set(ids(o311, status="open,closed")) == {going, done}
    assert set(ids(o311, status="open,closed", api_key=key)) == {going, done, archived}


def test_dates_select_by_requested_datetime_and_default_to_the_last_90_days(world, o311):
    now = timezone.now()
    old = walk(world, make_report(region=world.bali_village, now=now - timedelta(days=120)), ["dispose"])
    recent = walk(world, make_report(region=world.bali_village, now=now - timedelta(days=10)), ["dispose"])
    assert ids(o311) == [recent.tracking_id]
    day = (now - timedelta(days=120)).astimezone(timezone.get_current_timezone()).date()
    assert ids(o311, start_date=f"{day - timedelta(days=1)}", end_date=f"{day + timedelta(days=1)}") == [
        old.tracking_id
    ]
    start = (now - timedelta(days=125)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(o311, start_date=start) == [old.tracking_id]  # start + 90 days
    end = (now - timedelta(days=5)).isoformat(timespec="seconds")
    assert ids(o311, end_date=end) == [recent.tracking_id]  # end - 90 days
    assert ids(o311, start_date=start, end_date=(now - timedelta(days=100)).isoformat(timespec="seconds")) == [
        old.tracking_id
    ]


def test_at_most_the_limit_newest_first_and_the_pages_extension(world, o311, key, monkeypatch):
    filed = [o311.file(key) for _ in range(3)]
    for tracking in filed:
        moved(world, tracking, "disposed")
    monkeypatch.setattr(service_requests, "MAX_ROWS", 2)
    assert ids(o311) == [filed[2], filed[1]]
    assert ids(o311, page="2") == [filed[0]]
    assert ids(o311, page_size="1", page="3") == [filed[0]]


def test_the_list_costs_the_same_few_queries_for_any_number_of_requests(world, o311, key):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert o311.get("v2/requests", "xml", {"api_key": key}).status_code == 200
        return len(captured)

    moved(world, o311.file(key, lat="-8.7", long="115.2"), "forwarded")
    few = queries()
    for _ in range(6):
        moved(world, o311.file(key, lat="-8.7", long="115.2"), "followed_up")
    assert queries() == few <= 6
