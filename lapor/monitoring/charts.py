"""Server-side SVG charts for the monitoring pages: no JavaScript, no external files.

Each function returns a small inline SVG, marked safe, that scales with its container
(`viewBox`, `width="100%"`), names itself to assistive technology (`role="img"`, `<title>`,
`<desc>` with an Indonesian summary) and gives every bar, point and region its own `<title>`,
so hovering or exploring the picture tells its label and value. Pages show the same figures as
a table beside the chart: a chart is never the only carrier of a number.

Colours: Okabe-Ito (safe for the common colour-vision deficiencies) for categories, every colour
that stands alone on white at 3:1 or more (WCAG 1.4.11); ColorBrewer "Blues" for the map classes,
light to dark, which stays in order on a grey-scale print; dashes keep lines apart when printed.
Every label and value is escaped here, so callers pass plain text.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

WIDTH = 480  # viewBox width of the plain charts: text stays legible when a phone shrinks it
FONT = 14
SMALL = 12
CHAR = 0.62  # average glyph width in em: text is laid out by estimate, never measured
INK = "#1a1a1a"
MUTED = "#595959"  # 7:1 on white
GRID = "#d9d9d9"
BAR = "#0072B2"  # Okabe-Ito blue, 5.2:1 on white
HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion, 3.9:1 on white; highlighted labels are also bold
# (colour, dash): each line holds 3:1 against white, and the dash tells them apart in print.
LINE_STYLES = (
    ("#0072B2", ""),
    ("#D55E00", "7 4"),
    ("#009E73", "2 3"),
    ("#000000", "10 3 2 3"),
    ("#CC79A7", "4 2"),
)
# Stacked segments touch each other, so neighbours differ most in lightness; white gaps part them.
STACK_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
MAP_CLASSES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#e6e6e6"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML at all
_ID_DIGITS = str.maketrans(",.", ".,")


def format_number(value, decimals: int = 0) -> str:
    """Indonesian style: "." groups thousands, "," marks decimals (1234567.5, 1 → "1.234.567,5").

    None gives "–", so a template can pass a missing figure straight through.
    """
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # a value rounded to zero carries no sign
    return text.translate(_ID_DIGITS)


def bar_chart(
    items: list[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    highlight: Iterable[str] = frozenset(),
) -> SafeString:
    """Horizontal bars in the given order: label on the left, value at the end of the bar.

    With `max_value` (100 for percentages) a pale track shows the whole scale behind each bar;
    without it the longest bar fills the width. Labels in `highlight` get a second colour and bold.
    """
    highlight = set(highlight)
    uid = _uid("bar", title, items, unit, max_value, sorted(highlight))
    rows = [(str(label), _clean(value)) for label, value in items]
    if not rows:
        return _empty(uid, title)
    present = [v for _label, v in rows if v is not None]
    top = max_value if max_value and max_value > 0 else max([*present, 0]) or 1
    texts = [_value(v, unit) for _label, v in rows]
    label_w = min(max(_width(label) for label, _v in rows), WIDTH * 0.4) + 12
    plot_w = WIDTH - label_w - max(_width(t) for t in texts) - 12
    row_h, bar_h = 28, 18
    parts = []
    for i, ((label, value), text) in enumerate(zip(rows, texts)):
        y = 4 + i * row_h
        base = y + row_h / 2 + FONT * 0.35
        w = plot_w * min(max(value or 0, 0), top) / top
        strong = ' font-weight="bold"' if label in highlight else ""
        muted = "" if value is not None else f' fill="{MUTED}"'
        at = f'x="{_n(label_w)}" y="{_n(y + 5)}"'
        if max_value:
            parts.append(f'<rect {at} width="{_n(plot_w)}" height="{bar_h}" fill="#f0f0f0"/>')
        parts.append(
            f'<text x="{_n(label_w - 8)}" y="{_n(base)}" text-anchor="end"{strong}>'
            f"{_esc(_fit(label, label_w - 8))}</text>"
            f'<rect {at} width="{_n(w)}" height="{bar_h}" '
            f'fill="{HIGHLIGHT if strong else BAR}"><title>{_esc(label)}: {_esc(text)}</title></rect>'
            f'<text x="{_n(label_w + w + 6)}" y="{_n(base)}"{strong}{muted}>{_esc(text)}</text>'
        )
    desc = _("Diagram batang, %(n)s baris.") % {"n": len(rows)}
    if present:
        desc += " " + capfirst(_extremes(rows, unit)) + "."
    return _svg("bar", uid, title, desc, f"0 0 {WIDTH} {_n(len(rows) * row_h + 8)}", "".join(parts))


def column_chart(series: list[tuple[str, float]], *, title: str, unit: str = "") -> SafeString:
    """Vertical columns over time, with a baseline at zero and a few round gridlines."""
    uid = _uid("column", title, series, unit)
    points = [(str(label), _clean(value)) for label, value in series]
    present = [v for _label, v in points if v is not None]
    if not present:
        return _empty(uid, title)
    labels = [label for label, _v in points]
    frame = _Frame(labels, present, unit, top=12)
    parts = [frame.grid]
    for i, (label, value) in enumerate(points):
        if value is None:
            continue
        x, y0, y1 = frame.left + i * frame.slot, frame.y(max(value, 0)), frame.y(min(value, 0))
        text = _value(value, unit)
        parts.append(
            f'<rect x="{_n(x + frame.slot * 0.2)}" y="{_n(y0)}" width="{_n(frame.slot * 0.6)}" '
            f'height="{_n(y1 - y0)}" fill="{BAR}"><title>{_esc(label)}: {_esc(text)}</title></rect>'
        )
        if _width(text, SMALL) <= frame.slot - 2:  # values above the columns only when they fit
            parts.append(
                f'<text x="{_n(x + frame.slot / 2)}" y="{_n(y0 - 4)}" text-anchor="middle" '
                f'font-size="{SMALL}">{_esc(text)}</text>'
            )
    parts.append(frame.baseline)
    desc = _("Diagram kolom, %(n)s periode dari %(start)s sampai %(end)s.") % {
        "n": len(points), "start": labels[0], "end": labels[-1],
    }
    desc += " " + capfirst(_extremes(points, unit, last=True)) + "."
    return _svg("column", uid, title, desc, f"0 0 {WIDTH} {_n(frame.height)}", "".join(parts))


def line_chart(
    x_labels: list[str],
    lines: Mapping[str, list[float | None]] | Iterable[tuple[str, list[float | None]]],
    *,
    title: str,
    unit: str = "",
) -> SafeString:
    """One or more series over the same labels; None leaves a gap. A legend when more than one.

    `lines` is a mapping of series name to values, or a list of (name, values) pairs.
    """
    pairs = list(lines.items()) if isinstance(lines, Mapping) else [tuple(pair) for pair in lines]
    uid = _uid("line", title, x_labels, pairs, unit)
    labels = [str(label) for label in x_labels]
    series = [
        (str(name), [_clean(v) for v in [*values, *[None] * len(labels)][: len(labels)]])
        for name, values in pairs
    ]
    present = [v for _name, values in series for v in values if v is not None]
    if not labels or not present:
        return _empty(uid, title)
    legend, legend_h = "", 0.0
    if len(series) > 1:
        legend, legend_h = _legend(
            [(_line_swatch(*LINE_STYLES[s % len(LINE_STYLES)]), name) for s, (name, _v) in enumerate(series)],
            x0=4, y0=4, width=WIDTH - 8,
        )
    frame = _Frame(labels, present, unit, top=legend_h + 12)
    parts = [legend, frame.grid, frame.baseline]
    for s, (name, values) in enumerate(series):
        colour, dash = LINE_STYLES[s % len(LINE_STYLES)]
        path, dots, pen = [], [], False
        for i, value in enumerate(values):
            if value is None:
                pen = False
                continue
            x, y = frame.left + (i + 0.5) * frame.slot, frame.y(value)
            path.append(f"{'L' if pen else 'M'}{_n(x)} {_n(y)}")
            pen = True
            what = f"{name}, {labels[i]}" if len(series) > 1 else labels[i]
            dots.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}">'
                f"<title>{_esc(what)}: {_esc(_value(value, unit))}</title></circle>"
            )
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5" '
            f'stroke-linejoin="round"{dashes}/>' + "".join(dots)
        )
    desc = _("Diagram garis, %(n)s seri dari %(start)s sampai %(end)s.") % {
        "n": len(series), "start": labels[0], "end": labels[-1],
    }
    for name, values in series:
        if any(v is not None for v in values):
            desc += f" {name}: {_extremes(list(zip(labels, values)), unit, last=True)}."
    return _svg("line", uid, title, desc, f"0 0 {WIDTH} {_n(frame.height)}", "".join(parts))


def stacked_bar(
    items: list[tuple[str, dict[str, float]]],
    *,
    title: str,
    keys: list[str],
    key_labels: dict[str, str],
) -> SafeString:
    """Horizontal bars each split into its shares (100 %), in the order of `keys`, with a legend."""
    uid = _uid("stacked", title, items, keys, key_labels)
    rows = [(str(label), [max(_clean(shares.get(k)) or 0, 0) for k in keys]) for label, shares in items]
    if not rows or not keys:
        return _empty(uid, title)
    names = [str(key_labels.get(k, k)) for k in keys]
    colours = [STACK_COLOURS[i % len(STACK_COLOURS)] for i in range(len(keys))]
    legend, legend_h = _legend(
        [(_box_swatch(colour), name) for colour, name in zip(colours, names)], x0=4, y0=4, width=WIDTH - 8,
    )
    label_w = min(max(_width(label) for label, _v in rows), WIDTH * 0.35) + 12
    plot_w = WIDTH - label_w - 4
    row_h, bar_h = 28, 20
    parts = [legend]
    for i, (label, values) in enumerate(rows):
        y = legend_h + 8 + i * row_h
        parts.append(
            f'<text x="{_n(label_w - 8)}" y="{_n(y + row_h / 2 + FONT * 0.35)}" text-anchor="end">'
            f"{_esc(_fit(label, label_w - 8))}</text>"
        )
        total = sum(values)
        if not total:
            parts.append(
                f'<rect x="{_n(label_w)}" y="{_n(y + 4)}" width="{_n(plot_w)}" height="{bar_h}" fill="none" '
                f'stroke="{MUTED}" stroke-dasharray="3 3">'
                f'<title>{_esc(label)}: {_esc(_("tidak ada data"))}</title></rect>'
            )
            continue
        x = label_w
        for value, colour, name in zip(values, colours, names):
            if not value:
                continue
            w, share = plot_w * value / total, _value(100 * value / total, "%")
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y + 4)}" width="{_n(w)}" height="{bar_h}" fill="{colour}" stroke="#fff">'
                f"<title>{_esc(label)}, {_esc(name)}: {_esc(_value(value))} ({_esc(share)})</title></rect>"
            )
            if _width(share, SMALL) + 4 <= w:
                parts.append(
                    f'<text x="{_n(x + w / 2)}" y="{_n(y + 4 + bar_h / 2 + SMALL * 0.35)}" text-anchor="middle" '
                    f'font-size="{SMALL}" fill="{_ink_on(colour)}">{_esc(share)}</text>'
                )
            x += w
    desc = _("Diagram batang bertumpuk 100%%, %(n)s baris, dibagi menurut: %(keys)s.") % {
        "n": len(rows), "keys": ", ".join(names),
    }
    height = legend_h + 8 + len(rows) * row_h + 4
    return _svg("stacked", uid, title, desc, f"0 0 {WIDTH} {_n(height)}", "".join(parts))


def choropleth(
    shapes: dict[str, str],
    values: dict[str, float | None],
    *,
    title: str,
    names: dict[str, str],
    unit: str = "",
    view_box: str = "0 0 1000 420",
) -> SafeString:
    """A map: each region (code → SVG path data) filled by its value's quantile class (up to 5).

    Class limits are values that occur, so a legend range never names a figure nobody has; the
    largest value always falls in the darkest class. Regions without a value are hatched grey.
    """
    uid = _uid("map", title, shapes, values, names, unit, view_box)
    if not shapes:
        return _empty(uid, title)
    x0, y0, w, h = (float(p) for p in view_box.replace(",", " ").split())
    data = {code: _clean(values.get(code)) for code in shapes}
    present = sorted(v for v in data.values() if v is not None)
    uppers = _quantile_uppers(present)
    # Classes spread over the whole palette, the top one always darkest (one class: darkest only).
    spread = max(len(uppers) - 1, 1)
    fills = [MAP_CLASSES[4 - round((len(uppers) - 1 - i) * 4 / spread)] for i in range(len(uppers))]
    lowers: dict[int, float] = {}
    for v in present:
        lowers.setdefault(_class_of(v, uppers), v)
    font, hatch = w * 0.025, w * 0.008
    no_data = f"url(#{uid}-na)"
    parts = [
        f'<defs><pattern id="{uid}-na" width="{_n(hatch)}" height="{_n(hatch)}" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="{_n(hatch)}" height="{_n(hatch)}" fill="{NO_DATA}"/>'
        f'<path d="M0 0V{_n(hatch)}" stroke="#8c8c8c" stroke-width="{_n(hatch / 4)}"/></pattern></defs>'
        f'<g stroke="#666" stroke-width="{_n(w * 0.0008)}" stroke-linejoin="round">'
    ]
    for code, d in shapes.items():
        value = data[code]
        fill = no_data if value is None else fills[_class_of(value, uppers)]
        parts.append(
            f'<path d="{_esc(d)}" fill="{fill}"><title>{_esc(names.get(code, code))}: '
            f"{_esc(_value(value, unit))}</title></path>"
        )
    parts.append("</g>")
    entries = []
    for i, (upper, fill) in enumerate(zip(uppers, fills)):
        low = lowers[i]
        text = _value(upper, unit) if low == upper else f"{_value(low)}–{_value(upper, unit)}"
        entries.append((_box_swatch(fill), text))
    missing = [code for code, v in data.items() if v is None]
    if missing:
        entries.append((_box_swatch(no_data), _("tidak ada data")))
    legend, legend_h = _legend(entries, x0=x0 + font * 0.2, y0=y0 + h + font * 0.5, width=w - font * 0.4, font=font)
    parts.append(legend)
    desc = _("Peta %(n)s wilayah, diwarnai dalam %(k)s kelas kuantil.") % {"n": len(shapes), "k": len(uppers)}
    if present:
        desc += " " + capfirst(_extremes([(names.get(c, c), data[c]) for c in shapes], unit)) + "."
    if missing:
        desc += " " + _("%(n)s wilayah tidak ada data.") % {"n": len(missing)}
    view = f"{_n(x0)} {_n(y0)} {_n(w)} {_n(h + legend_h + font)}"
    return _svg("map", uid, title, desc, view, "".join(parts), font=font)


class _Frame:
    """The y axis (round ticks, gridlines, baseline) and x slots shared by columns and lines."""

    def __init__(self, labels: list[str], values: list[float], unit: str, *, top: float) -> None:
        integer = all(float(v).is_integer() for v in values)
        ticks, decimals = _ticks(min([*values, 0]), max([*values, 0]), integer=integer)
        tick_texts = [_with_unit(format_number(t, decimals), unit) for t in ticks]
        self.left = max(_width(t, SMALL) for t in tick_texts) + 14
        self.right = WIDTH - 8
        self.slot = (self.right - self.left) / len(labels)
        self.top, self.plot_h = top, 180.0
        self.t0, self.t1 = ticks[0], ticks[-1]
        grid = []
        for tick, text in zip(ticks, tick_texts):
            y = self.y(tick)
            if tick:
                grid.append(f'<path d="M{_n(self.left)} {_n(y)}H{_n(self.right)}" stroke="{GRID}"/>')
            grid.append(
                f'<text x="{_n(self.left - 6)}" y="{_n(y + SMALL * 0.35)}" text-anchor="end" '
                f'font-size="{SMALL}" fill="{MUTED}">{_esc(text)}</text>'
            )
        grid.append(self._x_labels(labels, self.top + self.plot_h + SMALL + 6))
        self.grid = "".join(grid)
        zero = self.y(0)
        self.baseline = f'<path d="M{_n(self.left)} {_n(zero)}H{_n(self.right)}" stroke="{INK}"/>'
        self.height = self.top + self.plot_h + 2 * SMALL + 20

    def y(self, value: float) -> float:
        return self.top + self.plot_h * (self.t1 - value) / (self.t1 - self.t0)

    def _x_labels(self, labels: list[str], y: float) -> str:
        """"Jan 2026" as "Jan" over "2026", the second line only when it changes; every n-th
        label when they do not fit (each column and point still names itself in its title)."""
        split = [label.rsplit(" ", 1) if " " in label else [label, ""] for label in labels]
        every = max(1, math.ceil((max(_width(first, SMALL) for first, _s in split) + 4) / self.slot))
        parts, shown = [], None
        for i, (first, second) in enumerate(split):
            if i % every:
                continue
            x = _n(self.left + (i + 0.5) * self.slot)
            parts.append(f'<text x="{x}" y="{_n(y)}" text-anchor="middle" font-size="{SMALL}">{_esc(first)}</text>')
            if second and second != shown:
                parts.append(
                    f'<text x="{x}" y="{_n(y + SMALL + 3)}" text-anchor="middle" font-size="{SMALL}" '
                    f'fill="{MUTED}">{_esc(second)}</text>'
                )
                shown = second
        return "".join(parts)


def _ticks(lo: float, hi: float, *, integer: bool) -> tuple[list[float], int]:
    """About four round steps (1, 2, 5 × 10ⁿ; 25 and 250 too) covering lo..hi, and their decimals."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 2.5, 5, 10) if magnitude >= 10 else (1, 2, 5, 10)
    step = next(m * magnitude for m in steps if raw <= m * magnitude * (1 + 1e-9))
    if integer:
        step = max(step, 1)
    decimals = 0 if step >= 1 else -math.floor(math.log10(step) + 1e-9)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, decimals) for i in range(first, last + 1)], decimals


