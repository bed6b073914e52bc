"""The spec's error cases: 403 for the api_key, 404 for what does not exist, 400 for the rest,
always a list of {code, description} (XML: <errors><error>), and nothing stored."""

from __future__ import annotations

import pytest

from lapor.channels.open311.keys import key_revoke
from lapor.complaints.models import Report, ReportEvent

from .conftest import TEXT, error_descriptions, moved

FORMATS = ("json", "xml")
GETS = (
    "discovery", "v2/services", "v2/services/jalan-rusak", "v2/requests", "v2/requests/LAP-0000-0000",
    "v2/tokens/LAP-0000-0000", "v2/servicerequestupdates",
)


def valid(key: str, **changes) -> dict:
    data = {"api_key": key, "service_code": "jalan-rusak", "description": TEXT, "address_id": "51.71.01.1001"}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.parametrize("fmt", FORMATS)
def test_posting_without_a_valid_api_key_is_403(world, o311, key, fmt):
    assert "api_key" in error_descriptions(o311.post("v2/requests", fmt, valid(key, api_key=None)), 403, fmt)[0]
    error_descriptions(o311.post("v2/requests", fmt, valid(key, api_key="o311_bukan-kunci")), 403, fmt)
    key_revoke(name="Aplikasi Warga")
    error_descriptions(o311.post("v2/requests", fmt, valid(key)), 403, fmt)
    update = {"service_request_id": "LAP-0000-0000", "update_id": "1", "description": "Masih rusak."}
    error_descriptions(o311.post("v2/servicerequestupdates", fmt, update), 403, fmt)
    assert Report.objects.count() == 0


def test_a_wrong_key_on_a_read_is_403_too(world, o311):
    error_descriptions(o311.get("v2/requests", params={"api_key": "o311_salah"}), 403)


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_code_missing_is_400_and_unknown_is_404(world, o311, key, fmt):
    assert error_descriptions(o311.post("v2/requests", fmt, valid(key, service_code=None)), 400, fmt)
    (text,) = error_descriptions(o311.post("v2/requests", fmt, valid(key, service_code="tidak-ada")), 404, fmt)
    assert "tidak-ada" in text
    error_descriptions(o311.get("v2/services/tidak-ada", fmt), 404, fmt)
    assert Report.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_and_token_are_404(world, o311, fmt):
    error_descriptions(o311.get("v2/requests/LAP-ZZZZ-ZZZZ", fmt), 404, fmt)
    error_descriptions(o311.get("v2/tokens/LAP-ZZZZ-ZZZZ", fmt), 404, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00"},  # no time zone: the spec requires one
        {"start_date": "kemarin"},
        {"end_date": "2026-02-30T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},  # more than 90 days
        {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},  # backwards
    ],
)
def test_bad_dates_are_400(world, o311, params, fmt):
    error_descriptions(o311.get("v2/requests", fmt, params), 400, fmt)
    error_descriptions(o311.get("v2/servicerequestupdates", fmt, params), 400, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_jurisdiction_is_404_everywhere_and_the_right_one_is_accepted(world, o311, key, fmt):
    for path in GETS:
        error_descriptions(o311.get(path, fmt, {"jurisdiction_id": "kota-lain.go.id"}), 404, fmt)
    error_descriptions(o311.post("v2/requests", fmt, valid(key, jurisdiction_id="kota-lain.go.id")), 404, fmt)
    assert Report.objects.count() == 0
    assert o311.get("v2/services", fmt, {"jurisdiction_id": "lapor.go.id"}).status_code == 200
    assert o311.post("v2/requests", fmt, valid(key, jurisdiction_id="lapor.go.id")).status_code == 200


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"address_id": None}, "Lokasi wajib"),
        ({"address_id": None, "lat": "-8.7"}, "lat dan long"),
        ({"address_id": "99.99"}, "99.99"),
        ({"lat": "-91", "long": "115"}, "Lintang"),
        ({"description": None}, "description"),
        ({"description": "x" * 4001}, "4000"),
        ({"description": "Terlalu pendek"}, "minimal 20"),
        ({"description": "Lampu mati", "address_string": "Jl. Raya Sesetan No. 12, Denpasar"}, "minimal 20"),
        ({"media_url": "ftp://contoh.id/a.jpg"}, "media_url"),
        ({"attribute[kind]": "keluhan"}, "attribute[kind]"),
        ({"attribute[confidential]": "mungkin"}, "attribute[confidential]"),
        ({"attribute[incident_date]": "31-01-2026"}, "attribute[incident_date]"),
        ({"attribute[agency]": "tidak-ada"}, "attribute[agency]"),
        ({"phone": "12"}, "ponsel"),
    ],
)
def test_a_bad_request_is_400_naming_the_fault_and_files_nothing(world, o311, key, changes, words):
    descriptions = error_descriptions(o311.post("v2/requests", "json", valid(key, **changes)), 400)
    assert any(words in d for d in descriptions), descriptions
    assert Report.objects.count() == 0


