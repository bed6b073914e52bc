"""Monitoring and evaluation pages for leaders, overseers and verifiers (scoped by role).

Every figure comes from the daily rollups (`lapor.monitoring.indicators`) except "late now" and
today's first follow-ups, which are live. A number that stands for reports links to the staff
list (`web:staff_reports`) with the matching filters; that list scopes by role again, so a
drill-down never shows more than the user may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.accounts.models import Agency, Role, Unit, User
from lapor.complaints.models import Category
from lapor.monitoring import charts
from lapor.monitoring.evaluation_pdf import evaluation_pdf as build_evaluation_pdf
from lapor.monitoring.evaluation_pdf import headline_rows
from lapor.monitoring.exports import Table
from lapor.monitoring import indicators as ind
from lapor.monitoring.late import counted_at as late_counted_at
from lapor.monitoring.models import AgencyStint, ReportFact
from lapor.monitoring.periods import Period, containing, parse
from lapor.monitoring.rollups import COUNTERS
from lapor.regions.models import Region
from lapor.web.templatetags.portal import localized

from ..forms.workspace import Tab, today_bounds
from .statistics import table_download

ALLOWED_ROLES = frozenset({Role.VERIFIER, Role.SYSADMIN, Role.OBSERVER, Role.AGENCY_ADMIN})
TOP_COMPLETION = 20
TOP_CATEGORIES = 6
MAX_TABLE_ROWS = 200


@dataclass
class Scope:
    """What a user's monitoring pages cover: every agency, a set of agencies, or one agency."""

    agency_ids: list[int] | None  # None: every agency (national figures)
    agency: Agency | None = None  # set for an agency admin

    @property
    def national(self) -> bool:
        return self.agency_ids is None


def scope_for(user: User) -> Scope:
    if user.role == Role.AGENCY_ADMIN:
        return Scope([user.agency_id], user.agency)
    if user.role == Role.OBSERVER and not user.observes_all:
        region_q = Q(pk__in=[])
        for code in user.observed_regions.values_list("code", flat=True):
            region_q |= Q(region_id=code) | Q(region__code__startswith=f"{code}.")
        agencies = Agency.objects.filter(Q(pk__in=user.observed_agencies.values("pk")) | region_q)
        return Scope(sorted(agencies.values_list("pk", flat=True)))
    return Scope(None)


def monitoring_only(view):
    """Logged-in leaders, overseers and verifiers; anyone else gets a 403."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role not in ALLOWED_ROLES:
            raise PermissionDenied(_("Halaman pemantauan hanya untuk pimpinan, pengawas, dan verifikator."))
        return view(request, scope_for(request.user), *args, **kwargs)

    return wrapped


class BadRequest(Exception):
    pass


def _period(request, default: Period) -> Period:
    code = request.GET.get("periode")
    if not code:
        return default
    try:
        return parse(code)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


def _bad_request(request, message: str):
    return render(request, "web/monitoring/bad_request.html", {"message": message}, status=400)


def _current_semester() -> Period:
    return containing("semester", timezone.localdate())


def _blank(key: str) -> ind.Indicators:
    return ind.Indicators(key=key, counts=dict.fromkeys(COUNTERS, 0))


def _figures(scope: Scope, start: date, end: date) -> ind.Indicators:
    if scope.national:
        return ind.total("national", start, end)
    return ind.combined(ind.indicators("agency", start, end, keys=scope.agency_ids, durations=True).values())


def _late_scope(scope: Scope):
    return None if scope.national else scope.agency_ids


def _late_total(scope: Scope) -> int:
    return ind.late_count(agency_ids=_late_scope(scope))


def _reports_url(**params) -> str:
    """The staff list with these filters (it scopes by role again)."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse('web:staff_reports')}?{urlencode(params)}"


def _span(period: Period) -> dict:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


# --- 1. evaluation ----------------------------------------------------------------------------

@monitoring_only
def evaluation(request, scope: Scope):
    try:
        period, rows = _evaluation_rows(request, scope)
    except BadRequest as exc:
        return _bad_request(request, str(exc))
    min_volume = int(request.GET.get("min") or 10)
    group_labels = {"besar": _("Besar"), "sedang": _("Sedang"), "kecil": _("Kecil")}
    table = [(r, group_labels.get(r.group, r.group)) for r in rows]
    ranked = [row for row in table if row[0].rank is not None]
    top = sorted((r for r, _g in ranked), key=lambda r: -(r.figures.pct_completed or 0))[:TOP_COMPLETION]
    chart = charts.bar_chart(
        [(r.agency.short_name or r.agency.name, r.figures.pct_completed or 0) for r in top],
        title=_("%(n)s instansi dengan persentase selesai tertinggi") % {"n": len(top)},
        unit="%",
        max_value=100,
    ) if top else ""
    marks = ind.red_marks(period, agency_ids=scope.agency_ids)
    context = {
        "period": period,
        "min_volume": min_volume,
        "ranked": ranked,
        "unranked": [row for row in table if row[0].rank is None],
        "marks": marks,
        "late_counted_at": late_counted_at(),
        "chart": chart,
        "scope": scope,
    }
    return render(request, "web/monitoring/evaluation.html", context)


