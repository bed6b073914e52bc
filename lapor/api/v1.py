"""The versioned JSON API: a thin door onto the same services as the web.

One router a resource (accounts, reports, agencies, reference data); `errors` gives every
refusal the same shape, including routes and methods the API does not know.
"""

from django.db import connection
from ninja import Schema

from lapor.channels.inbound import api as inbound
from lapor.channels.intake import api as intake_api

from lapor.channels.partners.api import router as partners_router

from . import agencies, auth, errors, reference, reports, routing
from .shaped import ShapedAPI


class LaporAPI(ShapedAPI):
    def not_found(self, request, *args, **kwargs):
        return errors.not_found(request)

    def method_not_allowed(self, request, allowed):
        return errors.method_not_allowed(request, allowed)


api = LaporAPI(
    title="lapor API",
    version="1",
    description=(
        "SP4N-LAPOR! public-service complaints: file, track, reply, rate, appeal.\n\n"
        "Authentication: `Authorization: Bearer <token>` (POST /auth/token); a report filed "
        "without an account is proven by its secret in the `X-Report-Secret` header. Session "
        "cookies are ignored. Partner apps (`/partners/...`) send their partner API key as the "
        "bearer token; their webhooks are signed (`X-Lapor-Signature`, see the README).\n\n"
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
api.add_router("", inbound.router)
api.add_router("", intake_api.router)
api.add_router("", partners_router)
