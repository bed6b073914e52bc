"""Public statistics: numbers, charts and the map, with no personal data or confidential content.

Every figure is a count summed from the daily rollups (`lapor.monitoring.indicators`); nothing
here reads a report, a reporter or an event. Confidential reports are counted like any other
and never listed. Each table on the page is a `lapor.monitoring.exports.Table`, so the page and
its CSV/XLSX exports show the same numbers.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.complaints.models import Category, Channel
from lapor.monitoring import charts
from lapor.monitoring import indicators as ind
from lapor.monitoring.exports import Table, to_csv, to_xlsx
from lapor.monitoring.periods import Period, containing, parse
from lapor.regions.models import Region

from ..choices import localized

DATA = Path(__file__).resolve().parents[2] / "monitoring" / "data"
TOP_CATEGORIES = 10
MAPS = {"provinsi": ("province", "provinces.json"), "kabkota": ("regency", "regencies.json")}
MEASURES = ("diterima", "selesai")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@cache
def _shapes(filename: str) -> dict:
    with open(DATA / filename, encoding="utf-8") as f:
        return json.load(f)


def _current_semester() -> Period:
    return containing("semester", timezone.localdate())


def _period(request) -> Period:
    """The period asked for (default: the current semester); ValueError with a readable message."""
    code = request.GET.get("periode")
    return parse(code) if code else _current_semester()


def _bad_period(request, message: str):
    return render(request, "web/statistics/bad_request.html", {"message": message}, status=400)


def _sorted(figures: dict[str, ind.Indicators]) -> list[tuple[str, ind.Indicators]]:
    return sorted(figures.items(), key=lambda kv: (-kv[1].received, kv[0]))


def _region_names(codes, shapes_file: str) -> dict[str, str]:
    names = dict(Region.objects.filter(pk__in=list(codes)).values_list("code", "name"))
    shapes = _shapes(shapes_file)
    return {code: names.get(code) or shapes.get(code, {}).get("name") or code for code in codes}


# --- the tables (each also an export) ---------------------------------------------------------


def _region_table(period: Period, dimension: str) -> tuple[Table, dict[str, ind.Indicators], dict[str, str]]:
    figures = ind.indicators(dimension, period.start, period.end)
    shapes_file = MAPS["provinsi" if dimension == "province" else "kabkota"][1]
    names = _region_names(figures, shapes_file)
    title = _("Laporan per provinsi") if dimension == "province" else _("Laporan per kabupaten/kota")
    place = _("Provinsi") if dimension == "province" else _("Kabupaten/kota")
    table = Table(
        f"{title} · {period.label}",
        [_("Kode"), place, _("Diterima"), _("Selesai (%)"), _("Tindak lanjut pertama tepat waktu (%)")],
        [[code, names[code], f.received, f.pct_completed, f.pct_follow_up_on_time] for code, f in _sorted(figures)],
    )
    return table, figures, names


def province_table(period: Period) -> Table:
    return _region_table(period, "province")[0]


def category_table(period: Period) -> Table:
    figures = ind.indicators("category", period.start, period.end)
    ids = [int(k) for k in figures if k.isdigit()]
    categories = Category.objects.in_bulk(ids)
    rows = []
    for key, f in _sorted(figures):
        category = categories.get(int(key)) if key.isdigit() else None
        rows.append([localized(category) if category else _("Tanpa kategori"), f.received, f.pct_completed])
    return Table(
        f"{_('Laporan per kategori')} · {period.label}",
        [_("Kategori"), _("Diterima"), _("Selesai (%)")],
        rows,
    )


def channel_table(period: Period) -> Table:
    figures = ind.indicators("channel", period.start, period.end)
    labels = dict(Channel.choices)
    return Table(
        f"{_('Laporan per kanal')} · {period.label}",
        [_("Kanal"), _("Diterima"), _("Selesai (%)")],
        [[str(labels.get(key, key)), f.received, f.pct_completed] for key, f in _sorted(figures)],
    )


def monthly_table(period: Period) -> Table:
    return Table(
        f"{_('Laporan per bulan')} · {period.label}",
        [_("Bulan"), _("Diterima"), _("Selesai"), _("Selesai (%)")],
        [[m.label, f.received, f.completed, f.pct_completed] for m, f in ind.monthly("national", "", period.months())],
    )


EXPORTS = {"provinsi": province_table, "kategori": category_table, "kanal": channel_table, "bulanan": monthly_table}


# --- the page ---------------------------------------------------------------------------------


def _period_links(period: Period) -> list[tuple[str, Period]]:
    """Previous and next semester and year; periods that have not begun are left out."""
    semester, year = containing("semester", period.start), containing("year", period.start)
    today = timezone.localdate()
    links = [
        (_("Semester sebelumnya"), semester.previous()),
        (_("Semester berikutnya"), containing("semester", semester.end + timedelta(days=1))),
        (_("Tahun sebelumnya"), year.previous()),
        (_("Tahun berikutnya"), containing("year", year.end + timedelta(days=1))),
    ]
    return [(label, p) for label, p in links if p.start <= today]


def _map(period: Period, which: str, measure: str) -> tuple[str, Table]:
    dimension, shapes_file = MAPS[which]
    table, figures, names = _region_table(period, dimension)
    shapes = _shapes(shapes_file)
    if measure == "selesai":
        values = {code: f.pct_completed for code, f in figures.items() if f.pct_completed is not None}
        unit = "%"
        what = _("Persentase laporan selesai")
    else:
        values = {code: f.received for code, f in figures.items()}
        unit = ""
        what = _("Laporan diterima")
    where = _("per provinsi") if which == "provinsi" else _("per kabupaten/kota")
    # Every region is drawn; one without reports in the period is hatched as "no data".
    svg = charts.choropleth(
        {code: shape["path"] for code, shape in shapes.items()},
        {code: v for code, v in values.items() if code in shapes},
        title=f"{what} {where} · {period.label}",
        names={**{code: shape["name"] for code, shape in shapes.items()}, **names},
        unit=unit,
    )
    return svg, table


@require_GET
def overview(request):
    try:
        period = _period(request)
    except ValueError as exc:
        return _bad_period(request, str(exc))
    which = request.GET.get("peta") if request.GET.get("peta") in MAPS else "provinsi"
    measure = request.GET.get("ukuran") if request.GET.get("ukuran") in MEASURES else "diterima"

    figures = ind.total("national", period.start, period.end, durations=False)
    monthly = monthly_table(period)
    categories = category_table(period)
    channels = channel_table(period)
    map_svg, map_table = _map(period, which, measure)
    region_table = map_table if which == "provinsi" else province_table(period)

    context = {
        "period": period,
        "figures": figures,
        "period_links": _period_links(period),
        "which": which,
        "measure": measure,
        "map_svg": map_svg,
        "map_table": map_table if which == "kabkota" else None,
        "monthly": monthly,
        "monthly_chart": charts.column_chart(
            [(row[0], row[1]) for row in monthly.rows], title=monthly.title, unit=""
        ),
        "provinces": region_table,
        "categories": categories,
        "category_chart": charts.bar_chart(
            [(row[0], row[1]) for row in categories.rows[:TOP_CATEGORIES]],
            title=_("%(n)s kategori dengan laporan terbanyak") % {"n": min(TOP_CATEGORIES, len(categories.rows))},
            unit="",
        ) if categories.rows else "",
        "channels": channels,
        "channel_chart": charts.bar_chart(
            [(row[0], row[1]) for row in channels.rows], title=channels.title, unit=""
        ) if channels.rows else "",
        "exports": {
            name: {fmt: f"{reverse('web:statistics_export', args=[name, fmt])}?periode={period.code}"
                   for fmt in ("csv", "xlsx")}
            for name in EXPORTS
        },
    }
    return render(request, "web/statistics/overview.html", context)


@require_GET
def export(request, table: str, fmt: str):
    """One table of the page as CSV or XLSX; an unknown table or format is a 404."""
    if table not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404(_("Tabel atau format ekspor tidak dikenal."))
    try:
        period = _period(request)
    except ValueError as exc:
        return _bad_period(request, str(exc))
    return table_download([EXPORTS[table](period)], f"statistik-{table}-{period.code}", fmt)


def table_download(tables: list[Table], stem: str, fmt: str) -> HttpResponse:
    """Tables as an attachment: CSV holds the first, XLSX one sheet per table."""
    if fmt == "csv":
        response = HttpResponse(to_csv(tables[0]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(tables), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
