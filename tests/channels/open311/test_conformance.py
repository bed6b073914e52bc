"""Conformance with GeoReport v2 (http://wiki.open311.org/GeoReport_v2), every endpoint in JSON and XML.

The element names and their nesting are the spec's: XML is parsed with xml.etree and its tags
are compared with the lists the spec gives for each response; JSON is the Spark mapping of the
same document (a list element becomes a JSON array).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lapor.channels.open311.models import FiledRequest
from lapor.complaints.models import Channel, Report, ReportEvent
from lapor.notifications.models import OutboxMessage

from .conftest import TEXT, moved

W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
SERVICE = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE = ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]
CREATED = ["service_request_id", "service_notice", "account_id"]
UPDATE = ["update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"]
DATETIMES = ("requested_datetime", "updated_datetime", "expected_datetime")
FORMATS = ("json", "xml")


def tags(element) -> list[str]:
    return [child.tag for child in element]


def _assert_request_values(row: dict) -> None:
    assert row["status"] in ("open", "closed")
    for name in DATETIMES:
        assert row[name] is None or W3C.match(row[name]), (name, row[name])


# --- discovery ----------------------------------------------------------------------------------


def test_discovery_in_both_formats(world, o311):
    body = o311.json(o311.get("discovery"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}

    root = o311.xml(o311.get("discovery", "xml"))
    assert root.tag == "discovery"
    assert tags(root) == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint_xml,) = root.findall("endpoints/endpoint")
    assert tags(endpoint_xml) == ["specification", "url", "changeset", "type", "formats"]
    assert [f.text for f in endpoint_xml.findall("formats/format")] == endpoint["formats"]
    assert endpoint_xml.find("url").text == endpoint["url"]


# --- services ----------------------------------------------------------------------------------


def test_services_are_the_active_categories_in_both_formats(world, o311):
    from ...factories import make_category

    child = make_category(code="jalan-berlubang", name="Jalan berlubang", parent=world.category)
    make_category(code="topik-lama", name="Topik lama", is_active=False)
    services = o311.json(o311.get("v2/services"))
    assert [s["service_code"] for s in services] == ["jalan-rusak", "jalan-berlubang"]
    assert all(list(s) == SERVICE for s in services)
    first, second = services
    assert first["metadata"] is True and first["type"] == "realtime"
    assert second["group"] == "Jalan rusak" and second["description"] == "Jalan rusak › Jalan berlubang"
    assert "Jalan rusak" in second["keywords"]

    root = o311.xml(o311.get("v2/services", "xml"))
    assert root.tag == "services" and tags(root) == ["service", "service"]
    for element, service in zip(root, services, strict=True):
        assert tags(element) == SERVICE
        assert element.find("service_code").text == service["service_code"]
        assert element.find("metadata").text == "true"
    assert child.code == root[1].find("service_code").text


def test_service_definition_in_both_formats(world, o311):
    body = o311.json(o311.get("v2/services/jalan-rusak"))
    assert list(body) == ["service_code", "attributes"] and body["service_code"] == "jalan-rusak"
    attributes = body["attributes"]
    assert [a["order"] for a in attributes] == list(range(1, len(attributes) + 1))
    codes = [a["code"] for a in attributes]
    assert len(codes) == len(set(codes))
    assert {"kind", "anonymous", "confidential", "incident_date", "agency", "title"} <= set(codes)
    for a in attributes:
        assert list(a)[:7] == ATTRIBUTE and a["datatype"] in DATATYPES
        assert isinstance(a["variable"], bool) and isinstance(a["required"], bool)
        if a["datatype"] in ("singlevaluelist", "multivaluelist"):
            assert a["values"] and all(set(v) == {"key", "name"} for v in a["values"])
    by_code = {a["code"]: a for a in attributes}
    assert by_code["handled_by"]["variable"] is False
    assert [v["key"] for v in by_code["kind"]["values"]] == ["complaint", "aspiration", "information"]
    assert {v["key"] for v in by_code["confidential"]["values"]} == {"true", "false"}

    root = o311.xml(o311.get("v2/services/jalan-rusak", "xml"))
    assert root.tag == "service_definition" and tags(root) == ["service_code", "attributes"]
    elements = root.findall("attributes/attribute")
    assert [e.find("code").text for e in elements] == codes
    for element, a in zip(elements, attributes, strict=True):
        assert tags(element) == ATTRIBUTE + (["values"] if "values" in a else [])
        for value in element.findall("values/value"):
            assert tags(value) == ["key", "name"]
    kind = elements[codes.index("kind")]
    assert [v.text for v in kind.findall("values/value/key")] == ["complaint", "aspiration", "information"]


# --- POST requests -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_files_exactly_one_report_through_the_filing_service(world, o311, key, fmt):
    data = {
        "api_key": key, "jurisdiction_id": "lapor.go.id", "service_code": "jalan-rusak", "description": TEXT,
        "lat": "-8.7", "long": "115.21", "address_string": "Jl. Raya Sesetan 12, Denpasar",
        "email": "ketut@contoh.id", "phone": "081234567891", "first_name": "Ketut", "last_name": "Arsa",
        "device_id": "tt222111", "account_id": "akun-77", "media_url": "https://foto.contoh.id/lampu.jpg",
        "attribute[kind]": "complaint", "attribute[anonymous]": "false", "attribute[confidential]": "false",
        "attribute[fixmystreet_id]": "123",  # a client's own attribute: ignored
    }
    response = o311.post("v2/requests", fmt, data)
    if fmt == "xml":
        root = o311.xml(response)
        assert root.tag == "service_requests" and tags(root) == ["request"]
        assert tags(root[0]) == CREATED  # no token: the id is known at once
        answer = {name: root[0].find(name).text for name in CREATED}
    else:
        (answer,) = o311.json(response)
        assert list(answer) == CREATED
    assert answer["account_id"] == "akun-77" and answer["service_notice"]
    report = Report.objects.get()
    assert answer["service_request_id"] == report.tracking_id
    assert report.channel == Channel.LOCAL_APP and report.reporter is None and report.secret_hash
    assert report.category == world.category and report.region is None
    assert (str(report.latitude), str(report.longitude)) == ("-8.700000", "115.210000")
    assert report.text.startswith(TEXT) and "Jl. Raya Sesetan 12" in report.text and "lampu.jpg" in report.text
    assert (report.contact_name, report.contact_email, report.contact_phone) == (
        "Ketut Arsa", "ketut@contoh.id", "+6281234567891"
    )
    assert list(ReportEvent.objects.filter(report=report).values_list("type", flat=True)) == ["report.submitted"]
    filing = FiledRequest.objects.get(report=report)
    assert filing.media_url == "https://foto.contoh.id/lampu.jpg"
    # The citizen is told the tracking id and the secret code, like any accountless reporter.
    recipients = set(OutboxMessage.objects.filter(report=report).values_list("recipient", flat=True))
    assert recipients == {"ketut@contoh.id", "+6281234567891"}


def test_post_request_with_attributes_and_a_region(world, o311, key):
    tracking = o311.file(
        key, **{
            "attribute[kind]": "aspiration", "attribute[anonymous]": "true", "attribute[confidential]": "TRUE",
            "attribute[title]": "Lampu jalan mati", "attribute[incident_date]": "2026-01-05",
            "attribute[agency]": world.agency_a.code,
        },
    )
    report = Report.objects.get(tracking_id=tracking)
    assert (report.kind, report.is_anonymous, report.is_confidential) == ("aspiration", True, True)
    assert report.title == "Lampu jalan mati" and str(report.incident_date) == "2026-01-05"
    assert report.region == world.bali_village and report.suggested_agency == world.agency_a


def test_an_idempotency_key_makes_a_retried_post_file_nothing_more(world, o311, key):
    data = {"api_key": key, "service_code": "jalan-rusak", "description": TEXT, "address_id": "51.71.01.1001"}
    first = o311.json(o311.post("v2/requests", data=data, **{"Idempotency-Key": "kirim-1"}))
    again = o311.json(o311.post("v2/requests", data=data, **{"Idempotency-Key": "kirim-1"}))
    assert first == again and Report.objects.count() == 1


def test_posting_needs_no_csrf_token(world, key):
    """A machine client carries its api_key, not a browser's cookie."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "jalan-rusak", "description": TEXT, "address_id": "51.71.01.1001"},
    )
    assert response.status_code == 200, response.content


