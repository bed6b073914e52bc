"""An Open311 client speaking the spec's formats to /open311/, keys, and reports filed through it."""

from __future__ import annotations

import json
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest

from lapor.channels.open311.keys import key_create
from lapor.complaints.models import Report

from ...api.conftest import fresh_rate_limits, media_root  # noqa: F401  (autouse: fresh limits, files in tmp)
from ...complaints.flow import PATHS, walk

BASE = "/open311"
TEXT = "Lampu penerangan jalan di depan balai banjar mati sejak dua minggu, jalan gelap dan rawan."


class Open311:
    """`django.test.Client` posting forms and reading JSON or XML, as an Open311 client does."""

    def __init__(self, client):
        self.client = client

    def get(self, path: str, fmt: str = "json", params=None, **headers):
        return self.client.get(f"{BASE}/{path}.{fmt}", params or {}, headers=headers)

    def post(self, path: str, fmt: str = "json", data=None, **headers):
        body = urlencode(data or {}, doseq=True)
        return self.client.post(
            f"{BASE}/{path}.{fmt}", body, content_type="application/x-www-form-urlencoded; charset=utf-8",
            headers=headers,
        )

    @staticmethod
    def json(response, status: int = 200):
        assert response.status_code == status, response.content.decode()
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content)

    @staticmethod
    def xml(response, status: int = 200) -> ET.Element:
        assert response.status_code == status, response.content.decode()
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        return ET.fromstring(response.content)

    def file(self, key: str, *, fmt: str = "json", **fields) -> str:
        """POST a request (valid unless `fields` say otherwise) and return its service_request_id."""
        data = {"api_key": key, "service_code": "jalan-rusak", "description": TEXT, "address_id": "51.71.01.1001"}
        data.update(fields)
        response = self.post("v2/requests", fmt, data)
        if fmt == "xml":
            return self.xml(response).find("request/service_request_id").text
        return self.json(response)[0]["service_request_id"]


def error_descriptions(response, status: int, fmt: str = "json") -> list[str]:
    """The spec's error shape with this HTTP status; returns the descriptions."""
    assert response.status_code == status, response.content.decode()
    if fmt == "xml":
        root = Open311.xml(response, status)
        assert root.tag == "errors"
        errors = root.findall("error")
        assert errors and all([child.tag for child in e] == ["code", "description"] for e in errors)
        assert all(e.find("code").text == str(status) for e in errors)
        return [e.find("description").text for e in errors]
    body = Open311.json(response, status)
    assert isinstance(body, list) and body
    assert all(set(e) == {"code", "description"} and e["code"] == status and e["description"] for e in body)
    return [e["description"] for e in body]


@pytest.fixture
def o311(client) -> Open311:
    return Open311(client)


@pytest.fixture
def key(world) -> str:
    """The raw key of a citizen-facing app (bound to no agency)."""
    return key_create(name="Aplikasi Warga").raw


@pytest.fixture
def other_key(world) -> str:
    return key_create(name="Aplikasi Lain").raw


@pytest.fixture
def agency_key(world) -> str:
    """The raw key of agency A's own back office."""
    return key_create(name="Kanal Kota Denpasar", agency=world.agency_a).raw


def moved(world, tracking_id: str, status: str) -> Report:
    """The report filed through Open311, moved by the real services to `status`."""
    report = Report.objects.get(tracking_id=tracking_id)
    return walk(world, report, PATHS[status])
