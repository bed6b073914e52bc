"""The OpenAPI description of the Open311 endpoints (the JSON form; the XML form has the same
fields under the spec's element names). Answers are rendered by `formats`, not by these."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ErrorOut(Schema):
    code: int
    description: str


class EndpointOut(Schema):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class DiscoveryOut(Schema):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[EndpointOut]


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class ValueOut(Schema):
    key: str
    name: str


class AttributeOut(Schema):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[ValueOut] = []


class DefinitionOut(Schema):
    service_code: str
    attributes: list[AttributeOut]


class CreatedOut(Schema):
    service_request_id: str
    service_notice: str | None
    account_id: str | None


class RequestOut(Schema):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str | None
    service_code: str | None
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class TokenOut(Schema):
    service_request_id: str
    token: str


class UpdateOut(Schema):
    update_id: str
    service_request_id: str
    status: str
    updated_datetime: datetime
    description: str
    media_url: str


class UpdateCreatedOut(Schema):
    update_id: str
    account_id: str | None


def query(name: str, description: str, *, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": {"type": "string"}, "description": description}


JURISDICTION = query("jurisdiction_id", "Optional: this server serves one jurisdiction; another value is a 404.")
API_KEY_QUERY = query("api_key", "Optional: a valid key also shows the requests it filed (and its agency's).")
DATES = [
    query("start_date", "W3C date-time (e.g. 2026-01-01T00:00:00+07:00); default: 90 days before end_date."),
    query("end_date", "W3C date-time; default: now. At most 90 days after start_date."),
]
PAGES = [
    query("page", "Pagination extension: page number from 1."),
    query("page_size", "Pagination extension: 1–1000 (default 1000, the spec's limit)."),
]


def form(fields: dict[str, str], required: list[str]) -> dict:
    """An `application/x-www-form-urlencoded` request body, as the spec posts."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": required,
                        "properties": {name: {"type": "string", "description": text} for name, text in fields.items()},
                    }
                }
            },
        }
    }


REQUEST_FORM = form(
    {
        "api_key": "Required: the client's key (lapor open311 create-key).",
        "jurisdiction_id": "Optional.",
        "service_code": "Required: a code from services.json.",
        "lat": "Latitude (WGS84), with long.",
        "long": "Longitude (WGS84), with lat.",
        "address_string": "Free-text address (written into the report's text for the verifier).",
        "address_id": "A Kemendagri region code, any level (e.g. 51.71.01.1001).",
        "description": "Required by lapor: the report's text, 20–4,000 characters.",
        "email": "The citizen's e-mail: the tracking id and secret code are sent there.",
        "phone": "The citizen's phone number (Indonesian): the same by SMS.",
        "first_name": "The citizen's given name.",
        "last_name": "The citizen's family name.",
        "device_id": "Accepted and not stored.",
        "account_id": "Echoed in the answer, not stored.",
        "media_url": "A public link to a photo (never fetched; kept and shown to the verifier).",
        "attribute[code]": "One per attribute of the service definition, e.g. attribute[kind]=aspiration.",
    },
    ["api_key", "service_code", "description"],
)
UPDATE_FORM = form(
    {
        "api_key": "Required.",
        "jurisdiction_id": "Optional.",
        "service_request_id": "Required: the report's tracking id.",
        "update_id": "Required: the client's own id of this update (a retry with it writes nothing more).",
        "status": "OPEN, CLOSED, FIXED, … (agency keys: CLOSED or FIXED closes an answered report).",
        "updated_datetime": "W3C date-time of the update at the client (checked, not stored).",
        "description": "Required: the citizen's reply, or the agency's answer.",
        "media_url": "A public link to a photo (written into the message).",
        "account_id": "Echoed in the answer.",
        "email": "Ignored: the reporter is known from the request.",
        "first_name": "Ignored.",
        "last_name": "Ignored.",
    },
    ["api_key", "service_request_id", "update_id", "description"],
)
