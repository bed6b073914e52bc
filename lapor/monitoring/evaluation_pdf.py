"""The evaluation report as a PDF, in Indonesian: national or per agency, for one period.

Drawn with ReportLab (its own charts, no browser and no network), from the same functions the
pages use, so the document holds the same numbers as the screen.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lapor.accounts.models import Agency, Unit

from . import indicators as ind
from .periods import Period

BLUE, ORANGE = colors.HexColor("#0072B2"), colors.HexColor("#E69F00")


def number(value, decimals: int = 0) -> str:
    """Indonesian style: 1.234.567,5; a dash for no data."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(value) -> str:
    return "–" if value is None else number(value, 1) + " %"


def headline_rows(figures: ind.Indicators) -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs, shared by the PDF and its test."""
    return [
        ("Laporan diterima", number(figures.received)),
        ("Ditindaklanjuti", percent(figures.pct_followed_up)),
        ("Selesai", percent(figures.pct_completed)),
        ("Dalam proses", percent(figures.pct_in_process)),
        ("Tindak lanjut pertama tepat waktu", percent(figures.pct_follow_up_on_time)),
        ("Penyelesaian tepat waktu", percent(figures.pct_completion_on_time)),
        ("Dialihkan ke instansi lain", number(figures.transferred)),
        ("Dibuka kembali", number(figures.reopened)),
        ("Rata-rata penilaian (1–5)", number(figures.satisfaction, 2)),
        ("Penilaian 4–5", percent(figures.pct_rating_good)),
        ("Jawaban templat", percent(figures.pct_boilerplate)),
    ]


def _table(rows, widths, header=True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    table.setStyle(TableStyle(style))
    return table


def _monthly_chart(series: list[tuple[Period, ind.Indicators]]) -> Drawing:
    drawing = Drawing(16 * cm, 6 * cm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1.2 * cm, 1 * cm, 12 * cm, 4.5 * cm
    chart.data = [[f.received for _, f in series], [f.completed for _, f in series]]
    chart.categoryAxis.categoryNames = [p.label for p, _ in series]
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 6
    chart.bars[0].fillColor, chart.bars[1].fillColor = BLUE, ORANGE
    legend = Legend()
    legend.x, legend.y, legend.fontSize = 13.5 * cm, 5 * cm, 7
    legend.colorNamePairs = [(BLUE, "Diterima"), (ORANGE, "Selesai")]
    drawing.add(chart)
    drawing.add(legend)
    return drawing


def evaluation_pdf(
    period: Period, agency: Agency | None = None, *, now: datetime | None = None, min_volume: int = 10
) -> bytes:
    styles = getSampleStyleSheet()
    h1, h2, body = styles["Title"], styles["Heading2"], styles["BodyText"]
    subject = agency.name if agency else "Nasional"
    dimension, key = ("agency", str(agency.pk)) if agency else ("national", "")
    figures = ind.total(dimension, period.start, period.end, key)
    story = [
        Paragraph("Laporan Evaluasi Pengelolaan Pengaduan Pelayanan Publik", h1),
        Paragraph(f"{subject} · {period.label}", h2),
        Paragraph(
            f"Dibuat {timezone.localtime(now or timezone.now()):%d-%m-%Y %H:%M}. Angka menghitung laporan yang diterima "
            "dalam periode ini, dalam keadaan terakhirnya; laporan rahasia dihitung tetapi tidak ditampilkan.", body),
        Spacer(1, 0.3 * cm),
        Paragraph("Ringkasan", h2),
        _table([("Indikator", "Nilai"), *headline_rows(figures)], [9 * cm, 4 * cm]),
        Spacer(1, 0.3 * cm),
        Paragraph("Waktu per tahap", h2),
        _table(
            [("Tahap", "Tepat waktu", "Median", "Persentil ke-90")]
            + [(name, percent(on_time), median, p90) for name, on_time, median, p90 in ind.stage_times(figures, verification=agency is None)],
            [6 * cm, 3 * cm, 3 * cm, 3 * cm],
        ),
        Spacer(1, 0.3 * cm),
        Paragraph("Laporan per bulan", h2),
        _monthly_chart(ind.monthly(dimension, key, period.months())),
    ]
    if agency is None:
        ranked = [r for r in ind.ranking(period, min_volume=min_volume) if r.rank is not None][:30]
        story += [
            Paragraph("Peringkat instansi (30 teratas)", h2),
            _table(
                [("No.", "Instansi", "Diterima", "Selesai", "Tepat waktu", "Kelompok")]
                + [(str(r.rank), Paragraph(r.agency.name, body), number(r.figures.received),
                    percent(r.figures.pct_completed), percent(r.figures.pct_follow_up_on_time), r.group)
                   for r in ranked],
                [1 * cm, 7 * cm, 2 * cm, 2 * cm, 2.2 * cm, 1.8 * cm],
            ),
        ]
    else:
        units = Unit.objects.filter(agency=agency).in_bulk()
        by_unit = ind.indicators("unit", period.start, period.end, keys=list(units))
        story += [
            Paragraph("Per unit kerja", h2),
            _table(
                [("Unit", "Diterima", "Ditindaklanjuti", "Selesai", "Tepat waktu")]
                + [(Paragraph(units[int(k)].name, body), number(f.received), percent(f.pct_followed_up),
                    percent(f.pct_completed), percent(f.pct_follow_up_on_time))
                   for k, f in sorted(by_unit.items(), key=lambda kv: -kv[1].received)],
                [7 * cm, 2 * cm, 2.5 * cm, 2 * cm, 2.5 * cm],
            ),
        ]
    marks = ind.red_marks(period, agency_ids=[agency.pk] if agency else None, now=now, limit=50)
    story += [Paragraph("Tanda merah: unit dengan laporan terlambat", h2)]
    story += [
        _table(
            [("Unit", "Instansi", "Terlambat kini", "Tepat waktu")]
            + [(Paragraph(m.unit, body), Paragraph(m.agency, body), number(m.late_now), percent(m.pct_follow_up_on_time))
               for m in marks],
            [5.5 * cm, 6 * cm, 2.5 * cm, 2.5 * cm],
        )
        if marks else Paragraph("Tidak ada unit dengan tanda merah.", body)
    ]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=f"Evaluasi {subject} {period.label}", author="lapor",
        leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm, bottomMargin=1.5 * cm,
    ).build(story)
    return out.getvalue()
