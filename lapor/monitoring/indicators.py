"""Reading the indicators: sums of daily rollups over a period, percentages and percentiles.

Every figure counts the reports received in the period (by an agency: the reports it got in
the period, each for the time it held it), in their state at the last refresh. Confidential
reports are counted like any other; no figure here carries content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from lapor.accounts.models import Agency, Role
from lapor.complaints.lifecycle import HANDLING
from lapor.complaints.models import Report, Status

from .late import late_count, late_now  # noqa: F401  (the live figures beside the period ones)
from .models import DailyStat
from .periods import Period
from .rollups import BINS_HOURS, COUNTERS, HISTOGRAMS


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def percentile_hours(hist: list[int], q: float) -> float | None:
    """The upper bound of the bin holding the q-th quantile (None without data, inf past the last)."""
    total = sum(hist)
    if not total:
        return None
    need, seen = q * total, 0
    for i, n in enumerate(hist):
        seen += n
        if seen >= need:
            return float(BINS_HOURS[i]) if i < len(BINS_HOURS) else float("inf")
    return float("inf")


@dataclass
class Indicators:
    key: str
    counts: dict[str, int]
    follow_up_hours: list[int] = field(default_factory=list)
    completion_hours: list[int] = field(default_factory=list)
    verify_hours: list[int] = field(default_factory=list)

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def pct_followed_up(self):
        return _pct(self.followed_up, self.received)

    @property
    def pct_completed(self):
        return _pct(self.completed, self.received)

    @property
    def pct_in_process(self):
        return _pct(self.in_process, self.received)

    @property
    def pct_verify_on_time(self):
        return _pct(self.verify_on_time, self.verified)

    @property
    def pct_follow_up_on_time(self):
        return _pct(self.follow_up_on_time, self.follow_up_timed)

    @property
    def pct_completion_on_time(self):
        return _pct(self.completion_on_time, self.completion_timed)

    @property
    def satisfaction(self):
        return round(self.rating_sum / self.rated, 2) if self.rated else None

    @property
    def pct_rating_good(self):
        return _pct(self.rating_good, self.rated)

    @property
    def pct_boilerplate(self):
        return _pct(self.boilerplate, self.answered)

    @property
    def median_follow_up_hours(self):
        return percentile_hours(self.follow_up_hours, 0.5)

    @property
    def p90_follow_up_hours(self):
        return percentile_hours(self.follow_up_hours, 0.9)

    @property
    def median_verify_hours(self):
        return percentile_hours(self.verify_hours, 0.5)

    @property
    def p90_verify_hours(self):
        return percentile_hours(self.verify_hours, 0.9)

    @property
    def median_completion_hours(self):
        return percentile_hours(self.completion_hours, 0.5)

    @property
    def p90_completion_hours(self):
        return percentile_hours(self.completion_hours, 0.9)


def combined(items) -> Indicators:
    """The sum of several keys' figures (e.g. the agencies an overseer watches), histograms included."""
    items = list(items)
    out = Indicators(key="", counts={name: sum(f.counts[name] for f in items) for name in COUNTERS})
    for name in HISTOGRAMS:
        hists = [getattr(f, name) for f in items if getattr(f, name)]
        setattr(out, name, [sum(col) for col in zip(*hists)] if hists else [])
    return out


def hours_label(hours: float | None) -> str:
    """A histogram bound in words: "≤ 8 jam", "≤ 3 hari", "> 90 hari"."""
    if hours is None:
        return "–"
    if hours == float("inf"):
        return f"> {BINS_HOURS[-1] // 24} hari"
    return f"≤ {int(hours)} jam" if hours < 24 else f"≤ {int(hours // 24)} hari"


def stage_times(figures: Indicators, *, verification: bool = True) -> list[tuple[str, float | None, str, str]]:
    """Per stage: (name, on-time %, median, 90th percentile) as shown on pages and in the PDF.
    Verification is the national verifiers' stage: agencies' figures leave it out."""
    verify = [
        ("Verifikasi dan disposisi", figures.pct_verify_on_time,
         hours_label(figures.median_verify_hours), hours_label(figures.p90_verify_hours)),
    ]
    return (verify if verification else []) + [
        ("Tindak lanjut pertama", figures.pct_follow_up_on_time,
         hours_label(figures.median_follow_up_hours), hours_label(figures.p90_follow_up_hours)),
        ("Penyelesaian", figures.pct_completion_on_time,
         hours_label(figures.median_completion_hours), hours_label(figures.p90_completion_hours)),
    ]


def _empty(key: str) -> Indicators:
    return Indicators(key=key, counts={name: 0 for name in COUNTERS})


