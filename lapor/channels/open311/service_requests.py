"""Which reports an Open311 client may read, the filters of GET requests, and each request's fields.

Who sees what (the same rules for requests, tokens and updates):
- everyone: the public feed's reports (verified, not confidential; `selectors.public_reports`);
- a client sending its key: also every report it filed, confidential or not yet verified;
- an agency-bound key: also every report currently at its agency (its admins' scope).
No answer names a person: GeoReport v2 has no reporter fields and none are added. Outside the
two privileged cases the map point is rounded to about 100 m, and left out for anonymous
reports: a precise point can give away the home of a reporter who asked to stay unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.complaints.models import Attachment, Bucket, Category, Report, ReportEvent, Status
from lapor.complaints.selectors import PUBLIC_STATUSES, public_reports
from lapor.complaints.services import normalize_tracking_id
from lapor.regions.models import Region

from .catalogue import localized
from .formats import Open311Error, parse_w3c
from .models import ApiKey

MAX_ROWS = 1000
MAX_DESCRIPTION = 4000  # the spec's limit for `description`
DEFAULT_SPAN = timedelta(days=90)
PUBLIC_DECIMALS = 3  # about 110 m
OPEN, CLOSED = "open", "closed"
DONE_STATUSES = (Status.COMPLETED, Status.ARCHIVED)
# Public events whose message explains the current status (`status_notes`).
NOTE_TYPES = (
    "report.disposed", "report.held", "report.resumed", "report.archived", "report.forwarded", "report.returned",
    "report.followed_up", "report.reporter_replied", "report.closed", "report.closed_by_system", "report.appealed",
    "report.interim_answer", "report.transferred", "report.merged", "report.archived_by_system",
)


# --- who sees what ----------------------------------------------------------------------------


def visible_reports(key: ApiKey | None) -> QuerySet[Report]:
    reports = public_reports()
    if key is None:
        return reports
    reports = reports | Report.objects.filter(open311_filing__key=key)
    if key.agency_id:
        reports = reports | Report.objects.filter(current_agency_id=key.agency_id)
    return reports


def is_public(report: Report) -> bool:
    return not report.is_confidential and report.status in PUBLIC_STATUSES


def sees_exact_place(report: Report, key: ApiKey | None) -> bool:
    """The filing client and the agency holding the report see the exact point."""
    if key is None:
        return False
    filing = getattr(report, "open311_filing", None)
    return (filing is not None and filing.key_id == key.pk) or (
        key.agency_id is not None and report.current_agency_id == key.agency_id
    )


def request_get(tracking_id: str, key: ApiKey | None) -> Report:
    found = _with_columns(visible_reports(key).filter(tracking_id=normalize_tracking_id(tracking_id or "")))
    report = found.first()
    if report is None:
        # The same answer whether it does not exist or may not be read: nothing to probe.
        raise Open311Error(404, _("service_request_id '%(id)s' tidak ditemukan.") % {"id": tracking_id})
    return report


# --- the filters of GET requests ------------------------------------------------------------


@dataclass(frozen=True)
class RequestFilter:
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset()
    page: int = 1
    page_size: int = MAX_ROWS


def listed(params, name: str) -> list[str]:
    """A comma-delimited argument that may also be given several times."""
    return [part.strip() for value in params.getlist(name) for part in value.split(",") if part.strip()]


def whole_number(params, name: str, *, default: int, low: int, high: int) -> int:
    value = (params.get(name) or "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        message = _("%(name)s harus bilangan bulat %(low)d–%(high)d.")
        raise Open311Error(400, message % {"name": name, "low": low, "high": high})
    return int(value)


def date_range(params, *, now: datetime) -> tuple[datetime, datetime]:
    """start_date and end_date: at most 90 days apart; the last 90 days when neither is given."""
    start_text, end_text = (params.get("start_date") or "").strip(), (params.get("end_date") or "").strip()
    start = parse_w3c(start_text, field="start_date") if start_text else None
    end = parse_w3c(end_text, field="end_date", end_of_day=True) if end_text else None
    if start and end:
        if start > end:
            raise Open311Error(400, _("start_date harus sebelum end_date."))
        if end - start > DEFAULT_SPAN:
            raise Open311Error(400, _("Rentang start_date sampai end_date paling lama 90 hari."))
        return start, end
    if start:
        return start, start + DEFAULT_SPAN
    if end:
        return end - DEFAULT_SPAN, end
    return now - DEFAULT_SPAN, now


def request_filter(params, *, now: datetime | None = None) -> RequestFilter:
    """The arguments of GET requests, checked; service_request_id overrides all the others."""
    page = whole_number(params, "page", default=1, low=1, high=100_000)
    page_size = whole_number(params, "page_size", default=MAX_ROWS, low=1, high=MAX_ROWS)
    ids = listed(params, "service_request_id")
    if ids:
        if len(ids) > MAX_ROWS:
            raise Open311Error(400, _("Paling banyak %(n)d service_request_id sekaligus.") % {"n": MAX_ROWS})
        return RequestFilter(ids=tuple(normalize_tracking_id(i) for i in ids), page=page, page_size=page_size)
    codes = listed(params, "service_code")
    known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown := [c for c in codes if c not in known]:
        raise Open311Error(400, *(_("service_code '%(code)s' tidak dikenal.") % {"code": c} for c in unknown))
    statuses = frozenset(s.lower() for s in listed(params, "status"))
    if wrong := statuses - {OPEN, CLOSED}:
        message = _("status hanya boleh open atau closed, bukan '%(value)s'.")
        raise Open311Error(400, message % {"value": ", ".join(sorted(wrong))})
    start, end = date_range(params, now=now or timezone.now())
    return RequestFilter(
        service_codes=tuple(codes), start=start, end=end, statuses=statuses, page=page, page_size=page_size
    )


def requests_find(key: ApiKey | None, wanted: RequestFilter) -> list[Report]:
    reports = visible_reports(key)
    if wanted.ids:
        reports = reports.filter(tracking_id__in=wanted.ids)
    else:
        reports = reports.filter(created_at__gte=wanted.start, created_at__lte=wanted.end)
        if wanted.service_codes:
            reports = reports.filter(category__code__in=wanted.service_codes)
        if wanted.statuses == {CLOSED}:
            reports = reports.filter(status__in=DONE_STATUSES)
        elif wanted.statuses == {OPEN}:
            reports = reports.exclude(status__in=DONE_STATUSES)
    first = (wanted.page - 1) * wanted.page_size
    return list(_with_columns(reports.order_by("-created_at", "-pk"))[first:first + wanted.page_size])


def _with_columns(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Everything a request row shows, in the one query that lists the reports."""
    latest_note = ReportEvent.objects.filter(report=OuterRef("pk"), is_public=True, type__in=NOTE_TYPES).order_by(
        "-created_at", "-pk"
    )
    first_file = Attachment.objects.filter(report=OuterRef("pk"), is_public=True).order_by("created_at", "pk")
    return reports.select_related("category", "current_agency", "open311_filing").annotate(
        note=Subquery(latest_note.values("message")[:1]),
        first_file=Subquery(first_file.values("pk")[:1]),
    )


