"""The columns of the official LAPOR! admin export and how their cells read back.

The export (`lapor.complaints.exports.export_header`) writes labels in the user's language, so
headers, yes/no, channels and statuses are recognised in Indonesian and in English, and by their
codes. Each parser returns a value or raises `CellError` with an Indonesian message.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lapor.complaints.exports import ANONYMOUS_NAME, export_header
from lapor.complaints.models import Channel, Status

# Column keys, in the order of `export_header()`.
COLUMNS = (
    "tracking_id",
    "received_at",
    "reporter",
    "category",
    "title",
    "original_text",
    "text",
    "is_anonymous",
    "is_confidential",
    "channel",
    "agency",
    "status",
    "reason",
    "province",
    "regency",
    "district",
    "village",
    "rating",
    "unit",  # the unit it was forwarded to: read by routing's training, not needed to import
)
# Columns a file may leave out (exports made before they were added).
OPTIONAL = frozenset({"unit"})
# Other names the official export gives the key column.
ALIASES = {"id": "tracking_id", "id laporan": "tracking_id", "tracking id": "tracking_id"}
LANGUAGES = ("id", "en")
YES = {"ya", "yes", "y", "1", "true", "benar"}
NO = {"tidak", "no", "n", "0", "false", "salah", ""}
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d",
    "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y",
)
TRACKING_PATTERN = re.compile(r"^LAP-[0-9A-Z]{4}-[0-9A-Z]{4}$")


class CellError(ValueError):
    """A cell that cannot be read; the message is for the person who fixes the file."""


def fold(value) -> str:
    return " ".join(str(value if value is not None else "").split()).casefold()


@cache
def _headers() -> dict[str, str]:
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found.update({fold(label): key for key, label in zip(COLUMNS, export_header(), strict=True)})
    return {**found, **ALIASES}


def header_labels() -> dict[str, str]:
    """Each column's header in the current language (for messages)."""
    return dict(zip(COLUMNS, (str(label) for label in export_header()), strict=True))


def match_header(cells: list) -> tuple[dict[int, str], list[str], list[str]]:
    """(position -> column key, missing headers, unknown headers) of a header row."""
    known = _headers()
    positions: dict[int, str] = {}
    unknown = []
    for index, cell in enumerate(cells):
        key = known.get(fold(cell))
        if key is None:
            if fold(cell):
                unknown.append(str(cell).strip())
        elif key not in positions.values():
            positions[index] = key
    labels = header_labels()
    missing = [labels[key] for key in COLUMNS if key not in positions.values() and key not in OPTIONAL]
    return positions, missing, unknown


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def yes_no(value) -> bool:
    word = fold(value)
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(_("Tulis “Ya” atau “Tidak”."))


def _choices(enum) -> dict[str, str]:
    found = {fold(value): value for value in enum.values}
    for language in LANGUAGES:
        with translation.override(language):
            found.update({fold(label): value for value, label in enum.choices})
    return found


@cache
def _channel_words() -> dict[str, str]:
    return _choices(Channel)


@cache
def _status_words() -> dict[str, str]:
    return _choices(Status)


def channel(value) -> str:
    found = _channel_words().get(fold(value))
    if found is None:
        raise CellError(_("Kanal “%(value)s” tidak dikenal.") % {"value": text(value)})
    return found


def status(value) -> str:
    found = _status_words().get(fold(value))
    if found is None:
        raise CellError(_("Status “%(value)s” tidak dikenal.") % {"value": text(value)})
    return found


def received_at(value, *, now: datetime | None = None) -> datetime:
    """An aware moment from a cell (a spreadsheet date, or text in a common format, local time)."""
    now = now or timezone.now()
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        raw = text(value)
        if not raw:
            raise CellError(_("Tanggal diterima wajib diisi."))
        for pattern in DATETIME_FORMATS:
            try:
                moment = datetime.strptime(raw, pattern)
                break
            except ValueError:
                continue
        else:
            raise CellError(_("Tanggal “%(value)s” tidak terbaca: tulis seperti 2025-01-31 13:45.") % {"value": raw})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now:
        raise CellError(_("Tanggal diterima tidak boleh di masa depan."))
    return moment


def rating(value) -> int | None:
    raw = text(value)
    if not raw:
        return None
    if raw.isdigit() and 1 <= int(raw) <= 5:
        return int(raw)
    raise CellError(_("Penilaian harus angka 1 sampai 5."))


def reporter_name(value, is_anonymous: bool) -> str:
    name = text(value)
    if is_anonymous or fold(name) == fold(ANONYMOUS_NAME):
        return ""
    return name[:120]


def external_key(value) -> str:
    """The row's key: a lapor tracking id in its canonical form, any other id as written."""
    from lapor.complaints.services import normalize_tracking_id

    raw = text(value)
    if not raw:
        raise CellError(_("Nomor pelacakan wajib diisi: ia menjadi kunci agar impor ulang tidak menggandakan laporan."))
    normal = normalize_tracking_id(raw)
    return normal if TRACKING_PATTERN.match(normal) else raw[:64]