def _evaluation_rows(request, scope: Scope):
    period = _period(request, _current_semester())
    try:
        min_volume = int(request.GET.get("min") or 10)
        if min_volume < 0:
            raise ValueError
    except ValueError:
        raise BadRequest(_("Volume minimum harus bilangan bulat tidak negatif, misalnya ?min=10.")) from None
    rows = ind.ranking(period, min_volume=min_volume)
    if scope.agency is None and not scope.national:
        rows = [r for r in rows if r.agency.pk in set(scope.agency_ids)]
    return period, rows


def ranking_table(period: Period, rows) -> Table:
    return Table(
        title=_("Peringkat %(period)s") % {"period": period.label},
        columns=[_("Peringkat"), _("Instansi"), _("Kelompok volume"), _("Peringkat dalam kelompok"), _("Diterima"),
                 _("Ditindaklanjuti (%)"), _("Selesai (%)"), _("Tindak lanjut pertama tepat waktu (%)"),
                 _("Kepuasan (1–5)"), _("Kelompok konektivitas"), _("Admin aktif 30 hari terakhir")],
        rows=[[r.rank, r.agency.name, r.group, r.rank_in_group, r.figures.received, r.figures.pct_followed_up,
               r.figures.pct_completed, r.figures.pct_follow_up_on_time, r.figures.satisfaction, r.connectivity,
               _("ya") if r.admin_active else _("tidak")] for r in rows],
    )


def red_marks_table(period: Period, marks) -> Table:
    return Table(
        title=_("Tanda merah %(period)s") % {"period": period.label},
        columns=[_("Unit kerja"), _("Instansi"), _("Terlambat saat ini"), _("Tindak lanjut pertama tepat waktu (%)")],
        rows=[[m.unit, m.agency, m.late_now, m.pct_follow_up_on_time] for m in marks],
    )


@monitoring_only
def evaluation_export(request, scope: Scope, table: str, fmt: str):
    """The evaluation's tables as CSV (one table) or XLSX."""
    if table not in ("peringkat", "tanda-merah") or fmt not in ("csv", "xlsx"):
        raise Http404(_("Tabel atau format ekspor tidak dikenal."))
    try:
        period, rows = _evaluation_rows(request, scope)
    except BadRequest as exc:
        return _bad_request(request, str(exc))
    ranking = ranking_table(period, rows)
    marks = red_marks_table(period, ind.red_marks(period, agency_ids=scope.agency_ids))
    tables = [ranking, marks] if table == "peringkat" else [marks, ranking]
    return table_download(tables, f"evaluasi-{table}-{period.code}", fmt)


@monitoring_only
def evaluation_pdf(request, scope: Scope):
    """The evaluation report as PDF: national for national users, else one agency in scope."""
    try:
        period = _period(request, _current_semester())
    except BadRequest as exc:
        return _bad_request(request, str(exc))
    wanted = request.GET.get("instansi") or (scope.agency.pk if scope.agency else "")
    agency = None
    if wanted:
        agency = Agency.objects.filter(pk=int(wanted) if str(wanted).isdigit() else None).first()
        if agency is None:
            raise Http404(_("Instansi tidak ditemukan."))
        if not scope.national and agency.pk not in scope.agency_ids:
            raise PermissionDenied(_("Instansi ini di luar lingkup Anda."))
    elif not scope.national:
        return _bad_request(request, _("Pilih instansi dalam lingkup Anda, misalnya ?instansi=ID."))
    pdf = build_evaluation_pdf(period, agency)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"evaluasi-{agency.code if agency else 'nasional'}-{period.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- 2. dashboard -----------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    received: int
    pct_completed: float | None
    pct_on_time: float | None
    late: int | None
    received_url: str = ""
    late_url: str = ""


