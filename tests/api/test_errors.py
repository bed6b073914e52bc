"""Every refusal has one shape: {status, code, message, field}, in the caller's language."""

import pytest

from lapor.complaints.models import Report

from .conftest import assert_error

VALID = {"text": "Jalan di depan pasar berlubang besar dan membahayakan pengendara.", "region": "51.71.01.1001"}


def test_malformed_json_is_a_400_with_its_own_code_never_a_500(world, api):
    response = api.post("/reports", raw='{"text": "Jalan rusak", ')
    body = assert_error(response, 400, "malformed_json")
    assert "JSON" in body["message"]
    assert not Report.objects.exists()


def test_bytes_that_are_not_utf8_are_malformed_json_too(world, api):
    assert_error(api.post("/reports", raw=b"\xff\xfe{}"), 400, "malformed_json")


def test_a_missing_field_is_a_422_naming_it(world, api):
    response = api.post("/reports", {"region": "51.71.01.1001"})
    body = assert_error(response, 422, "required", field="text")
    assert body["message"] == "Kolom wajib diisi"


def test_a_value_of_the_wrong_type_names_the_field(world, api):
    response = api.post("/reports", {**VALID, "is_anonymous": "barangkali"})
    body = assert_error(response, 422, "invalid", field="is_anonymous")
    assert "true" in body["message"]


def test_an_unknown_choice_lists_the_choices(world, api):
    body = assert_error(api.post("/reports", {**VALID, "kind": "gossip"}), 422, "invalid", field="kind")
    assert "complaint" in body["message"]


@pytest.mark.parametrize("body", ["[1, 2, 3]", '"teks"', "null"])
def test_a_json_body_that_is_not_an_object_is_refused(world, api, body):
    assert "objek JSON" in assert_error(api.post("/reports", raw=body), 400, "malformed_json")["message"]


def test_query_parameters_are_validated_with_the_same_shape(world, api):
    assert_error(api.get("/reports", {"limit": 500}), 422, "invalid", field="limit")
    assert_error(api.get("/reports", {"limit": "banyak"}), 422, "invalid", field="limit")


def test_a_domain_refusal_keeps_its_code_and_field(world, api):
    response = api.post("/reports", {**VALID, "text": "Terlalu pendek"})
    body = assert_error(response, 400, "invalid", field="text")
    assert "minimal 20 karakter" in body["message"]


def test_accept_language_en_gives_english_messages(world, api):
    assert assert_error(api.post("/reports", {"region": "51"}, lang="en"), 422, "required", "text")[
        "message"
    ] == "Field required"
    body = assert_error(api.post("/reports", {**VALID, "text": "Too short"}, lang="en"), 400, "invalid", "text")
    assert "at least 20 characters" in body["message"]
    assert "JSON" in assert_error(api.post("/reports", raw="{", lang="en"), 400, "malformed_json")["message"]
    assert api.post("/reports", raw="{", lang="en")["Content-Language"] == "en"


def test_indonesian_is_the_default_language(world, api):
    assert assert_error(api.get("/reports/LAP-0000-0000"), 404, "not_found")["message"].startswith("Laporan")
    assert "not found" in assert_error(api.get("/reports/LAP-0000-0000", lang="en"), 404, "not_found")["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/tidak-ada", "/reports/LAP-0000-0000/tidak-ada", "/reports/"])
def test_an_unknown_route_is_a_json_404(api, path):
    assert_error(api.get(path), 404, "not_found")


@pytest.mark.django_db
def test_a_method_the_route_does_not_take_is_a_json_405(api):
    response = api.client.put("/api/v1/reports", "{}", content_type="application/json")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


@pytest.mark.django_db
def test_a_body_over_the_request_limit_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_error(api.post("/reports", {**VALID, "text": "x" * 2000}), 413, "payload_too_large")


def test_an_unexpected_failure_is_a_json_500_and_still_reported(world, api, monkeypatch):
    from lapor.api import reports

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(reports.selectors, "public_reports", boom)
    api.client.raise_request_exception = False
    assert_error(api.get("/reports"), 500, "server_error")
