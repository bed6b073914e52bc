"""The officer's scoped list (the officer workspace issue builds on it)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from lapor.accounts.models import STAFF_ROLES
from lapor.complaints.selectors import reports_visible_to


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
