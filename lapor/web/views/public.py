"""Pages anyone may read: home, the public feed and search, and each public report."""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from lapor.complaints.models import Bucket
from lapor.complaints.selectors import bucket_counts, public_reporter_name, public_reports
from lapor.complaints.services import normalize_tracking_id

from ..details import report_details
from ..forms import FeedFilterForm

FEED_PAGE_SIZE = 20
LIST_RELATED = ("category", "region", "current_agency", "reporter")


HOME_CACHE_SECONDS = 60


def home(request):
    # The most visited page: its numbers may be a minute old, never a full count per visit.
    counts = cache.get_or_set("web:home:bucket_counts", bucket_counts, HOME_CACHE_SECONDS)
    latest = public_reports().select_related(*LIST_RELATED).order_by("-created_at")[:10]
    return render(
        request,
        "web/home.html",
        {
            "counts": [(bucket.label, counts[bucket]) for bucket in Bucket],
            "latest": [(r, public_reporter_name(r)) for r in latest],
        },
    )


def feed(request):
    """Reports that are not confidential, filtered; a constant number of queries per page."""
    form = FeedFilterForm(request.GET or None)
    reports = form.apply(public_reports()).select_related(*LIST_RELATED).order_by("-created_at", "-pk")
    page = Paginator(reports, FEED_PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get("page"))
    return render(
        request,
        "web/public/feed.html",
        {
            "form": form,
            "page": page,
            "rows": [(r, public_reporter_name(r)) for r in page],
            "query": form.query_string(),
            "filtered": bool(form.query_string()),
        },
    )


def report_public(request, tracking_id: str):
    tracking_id = normalize_tracking_id(tracking_id)
    report = (
        public_reports()
        .select_related("category", "region__parent__parent__parent", "current_agency", "reporter")
        .filter(tracking_id=tracking_id)
        .first()
    )
    if report is None:
        raise Http404("Laporan tidak ditemukan atau bersifat rahasia.")
    return render(
        request,
        "web/report_public.html",
        {"report": report, "reporter_name": public_reporter_name(report), **report_details(report)},
    )
