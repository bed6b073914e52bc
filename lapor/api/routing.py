"""Routing suggestions for officers: the same top 3 the workspace shows, as JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema

from lapor.accounts.models import Role
from lapor.complaints.selectors import report_get_for_actor
from lapor.complaints.services import normalize_tracking_id
from lapor.core.errors import PermissionDenied
from lapor.routing.suggestions import for_viewer

from .auth import token_auth
from .errors import ErrorOut

router = Router(tags=["officers"])


class SuggestionOut(Schema):
    code: str  # category, agency or unit code; empty when the label is not one (yet)
    name: str
    confidence: float  # 0–1, calibrated
    words: list[str]  # the words of the report that drove the suggestion


class RoutingOut(Schema):
    tracking_id: str
    category: list[SuggestionOut] = []
    agency: list[SuggestionOut] = []
    unit: list[SuggestionOut] = []


@router.get(
    "/reports/{tracking_id}/routing", response={200: RoutingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_auth, url_name="report-routing",
)
def report_routing(request, tracking_id: str):
    """Suggested category, agency and unit for a report in the caller's scope (verifiers, agency admins)."""
    user = request.auth
    if user.role not in (Role.VERIFIER, Role.AGENCY_ADMIN):
        raise PermissionDenied(_("Saran perutean hanya untuk verifikator dan admin instansi."))
    report = report_get_for_actor(user, tracking_id=normalize_tracking_id(tracking_id))
    return {"tracking_id": report.tracking_id, **for_viewer(report, user)}