def _month_after(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def covering(start: date, end: date) -> Q:
    """The rollup rows that add up to [start, end]: month rows for whole months, day rows for the rest."""
    first_whole = start if start.day == 1 else _month_after(start)
    after_last_whole = _month_after(end) if _month_after(end) - timedelta(days=1) == end else end.replace(day=1)
    if first_whole >= after_last_whole:
        return Q(span=DailyStat.DAY, day__gte=start, day__lte=end)
    q = Q(span=DailyStat.MONTH, day__gte=first_whole, day__lt=after_last_whole)
    if start < first_whole:
        q |= Q(span=DailyStat.DAY, day__gte=start, day__lt=first_whole)
    if after_last_whole <= end:
        q |= Q(span=DailyStat.DAY, day__gte=after_last_whole, day__lte=end)
    return q


def indicators(
    dimension: str, start: date, end: date, *, keys=None, durations: bool = False
) -> dict[str, Indicators]:
    """Indicators per key of `dimension` over [start, end]; `durations` adds the histograms."""
    rows = DailyStat.objects.filter(covering(start, end), dimension=dimension)
    if keys is not None:
        rows = rows.filter(key__in=[str(k) for k in keys])
    out = {
        r["key"]: Indicators(key=r["key"], counts={name: r[name] or 0 for name in COUNTERS})
        for r in rows.values("key").annotate(**{name: Sum(name) for name in COUNTERS}).order_by()
    }
    if durations and out:
        width = len(BINS_HOURS) + 1
        for ind in out.values():
            for name in HISTOGRAMS:
                setattr(ind, name, [0] * width)
        for key, *hists in rows.values_list("key", *HISTOGRAMS):
            ind = out[key]
            for name, hist in zip(HISTOGRAMS, hists):
                total = getattr(ind, name)
                for i, n in enumerate(hist or ()):
                    total[i] += n
    return out


def total(dimension: str, start: date, end: date, key: str = "", *, durations: bool = True) -> Indicators:
    return indicators(dimension, start, end, keys=[key], durations=durations).get(str(key)) or _empty(str(key))


def monthly(dimension: str, key: str, months: list[Period]) -> list[tuple[Period, Indicators]]:
    """One figure per month for a chart: a single query over the whole span."""
    return monthly_by_key(dimension, months, keys=[key]).get(str(key)) or [(m, _empty(str(key))) for m in months]


def monthly_by_key(dimension: str, months: list[Period], *, keys=None) -> dict[str, list[tuple[Period, Indicators]]]:
    """Monthly figures of every key of a dimension (or of `keys`), from the month rows in one query."""
    if not months:
        return {}
    rows = DailyStat.objects.filter(
        span=DailyStat.MONTH, dimension=dimension, day__gte=months[0].start, day__lte=months[-1].end
    )
    if keys is not None:
        rows = rows.filter(key__in=[str(k) for k in keys])
    out: dict[str, dict[date, Indicators]] = {}
    for row in rows.values_list("key", "day", *COUNTERS):
        key, day, *counts = row
        out.setdefault(key, {})[day] = Indicators(key=key, counts=dict(zip(COUNTERS, counts)))
    return {key: [(m, by_month.get(m.start) or _empty(key)) for m in months] for key, by_month in out.items()}


# --- live figures (the current state, not a period) -------------------------------------------


def admin_activity(agency_ids, *, now: datetime | None = None, days: int = 30) -> dict[int, bool]:
    """Whether an agency's admins logged in during the last `days` days (the ministry's indicator)."""
    since = (now or timezone.now()) - timedelta(days=days)
    active = set(
        get_user_model().objects.filter(
            role=Role.AGENCY_ADMIN, agency_id__in=agency_ids, is_active=True, last_login__gte=since
        ).values_list("agency_id", flat=True)
    )
    return {pk: pk in active for pk in agency_ids}


# --- evaluation -------------------------------------------------------------------------------

VOLUME_GROUPS = ((500, "besar"), (50, "sedang"), (0, "kecil"))


def volume_group(received: int) -> str:
    return next(name for floor, name in VOLUME_GROUPS if received >= floor)


@dataclass
class Ranked:
    agency: Agency
    figures: Indicators
    rank: int | None
    group: str
    rank_in_group: int | None
    connectivity: str
    admin_active: bool


def ranking(period: Period, *, min_volume: int = 10, now: datetime | None = None) -> list[Ranked]:
    """Agencies by completion %, then first follow-up on time %, then volume; those under the
    minimum volume are listed unranked. Ranks are also given inside each volume group, so a
    regency with 40 reports is compared with its peers and not with a ministry with 40,000."""
    figures = indicators("agency", period.start, period.end)
    agencies = Agency.objects.in_bulk([int(k) for k in figures])
    activity = admin_activity(list(agencies), now=now)
    rows = [
        Ranked(agencies[int(k)], f, None, volume_group(f.received), None, agencies[int(k)].connectivity_group,
               activity[int(k)])
        for k, f in figures.items() if int(k) in agencies
    ]

    def order(r: Ranked):
        return (-(r.figures.pct_completed or 0), -(r.figures.pct_follow_up_on_time or 0), -r.figures.received,
                r.agency.name)

    rows.sort(key=order)
    ranked = [r for r in rows if r.figures.received >= min_volume]
    for i, r in enumerate(ranked, 1):
        r.rank = i
    by_group: dict[str, int] = {}
    for r in ranked:
        by_group[r.group] = by_group.get(r.group, 0) + 1
        r.rank_in_group = by_group[r.group]
    return ranked + [r for r in rows if r.figures.received < min_volume]


@dataclass
class RedMark:
    unit_id: int
    unit: str
    agency: str
    late_now: int
    pct_follow_up_on_time: float | None


def red_marks(
    period: Period, *, agency_ids=None, threshold: float = 80.0, now: datetime | None = None, limit: int = 100
) -> list[RedMark]:
    """Units with late work now, or whose first follow-ups in the period were on time less than
    `threshold` % of the time: the regions' "red marks", the worst `limit` of them."""
    from lapor.accounts.models import Unit

    late = late_now(by="current_unit", now=now, agency_ids=agency_ids)
    units = Unit.objects.select_related("agency")
    if agency_ids is not None:
        units = units.filter(agency_id__in=agency_ids)
    # Slow units, selected by the database: on time × 100 < threshold × timed.
    slow_rows = (
        DailyStat.objects.filter(covering(period.start, period.end), dimension="unit")
        .values("key").annotate(on_time=Sum("follow_up_on_time"), timed=Sum("follow_up_timed")).order_by()
        .filter(timed__gt=0, on_time__lt=F("timed") * threshold / 100.0)
    )
    if agency_ids is not None:
        allowed = set(units.values_list("pk", flat=True))
        slow_rows = slow_rows.filter(key__in=[str(pk) for pk in allowed])
        late = {pk: n for pk, n in late.items() if pk in allowed}
    slow = {int(r["key"]): _pct(r["on_time"], r["timed"]) for r in slow_rows}
    # The worst first: most late reports, then the lowest on-time share; only `limit` are loaded.
    worst = sorted(set(late) | set(slow), key=lambda pk: (-late.get(pk, 0), slow.get(pk, 101.0), pk))[:limit]
    on_time = {
        int(k): f.pct_follow_up_on_time
        for k, f in indicators("unit", period.start, period.end, keys=[k for k in worst if k not in slow]).items()
    }
    loaded = units.in_bulk(worst)
    marks = [
        RedMark(pk, loaded[pk].name, loaded[pk].agency.name, late.get(pk, 0), slow.get(pk, on_time.get(pk)))
        for pk in worst if pk in loaded
    ]
    return sorted(marks, key=lambda m: (-m.late_now, m.pct_follow_up_on_time or 0, m.unit))


# --- trends -----------------------------------------------------------------------------------


@dataclass
class Warning:
    key: str
    recent: int
    baseline: float
    ratio: float


def early_warnings(
    today: date, *, dimension: str = "category", window: int = 7, weeks: int = 8, min_count: int = 10, z: float = 3.0
) -> list[Warning]:
    """Topics whose volume in the last `window` days jumped against their own recent past:
    above the mean of the `weeks` earlier windows by `z` standard deviations and by half."""
    first = today - timedelta(days=window * (weeks + 1) - 1)
    rows = DailyStat.objects.filter(
        span=DailyStat.DAY, dimension=dimension, day__gte=first, day__lte=today
    ).values_list("key", "day", "received")
    counts: dict[str, list[int]] = {}
    for key, day, received in rows:
        slot = (today - day).days // window  # 0: the recent window
        counts.setdefault(key, [0] * (weeks + 1))[slot] += received
    warnings = []
    for key, slots in counts.items():
        recent, past = slots[0], slots[1:]
        mean = sum(past) / weeks
        sd = (sum((x - mean) ** 2 for x in past) / weeks) ** 0.5
        if recent >= min_count and recent > mean + z * sd and recent >= 1.5 * mean:
            warnings.append(Warning(key, recent, round(mean, 1), round(recent / mean, 2) if mean else float("inf")))
    return sorted(warnings, key=lambda w: (-w.ratio, -w.recent))
