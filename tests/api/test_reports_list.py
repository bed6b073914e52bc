"""GET /reports (public feed), /reports/similar and /me/reports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.complaints.models import Report
from lapor.complaints.models import Status as S

from ..factories import make_category
from .conftest import accountless_report_in, assert_error, report_in

LAMP = "Lampu penerangan jalan umum di depan sekolah dasar mati total sejak bulan lalu, gelap sekali."


def tracking_ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["tracking_id"] for item in response.json()["items"]]


def walk_all(api, path, params=None, **kwargs) -> list[str]:
    seen, cursor = [], None
    while True:
        page = api.get(path, {**(params or {}), **({"cursor": cursor} if cursor else {})}, **kwargs)
        seen += tracking_ids(page)
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return seen


def test_the_feed_lists_public_reports_newest_first(world, api):
    older = report_in(world, S.DISPOSED)
    newer = report_in(world, S.COMPLETED)
    report_in(world, S.RECEIVED)  # not verified yet
    report_in(world, S.FOLLOWED_UP, is_confidential=True)

    response = api.get("/reports")

    assert tracking_ids(response) == [newer.tracking_id, older.tracking_id]
    item = response.json()["items"][0]
    assert item["bucket"] == "selesai" and item["links"]["self"] == f"/api/v1/reports/{newer.tracking_id}"
    assert "timeline" not in item


def test_confidential_reports_appear_in_no_list_search_or_similar(world, api):
    secret = report_in(world, S.FOLLOWED_UP, is_confidential=True, text=LAMP, category=world.category)
    report_in(world, S.FOLLOWED_UP, text=LAMP, category=world.category)

    for params in ({}, {"q": "sekolah"}, {"q": secret.tracking_id}, {"category": world.category.code},
                   {"region": "51"}, {"agency": "kota-denpasar"}, {"status": "followed_up"}, {"bucket": "proses"}):
        assert secret.tracking_id not in tracking_ids(api.get("/reports", params)), params
    similar = api.get("/reports/similar", {"text": LAMP, "category": world.category.code, "region": "51.71.01.1001"})
    assert similar.status_code == 200 and len(similar.json()) == 1
    assert secret.tracking_id not in similar.content.decode()


def test_filters(world, api):
    other_category = make_category(code="air-bersih", name="Air bersih")
    child = make_category(code="jalan-rusak-kabupaten", name="Jalan kabupaten", parent=world.category)
    bali = report_in(world, S.DISPOSED, category=world.category, text=LAMP)
    bali_child = report_in(world, S.COMPLETED, category=child)
    ntb = report_in(world, S.FORWARDED, agency=world.agency_b, region=world.ntb_village, category=other_category)

    def ids(**params):
        return set(tracking_ids(api.get("/reports", params)))

    assert ids(category=world.category.code) == {bali.tracking_id, bali_child.tracking_id}
    assert ids(category=child.code) == {bali_child.tracking_id}
    assert ids(region="52") == ids(region="52.71.01") == {ntb.tracking_id}
    assert ids(region="5") == set()  # a prefix of codes, not of characters
    assert ids(agency="kota-mataram") == {ntb.tracking_id}
    assert ids(status="completed") == ids(bucket="selesai") == {bali_child.tracking_id}
    assert ids(bucket="proses") == {bali.tracking_id, ntb.tracking_id}
    assert ids(q="SEKOLAH dasar") == {bali.tracking_id}
    assert ids(q=ntb.tracking_id.lower()) == {ntb.tracking_id}
    today = timezone.localdate()
    assert len(ids(date_from=today.isoformat(), date_to=today.isoformat())) == 3
    assert ids(date_from=(today + timedelta(days=1)).isoformat()) == set()
    assert ids(date_to=(today - timedelta(days=1)).isoformat()) == set()


@pytest.mark.parametrize("params, field", [({"status": "lost"}, "status"), ({"bucket": "x"}, "bucket"),
                                           ({"date_from": "kemarin"}, "date_from"), ({"limit": 0}, "limit"),
                                           ({"limit": 51}, "limit")])
def test_invalid_filters_are_a_422_naming_them(world, api, params, field):
    assert_error(api.get("/reports", params), 422, "invalid", field=field)


@pytest.mark.parametrize("cursor", ["bukan-kursor", "W10", "WyJ4IiwgMV0", "WzEsMl0"])
def test_a_tampered_cursor_is_a_400(world, api, cursor):
    assert_error(api.get("/reports", {"cursor": cursor}), 400, "invalid_cursor", field="cursor")


def test_the_cursor_walks_every_page_without_duplicates_or_gaps(world, api):
    moment = timezone.now() - timedelta(days=3)
    expected = []
    for n in range(23):
        report = report_in(world, S.DISPOSED)
        # Several reports share a timestamp: the id breaks the tie.
        Report.objects.filter(pk=report.pk).update(created_at=moment + timedelta(minutes=n // 3))
        expected.append(report.tracking_id)
    ordered = list(Report.objects.order_by("-created_at", "-id").values_list("tracking_id", flat=True))

    seen = walk_all(api, "/reports", {"limit": 5})

    assert seen == ordered and sorted(seen) == sorted(expected)


def test_a_report_filed_while_walking_does_not_shift_the_pages(world, api):
    for _n in range(4):
        report_in(world, S.DISPOSED)
    first = api.get("/reports", {"limit": 2}).json()
    report_in(world, S.DISPOSED)  # newest: it belongs before the first page
    second = api.get("/reports", {"limit": 2, "cursor": first["next_cursor"]}).json()
    before = [i["tracking_id"] for i in first["items"]]
    after = [i["tracking_id"] for i in second["items"]]
    assert not set(before) & set(after) and len(after) == 2


def test_the_feed_costs_the_same_queries_for_any_page_size(world, api, django_assert_max_num_queries):
    for n in range(30):
        report_in(world, S.DISPOSED, category=world.category, is_anonymous=n % 2 == 0,
                  region=world.ntb_village if n % 3 else world.bali_village)
    reporterless = accountless_report_in(world, S.DISPOSED, contact_name="Ketut")[0]
    with django_assert_max_num_queries(3) as small:
        assert len(tracking_ids(api.get("/reports", {"limit": 2}))) == 2
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert len(tracking_ids(api.get("/reports", {"limit": 50}))) == 31
    assert len(large.captured_queries) == len(small.captured_queries)
    assert reporterless.tracking_id in tracking_ids(api.get("/reports", {"limit": 50}))


def test_similar_reports_before_filing_show_the_answer_given(world, api):
    answered = report_in(world, S.FOLLOWED_UP, category=world.category, text=LAMP)

    response = api.get("/reports/similar", {"text": LAMP, "category": world.category.code, "region": "51.71"})

    assert response.status_code == 200
    [hit] = response.json()
    assert hit["tracking_id"] == answered.tracking_id and hit["score"] > 0.5
    assert hit["latest_answer"] == "Jalan sudah ditambal oleh tim lapangan."
    assert set(hit) == {"tracking_id", "title", "status", "status_label", "bucket", "bucket_label", "category",
                        "region", "agency", "created_at", "score", "latest_answer", "links"}


def test_similar_needs_text_and_known_codes(world, api):
    assert_error(api.get("/reports/similar"), 422, "required", field="text")
    assert_error(api.get("/reports/similar", {"text": LAMP, "category": "x"}), 400, "invalid", "category")
    assert_error(api.get("/reports/similar", {"text": LAMP, "region": "99"}), 400, "invalid", "region")
    assert api.get("/reports/similar", {"text": "lampu"}).json() == []


def test_my_reports_lists_mine_including_unverified_and_confidential(world, api, token):
    mine = [report_in(world, S.RECEIVED), report_in(world, S.COMPLETED, is_confidential=True)]
    report_in(world, S.DISPOSED, reporter=world.other_reporter)
    accountless_report_in(world, S.DISPOSED)

    assert walk_all(api, "/me/reports", {"limit": 1}, token=token) == [r.tracking_id for r in reversed(mine)]
    assert tracking_ids(api.get("/me/reports", {"bucket": "belum"}, token=token)) == [mine[0].tracking_id]
    assert_error(api.get("/me/reports"), 401, "not_authenticated")
