"""The versioned JSON API: a thin door onto the same services as the web.

One router a resource (accounts, reports, agencies, reference data); `errors` gives every
refusal the same shape, including routes and methods the API does not know.
"""

from functools import wraps

from django.db import connection
from django.http import Http404, HttpResponseNotAllowed
from django.urls import re_path
from ninja import NinjaAPI, Schema

from . import agencies, auth, errors, reference, reports, routing


class LaporAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = _shaped(pattern.callback)
        # Last: anything else under /api/v1/ is a JSON 404, not the site's HTML page.
        urls.append(re_path(r"^.*$", errors.not_found, name="not-found"))
        return urls


def _shaped(view):
    """Ninja's answers from outside its operations (a refused method, the bare root) in our shape."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return errors.not_found(request)
        if isinstance(response, HttpResponseNotAllowed):
            return errors.method_not_allowed(request, response["Allow"])
        return response

    return wrapper


api = LaporAPI(
    title="lapor API",
    version="1",
    description=(
        "SP4N-LAPOR! public-service complaints: file, track, reply, rate, appeal.\n\n"
        "Authentication: `Authorization: Bearer <token>` (POST /auth/token); a report filed "
        "without an account is proven by its secret in the `X-Report-Secret` header. Session "
        "cookies are ignored.\n\n"
        "Errors always have the shape `{status, code, message, field}`; `message` follows "
        "`Accept-Language` (id, en)."
    ),
    urls_namespace="api-v1",
    parser=errors.JsonParser(),
)
errors.install(api)


class Health(Schema):
    status: str
    database: str


@api.get("/health", response=Health, tags=["system"])
def health(request):
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


api.add_router("", auth.router)
api.add_router("", reports.router)
api.add_router("", routing.router)
api.add_router("", agencies.router)
api.add_router("", reference.router)