def _unit_rows(agency: Agency, period: Period) -> list[Row]:
    units = list(Unit.objects.filter(agency=agency).order_by("name").values_list("pk", "name"))
    figures = ind.indicators("unit", period.start, period.end, keys=[pk for pk, _name in units])
    late = ind.late_now(by="current_unit", agency_ids=[agency.pk])
    rows = []
    for pk, name in units:
        f = figures.get(str(pk)) or _blank(str(pk))
        rows.append(Row(
            name, f.received, f.pct_completed, f.pct_follow_up_on_time, late.get(pk, 0),
            _reports_url(tab=Tab.ALL, unit=pk, **_span(period)), _reports_url(tab=Tab.OVERDUE, unit=pk),
        ))
    return sorted(rows, key=lambda r: (-r.received, r.name))


def _agency_rows(scope: Scope, period: Period) -> list[Row]:
    figures = ind.indicators("agency", period.start, period.end, keys=scope.agency_ids)
    late = ind.late_now(agency_ids=_late_scope(scope))
    ids = {int(k) for k in figures} | set(late)
    if scope.agency_ids is not None:
        ids |= set(scope.agency_ids)
    rows = []
    for pk, code, name in Agency.objects.filter(pk__in=ids).values_list("pk", "code", "name"):
        f = figures.get(str(pk)) or _blank(str(pk))
        rows.append(Row(
            name, f.received, f.pct_completed, f.pct_follow_up_on_time, late.get(pk, 0),
            _reports_url(tab=Tab.ALL, agency=code, **_span(period)), _reports_url(tab=Tab.OVERDUE, agency=code),
        ))
    return sorted(rows, key=lambda r: (-r.received, -(r.late or 0), r.name))[:MAX_TABLE_ROWS]


def _province_rows(period: Period) -> list[Row]:
    figures = ind.indicators("province", period.start, period.end)
    names = dict(Region.objects.filter(pk__in=list(figures)).values_list("pk", "name"))
    rows = [
        Row(names.get(key, key), f.received, f.pct_completed, f.pct_follow_up_on_time, None,
            _reports_url(tab=Tab.ALL, province=key, **_span(period)))
        for key, f in figures.items()
    ]
    return sorted(rows, key=lambda r: (-r.received, r.name))


def _monthly(scope: Scope, months: list[Period]) -> list[tuple[Period, ind.Indicators]]:
    if scope.national:
        return ind.monthly("national", "", months)
    by_key = ind.monthly_by_key("agency", months, keys=scope.agency_ids)
    return [(m, ind.combined(series[i][1] for series in by_key.values())) for i, m in enumerate(months)]


def _rows_table(title: str, first: str, rows: list[Row]) -> Table:
    return Table(
        title=title,
        columns=[first, _("Diterima"), _("Selesai (%)"), _("Tindak lanjut pertama tepat waktu (%)"), _("Terlambat saat ini")],
        rows=[[r.name, r.received, r.pct_completed, r.pct_on_time, r.late] for r in rows],
    )


def dashboard_tables(scope: Scope, period: Period) -> dict[str, Table]:
    """The dashboard's tables as the page shows them, for CSV and XLSX."""
    figures = _figures(scope, period.start, period.end)
    tables = {
        "ringkasan": Table(
            title=_("Ringkasan %(period)s") % {"period": period.label},
            columns=[_("Indikator"), _("Nilai")],
            rows=[[label, value] for label, value in headline_rows(figures)]
            + [[_("Terlambat saat ini"), _late_total(scope)]],
        ),
        "tahap": Table(
            title=_("Waktu per tahap"),
            columns=[_("Tahap"), _("Tepat waktu (%)"), _("Median"), _("Persentil ke-90")],
            rows=[list(row) for row in ind.stage_times(figures, verification=scope.national)],
        ),
        "bulanan": Table(
            title=_("Per bulan"),
            columns=[_("Bulan"), _("Diterima"), _("Selesai"), _("Selesai (%)"), _("Tindak lanjut pertama tepat waktu (%)")],
            rows=[[m.label, f.received, f.completed, f.pct_completed, f.pct_follow_up_on_time]
                  for m, f in _monthly(scope, period.months())],
        ),
    }
    if scope.agency:
        tables["unit"] = _rows_table(_("Unit kerja"), _("Unit kerja"), _unit_rows(scope.agency, period))
    else:
        tables["instansi"] = _rows_table(_("Instansi"), _("Instansi"), _agency_rows(scope, period))
    if scope.national:
        tables["provinsi"] = _rows_table(_("Provinsi"), _("Provinsi"), _province_rows(period))
    return tables


