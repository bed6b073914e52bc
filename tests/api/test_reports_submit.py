"""POST /reports: filing with or without an account, idempotent retries, rate limits."""

import pytest

from lapor.complaints import services
from lapor.complaints.models import IdempotencyKey, Report, ReportEvent
from lapor.notifications.models import OutboxMessage

from ..factories import make_agency, make_category
from .conftest import assert_error

TEXT = "Lampu penerangan jalan di Jalan Raya Sesetan mati sejak dua minggu, rawan kecelakaan malam hari."


def body(world, **extra):
    return {"text": TEXT, "region": world.bali_village.code, "category": world.category.code, **extra}


def test_an_accountless_report_is_filed_and_gets_its_secret(world, api):
    response = api.post("/reports", body(world, contact_email="Ketut@Contoh.id", incident_date="2025-01-02"))

    assert response.status_code == 201
    out = response.json()
    report = Report.objects.get(tracking_id=out["tracking_id"])
    assert out["secret"] and services.secret_matches(report, out["secret"])
    assert (out["status"], out["bucket"]) == ("received", "belum")
    assert out["status_label"] == "Diterima (belum terverifikasi)"
    assert out["links"]["self"] == f"/api/v1/reports/{report.tracking_id}"
    assert out["links"]["attachments"] == f"/api/v1/reports/{report.tracking_id}/attachments"
    assert report.channel == "mobile" and report.reporter is None and report.contact_email == "ketut@contoh.id"
    assert report.category == world.category and report.region == world.bali_village
    # The confirmation with the tracking id and the secret went to the contact given.
    message = OutboxMessage.objects.get(report=report)
    assert message.recipient == "ketut@contoh.id" and out["secret"] in message.body


def test_with_a_token_the_report_belongs_to_the_account_and_has_no_secret(world, api, token):
    response = api.post("/reports", body(world, title="Lampu jalan mati"), token=token)

    assert response.status_code == 201 and response.json()["secret"] is None
    report = Report.objects.get(tracking_id=response.json()["tracking_id"])
    assert report.reporter == world.reporter and report.title == "Lampu jalan mati" and not report.secret_hash


def test_every_field_reaches_the_report(world, api):
    agency = make_agency(code="pln", name="PT PLN (Persero)")
    response = api.post("/reports", body(
        world, kind="aspiration", region="51.71", latitude=-8.7, longitude="115.21", suggested_agency=agency.code,
        is_anonymous=True, is_confidential=True, contact_name="Ketut", contact_phone="0812 3456 7000",
        reporter_gender="female", reporter_age_group="25-34", reporter_disability=False, channel="web",
    ))

    assert response.status_code == 201, response.content
    r = Report.objects.get(tracking_id=response.json()["tracking_id"])
    assert (r.kind, r.region_id) == ("aspiration", "51.71")
    assert (str(r.latitude), str(r.longitude)) == ("-8.700000", "115.210000")
    assert (r.suggested_agency, r.is_anonymous, r.is_confidential, r.channel) == (agency, True, True, "web")
    assert (r.contact_name, r.contact_phone) == ("Ketut", "+6281234567000")
    assert (r.reporter_gender, r.reporter_age_group, r.reporter_disability) == ("female", "25-34", False)


def test_category_is_optional(world, api):
    response = api.post("/reports", {"text": TEXT, "region": world.bali_village.code})
    assert response.status_code == 201
    assert Report.objects.get().category is None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"category": "tidak-ada"}, "category"),
        ({"region": "99.99"}, "region"),
        ({"suggested_agency": "tidak-ada"}, "suggested_agency"),
        ({"contact_email": "bukan surel"}, "contact_email"),
        ({"contact_phone": "12"}, "contact_phone"),
        ({"latitude": 123}, "latitude"),
        ({"incident_date": "2999-01-01"}, "incident_date"),
    ],
)
def test_unknown_codes_and_invalid_values_are_a_400_naming_the_field(world, api, change, field):
    assert_error(api.post("/reports", body(world, **change)), 400, "invalid", field=field)
    assert not Report.objects.exists()


