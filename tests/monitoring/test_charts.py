"""The SVG charts: valid XML, named for assistive technology, escaped, proportional, Indonesian numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from lapor.monitoring import charts

NS = "{http://www.w3.org/2000/svg}"
MONTHS = ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
SHAPES = {code: f"M{i * 110} 0h100v100h-100z" for i, code in enumerate(["11", "12", "13", "14", "15", "16", "17"])}
NAMES = {"11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
         "16": "Sumatera Selatan", "17": "Bengkulu"}


def parse(svg: str) -> ET.Element:
    assert isinstance(svg, SafeString)
    return ET.fromstring(svg)


def marks(root: ET.Element, tag: str) -> list[ET.Element]:
    """The elements of a kind that carry their own <title> (bars, points, regions)."""
    return [el for el in root.iter(NS + tag) if el.find(NS + "title") is not None]


def title_of(el: ET.Element) -> str:
    return el.find(NS + "title").text


def assert_accessible(root: ET.Element, title: str) -> None:
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert len(root.get("viewBox").split()) == 4
    title_el, desc_el = root.find(NS + "title"), root.find(NS + "desc")
    assert title_el.text == title
    assert desc_el.text
    assert root.get("aria-labelledby") == f"{title_el.get('id')} {desc_el.get('id')}"


# format_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567.5, 1, "1.234.567,5"),
        (1234, 0, "1.234"),
        (95.5, 1, "95,5"),
        (0, 0, "0"),
        (-1500.25, 2, "-1.500,25"),
        (-0.01, 1, "0,0"),
        (999, 0, "999"),
        (None, 0, "–"),
    ],
)
def test_format_number_is_indonesian(value, decimals, expected):
    assert charts.format_number(value, decimals) == expected


# bar_chart


def test_bar_chart_is_accessible_with_one_title_per_bar():
    items = [("Kemenkes", 1234), ("Polri", 95.5), ("BPN", 0)]

    root = parse(charts.bar_chart(items, title="Laporan selesai", unit="%"))

    assert_accessible(root, "Laporan selesai")
    assert [title_of(r) for r in marks(root, "rect")] == ["Kemenkes: 1.234%", "Polri: 95,5%", "BPN: 0%"]
    assert "Tertinggi Kemenkes (1.234%)" in root.find(NS + "desc").text
    texts = [t.text for t in root.iter(NS + "text")]
    assert "1.234%" in texts and "95,5%" in texts


def test_bar_widths_are_proportional_to_the_values():
    items = [("A", 40), ("B", 10), ("C", 25), ("D", 0)]

    bars = marks(parse(charts.bar_chart(items, title="t")), "rect")

    widths = [float(b.get("width")) for b in bars]
    assert widths[3] == 0
    for (_label, value), width in zip(items[:3], widths[:3]):
        assert width / widths[0] == pytest.approx(value / 40, abs=0.01)


def test_bar_chart_max_value_sets_the_scale():
    root = parse(charts.bar_chart([("A", 50), ("B", 25)], title="t", unit="%", max_value=100))

    bars = marks(root, "rect")
    tracks = [r for r in root.iter(NS + "rect") if r.find(NS + "title") is None]

    a, b = (float(bar.get("width")) for bar in bars)
    assert a == pytest.approx(2 * b, abs=0.1)
    assert a == pytest.approx(float(tracks[0].get("width")) / 2, abs=0.1)  # half of the full track


def test_bar_chart_grows_with_the_rows_and_marks_highlights():
    small = parse(charts.bar_chart([("A", 1)], title="t"))
    big = parse(charts.bar_chart([(str(i), i) for i in range(10)], title="t", highlight={"3"}))

    assert float(big.get("viewBox").split()[3]) > 5 * float(small.get("viewBox").split()[3])
    fills = {title_of(r): r.get("fill") for r in marks(big, "rect")}
    assert fills["3: 3"] == charts.HIGHLIGHT
    assert {fill for label, fill in fills.items() if label != "3: 3"} == {charts.BAR}
    bold = [t.text for t in big.iter(NS + "text") if t.get("font-weight") == "bold"]
    assert bold == ["3", "3"]  # label and value, so the highlight is not colour alone


def test_labels_are_escaped_and_stay_text():
    label = 'Dinas <script>alert("x")</script> & Co'

    svg = charts.bar_chart([(label, 3)], title="<b>Judul</b> & tanda")
    root = parse(svg)

    assert "<script>" not in svg and "<b>" not in svg
    assert not list(root.iter(NS + "script"))
    assert root.find(NS + "title").text == "<b>Judul</b> & tanda"
    assert title_of(marks(root, "rect")[0]) == f"{label}: 3"


def test_every_chart_escapes_its_labels():
    nasty = "<script>&"
    svgs = [
        charts.column_chart([(nasty, 1)], title=nasty, unit=nasty),
        charts.line_chart([nasty], {nasty: [1]}, title=nasty),
        charts.stacked_bar([(nasty, {"a": 1})], title=nasty, keys=["a"], key_labels={"a": nasty}),
        charts.choropleth({"11": '"/><script>'}, {"11": 1}, title=nasty, names={"11": nasty}),
    ]
    for svg in svgs:
        root = parse(svg)
        assert "<script>" not in svg
        assert not list(root.iter(NS + "script"))
        assert root.find(NS + "title").text == nasty


@pytest.mark.parametrize(
    "render",
    [
        lambda: charts.bar_chart([], title="Kosong"),
        lambda: charts.column_chart([], title="Kosong"),
        lambda: charts.line_chart([], {}, title="Kosong"),
        lambda: charts.line_chart(MONTHS, {"A": [None] * 4}, title="Kosong"),
        lambda: charts.stacked_bar([], title="Kosong", keys=["a"], key_labels={}),
        lambda: charts.choropleth({}, {}, title="Kosong", names={}),
    ],
)
def test_empty_input_gives_a_small_svg_saying_no_data(render):
    svg = render()
    root = parse(svg)

    assert_accessible(root, "Kosong")
    assert [t.text for t in root.iter(NS + "text")] == ["Belum ada data"]
    assert len(svg) < 600


# column_chart


def test_column_chart_has_a_title_per_column_baseline_and_round_ticks():
    series = [("Jan 2026", 120), ("Feb 2026", 340), ("Mar 2026", 1234)]

    root = parse(charts.column_chart(series, title="Laporan diterima per bulan"))

    assert_accessible(root, "Laporan diterima per bulan")
    columns = marks(root, "rect")
    assert [title_of(c) for c in columns] == ["Jan 2026: 120", "Feb 2026: 340", "Mar 2026: 1.234"]
    heights = [float(c.get("height")) for c in columns]
    assert heights[1] / heights[0] == pytest.approx(340 / 120, rel=0.01)
    texts = [t.text for t in root.iter(NS + "text")]
    assert {"0", "500", "1.000", "1.500"} <= set(texts)  # round gridline values
    assert texts.count("2026") == 1  # the year is written once under its months
    assert any(p.get("stroke") == charts.INK for p in root.iter(NS + "path"))  # the baseline


def test_column_chart_percent_ticks_are_round():
    root = parse(charts.column_chart([("Jan", 62.5), ("Feb", 87)], title="t", unit="%"))

    texts = {t.text for t in root.iter(NS + "text")}
    assert {"0%", "25%", "50%", "75%", "100%"} <= texts
    assert "62,5%" in texts


@pytest.mark.parametrize(
    ("lo", "hi", "integer", "expected"),
    [
        (0, 1234, True, [0, 500, 1000, 1500]),
        (0, 87, False, [0, 25, 50, 75, 100]),
        (0, 0, True, [0, 1]),
        (0, 3, True, [0, 1, 2, 3]),
        (0, 0.9, False, [0, 0.5, 1.0]),
        (0, 0.7, False, [0, 0.2, 0.4, 0.6, 0.8]),
        (-30, 40, True, [-40, -20, 0, 20, 40]),
    ],
)
def test_ticks_are_round(lo, hi, integer, expected):
    ticks, _decimals = charts._ticks(lo, hi, integer=integer)
    assert ticks == pytest.approx(expected)


# line_chart


def test_line_chart_leaves_gaps_and_names_every_point():
    lines = {"Selesai": [90, None, 95.5, 97], "Tepat waktu": [70, 75, 80, 60]}

    root = parse(charts.line_chart(MONTHS, lines, title="Penyelesaian", unit="%"))

    assert_accessible(root, "Penyelesaian")
    points = [title_of(c) for c in marks(root, "circle")]
    assert len(points) == 7
    assert "Selesai, Mar 2026: 95,5%" in points and "Tepat waktu, Apr 2026: 60%" in points
    assert not any(p.startswith("Selesai, Feb 2026") for p in points)
    first = next(p for p in root.iter(NS + "path") if p.get("fill") == "none")
    assert first.get("d").count("M") == 2  # the gap starts a new stroke
    legend = [t.text for t in root.iter(NS + "text")]
    assert "Selesai" in legend and "Tepat waktu" in legend


def test_line_chart_single_series_has_no_legend_and_accepts_pairs():
    one = parse(charts.line_chart(MONTHS[:2], {"Selesai": [1, 2]}, title="t"))
    pairs = parse(charts.line_chart(MONTHS[:2], [("A", [1, 2]), ("B", [3])], title="t"))

    assert [title_of(c) for c in marks(one, "circle")] == ["Jan 2026: 1", "Feb 2026: 2"]
    assert "Selesai" not in [t.text for t in one.iter(NS + "text")]
    assert [title_of(c) for c in marks(pairs, "circle")] == ["A, Jan 2026: 1", "A, Feb 2026: 2", "B, Jan 2026: 3"]


# stacked_bar


def test_stacked_bar_segments_are_shares_of_the_row():
    items = [("Kemenkes", {"done": 30, "open": 10}), ("Polri", {"done": 0, "open": 0})]

    root = parse(charts.stacked_bar(items, title="Status", keys=["done", "open"],
                                    key_labels={"done": "Selesai", "open": "Proses"}))

    assert_accessible(root, "Status")
    segments = marks(root, "rect")
    assert [title_of(s) for s in segments] == [
        "Kemenkes, Selesai: 30 (75%)",
        "Kemenkes, Proses: 10 (25%)",
        "Polri: tidak ada data",
    ]
    done, open_, empty = (float(s.get("width")) for s in segments)
    assert done == pytest.approx(3 * open_, abs=0.3)
    assert done + open_ == pytest.approx(empty, abs=0.2)  # each row spans the full 100 %
    assert segments[0].get("fill") != segments[1].get("fill")
    texts = [t.text for t in root.iter(NS + "text")]
    assert "Selesai" in texts and "Proses" in texts  # the legend


# choropleth


def choropleth(values, **kwargs):
    return parse(charts.choropleth(SHAPES, values, title="Peta", names=NAMES, **kwargs))


def fills(root: ET.Element) -> dict[str, str]:
    return {title_of(p).split(":")[0]: p.get("fill") for p in marks(root, "path")}


def test_choropleth_names_each_region_and_hatches_missing_values():
    values = {"11": 5, "12": 1234.5, "13": None, "14": 10, "15": 20, "16": 30}  # 17 absent

    root = choropleth(values, unit="%")

    assert_accessible(root, "Peta")
    titles = [title_of(p) for p in marks(root, "path")]
    assert titles[:3] == ["Aceh: 5%", "Sumatera Utara: 1.234,5%", "Sumatera Barat: tidak ada data"]
    assert len(titles) == len(SHAPES)
    pattern_id = root.find(f"{NS}defs/{NS}pattern").get("id")
    by_region = fills(root)
    assert by_region["Sumatera Barat"] == by_region["Bengkulu"] == f"url(#{pattern_id})"
    with_data = [fill for name, fill in by_region.items() if name not in {"Sumatera Barat", "Bengkulu"}]
    assert all(fill in charts.MAP_CLASSES for fill in with_data)
    assert "tidak ada data" in [t.text for t in root.iter(NS + "text")]  # in the legend
    assert "2 wilayah tidak ada data" in root.find(NS + "desc").text


def test_choropleth_quantile_classes_run_light_to_dark():
    values = {"11": 1, "12": 2, "13": 3, "14": 4, "15": 5, "16": 100, "17": 6}

    by_region = fills(choropleth(values))

    assert by_region["Sumatera Selatan"] == charts.MAP_CLASSES[-1]  # the largest value: darkest
    assert by_region["Aceh"] == charts.MAP_CLASSES[0]
    order = [charts.MAP_CLASSES.index(by_region[NAMES[c]]) for c in ["11", "12", "13", "14", "15", "17", "16"]]
    assert order == sorted(order)
    assert len(set(order)) == 5


def test_choropleth_legend_gives_the_class_ranges():
    values = {code: v for code, v in zip(SHAPES, [10, 20, 30, 40, 50, 60, 70])}

    texts = [t.text for t in choropleth(values).iter(NS + "text")]

    assert texts[0] == "10–20" and texts[-1] == "70"


def test_choropleth_with_few_distinct_values_still_uses_the_darkest_for_the_top():
    one = fills(choropleth({code: 7 for code in SHAPES}))
    two = fills(choropleth({"11": 1, "12": 2}))

    assert set(one.values()) == {charts.MAP_CLASSES[-1]}
    assert two["Aceh"] == charts.MAP_CLASSES[0] and two["Sumatera Utara"] == charts.MAP_CLASSES[-1]


def test_choropleth_legend_extends_the_view_box_below_the_map():
    root = choropleth({"11": 1}, view_box="0 0 1000 420")

    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    assert (x, y, w) == (0, 0, 1000) and h > 420
