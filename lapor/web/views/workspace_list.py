"""The officer workspace list: role queues, filters, saved filters, bulk disposition, exports.

Every list reads through `selectors.reports_visible_to`; a page costs the same number of
queries whatever its rows, and never counts the whole table (see `WindowPage`).
"""

from __future__ import annotations

import csv
from io import BytesIO

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lapor.accounts.models import Role
from lapor.complaints import services
from lapor.complaints.exports import export_header, export_rows, reporter_label
from lapor.complaints.models import Status
from lapor.complaints.selectors import reports_visible_to
from lapor.core.errors import DomainError

from ..forms.workspace import BulkDisposeForm, SaveFilterForm, WorkspaceFilterForm, tabs_for
from ..models import SavedFilter
from ..saved_filters import saved_filter_delete, saved_filter_save
from lapor.sla.reminders import reminder_horizon

from .workspace import all_agency_options, due_state, staff_only

PAGE_SIZE = 25
# The list says "more than N" beyond this instead of counting every row.
COUNT_CAP = 1000
MAX_PAGE = 2000
EXPORT_CAP = 50_000
LIST_RELATED = ("category", "region", "current_agency", "current_unit", "reporter")
BULK_STATUSES = (Status.RECEIVED, Status.RETURNED)


class WindowPage:
    """One page read as `size + 1` rows (is there a next page?) and a count capped at `cap`.

    Django's Paginator counts every matching row on each page view; at hundreds of thousands
    of reports that count dominates. Here the count stops at `cap` (a LIMITed subquery).
    """

    def __init__(self, queryset, number: int, size: int = PAGE_SIZE, cap: int | None = None):
        cap = COUNT_CAP if cap is None else cap
        self.number = number
        offset = (number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        self.has_next = len(rows) > size
        self.rows = rows[:size]
        self.has_previous = number > 1
        self.previous_page_number = number - 1
        self.next_page_number = number + 1
        self.count = queryset[: cap + 1].count()
        self.count_capped = self.count > cap
        self.cap = cap

    def __iter__(self):
        return iter(self.rows)


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def _filtered(request):
    form = WorkspaceFilterForm(request.GET or None, user=request.user)
    reports = form.apply(reports_visible_to(request.user))
    return form, reports


@staff_only
@require_GET
def report_list(request):
    form, reports = _filtered(request)
    page = WindowPage(reports.select_related(*LIST_RELATED), _page_number(request.GET.get("page")))
    now = timezone.now()
    horizon = reminder_horizon(now)
    is_verifier = request.user.role == Role.VERIFIER
    query = form.query_string()
    context = {
        "form": form,
        "page": page,
        "rows": [(r, reporter_label(r), due_state(r, now, horizon), is_verifier and r.status in BULK_STATUSES) for r in page],
        "query": query,
        "tab": form.tab_value,
        "tabs": tabs_for(request.user.role),
        "tab_query": _without(request.GET, "tab", "page"),
        "saved": list(SavedFilter.objects.filter(user=request.user)),
        "save_form": SaveFilterForm(initial={"query": query}),
        "bulk_form": BulkDisposeForm(agency_choices=all_agency_options()) if is_verifier else None,
        "export_cap": EXPORT_CAP,
    }
    return render(request, "web/workspace/list.html", context)


def _without(params, *names) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def _back_to_list(query: str):
    url = reverse("web:staff_reports")
    return redirect(f"{url}?{query}" if query else url)


@staff_only
@require_POST
def filter_save(request):
    form = SaveFilterForm(request.POST)
    query = request.POST.get("query", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(query)
    saved, created = saved_filter_save(user=request.user, name=form.cleaned_data["name"], query=query)
    if created:
        messages.success(request, _("Saringan “%(name)s” disimpan.") % {"name": saved.name})
    else:
        messages.success(request, _("Saringan “%(name)s” diperbarui.") % {"name": saved.name})
    return _back_to_list(saved.query)


@staff_only
@require_POST
def filter_delete(request, pk: int):
    if not saved_filter_delete(user=request.user, pk=pk):
        raise Http404
    messages.success(request, _("Saringan dihapus."))
    return _back_to_list(request.POST.get("query", ""))


@staff_only
@require_POST
def bulk_dispose(request):
    """Dispose each chosen report to one agency, each in its own transaction (the service's)."""
    query = request.POST.get("query", "")
    form = BulkDisposeForm(request.POST, agency_choices=all_agency_options())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(query)
    agency = form.cleaned_data["agency"]
    wanted = form.cleaned_data["reports"]
    found = {r.tracking_id: r.pk for r in reports_visible_to(request.user).filter(tracking_id__in=wanted).only("pk", "tracking_id")}
    done = 0
    for tracking_id in wanted:
        if tracking_id not in found:
            messages.error(request, _("%(tracking)s: laporan tidak ditemukan.") % {"tracking": tracking_id})
            continue
        try:
            services.report_dispose(actor=request.user, report=found[tracking_id], agency=agency)
        except DomainError as error:
            messages.error(request, f"{tracking_id}: {error}")
        else:
            done += 1
    messages.success(
        request,
        _("%(done)d dari %(total)d laporan didisposisikan ke %(agency)s.")
        % {"done": done, "total": len(wanted), "agency": agency.name},
    )
    return _back_to_list(query)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    """Text a spreadsheet will not run as a formula (CSV/formula injection), without control bytes."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _safe_rows(rows):
    for row in rows:
        yield [_safe_cell(value) for value in row]


class _Echo:
    def write(self, value):
        return value


@staff_only
@require_GET
def export(request, fmt: str):
    """The current filtered list as CSV (streamed) or XLSX, at most EXPORT_CAP rows."""
    _form, reports = _filtered(request)
    rows = _safe_rows(export_rows(reports, request.user, limit=EXPORT_CAP))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"  # so spreadsheet programs read UTF-8
            yield writer.writerow(export_header())
            for row in rows:
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="laporan-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Laporan"))
        sheet.append(export_header())
        for row in rows:
            sheet.append(row)
        buffer = BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="laporan-{stamp}.xlsx"'
        return response
    raise Http404