# --- one request as the spec writes it --------------------------------------------------------


def _region_paths(reports: list[Report]) -> dict[str, list[Region]]:
    """Each region with its parents, most specific first (the spec's order), in one query."""
    wanted = set()
    for r in reports:
        if r.region_id:
            parts = r.region_id.split(".")
            wanted.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    regions = Region.objects.filter(code__in=wanted).only("code", "name", "postal_code") if wanted else []
    found = {region.code: region for region in regions}
    paths = {}
    for code in {r.region_id for r in reports if r.region_id}:
        parts = code.split(".")
        chain = [found[c] for c in (".".join(parts[: i + 1]) for i in range(len(parts))) if c in found]
        paths[code] = list(reversed(chain))
    return paths


def _local_day(moment: datetime) -> str:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).strftime("%d-%m-%Y")


def service_notice(report: Report) -> str | None:
    if report.stage_due_at is None or report.status in DONE_STATUSES:
        return None
    return _("Tahap saat ini: %(stage)s; batas waktu %(date)s.") % {
        "stage": Status(report.status).label, "date": _local_day(report.stage_due_at),
    }


def _status_notes(report: Report) -> str:
    label = str(Status(report.status).label)
    note = (getattr(report, "note", None) or "").strip()
    return f"{label}: {note}" if note else label


def _place(report: Report, key: ApiKey | None) -> tuple[float | None, float | None]:
    if report.latitude is None or report.longitude is None:
        return None, None
    if sees_exact_place(report, key):
        return float(report.latitude), float(report.longitude)
    if report.is_anonymous:
        return None, None
    return round(float(report.latitude), PUBLIC_DECIMALS), round(float(report.longitude), PUBLIC_DECIMALS)


def _media_url(report: Report, build_url) -> str | None:
    filing = getattr(report, "open311_filing", None)
    if filing is not None and filing.media_url:
        return filing.media_url
    file_id = getattr(report, "first_file", None)
    if file_id and is_public(report):
        return build_url(reverse("web:attachment", args=[file_id]))
    return None


def request_rows(reports: list[Report], *, key: ApiKey | None, build_url) -> list[dict]:
    """The spec's fields, in its order, for reports loaded by `requests_find` or `request_get`."""
    paths = _region_paths(reports)
    rows = []
    for r in reports:
        path = paths.get(r.region_id, [])
        lat, long = _place(r, key)
        closed = r.bucket == Bucket.DONE
        rows.append({
            "service_request_id": r.tracking_id,
            "status": CLOSED if closed else OPEN,
            "status_notes": _status_notes(r),
            "service_name": localized(r.category) if r.category else None,
            "service_code": (r.category.code if r.category else None),
            "description": r.text if len(r.text) <= MAX_DESCRIPTION else r.text[: MAX_DESCRIPTION - 1] + "…",
            "agency_responsible": r.current_agency.name if r.current_agency else None,
            "service_notice": service_notice(r),
            "requested_datetime": r.created_at,
            "updated_datetime": (r.closed_at if closed and r.closed_at else r.updated_at),
            "expected_datetime": None if closed else (r.completion_due_at or r.stage_due_at),
            "address": ", ".join(region.name for region in path) or None,
            "address_id": r.region_id,
            "zipcode": next((region.postal_code for region in path if region.postal_code), None),
            "lat": lat,
            "long": long,
            "media_url": _media_url(r, build_url),
        })
    return rows


def visible_q(key: ApiKey | None) -> Q:
    """`visible_reports` as a condition on a related report (for the updates list)."""
    return Q(report__in=visible_reports(key).values("pk"))
