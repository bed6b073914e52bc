"""Similar reports already answered, shown to a citizen before filing (e-People does this).

Recent public reports of the same category and regency, scored by `duplicates.similarity`:
character shingles of the texts without greetings and SMS spellings, lowered when the texts give
other numbers or name other places. It tolerates typos and reordering where the word overlap it
replaced did not (measured in bench/duplicates.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from lapor.complaints.models import Report, Status
from lapor.complaints.selectors import public_reports

from .duplicates import similarity

_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """yang dan di ke dari untuk dengan pada ini itu ada tidak sudah belum akan bisa saya kami kita mohon
    agar karena atau juga sangat lebih dalam oleh sebagai para tersebut terima kasih bapak ibu tolong
    sejak hari bulan tahun masih jadi hal apa bagaimana kenapa mengapa kapan sampai tapi namun the and""".split()
)
CANDIDATES = 300
MIN_SCORE = 0.2


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall((text or "").lower()) if len(w) > 2 and w not in STOPWORDS}


def similar_reports(
    *, text: str, category=None, region=None, limit: int = 5, now=None, exclude_id: int | None = None
) -> list[tuple[Report, float]]:
    """Public reports like `text`, answered ones first, with their score (0–1)."""
    query_words = words(text)
    if len(query_words) < 3:
        return []
    now = now or timezone.now()
    candidates = public_reports().filter(created_at__gte=now - timedelta(days=365))
    if category is not None:
        candidates = candidates.filter(category=category)
    if region is not None:
        regency = ".".join(region.code.split(".")[:2])
        candidates = candidates.filter(region__code__startswith=regency)
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    rows = candidates.order_by("-created_at").values_list("pk", "title", "text", "status")[:CANDIDATES]
    scored = []
    for pk, title, body, status in rows:
        score = similarity(text, f"{title}. {body}", at_least=MIN_SCORE)
        if score >= MIN_SCORE:
            answered = status in (Status.FOLLOWED_UP, Status.COMPLETED)
            scored.append((answered, score, pk))
    scored.sort(reverse=True)
    best = scored[:limit]
    reports = Report.objects.select_related("category", "region", "current_agency").in_bulk([pk for _a, _s, pk in best])
    return [(reports[pk], round(score, 3)) for _answered, score, pk in best if pk in reports]
