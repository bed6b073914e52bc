"""The versioned JSON API: a thin door onto the same services as the web."""

from django.db import connection
from ninja import NinjaAPI, Schema

from lapor.core.errors import DomainError

api = NinjaAPI(
    title="lapor API",
    version="1",
    description="SP4N-LAPOR! public-service complaints: file, track, handle, monitor.",
    urls_namespace="api-v1",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": str(exc), "code": exc.code}, status=exc.http_status)


class Health(Schema):
    status: str
    database: str


@api.get("/health", response=Health, tags=["system"])
def health(request):
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


from lapor.api import reference  # noqa: E402,F401  (registers routes)
