"""The PDF evaluation report opens and holds the same numbers as the indicators."""

import io

from pypdf import PdfReader

from lapor.monitoring import indicators as ind
from lapor.monitoring.evaluation_pdf import evaluation_pdf, headline_rows, number
from lapor.monitoring.periods import parse

from .test_indicators import at, march  # noqa: F401  (the hand-built month)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_number_is_written_the_indonesian_way():
    assert (number(1234567.5, 1), number(95.5, 2), number(None)) == ("1.234.567,5", "95,50", "–")


def test_the_agency_report_holds_the_page_numbers(march):  # noqa: F811
    w, _ = march
    period = parse("2025-03")
    pdf = evaluation_pdf(period, w.agency_a, now=at(27))
    assert pdf.startswith(b"%PDF")
    text = " ".join(text_of(pdf).split())
    assert "Pemerintah Kota Denpasar" in text and "Mar 2025" in text
    figures = ind.total("agency", period.start, period.end, str(w.agency_a.pk))
    for label, value in headline_rows(figures):
        assert f"{label} {value}" in text
    assert "Laporan diterima 4" in text and "Selesai 25,0 %" in text


def test_the_national_report_ranks_agencies(march):  # noqa: F811
    w, r = march
    text = " ".join(text_of(evaluation_pdf(parse("2025-03"), now=at(27), min_volume=1)).split())
    assert "Nasional" in text and "Laporan diterima 6" in text
    assert "1 Pemerintah Kota Denpasar 4 25,0 %" in text
    # no report content, no reporter
    assert r["r3"].title not in text and "Sukerta" not in text