def test_an_inactive_category_is_refused(world, api):
    old = make_category(code="lama", is_active=False)
    assert_error(api.post("/reports", body(world, category=old.code)), 400, "invalid", field="category")


def test_a_staff_token_cannot_file_a_report(world, api):
    from lapor.accounts.services import token_issue

    response = api.post("/reports", body(world), token=token_issue(user=world.verifier))
    assert_error(response, 403, "forbidden")


# --- idempotency ------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_answer_and_files_nothing(world, api):
    key = {"Idempotency-Key": "0b4c9a8e-7f1d-4d0e-9b9e-3f5a1c2d3e4f"}
    first = api.post("/reports", body(world, contact_email="ketut@contoh.id"), headers=key)
    again = api.post("/reports", body(world, contact_email="ketut@contoh.id"), headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Report.objects.count() == 1
    assert ReportEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_key_order_and_spacing_of_the_body_do_not_matter(world, api):
    key = {"Idempotency-Key": "k-1"}
    first = api.post("/reports", body(world), headers=key)
    shuffled = dict(reversed(list(body(world).items())))
    assert api.post("/reports", shuffled, headers=key).json() == first.json()
    assert Report.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(world, api):
    key = {"Idempotency-Key": "k-1"}
    api.post("/reports", body(world), headers=key)
    response = api.post("/reports", body(world, title="Lain"), headers=key)
    assert_error(response, 409, "idempotency_key_reused", field="Idempotency-Key")
    assert Report.objects.count() == 1


def test_keys_belong_to_one_client(world, api, token):
    key = {"Idempotency-Key": "k-1"}
    anonymous = api.post("/reports", body(world), headers=key)
    mine = api.post("/reports", body(world), headers=key, token=token)
    assert anonymous.json()["tracking_id"] != mine.json()["tracking_id"]
    assert Report.objects.count() == 2


def test_a_refused_submission_stores_no_key_so_a_corrected_retry_files(world, api):
    key = {"Idempotency-Key": "k-1"}
    assert api.post("/reports", body(world, region="99"), headers=key).status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert api.post("/reports", body(world), headers=key).status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 121])
def test_an_unusable_key_is_refused(world, api, key):
    assert_error(api.post("/reports", body(world), headers={"Idempotency-Key": key}), 400, "invalid", "Idempotency-Key")
    assert not Report.objects.exists()


def test_the_secret_of_the_first_answer_is_given_again(world, api):
    key = {"Idempotency-Key": "k-1"}
    secret = api.post("/reports", body(world), headers=key).json()["secret"]
    tracking_id = api.post("/reports", body(world), headers=key).json()["tracking_id"]
    assert api.get(f"/reports/{tracking_id}", secret=secret).json()["view"] == "private"


# --- rate limits ------------------------------------------------------------------------------


def test_submissions_are_limited_per_client_per_hour(world, api, token, settings):
    settings.LAPOR = {**settings.LAPOR, "SUBMISSIONS_PER_HOUR": 2}
    for _n in range(2):
        assert api.post("/reports", body(world)).status_code == 201
    response = api.post("/reports", body(world))
    assert_error(response, 429, "rate_limited")
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Report.objects.count() == 2
    # An account is its own client.
    assert api.post("/reports", body(world), token=token).status_code == 201


def test_a_replayed_retry_is_not_counted_against_the_limit(world, api, settings):
    settings.LAPOR = {**settings.LAPOR, "SUBMISSIONS_PER_HOUR": 1}
    key = {"Idempotency-Key": "k-1"}
    assert api.post("/reports", body(world), headers=key).status_code == 201
    assert api.post("/reports", body(world), headers=key).status_code == 201
    assert_error(api.post("/reports", body(world), headers={"Idempotency-Key": "k-2"}), 429, "rate_limited")
    assert not IdempotencyKey.objects.filter(key="k-2").exists()