def _quantile_uppers(values: list[float]) -> list[float]:
    """Upper limits of up to five quantile classes of sorted values (nearest rank, no repeats)."""
    n = len(values)
    return sorted({values[max(0, math.ceil(k * n / 5) - 1)] for k in range(1, 6)}) if n else []


def _class_of(value: float, uppers: list[float]) -> int:
    return next(i for i, upper in enumerate(uppers) if value <= upper)


def _legend(entries, *, x0: float, y0: float, width: float, font: float = SMALL) -> tuple[str, float]:
    """Swatch-and-label entries flowing left to right, wrapping; returns markup and its height."""
    row_h, swatch = font * 1.7, font * 1.6
    x, y, parts = x0, y0, []
    for draw, label in entries:
        label = _fit(label, width - swatch - font, font)
        entry_w = swatch + font * 0.5 + _width(label, font) + font
        if x > x0 and x + entry_w > x0 + width:
            x, y = x0, y + row_h
        parts.append(draw(x, y + row_h / 2, swatch))
        parts.append(
            f'<text x="{_n(x + swatch + font * 0.5)}" y="{_n(y + row_h / 2 + font * 0.35)}" '
            f'font-size="{_n(font)}">{_esc(label)}</text>'
        )
        x += entry_w
    return "".join(parts), y - y0 + row_h


