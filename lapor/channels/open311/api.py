"""The Open311 GeoReport v2 server at /open311/: thin handlers over the channel's services.

Every resource answers in the format its extension names (`.json` or `.xml`), and so does every
refusal: `[{"code", "description"}]`, or `<errors><error>…` in XML, with HTTP 400, 403 (a missing
or wrong api_key), 404 (something that does not exist, the jurisdiction included) or 429 (too
many requests). The OpenAPI document is at /open311/openapi.json.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signals
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError, ValidationError

from lapor.api.errors import retry_after_seconds
from lapor.api.shaped import ShapedAPI
from lapor.core.errors import DomainError, NotFound, PermissionDenied, TooManyRequests
from lapor.core.ratelimit import check_rate

from . import catalogue, filing, schemas, service_requests, updates
from .formats import FORMATS, Open311Error, error_response, format_of_path, render
from .keys import key_authenticate
from .models import ApiKey

log = logging.getLogger("lapor.open311")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's Open311 interface last changed (the service list follows the category
# table; clients refresh it as they see fit).
CHANGESET = "2026-11-24 00:00"
HOUR, MINUTE = 3600, 60
WRONG_KEY_ATTEMPTS, WRONG_KEY_WINDOW = 20, 15 * MINUTE
ERRORS = {status: list[schemas.ErrorOut] for status in (400, 403, 404, 429)}


class Open311API(ShapedAPI):
    """Unknown paths and refused methods answer in the spec's shape too."""

    def not_found(self, request, *args, **kwargs):
        return error_response(format_of_path(request.path), Open311Error(404, _("Alamat Open311 tidak ditemukan.")))

    def method_not_allowed(self, request, allowed):
        error = Open311Error(
            405, _("Metode %(method)s tidak diizinkan di alamat ini.") % {"method": request.method},
            headers={"Allow": allowed},
        )
        return error_response(format_of_path(request.path), error)


api = Open311API(
    title="lapor Open311 GeoReport v2",
    version="2",
    description=(
        "The Open311 GeoReport v2 server (http://wiki.open311.org/GeoReport_v2) with the "
        "servicerequestupdates extension. Every path ends in `.json` or `.xml`; POST bodies are "
        "`application/x-www-form-urlencoded` with `api_key`. Services are lapor's categories; "
        "a request is filed at once (type realtime), so `tokens/{token}` takes the "
        "service_request_id itself. Errors: a list of `{code, description}`."
    ),
    urls_namespace="open311",
)


def _respond(request, error: Open311Error):
    return error_response(format_of_path(request.path), error)


@api.exception_handler(Open311Error)
def _open311_error(request, exc: Open311Error):
    return _respond(request, exc)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    """The services' refusals: 404 and 403 keep their meaning, 429 too; all else is the spec's 400."""
    status = 400
    if isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, PermissionDenied):
        status = 403
    elif isinstance(exc, TooManyRequests):
        status = 429
    headers = {"Retry-After": str(getattr(exc, "retry_after", 60))} if status == 429 else None
    return _respond(request, Open311Error(status, exc.message, headers=headers))


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return _respond(request, Open311Error(400, _("Permintaan tidak valid.")))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _respond(request, Open311Error(exc.status_code if exc.status_code in (403, 404) else 400, exc.message))


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    signals.got_request_exception.send(sender=None, request=request)
    log.exception("Open311 error on %s %s", request.method, request.path)
    return _respond(request, Open311Error(500, _("Terjadi kesalahan pada server. Silakan coba lagi.")))


# --- what every call checks -------------------------------------------------------------------


