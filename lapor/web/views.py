"""Foundation pages: a home page, log-in, the officer's scoped list and a public report page.

The citizen portal and the officer workspace issues build on these.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from lapor.accounts.models import STAFF_ROLES
from lapor.complaints.models import Bucket
from lapor.complaints.selectors import bucket_counts, public_reporter_name, public_reports, reports_visible_to
from lapor.complaints.services import normalize_tracking_id


def home(request):
    counts = bucket_counts()
    latest = (
        public_reports()
        .select_related("category", "region", "current_agency", "reporter")
        .order_by("-created_at")[:10]
    )
    return render(
        request,
        "web/home.html",
        {
            "counts": [(bucket.label, counts[bucket]) for bucket in Bucket],
            "latest": [(r, public_reporter_name(r)) for r in latest],
        },
    )


@login_required
def staff_reports(request):
    if request.user.role not in STAFF_ROLES:
        raise Http404
    reports = (
        reports_visible_to(request.user)
        .select_related("category", "region", "current_agency", "current_unit")
        .order_by("stage_due_at", "-created_at")
    )
    status = request.GET.get("status", "")
    if status:
        reports = reports.filter(status=status)
    page = Paginator(reports, 25, allow_empty_first_page=True).get_page(request.GET.get("page"))
    return render(request, "web/staff_reports.html", {"page": page, "status": status})


def report_public(request, tracking_id: str):
    tracking_id = normalize_tracking_id(tracking_id)
    report = (
        public_reports()
        .select_related("category", "region", "current_agency", "reporter")
        .filter(tracking_id=tracking_id)
        .first()
    )
    if report is None:
        raise Http404("Laporan tidak ditemukan atau bersifat rahasia.")
    events = report.events.filter(is_public=True).order_by("created_at", "id")
    return render(
        request,
        "web/report_public.html",
        {"report": report, "reporter_name": public_reporter_name(report), "events": events},
    )
