"""Red flags fire on typical phrasing and stay quiet on benign text, denials and look-alikes.

The texts here are not in the training corpus (lapor/routing/data/flag_corpus.csv).
"""

from __future__ import annotations

import pytest

from lapor.complaints.models import FlagTerm
from lapor.routing import flag_model
from lapor.routing.flags import assess, combine, forget_lexicon, read

FIRES = [
    ("Petugas kelurahan minta uang 300 ribu supaya surat domisili saya cepat ditandatangani.", "extortion"),
    ("Ada pungli di pasar hewan, setiap pedagang sapi ditarik 50 ribu tanpa karcis.", "extortion"),
    ("Waktu bikin SIM saya ditawari lewat calo dan dimintai uang pelicin 600rb.", "extortion"),
    ("Oknum petugas menawarkan uang damai supaya motor saya tidak ditilang.", "bribery"),
    ("Kontraktor menyuap pejabat dinas agar proyek irigasi dimenangkan.", "bribery"),
    ("Kepala bidang menerima gratifikasi berupa telepon genggam dari rekanan.", "bribery"),
    ("Dana desa disalahgunakan, laporan pembangunan embung fiktif.", "corruption"),
    ("Kami menduga korupsi pengadaan meja sekolah, harganya di-mark up tiga kali lipat.", "corruption"),
    ("Bendahara puskesmas menggelapkan uang jasa pelayanan tenaga kesehatan.", "corruption"),
    ("Anak saya dipukul wali kelasnya di depan teman temannya.", "violence"),
    ("Adik saya dibully dan dikeroyok kakak kelas sepulang sekolah.", "violence"),
    ("Saya mengalami pelecehan oleh petugas loket dan takut melapor.", "violence"),
    ("Jembatan di dusun kami ambruk, anak sekolah terpaksa lewat sungai yang deras.", "danger"),
    ("Kabel listrik putus menjuntai di depan masjid, membahayakan nyawa jamaah.", "danger"),
    ("Tanah longsor menimbun dua rumah warga di lereng bukit.", "danger"),
    ("Dua balita di RW kami gizi buruk dan belum ditangani puskesmas.", "danger"),
]


@pytest.mark.parametrize(("text", "kind"), FIRES)
def test_typical_phrasing_raises_its_flag(db, text, kind):
    flags = assess(text)
    assert kind in [f.kind for f in flags], [(f.kind, f.score) for f in flags]
    raised = next(f for f in flags if f.kind == kind)
    assert 0.6 <= raised.score <= 1


QUIET = [
    "Jalan di depan pasar berlubang dan belum diperbaiki, mohon diaspal.",
    "Pelayanan KTP di kecamatan cepat dan ramah, terima kasih.",
    "Di kantor ini tidak ada pungli, semua layanan gratis.",
    "Spanduk bebas pungli terpasang di setiap loket samsat.",
    "Stop pungli! Laporkan bila ada petugas yang meminta imbalan.",
    "Kantor kami zona integritas menuju wilayah bebas dari korupsi.",
    "Tolak gratifikasi dalam bentuk apa pun, begitu pesan di dinding kantor.",
    "Rapat warga dimulai pukul 19.00 di balai RW.",
    "Ibu kader menyuapi balita saat posyandu.",
    "Petugas pemadam kebakaran memberi pelatihan di sekolah.",
    "Banjir diskon di pusat perbelanjaan membuat jalan macet.",
    "Mohon informasi jadwal pencairan bantuan PIP.",
    "Air PDAM keruh sejak kemarin, mohon diperiksa.",
]


@pytest.mark.parametrize("text", QUIET)
def test_benign_text_denials_and_look_alikes_raise_nothing(db, text):
    assert assess(text) == []


def test_a_denied_term_is_marked_for_the_classifier_and_not_counted(db):
    reading = read("Di kantor ini tidak ada pungli dan tidak ada calo.")
    assert reading.kinds["extortion"].score == 0.0
    assert reading.kinds["extortion"].denied == ["pungli", "calo"]
    assert "neg_pungli" in reading.marked and "neg_calo" in reading.marked


def test_whole_words_only(db):
    # "suap" inside "menyuapi", "korupsi" inside "antikorupsi"
    assert read("Ibu menyuapi anak. Kampanye antikorupsi.").kinds["bribery"].terms == []
    assert read("Ibu menyuapi anak. Kampanye antikorupsi.").kinds["corruption"].terms == []


def test_matched_terms_carry_their_place_in_the_text(db):
    text = "Katanya uang damai saja, Pak."
    term = read(text).kinds["bribery"].terms[0]
    assert term["phrase"] == "uang damai" and text[term["start"]:term["end"]] == "uang damai"


def test_the_combination_rule():
    # a strong term alone, a weak term with a doubtful model, the model alone, a denial
    assert combine(1.0, 0.0, False) == 1.0
    assert combine(0.5, 0.3, False) == pytest.approx(0.65)
    assert combine(0.0, 0.7, False) == pytest.approx(0.7)
    assert combine(0.0, 0.7, True) == pytest.approx(0.35)


def test_an_admin_term_adds_to_the_lexicon_and_switches_shipped_ones_off(db):
    text = "Pak camat minta japrem dulu sebelum tanda tangan."
    assert "extortion" not in [f.kind for f in assess(text)]
    FlagTerm.objects.create(kind="extortion", phrase="japrem", weight=1.0)
    forget_lexicon()
    assert "extortion" in [f.kind for f in assess(text)]

    FlagTerm.objects.create(kind="danger", phrase="banjir bandang", weight=1.0, is_active=False)
    forget_lexicon()
    assert read("Banjir bandang datang tiba-tiba").kinds["danger"].terms == [
        {"phrase": "banjir", "start": 0, "end": 6}
    ]


def test_the_classifier_learns_from_the_corpus_and_generalises():
    # no lexicon term in either text: the classifier alone must tell them apart
    marked = [
        read("Setiap sopir truk yang lewat harus setor ke oknum petugas di pos jaga, kalau tidak ditahan.",
             _file_lexicon()).marked,
        read("Mohon jadwal pengangkutan sampah di perumahan kami diperjelas.", _file_lexicon()).marked,
    ]
    extortion, benign = flag_model.probabilities(marked)
    assert extortion["extortion"] > 0.5 > benign["extortion"]
    assert max(benign.values()) < 0.3


def test_cross_validated_figures_beat_either_reading_alone():
    result = flag_model.evaluate(folds=3)
    assert result["combined"]["macro_f1"] > result["lexicon"]["macro_f1"]
    assert result["combined"]["macro_f1"] > result["classifier"]["macro_f1"]
    assert result["combined"]["benign_flagged"] <= 0.05


def _file_lexicon():
    return flag_model._file_lexicon()
