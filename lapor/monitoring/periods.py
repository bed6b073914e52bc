"""Reporting periods: day, month, quarter, semester, year, written as "2026-11-23", "2026-11",
"2026-Q4", "2026-S2", "2026" in addresses and exports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
KINDS = ("day", "month", "quarter", "semester", "year")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def code(self) -> str:
        s = self.start
        return {
            "day": s.isoformat(),
            "month": f"{s.year}-{s.month:02d}",
            "quarter": f"{s.year}-Q{(s.month - 1) // 3 + 1}",
            "semester": f"{s.year}-S{(s.month - 1) // 6 + 1}",
            "year": str(s.year),
        }[self.kind]

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == "day":
            return f"{s.day} {MONTHS[s.month - 1]} {s.year}"
        if self.kind == "month":
            return f"{MONTHS[s.month - 1]} {s.year}"
        if self.kind == "quarter":
            return _("Triwulan %(n)s %(year)s") % {"n": (s.month - 1) // 3 + 1, "year": s.year}
        if self.kind == "semester":
            return _("Semester %(n)s %(year)s") % {"n": (s.month - 1) // 6 + 1, "year": s.year}
        return str(s.year)

    def previous(self) -> "Period":
        return containing(self.kind, self.start - timedelta(days=1))

    def months(self) -> list["Period"]:
        out, day = [], self.start
        while day <= self.end:
            out.append(containing("month", day))
            day = out[-1].end + timedelta(days=1)
        return out


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def containing(kind: str, day: date) -> Period:
    if kind == "day":
        return Period(kind, day, day)
    if kind == "year":
        return Period(kind, date(day.year, 1, 1), date(day.year, 12, 31))
    size = {"month": 1, "quarter": 3, "semester": 6}[kind]
    first = (day.month - 1) // size * size + 1
    return Period(kind, date(day.year, first, 1), _month_end(day.year, first + size - 1))


_CODE = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q([1-4])|S([12])))?$")


def parse(code: str) -> Period:
    """A period from its code; ValueError with a readable message when it is not one."""
    m = _CODE.match((code or "").strip())
    if not m:
        raise ValueError(_("Periode tidak dikenal: %(code)s (contoh: 2026-S1, 2026-Q3, 2026-11, 2026)") % {"code": code})
    year, month, day, quarter, semester = m.groups()
    y = int(year)
    if day:
        return containing("day", date(y, int(month), int(day)))
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(_("Bulan tidak dikenal: %(code)s") % {"code": code})
        return containing("month", date(y, int(month), 1))
    if quarter:
        return containing("quarter", date(y, (int(quarter) - 1) * 3 + 1, 1))
    if semester:
        return containing("semester", date(y, (int(semester) - 1) * 6 + 1, 1))
    return containing("year", date(y, 1, 1))