def _format(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise Open311Error(404, _("Format '%(fmt)s' tidak tersedia: gunakan .json atau .xml.") % {"fmt": fmt})
    return fmt


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _throttled(scope: str, client: str, *, limit: int, window: int) -> None:
    try:
        check_rate(scope, client, limit=limit, window_seconds=window)
    except TooManyRequests as error:
        error.retry_after = retry_after_seconds(window)
        raise


def _open(request, fmt: str, params) -> str:
    """The format, after the jurisdiction and the read limit are checked."""
    fmt = _format(fmt)
    jurisdiction = (params.get("jurisdiction_id") or "").strip()
    if jurisdiction and jurisdiction != settings.LAPOR_OPEN311["JURISDICTION_ID"]:
        raise Open311Error(404, _("jurisdiction_id '%(id)s' tidak ditemukan.") % {"id": jurisdiction})
    if request.method == "GET":
        _throttled("open311-read", _client_ip(request), limit=settings.LAPOR_OPEN311["READS_PER_MINUTE"], window=MINUTE)
    return fmt


def _key(request, params, *, required: bool) -> ApiKey | None:
    """The client's key; a wrong key is always a 403, a missing one only where it is required."""
    raw = (params.get("api_key") or request.GET.get("api_key") or "").strip()
    if not raw:
        if required:
            raise Open311Error(403, _("api_key wajib dikirim untuk tindakan ini."))
        return None
    key = key_authenticate(raw)
    if key is None:
        _throttled("open311-wrong-key", _client_ip(request), limit=WRONG_KEY_ATTEMPTS, window=WRONG_KEY_WINDOW)
        raise Open311Error(403, _("api_key tidak valid atau sudah dicabut."))
    return key


def _posting(key: ApiKey) -> None:
    _throttled("open311-post", f"key:{key.pk}", limit=settings.LAPOR_OPEN311["POSTS_PER_HOUR"], window=HOUR)


# --- discovery and services -------------------------------------------------------------------


@api.get(
    "/discovery.{fmt}", response={200: schemas.DiscoveryOut, **ERRORS}, url_name="discovery", tags=["discovery"],
)
def discovery(request, fmt: str):
    """Where the GeoReport v2 endpoint is, its formats, and how to get a key."""
    fmt = _open(request, fmt, request.GET)
    config = settings.LAPOR_OPEN311
    body = {
        "changeset": CHANGESET,
        "contact": config["CONTACT"],
        "key_service": config["KEY_SERVICE"],
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": fmt}).rsplit("/", 1)[0]),
            "changeset": CHANGESET,
            "type": config["ENDPOINT_TYPE"],
            "formats": ["text/xml", "application/json"],
        }],
    }
    return render(fmt, "discovery", body)


@api.get(
    "/v2/services.{fmt}", response={200: list[schemas.ServiceOut], **ERRORS}, url_name="services", tags=["services"],
    openapi_extra={"parameters": [schemas.JURISDICTION]},
)
def services(request, fmt: str):
    """Every service type: lapor's active categories."""
    fmt = _open(request, fmt, request.GET)
    return render(fmt, "services", catalogue.services_list())


@api.get(
    "/v2/services/{service_code}.{fmt}", response={200: schemas.DefinitionOut, **ERRORS},
    url_name="service-definition", tags=["services"], openapi_extra={"parameters": [schemas.JURISDICTION]},
)
def service_definition(request, service_code: str, fmt: str):
    """The attributes a request of this service may carry."""
    fmt = _open(request, fmt, request.GET)
    return render(fmt, "service_definition", catalogue.service_definition(catalogue.service_get(service_code)))


# --- requests ---------------------------------------------------------------------------------


@api.post(
    "/v2/requests.{fmt}", response={200: list[schemas.CreatedOut], **ERRORS}, url_name="requests", tags=["requests"],
    openapi_extra=schemas.REQUEST_FORM,
)
def request_create(request, fmt: str):
    """File a report for a citizen (api_key required). An `Idempotency-Key` header makes retries safe."""
    fmt = _open(request, fmt, request.POST)
    key = _key(request, request.POST, required=True)
    _posting(key)
    body = filing.request_create(
        key=key, data=request.POST, idempotency_key=request.headers.get("Idempotency-Key", "").strip() or None
    )
    return render(fmt, "service_requests", body["service_requests"])