def test_every_fault_of_a_request_is_listed(world, o311, key):
    data = valid(key, address_id=None, description=None, **{"attribute[kind]": "keluhan"})
    assert len(error_descriptions(o311.post("v2/requests", "xml", data), 400, "xml")) == 3


@pytest.mark.parametrize(
    "params",
    [{"status": "pending"}, {"service_code": "tidak-ada"}, {"page": "0"}, {"page_size": "1001"}, {"page": "x"}, {"page": "²"}],
)
def test_bad_filters_are_400(world, o311, params):
    error_descriptions(o311.get("v2/requests", "json", params), 400)


def test_unknown_formats_paths_and_methods(world, o311):
    error_descriptions(o311.get("v2/services", "html"), 404)
    error_descriptions(o311.client.get("/open311/v2/keluhan.xml"), 404, "xml")
    response = o311.client.put("/open311/v2/requests.json")
    error_descriptions(response, 405)
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_the_language_of_descriptions_follows_accept_language(world, o311):
    (text,) = error_descriptions(o311.get("v2/services/tidak-ada", **{"Accept-Language": "en"}), 404)
    assert "not found" in text


def test_posts_are_rate_limited_per_key(world, o311, key, settings):
    settings.LAPOR_OPEN311 = {**settings.LAPOR_OPEN311, "POSTS_PER_HOUR": 2}
    for _ in range(2):
        assert o311.post("v2/requests", "json", valid(key)).status_code == 200
    response = o311.post("v2/requests", "xml", valid(key))
    error_descriptions(response, 429, "xml")
    assert int(response["Retry-After"]) > 0 and Report.objects.count() == 2


def test_reads_are_rate_limited_per_address(world, o311, settings):
    settings.LAPOR_OPEN311 = {**settings.LAPOR_OPEN311, "READS_PER_MINUTE": 3}
    for _ in range(3):
        assert o311.get("v2/services").status_code == 200
    error_descriptions(o311.get("v2/services"), 429)


def test_guessing_keys_is_rate_limited(world, o311, key):
    for n in range(20):
        error_descriptions(o311.get("v2/requests", params={"api_key": f"o311_tebakan-{n}"}), 403)
    error_descriptions(o311.get("v2/requests", params={"api_key": "o311_tebakan-lagi"}), 429)


@pytest.mark.parametrize(
    "changes, status",
    [
        ({"update_id": None}, 400),
        ({"description": None}, 400),
        ({"status": "DIBACA"}, 400),
        ({"updated_datetime": "2026-03-16 10:00"}, 400),
        ({"service_request_id": "LAP-ZZZZ-ZZZZ"}, 404),
    ],
)
def test_a_bad_update_is_refused_and_changes_nothing(world, o311, key, changes, status):
    tracking = o311.file(key)
    moved(world, tracking, "followed_up")
    events = ReportEvent.objects.count()
    data = {"api_key": key, "service_request_id": tracking, "update_id": "u-1", "description": "Masih mati."}
    data.update(changes)
    data = {name: value for name, value in data.items() if value is not None}
    error_descriptions(o311.post("v2/servicerequestupdates", "json", data), status)
    assert ReportEvent.objects.count() == events
