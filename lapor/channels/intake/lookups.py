"""Names in an export row turned into lapor's rows: categories, agencies, archive reasons, regions.

Each table is read once per import (regions level by level, as rows need them), so checking a
file of thousands of rows costs a few queries, not a few a row.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from lapor.accounts.models import Agency
from lapor.complaints.models import ArchiveReason, Category, Report
from lapor.regions.models import Region

from .columns import CellError, fold, text
from .models import ImportedReport

REGION_KEYS = ("province", "regency", "district", "village")


class RegionError(CellError):
    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _index(rows, *names) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for row in rows:
        for name in names:
            value = fold(getattr(row, name, ""))
            if value and row not in found[value]:
                found[value].append(row)
    return found


class Lookups:
    def __init__(self, *, agency: Agency | None = None):
        # An import for one agency: its rows may name only it (an empty cell means it).
        self.only_agency = agency
        self.categories = _index(Category.objects.all(), "code", "name", "name_en")
        self.agencies = _index(Agency.objects.all(), "code", "name", "short_name")
        self.reasons = _index(ArchiveReason.objects.all(), "code", "name", "name_en")
        self.regions: dict[tuple, Region | None] = {}
        # (parent code, folded name) -> region, for the names a file uses (see `preload_regions`).
        self.region_index: dict[tuple, Region] = {}

    def preload_regions(self, rows: list[list], chunk: int = 500) -> None:
        """Read every region a file names in a few queries a level (names as written; a name in
        another case is looked up alone later)."""
        for depth in range(len(REGION_KEYS)):
            names = sorted({text(cells[depth]) for cells in rows if text(cells[depth])})
            for start in range(0, len(names), chunk):
                for region in Region.objects.filter(level=depth + 1, name__in=names[start : start + chunk]):
                    self.region_index.setdefault((region.parent_id, fold(region.name)), region)

    def category(self, value) -> Category | None:
        if not text(value):
            return None
        found = self.categories.get(fold(value), [])
        if not found:
            raise CellError(_("Kategori “%(value)s” tidak dikenal.") % {"value": text(value)})
        active = [c for c in found if c.is_active]
        if not active:
            raise CellError(_("Kategori “%(value)s” tidak aktif lagi.") % {"value": text(value)})
        return active[0]

    def agency(self, value) -> Agency | None:
        if not text(value):
            return self.only_agency
        found = self.agencies.get(fold(value), [])
        if len(found) != 1:
            if not found:
                raise CellError(_("Instansi “%(value)s” tidak dikenal.") % {"value": text(value)})
            raise CellError(_("Nama instansi “%(value)s” tidak tunggal: tulis kodenya.") % {"value": text(value)})
        agency = found[0]
        if self.only_agency is not None and agency.pk != self.only_agency.pk:
            raise CellError(
                _("Baris ini milik %(other)s; impor ini hanya untuk %(agency)s.")
                % {"other": agency.name, "agency": self.only_agency.name}
            )
        if not agency.is_active:
            raise CellError(_("Instansi “%(value)s” tidak aktif.") % {"value": agency.name})
        return agency

    def archive_reason(self, value) -> ArchiveReason:
        found = self.reasons.get(fold(value), [])
        if not text(value):
            raise CellError(_("Alasan arsip wajib diisi untuk laporan yang diarsipkan."))
        if not found:
            raise CellError(_("Alasan arsip “%(value)s” tidak dikenal.") % {"value": text(value)})
        return found[0]

    def region(self, cells: list) -> Region | None:
        """The most precise region named by province, regency/city, district and village names."""
        names = [text(c) for c in cells]
        region = None
        for depth, (key, name) in enumerate(zip(REGION_KEYS, names, strict=True)):
            if not name:
                if any(names[depth + 1 :]):
                    raise RegionError(_("Wajib diisi bila wilayah di bawahnya diisi."), key)
                break
            path = tuple(fold(n) for n in names[: depth + 1])
            if path not in self.regions:
                parent = region.code if region is not None else None
                self.regions[path] = self.region_index.get((parent, fold(name))) or (
                    Region.objects.filter(level=depth + 1, parent=region, name__iexact=name).first()
                )
            found = self.regions[path]
            if found is None:
                raise RegionError(_("Wilayah “%(value)s” tidak dikenal di tingkat ini.") % {"value": name}, key)
            region = found
        return region

    @staticmethod
    def existing_keys(keys: list[str], chunk: int = 500) -> set[str]:
        """The keys already imported, or naming a report of this lapor (two queries a chunk)."""
        found: set[str] = set()
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            found.update(ImportedReport.objects.filter(external_id__in=part).values_list("external_id", flat=True))
            found.update(Report.objects.filter(tracking_id__in=part).values_list("tracking_id", flat=True))
        return found
