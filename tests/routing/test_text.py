"""Indonesian normalisation: informal spellings, abbreviations, tokens for numbers and contacts."""

import pytest

from lapor.routing.text import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yg tdk gak ga nggak", "yang tidak tidak tidak tidak"),
        ("Jln rusak di Kel. Sesetan Kec. Denpasar Selatan", "jalan rusak di kelurahan sesetan kecamatan denpasar selatan"),
        ("Pemkab Kab. Badung dan kab/kota lain", "pemerintah kabupaten kabupaten badung dan kabupaten kota lain"),
        ("sdh 3 bln blm dgn jawaban utk warga krn dll", "sudah _angka_ bulan belum dengan jawaban untuk warga karena dan lain lain"),
        ("TOLONGGG lamaaa bgt", "tolong lama sekali"),
        ("anak2 dan jalan2 rusak", "anak dan jalan rusak"),
    ],
)
def test_informal_words_and_abbreviations_are_spelled_out(raw, expected):
    assert normalize(raw) == expected


def test_urls_emails_phones_money_and_numbers_become_tokens():
    text = "Lihat https://contoh.id/foto atau www.contoh.id, surel budi.s@contoh.id, hp 0812-3456-7890, bayar Rp 50.000 ke RT 05"
    assert normalize(text) == (
        "lihat _url_ atau _url_ surel _email_ hp _telepon_ bayar _uang_ ke rt _angka_"
    )


def test_masked_numbers_of_exports_are_phone_tokens():
    assert normalize("hubungi 0[***************]9 segera") == "hubungi _telepon_ segera"


def test_punctuation_and_case_do_not_matter():
    assert normalize("Air PDAM, MATI!!! (sudah 2 hari)") == normalize("air pdam mati sudah 2 hari")


def test_stemming_is_optional_and_says_what_it_needs():
    try:
        import Sastrawi  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="Sastrawi"):
            normalize("pelayanan perbaikan", stem=True)
    else:
        assert normalize("pelayanan perbaikan", stem=True) == "layan baik"