@monitoring_only
def dashboard(request, scope: Scope):
    try:
        period = _period(request, _current_semester())
    except BadRequest as exc:
        return _bad_request(request, str(exc))
    figures = _figures(scope, period.start, period.end)
    late = _late_total(scope)
    months = _monthly(scope, period.months())
    chart = charts.column_chart(
        [(m.label, f.received) for m, f in months], title=_("Laporan diterima per bulan"),
    )
    completion_chart = charts.line_chart(
        [m.label for m, _f in months],
        [(_("Selesai (persen)"), [f.pct_completed for _m, f in months]),
         (_("Tindak lanjut pertama tepat waktu (persen)"), [f.pct_follow_up_on_time for _m, f in months])],
        title=_("Penyelesaian dan ketepatan waktu per bulan (persen)"),
        unit="%",
    )
    agency_code = scope.agency.code if scope.agency else ""
    context = {
        "period": period,
        "scope": scope,
        "figures": figures,
        "stages": ind.stage_times(figures, verification=scope.national),
        "late": late,
        "received_url": _reports_url(tab=Tab.ALL, **_span(period)),
        "completed_url": _reports_url(tab=Tab.ALL, status="completed", **_span(period)),
        "late_url": _reports_url(tab=Tab.OVERDUE),
        "chart": chart,
        "completion_chart": completion_chart,
        "unit_rows": _unit_rows(scope.agency, period) if scope.agency else None,
        "agency_rows": None if scope.agency else _agency_rows(scope, period),
        "province_rows": _province_rows(period) if scope.national else None,
        "agency_code": agency_code,
    }
    return render(request, "web/monitoring/dashboard.html", context)


# --- 3. monitoring room -----------------------------------------------------------------------


def _category_names(keys) -> dict[str, str]:
    ids = [int(k) for k in keys if str(k).isdigit()]
    return {str(c.pk): localized(c) for c in Category.objects.filter(pk__in=ids)}


def _first_follow_ups_today(scope: Scope) -> int:
    start, end = today_bounds()
    if scope.national:
        return ReportFact.objects.filter(first_follow_up_at__gte=start, first_follow_up_at__lt=end).count()
    return (
        AgencyStint.objects.filter(
            agency_id__in=scope.agency_ids, first_follow_up_at__gte=start, first_follow_up_at__lt=end
        ).values("report_id").distinct().count()
    )


def _top_categories(scope: Scope, today: date, days: int = 7, limit: int = 5) -> list[tuple[str, int]]:
    first = today - timedelta(days=days - 1)
    if scope.national:
        counts = {k: f.received for k, f in ind.indicators("category", first, today).items()}
    else:
        counts = {
            str(row["category_root_id"]): row["n"]
            for row in ReportFact.objects.filter(
                day__gte=first, day__lte=today, agency_id__in=scope.agency_ids, category_root_id__isnull=False
            ).values("category_root_id").annotate(n=Count("report_id")).order_by()
        }
    top = sorted(((k, n) for k, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0]))[:limit]
    names = _category_names(k for k, _n in top)
    return [(names.get(k, k), n) for k, n in top]


@monitoring_only
def room(request, scope: Scope):
    today = timezone.localdate()
    warnings = ind.early_warnings(today)
    names = _category_names(w.key for w in warnings)
    context = {
        "scope": scope,
        "today": today,
        "intake": _figures(scope, today, today).received,
        "late": _late_total(scope),
        "first_follow_ups": _first_follow_ups_today(scope),
        "warnings": [(names.get(w.key, w.key), w) for w in warnings],
        "top_categories": _top_categories(scope, today),
        "updated": timezone.localtime(),
        # Reloading by itself only when asked (WCAG 2.2.1: the person chooses timed changes).
        "wall": request.GET.get("layar") == "dinding",
    }
    return render(request, "web/monitoring/room.html", context)


# --- 4. trends --------------------------------------------------------------------------------


def _last_months(today: date, n: int = 12) -> list[Period]:
    months, day = [], today
    for _i in range(n):
        month = containing("month", day)
        months.append(month)
        day = month.start - timedelta(days=1)
    return months[::-1]


def _inclusion(dimension: str, start: date, end: date, labels: dict | None = None) -> list[tuple]:
    figures = ind.indicators(dimension, start, end)
    labels = labels or {}
    return [
        (labels.get(key, key), f.received, f.pct_completed, f.satisfaction)
        for key, f in sorted(figures.items(), key=lambda kv: (-kv[1].received, kv[0]))
    ]


def _trend_months(request, today: date) -> tuple[Period | None, list[Period]]:
    period = _period(request, None)
    return period, period.months() if period else _last_months(today)


