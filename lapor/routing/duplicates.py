"""Near-duplicate reports: the same matter filed again, offered to verifiers as a merge.

Similarity starts from the Jaccard overlap of character shingles (4 letters) of the texts, after
the parts that say nothing about the matter are taken out: greetings and closings ("Selamat pagi
Bapak/Ibu", "Mohon segera ditindaklanjuti, terima kasih"), SMS spellings (yg, tdk, mhn), case
and punctuation. Shingles shrug off typos (a misspelt word loses four shingles of a hundred),
reordered sentences (only the shingles at the joins change) and added greetings. Two texts that
share most of their words but name other places (the gazetteer's reading) or other numbers
(amounts, dates, RT/RW) are more often two matters than one, so those lower the score. How this
compares with word overlap and TF-IDF cosine is measured by `bench/duplicates.py` (figures in
bench/README.md).

Candidates are few (one regency, a few weeks), so every pair is compared exactly; MinHash would
only approximate the same number.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import spelling

SHINGLE = 4
# Scores at or above this are offered as possible duplicates (bench/duplicates.py: near the best
# F1, on the side of finding more; a verifier decides).
THRESHOLD = 0.6
# At most this many recent reports of the regency are compared.
CANDIDATES = 500

_GREETINGS = [
    r"assalamu ?alaikum(?: warahmatullahi wabarakatuh| wr wb)?", r"wa ?alaikum ?salam", r"om swastiastu",
    r"sampurasun", r"salam sejahtera", r"shalom", r"namo buddhaya", r"selamat (?:pagi|siang|sore|malam)",
    r"(?:kepada )?(?:yth|yang terhormat)", r"dengan hormat", r"halo(?: min| admin)?", r"hai(?: min| admin)?",
    r"admin lapor", r"bapak ibu(?: petugas)?", r"bapak ibu", r"permisi", r"mohon izin(?: melaporkan| melapor)?",
    r"saya (?:mau|ingin|hendak) (?:melapor|melaporkan|menyampaikan)", r"izin melapor",
    r"(?:mohon )?segera (?:ditindaklanjuti|ditindak lanjuti|diproses)", r"mohon (?:ditindaklanjuti|bantuannya|perhatiannya)",
    r"atas perhatian(?:nya)?(?: dan kerja ?sama(?:nya)?)?(?: saya ucapkan)? terima kasih", r"terima ?kasih(?: banyak)?",
    r"trims", r"makasih", r"matur nuwun", r"hatur nuhun", r"suksma", r"tabe", r"hormat saya", r"salam",
    r"semoga (?:cepat|segera) (?:direspons|direspon|ditanggapi)", r"saya tunggu tindak ?lanjut(?:nya)?",
    r"tolong jangan hanya dijawab tapi benar benar dicek ke lapangan",
]
_BOILERPLATE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(_GREETINGS) + r")(?![a-z0-9])")
SMS_WORDS = {
    "yg": "yang", "tdk": "tidak", "gak": "tidak", "ga": "tidak", "nggak": "tidak", "ngga": "tidak", "sdh": "sudah",
    "udah": "sudah", "blm": "belum", "mhn": "mohon", "dgn": "dengan", "krn": "karena", "karna": "karena",
    "utk": "untuk", "tlg": "tolong", "smp": "sampai", "bpk": "bapak", "skrg": "sekarang", "kmi": "kami",
    "jg": "juga", "tp": "tapi", "tpi": "tapi", "jln": "jalan", "jl": "jalan", "dr": "dari", "dlm": "dalam",
    "sy": "saya", "aq": "aku", "kpd": "kepada", "org": "orang", "bgt": "banget", "sm": "sama", "lg": "lagi",
}
_WORD = re.compile(r"[a-z0-9]+")


def normalized(text: str) -> str:
    """The words that carry the matter: lower case, SMS spellings written out, greetings gone."""
    words = [SMS_WORDS.get(w, w) for w in _WORD.findall(spelling.fold(text or ""))]
    return " ".join(_BOILERPLATE.sub(" ", " ".join(words)).split())


def shingles(text: str, *, k: int = SHINGLE, keep_boilerplate: bool = False) -> frozenset[str]:
    if keep_boilerplate:
        flat = " ".join(_WORD.findall(spelling.fold(text or "")))
    else:
        flat = normalized(text)
    if len(flat) <= k:
        return frozenset([flat]) if flat else frozenset()
    return frozenset(flat[i:i + k] for i in range(len(flat) - k + 1))


@lru_cache(maxsize=4096)
def _cached_shingles(text: str) -> frozenset[str]:
    return shingles(text)


def overlap(a: str, b: str) -> float:
    """0–1: the share of shingles the two texts have in common (Jaccard)."""
    x, y = _cached_shingles(a or ""), _cached_shingles(b or "")
    if not x or not y:
        return 0.0
    common = len(x & y)
    return common / (len(x) + len(y) - common)


_NUMBER = re.compile(r"\d+")
# How much of the score survives when the texts share no number, and when they name places and
# none of them the same (bench/duplicates.py chose these).
NUMBERS_APART = 0.6
PLACES_APART = 0.6


def _agreement(x: set, y: set, floor: float) -> float:
    if not x or not y:
        return 1.0
    return floor + (1 - floor) * len(x & y) / len(x | y)


@lru_cache(maxsize=4096)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(_NUMBER.findall(normalized(text)))


def _named_places(text: str) -> frozenset[str]:
    from .gazetteer import gazetteer

    return frozenset(p.code for p in gazetteer().locate_cached(text).places if not p.inferred)


def similarity(a: str, b: str, *, places=None, at_least: float = 0.0) -> float:
    """0–1: shingle overlap, lowered when the texts give other numbers or name other places.

    `places(text)` gives the codes of the places a text names (default: the gazetteer of the
    database's regions). The adjustments only lower a score, so below `at_least` the places
    are not read (the score returned is then an upper bound, already below what was asked).
    """
    score = overlap(a, b)
    if score <= at_least or score == 0.0:
        return score
    score *= _agreement(_numbers(a or ""), _numbers(b or ""), NUMBERS_APART)
    if score < at_least:
        return score
    named = places or _named_places
    return score * _agreement(set(named(a or "")), set(named(b or "")), PLACES_APART)


def report_text(report) -> str:
    return f"{report.title}. {report.text}"


def window_days() -> int:
    return int(settings.LAPOR.get("DUPLICATE_WINDOW_DAYS", 30))


def candidates(report, *, days: int | None = None):
    """Reports that could repeat `report`: same regency, filed within the window either side,
    not already merged, not the report itself. Without a region there is no candidate."""
    from lapor.complaints.models import Report

    if report.region_id is None:
        return Report.objects.none()
    days = window_days() if days is None else days
    regency = ".".join(report.region_id.split(".")[:2])
    around = report.created_at or timezone.now()
    return (
        Report.objects.filter(Q(region_id=regency) | Q(region__code__startswith=f"{regency}."))
        .filter(created_at__gte=around - timedelta(days=days), created_at__lte=around + timedelta(days=days))
        .filter(merged_into__isnull=True)
        .exclude(pk=report.pk)
    )


def find_duplicates(report, *, days: int | None = None, threshold: float | None = None, limit: int = 5):
    """Reports that look like the same matter as `report`, best first, with their score.

    Same regency and within `days` (the DUPLICATE_WINDOW_DAYS setting, 30 by default) of it; a
    score at or above `threshold` (THRESHOLD). Archived reports are left out: a merge needs an
    open case to join.
    """
    from lapor.complaints.models import Report, Status

    threshold = THRESHOLD if threshold is None else threshold
    mine = report_text(report)
    rows = (
        candidates(report, days=days)
        .exclude(status=Status.ARCHIVED)
        .order_by("-created_at")
        .values_list("pk", "title", "text")[:CANDIDATES]
    )
    scored = sorted(
        (
            (score, pk)
            for pk, title, text in rows
            if (score := similarity(mine, f"{title}. {text}", at_least=threshold)) >= threshold
        ),
        reverse=True,
    )[:limit]
    found = Report.objects.select_related("category", "region", "current_agency").in_bulk([pk for _s, pk in scored])
    return [(found[pk], round(score, 3)) for score, pk in scored if pk in found]