# --- GET requests, one request, tokens ---------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_lists_the_spec_fields(world, o311, key, fmt):
    tracking = o311.file(key, lat="-8.7012345", long="115.2123456")
    report = moved(world, tracking, "completed")
    response = o311.get("v2/requests", fmt)
    if fmt == "xml":
        root = o311.xml(response)
        assert root.tag == "service_requests" and tags(root) == ["request"]
        assert tags(root[0]) == REQUEST
        row = {name: root[0].find(name).text for name in REQUEST}
        assert (row["lat"], row["long"]) == ("-8.701", "115.212")
    else:
        (row,) = o311.json(response)
        assert list(row) == REQUEST
        assert (row["lat"], row["long"]) == (-8.701, 115.212)
    _assert_request_values(row)
    assert row["service_request_id"] == tracking and row["status"] == "closed"
    assert row["status_notes"].startswith("Selesai: Selesai ditangani.")
    assert row["service_code"] == "jalan-rusak" and row["service_name"] == "Jalan rusak"
    assert row["agency_responsible"] == "Pemerintah Kota Denpasar"
    assert row["description"] == report.text and row["address_id"] == "51.71.01.1001"
    assert row["address"] == "Sesetan, Denpasar Selatan, Kota Denpasar, Bali"
    assert row["expected_datetime"] is None and row["service_notice"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request_and_its_token(world, o311, key, fmt):
    tracking = o311.file(key)
    moved(world, tracking, "forwarded")
    for path in (f"v2/requests/{tracking}", f"v2/tokens/{tracking}"):
        response = o311.get(path, fmt)
        if fmt == "xml":
            root = o311.xml(response)
            assert root.tag == "service_requests" and tags(root) == ["request"]
            names = tags(root[0])
            row = {name: root[0].find(name).text for name in names}
        else:
            (row,) = o311.json(response)
            names = list(row)
        if path.startswith("v2/tokens"):
            assert names == ["service_request_id", "token"] and row["token"] == tracking
        else:
            assert names == REQUEST and row["status"] == "open"
            assert row["status_notes"].startswith("Diteruskan ke unit: Laporan diteruskan kepada Dinas PUPR")
            assert W3C.match(row["expected_datetime"]) and row["service_notice"]
        assert row["service_request_id"] == tracking
    # A tracking id typed loosely (lower case, no dashes) still finds the request.
    loose = tracking.lower().replace("-", "")
    assert o311.json(o311.get(f"v2/requests/{loose}"))[0]["service_request_id"] == tracking


# --- the servicerequestupdates extension --------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_both_ways_in_both_formats(world, o311, key, fmt):
    tracking = o311.file(key)
    moved(world, tracking, "followed_up")
    response = o311.post(
        "v2/servicerequestupdates", fmt,
        {"api_key": key, "service_request_id": tracking, "update_id": "fms-1", "status": "OPEN",
         "updated_datetime": "2026-03-16T10:00:00+07:00", "description": "Lampunya masih mati di ujung gang."},
    )
    if fmt == "xml":
        root = o311.xml(response)
        assert root.tag == "service_request_updates" and tags(root) == ["request_update"]
        assert tags(root[0]) == ["update_id", "account_id"]
        posted_id = root[0].find("update_id").text
    else:
        (posted,) = o311.json(response)
        assert list(posted) == ["update_id", "account_id"]
        posted_id = posted["update_id"]

    response = o311.get("v2/servicerequestupdates", fmt)
    if fmt == "xml":
        root = o311.xml(response)
        assert root.tag == "service_request_updates"
        assert all(tags(e) == UPDATE and e.tag == "request_update" for e in root)
        rows = [{name: e.find(name).text for name in UPDATE} for e in root]
    else:
        rows = o311.json(response)
        assert all(list(r) == UPDATE for r in rows)
    assert all(W3C.match(r["updated_datetime"]) and r["service_request_id"] == tracking for r in rows)
    assert [r["status"] for r in rows] == ["investigating", "in_progress", "in_progress", "in_progress"]
    assert rows[-1]["update_id"] == posted_id
    assert rows[-1]["description"] == "Lampunya masih mati di ujung gang."


def test_the_openapi_document_lists_every_open311_endpoint(world, client):
    paths = client.get("/open311/openapi.json").json()["paths"]
    assert set(paths) == {
        "/open311/discovery.{fmt}",
        "/open311/v2/services.{fmt}",
        "/open311/v2/services/{service_code}.{fmt}",
        "/open311/v2/requests.{fmt}",
        "/open311/v2/requests/{service_request_id}.{fmt}",
        "/open311/v2/tokens/{token}.{fmt}",
        "/open311/v2/servicerequestupdates.{fmt}",
    }
    assert set(paths["/open311/v2/requests.{fmt}"]) == {"get", "post"}
    assert set(paths["/open311/v2/servicerequestupdates.{fmt}"]) == {"get", "post"}
    form = paths["/open311/v2/requests.{fmt}"]["post"]["requestBody"]["content"]
    assert "api_key" in form["application/x-www-form-urlencoded"]["schema"]["properties"]
