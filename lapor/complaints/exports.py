"""Rows of the officers' export (CSV/XLSX), shaped like the official LAPOR! admin export.

`export_rows()` takes a queryset the viewer may already read (from `selectors.reports_visible_to`)
and yields plain rows with a constant number of queries. An anonymous reporter is "Anonim" in
every row; the identity never leaves the database.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor

from .models import Report
from .selectors import reports_visible_to

ANONYMOUS_NAME = "Anonim"
EXPORT_RELATED = (
    "reporter",
    "category",
    "current_agency",
    "current_unit",
    "archive_reason",
    "region__parent__parent__parent",
)


def export_header() -> list[str]:
    return [
        _("Nomor pelacakan"),
        _("Tanggal diterima"),
        _("Pelapor"),
        _("Kategori"),
        _("Judul"),
        _("Isi laporan asli"),
        _("Isi laporan (disunting)"),
        _("Anonim"),
        _("Rahasia"),
        _("Kanal"),
        _("Instansi"),
        _("Status"),
        _("Alasan tunda/arsip"),
        _("Provinsi"),
        _("Kabupaten/Kota"),
        _("Kecamatan"),
        _("Kelurahan/Desa"),
        _("Penilaian"),
        # Last, so earlier columns keep their places; routers learn units from it.
        _("Unit kerja"),
    ]


def reporter_label(report: Report) -> str:
    """The reporter's name for a report already in the viewer's scope; "Anonim" when anonymous."""
    if report.is_anonymous:
        return ANONYMOUS_NAME
    if report.reporter_id:
        return report.reporter.display_name()
    return report.contact_name or ANONYMOUS_NAME


def _region_levels(region) -> list[str]:
    """[province, regency/city, district, village] names, blanks where the report is less precise."""
    chain = []
    while region is not None and len(chain) < 4:
        chain.append(region)
        region = region.parent if region.parent_id else None
    names = [r.name for r in reversed(chain)]
    return names + [""] * (4 - len(names))


def _yes_no(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def export_rows(reports: QuerySet[Report], viewer, *, limit: int = 50_000) -> Iterator[list]:
    """Rows for `reports` narrowed to what `viewer` may see, oldest first within the given order.

    Queries: one for the rows (fetched in chunks), whatever their number. The hold reason is
    the question asked of the reporter, which lives on an event; to keep the cost constant the
    export names only the archive reason, and "Ditunda" for held reports.
    """
    actor = Actor.of(viewer)
    scoped = reports.filter(pk__in=reports_visible_to(actor).values("pk")) if actor.user else reports.none()
    for report in scoped.select_related(*EXPORT_RELATED)[:limit].iterator(chunk_size=2000):
        received = timezone.localtime(report.created_at)
        reason = report.archive_reason.name if report.archive_reason_id else ""
        if not reason and report.status == "on_hold":
            reason = _("Ditunda: menunggu kelengkapan dari pelapor")
        yield [
            report.tracking_id,
            received.strftime("%Y-%m-%d %H:%M"),
            reporter_label(report),
            report.category.name if report.category_id else "",
            report.title,
            report.original_text,
            report.text,
            _yes_no(report.is_anonymous),
            _yes_no(report.is_confidential),
            str(report.get_channel_display()),
            report.current_agency.name if report.current_agency_id else "",
            str(report.get_status_display()),
            reason,
            *_region_levels(report.region if report.region_id else None),
            report.rating or "",
            report.current_unit.name if report.current_unit_id else "",
        ]