def _box_swatch(fill: str):
    def draw(x: float, middle: float, size: float) -> str:
        side = size * 0.7
        return (
            f'<rect x="{_n(x)}" y="{_n(middle - side / 2)}" width="{_n(size)}" height="{_n(side)}" '
            f'fill="{fill}" stroke="#666" stroke-width="{_n(size / 20)}"/>'
        )
    return draw


def _line_swatch(colour: str, dash: str):
    def draw(x: float, middle: float, size: float) -> str:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<path d="M{_n(x)} {_n(middle)}h{_n(size)}" stroke="{colour}" stroke-width="2.5"{dashes}/>'
            f'<circle cx="{_n(x + size / 2)}" cy="{_n(middle)}" r="3" fill="{colour}"/>'
        )
    return draw


def _extremes(pairs: list[tuple[str, float | None]], unit: str, *, last: bool = False) -> str:
    """"tertinggi A (9); terendah B (1)" for a summary, and "; terakhir C (5)" when asked."""
    known = [(label, v) for label, v in pairs if v is not None]

    def at(pair: tuple[str, float]) -> str:
        return f"{pair[0]} ({_value(pair[1], unit)})"

    found = [
        _("tertinggi %(at)s") % {"at": at(max(known, key=lambda p: p[1]))},
        _("terendah %(at)s") % {"at": at(min(known, key=lambda p: p[1]))},
    ]
    if last:
        found.append(_("terakhir %(at)s") % {"at": at(known[-1])})
    return "; ".join(found)


