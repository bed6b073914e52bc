"""One error shape for the whole API, whatever went wrong and wherever.

Every refusal is an HTTP status and `{"status", "code", "message", "field"}`: `code` is for
programs, `message` for people (in the language of `Accept-Language`, Indonesian by default),
`field` names the input at fault or is null. Domain errors keep the code and field their service
gave; ninja's own errors (validation, authentication, unparsable bodies) are translated here.
"""

from __future__ import annotations

import json
import logging
import math
import time

from django.core import signals
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from lapor.core.errors import DomainError, TooManyRequests

log = logging.getLogger("lapor.api")


class ErrorOut(Schema):
    status: int
    code: str
    message: str
    field: str | None = None


class NotAuthenticated(DomainError):
    """The request needs an account (or a report's secret) and proved neither."""

    http_status = 401
    code = "not_authenticated"


class MalformedBody(ValueError):
    """The body is not JSON at all (ninja turns parser errors into a 400 that we recognise)."""


class NotAnObject(MalformedBody):
    """JSON, but every request body of this API is an object."""


class JsonParser(Parser):
    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError alike
            raise MalformedBody(str(error)) from error
        if not isinstance(data, dict):
            raise NotAnObject(type(data).__name__)
        return data


def error_body(status: int, code: str, message, field: str | None = None) -> dict:
    return {"status": status, "code": code, "message": str(message), "field": field}


def error_response(status: int, code: str, message, field: str | None = None, **headers) -> JsonResponse:
    """The shape, outside ninja's machinery (unknown routes, refused methods)."""
    response = JsonResponse(error_body(status, code, message, field), status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    return error_response(404, "not_found", _("Alamat API tidak ditemukan."))


def method_not_allowed(request: HttpRequest, allowed: str) -> JsonResponse:
    return error_response(
        405,
        "method_not_allowed",
        _("Metode %(method)s tidak diizinkan di alamat ini.") % {"method": request.method},
        Allow=allowed,
    )


def retry_after_seconds(window_seconds: int) -> int:
    """Seconds until the current fixed window of `lapor.core.ratelimit` ends."""
    return max(1, window_seconds - int(time.time()) % window_seconds)


# --- validation messages ------------------------------------------------------------------------


def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Kolom wajib diisi")
    if kind == "string_type":
        return _("Harus berupa teks")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Harus berupa bilangan bulat")
    if kind.startswith(("float_", "decimal_")):
        return _("Harus berupa angka")
    if kind.startswith("bool_"):
        return _("Harus berupa true atau false")
    if kind.startswith("datetime_"):
        return _("Waktu tidak valid (format ISO 8601)")
    if kind.startswith("date_"):
        return _("Tanggal tidak valid (format YYYY-MM-DD)")
    if kind == "string_too_long":
        return _("Terlalu panjang (maksimal %(n)s karakter)") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Terlalu pendek (minimal %(n)s karakter)") % {"n": ctx.get("min_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Harus paling sedikit %(n)s") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Harus paling banyak %(n)s") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("enum", "literal_error"):
        return _("Nilai tidak dikenal; pilihan: %(choices)s") % {"choices": ctx.get("expected", "")}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Harus berupa objek JSON")
    if kind == "list_type":
        return _("Harus berupa daftar")
    return _("Nilai tidak valid")


def _field_of(loc) -> str | None:
    """`("body", "payload", "region")` → "region"; `("query", "limit")` → "limit"."""
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and parts:
        parts = parts[1:]  # the handler's parameter name, not the client's field
    return ".".join(parts) or None


# --- handlers -----------------------------------------------------------------------------------


# Domain codes whose HTTP status is more precise than their error class's.
STATUS_OF_CODE = {"file_too_large": 413}


def install(api: NinjaAPI) -> None:
    def respond(request, status: int, code: str, message, field=None) -> HttpResponse:
        return api.create_response(request, error_body(status, code, message, field), status=status)

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        status = STATUS_OF_CODE.get(exc.code, exc.http_status)
        response = respond(request, status, exc.code, exc.message, exc.field)
        if isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(getattr(exc, "retry_after", 60))
        if isinstance(exc, NotAuthenticated):
            response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        code = "required" if first.get("type") == "missing" else "invalid"
        return respond(request, 422, code, _validation_message(first), _field_of(first.get("loc", ())))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc, AuthenticationError):
            response = respond(
                request, 401, "not_authenticated",
                _("Perlu masuk: kirim token akun di header 'Authorization: Bearer <token>'."),
            )
            response["WWW-Authenticate"] = "Bearer"
            return response
        if isinstance(exc.__cause__, NotAnObject):
            return respond(request, 400, "malformed_json", _("Isi permintaan harus berupa objek JSON."))
        if isinstance(exc.__cause__, MalformedBody):
            return respond(request, 400, "malformed_json", _("Isi permintaan bukan JSON yang valid."))
        if exc.status_code == 429:
            wait = getattr(exc, "wait", None)
            response = respond(request, 429, "rate_limited", _("Terlalu banyak permintaan. Silakan coba lagi nanti."))
            response["Retry-After"] = str(math.ceil(wait or 60))
            return response
        return respond(request, exc.status_code, "http_error", exc.message)

    @api.exception_handler(Http404)
    def http_404(request, exc):
        return respond(request, 404, "not_found", _("Tidak ditemukan."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, 413, "payload_too_large", _("Isi permintaan terlalu besar."))

    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        # Still reported as Django reports any crash (logs, error mails, the test client re-raises).
        signals.got_request_exception.send(sender=None, request=request)
        log.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, "server_error", _("Terjadi kesalahan pada server. Silakan coba lagi."))