def _series(dimension: str, months: list[Period], names) -> list[tuple[str, list[int], int]]:
    """(name, received per month, total) for every key of a dimension, biggest first."""
    by_key = ind.monthly_by_key(dimension, months)
    names = names(by_key)
    totals = sorted(
        ((key, sum(f.received for _m, f in series)) for key, series in by_key.items()),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return [(names.get(key, key), [f.received for _m, f in by_key[key]], total) for key, total in totals]


def _category_series(months: list[Period]) -> list[tuple[str, list[int], int]]:
    return _series("category", months, _category_names)


def _province_series(months: list[Period]) -> list[tuple[str, list[int], int]]:
    return _series("province", months, lambda keys: dict(Region.objects.filter(pk__in=list(keys)).values_list("pk", "name")))


def _disability_labels() -> dict:
    return {"ya": _("Penyandang disabilitas"), "tidak": _("Bukan penyandang disabilitas")}


def trends_tables(months: list[Period], today: date) -> dict[str, Table]:
    start, end = months[0].start, months[-1].end
    inclusion_columns = [_("Kelompok"), _("Diterima"), _("Selesai (%)"), _("Kepuasan (1–5)")]
    warnings = ind.early_warnings(today)
    warning_names = _category_names(w.key for w in warnings)
    return {
        "kategori": Table(
            title=_("Kategori per bulan"),
            columns=[_("Kategori"), *[m.label for m in months], _("Jumlah")],
            rows=[[name, *values, total] for name, values, total in _category_series(months)],
        ),
        "provinsi": Table(
            title=_("Provinsi per bulan"),
            columns=[_("Provinsi"), *[m.label for m in months], _("Jumlah")],
            rows=[[name, *values, total] for name, values, total in _province_series(months)],
        ),
        "peringatan": Table(
            title=_("Peringatan dini"),
            columns=[_("Kategori"), _("Tujuh hari terakhir"), _("Rata-rata per minggu sebelumnya"), _("Kelipatan")],
            rows=[[warning_names.get(w.key, w.key), w.recent, w.baseline, w.ratio] for w in warnings],
        ),
        "gender": Table(_("Menurut gender"), inclusion_columns, [list(r) for r in _inclusion("gender", start, end)]),
        "usia": Table(_("Menurut kelompok usia"), inclusion_columns, [list(r) for r in _inclusion("age", start, end)]),
        "disabilitas": Table(
            _("Menurut disabilitas"), inclusion_columns,
            [list(r) for r in _inclusion("disability", start, end, _disability_labels())],
        ),
    }


@monitoring_only
def trends(request, scope: Scope):
    today = timezone.localdate()
    try:
        period, months = _trend_months(request, today)
    except BadRequest as exc:
        return _bad_request(request, str(exc))
    start, end = months[0].start, months[-1].end
    categories = _category_series(months)
    chart = charts.line_chart(
        [m.label for m in months],
        [(name, values) for name, values, _t in categories[:TOP_CATEGORIES]],
        title=_("Laporan diterima per bulan menurut kategori"),
    ) if categories else ""
    warnings = ind.early_warnings(today)
    warning_names = _category_names(w.key for w in warnings)
    context = {
        "scope": scope,
        "months": months,
        "start": start,
        "end": end,
        "period": period,
        "categories": categories,
        "chart": chart,
        "provinces": _province_series(months),
        "warnings": [(warning_names.get(w.key, w.key), w) for w in warnings],
        "gender": _inclusion("gender", start, end),
        "age": _inclusion("age", start, end),
        "disability": _inclusion("disability", start, end, _disability_labels()),
    }
    return render(request, "web/monitoring/trends.html", context)


# --- exports of every table -------------------------------------------------------------------


@monitoring_only
def page_export(request, scope: Scope, page: str, table: str, fmt: str):
    """A page's table as CSV, or all its tables as XLSX (`semua`), with the page's numbers."""
    today = timezone.localdate()
    try:
        if page == "dasbor":
            period = _period(request, _current_semester())
            tables, code = dashboard_tables(scope, period), period.code
        elif page == "tren":
            period, months = _trend_months(request, today)
            tables, code = trends_tables(months, today), period.code if period else "12-bulan"
        else:
            raise Http404(_("Tabel atau format ekspor tidak dikenal."))
    except BadRequest as exc:
        return _bad_request(request, str(exc))
    if fmt not in ("csv", "xlsx") or (table not in tables and not (table == "semua" and fmt == "xlsx")):
        raise Http404(_("Tabel atau format ekspor tidak dikenal."))
    chosen = list(tables.values()) if table == "semua" else [tables[table]]
    return table_download(chosen, f"{page}-{table}-{code}", fmt)
