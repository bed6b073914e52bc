"""How Indonesians write place names: one canonical form per word, so variants meet.

The text a gazetteer reads goes through `canonical`, an official name through `index_forms`,
which also gives the forms people write it in, so the two meet: case and accents, numerals
("Ilir Barat II", "Ilir Barat 2", "Ilir Barat Dua"), a few shortened words ("Kep.", "Gn.", "Tj."),
the spelling before 1972 (oe → u, dj → j, tj → c, nj → ny, sj → sy, and then j → y: "Soerabaja",
"Bandoeng", "Tjiandjoer") and a doubled letter written once ("Makasar" for Makassar). Old
spelling is only assumed in a word that shows one of its marks, since "nj" and "j" are ordinary
in today's words ("Banjarmasin").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A word: letters and digits, with apostrophes inside it dropped ("Sa'dan" is written "Sadan").
_WORD = re.compile(r"[^\W_]+(?:['’`][^\W_]+)*")
_APOSTROPHE = re.compile(r"['’`]")
_DOUBLE = re.compile(r"([a-z])\1+")
_OLD_MARK = re.compile(r"oe|dj|tj")

NUMERALS = {
    "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5", "enam": "6", "tujuh": "7",
    "delapan": "8", "sembilan": "9", "sepuluh": "10",
    "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10",
}
# Shortened words in names and addresses, and spellings of a word that differ only by habit.
SHORT = {
    "kep": "kepulauan", "gn": "gunung", "tj": "tanjung", "tg": "tanjung", "bkt": "bukit", "kby": "kebayoran",
    "sumatra": "sumatera",
}

# Words that say which level the next name is ("Kab. Bogor", "Desa Sukamaju", "Bupati Garut").
# Values: (level, kind) where kind narrows a regency to a city ("kota") or a regency ("kabupaten").
HINTS: dict[str, tuple[int, str]] = {
    "provinsi": (1, ""), "propinsi": (1, ""), "prov": (1, ""), "prop": (1, ""), "pemprov": (1, ""),
    "gubernur": (1, ""),
    "kabupaten": (2, "kabupaten"), "kab": (2, "kabupaten"), "pemkab": (2, "kabupaten"), "bupati": (2, "kabupaten"),
    "kota": (2, "kota"), "kotamadya": (2, "kota"), "kodya": (2, "kota"), "pemkot": (2, "kota"),
    "walikota": (2, "kota"),
    "kecamatan": (3, ""), "kec": (3, ""), "distrik": (3, ""), "camat": (3, ""),
    "kelurahan": (4, "kelurahan"), "kel": (4, "kelurahan"), "lurah": (4, "kelurahan"),
    "desa": (4, "desa"), "ds": (4, "desa"), "kades": (4, "desa"), "gampong": (4, "desa"), "nagari": (4, "desa"),
}
# Words that may stand between a level word and the name ("Kota Adm. Jakarta Selatan", "Kab. Dati II").
FILLERS = frozenset({"adm", "administrasi", "daerah", "dati", "tingkat", "2"})
# After these a name is a street's ("Jalan Bogor", "Gg. Sukamaju"), not the place of the report.
STREET_WORDS = frozenset({"jalan", "jl", "jln", "gang", "gg", "lorong", "komplek", "kompleks", "komp", "perumahan", "perum", "blok"})
# A regency written with its kind after it: "Semarang kota", "Bekasi kab".
POSTFIX_KINDS = {"kota": "kota", "kab": "kabupaten", "kabupaten": "kabupaten"}


def fold(text: str) -> str:
    """Lower case without accents: "Tjiandjoer" and "TJIANDJOER" read alike."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def single_letters(word: str) -> str:
    """"makassar" → "makasar": a doubled letter as people often write it."""
    return _DOUBLE.sub(r"\1", word)


def _from_old_spelling(word: str) -> str:
    word = word.replace("dj", "\x01").replace("tj", "c").replace("nj", "ny").replace("sj", "sy").replace("oe", "u")
    return word.replace("j", "y").replace("\x01", "j")


@lru_cache(maxsize=200_000)
def canonical(word: str) -> str:
    """The form a word of a text is looked up in (`word` already folded)."""
    word = _APOSTROPHE.sub("", word)
    if word in NUMERALS:
        return NUMERALS[word]
    word = SHORT.get(word, word)
    if _OLD_MARK.search(word):
        word = single_letters(_from_old_spelling(word))
    return word


def index_forms(word: str) -> set[str]:
    """Every form a word of an official name may be written in: as is, in today's spelling of an
    old one, with its doubled letters single.

    A name that merely looks old ("Kramatjati", "Oebobo") is kept as written too, since a reader
    who splits it ("Kramat Jati") never triggers the old-spelling reading.
    """
    word = _APOSTROPHE.sub("", word)
    if word in NUMERALS:
        return {NUMERALS[word]}
    word = SHORT.get(word, word)
    forms = {word, single_letters(word)}
    if _OLD_MARK.search(word):
        forms.add(canonical(word))
    return forms


def words(text: str) -> list[tuple[str, int, int]]:
    """The text's words as (canonical form, start, end), offsets into the original text."""
    folded = fold(text)
    if len(folded) != len(text):  # a character that folds into several: offsets would drift
        folded = "".join(fold(ch)[:1] or " " for ch in text)
    return [(canonical(m.group()), m.start(), m.end()) for m in _WORD.finditer(folded)]


def name_words(name: str) -> list[str]:
    """An official name's words, folded (not yet canonical): for building the index."""
    return [m.group() for m in _WORD.finditer(fold(name))]