@api.get(
    "/v2/requests.{fmt}", response={200: list[schemas.RequestOut], **ERRORS}, url_name="requests", tags=["requests"],
    openapi_extra={"parameters": [
        schemas.JURISDICTION, schemas.API_KEY_QUERY,
        schemas.query("service_request_id", "Comma-delimited tracking ids; overrides every other filter."),
        schemas.query("service_code", "Comma-delimited service codes."),
        *schemas.DATES,
        schemas.query("status", "open, closed, or both (comma-delimited)."),
        *schemas.PAGES,
    ]},
)
def requests_list(request, fmt: str):
    """Requests filed in a period (default the last 90 days), newest first, at most 1,000."""
    fmt = _open(request, fmt, request.GET)
    key = _key(request, request.GET, required=False)
    reports = service_requests.requests_find(key, service_requests.request_filter(request.GET))
    rows = service_requests.request_rows(reports, key=key, build_url=request.build_absolute_uri)
    return render(fmt, "service_requests", rows)


@api.get(
    "/v2/requests/{service_request_id}.{fmt}", response={200: list[schemas.RequestOut], **ERRORS},
    url_name="request", tags=["requests"], openapi_extra={"parameters": [schemas.JURISDICTION, schemas.API_KEY_QUERY]},
)
def request_detail(request, service_request_id: str, fmt: str):
    """One request by its service_request_id (the tracking id)."""
    fmt = _open(request, fmt, request.GET)
    key = _key(request, request.GET, required=False)
    report = service_requests.request_get(service_request_id, key)
    rows = service_requests.request_rows([report], key=key, build_url=request.build_absolute_uri)
    return render(fmt, "service_requests", rows)


@api.get(
    "/v2/tokens/{token}.{fmt}", response={200: list[schemas.TokenOut], **ERRORS}, url_name="token",
    tags=["requests"], openapi_extra={"parameters": [schemas.JURISDICTION, schemas.API_KEY_QUERY]},
)
def token(request, token: str, fmt: str):
    """lapor files requests at once: a token is the service_request_id, known from the start."""
    fmt = _open(request, fmt, request.GET)
    key = _key(request, request.GET, required=False)
    report = service_requests.request_get(token, key)
    return render(fmt, "service_requests", [{"service_request_id": report.tracking_id, "token": token}])


# --- the servicerequestupdates extension ------------------------------------------------------


@api.get(
    "/v2/servicerequestupdates.{fmt}", response={200: list[schemas.UpdateOut], **ERRORS}, url_name="updates",
    tags=["updates"],
    openapi_extra={"parameters": [schemas.JURISDICTION, schemas.API_KEY_QUERY, *schemas.DATES, *schemas.PAGES]},
)
def updates_list(request, fmt: str):
    """Public changes of status and answers in a period (default the last 90 days), oldest first."""
    fmt = _open(request, fmt, request.GET)
    key = _key(request, request.GET, required=False)
    start, end = service_requests.date_range(request.GET, now=timezone.now())
    page = service_requests.whole_number(request.GET, "page", default=1, low=1, high=100_000)
    size = service_requests.whole_number(
        request.GET, "page_size", default=service_requests.MAX_ROWS, low=1, high=service_requests.MAX_ROWS
    )
    rows = updates.updates_list(key, start=start, end=end, page=page, page_size=size)
    return render(fmt, "service_request_updates", rows)


@api.post(
    "/v2/servicerequestupdates.{fmt}", response={200: list[schemas.UpdateCreatedOut], **ERRORS},
    url_name="updates", tags=["updates"], openapi_extra=schemas.UPDATE_FORM,
)
def update_create(request, fmt: str):
    """A citizen's reply through the app that filed the report, or an agency's answer (api_key required)."""
    fmt = _open(request, fmt, request.POST)
    key = _key(request, request.POST, required=True)
    _posting(key)
    body = updates.update_create(key=key, data=request.POST)
    return render(fmt, "service_request_updates", body["service_request_updates"])