def _svg(kind: str, uid: str, title: str, desc: str, view_box: str, body: str, *, font: float = FONT) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" width="100%" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" class="chart-{kind}" font-family="system-ui,sans-serif" '
        f'font-size="{_n(font)}" fill="{INK}"><title id="{uid}-t">{_esc(title)}</title>'
        f'<desc id="{uid}-d">{_esc(desc)}</desc>{body}</svg>'
    )


def _empty(uid: str, title: str) -> SafeString:
    text = _("Belum ada data")
    body = f'<text x="8" y="26" fill="{MUTED}">{_esc(text)}</text>'
    return _svg("empty", uid, title, text, f"0 0 {WIDTH} 40", body)


def _uid(*parts) -> str:
    """Ids for aria-labelledby and patterns, unique per chart and stable across renders."""
    return "c" + hashlib.sha1(repr(parts).encode()).hexdigest()[:8]


def _clean(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _value(value: float | None, unit: str = "") -> str:
    """A figure as shown on a chart: whole numbers bare, anything else with one decimal."""
    if value is None:
        return _("tidak ada data")
    decimals = 0 if abs(value - round(value)) < 0.05 else 1
    return _with_unit(format_number(value, decimals), unit)


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _width(text: str, font: float = FONT) -> float:
    return len(text) * font * CHAR


def _fit(text: str, width: float, font: float = FONT) -> str:
    """Cut a label to the space it has; the full label stays in the element's title."""
    room = max(int(width / (font * CHAR)), 2)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _ink_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with the fill."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"


def _n(x: float) -> str:
    """A coordinate with at most one decimal, to keep the markup small."""
    text = f"{round(x, 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _esc(text) -> str:
    return escape(_CONTROL.sub("", str(text)))
