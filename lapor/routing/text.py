"""Indonesian report text made comparable before it is counted.

Citizens write "yg", "gak", "jln", "kel." and "bgt"; SMS and social posts stretch letters
("tolonggg") and carry URLs, phone numbers and amounts. The classifier should see the same word
each time, so `normalize()` lower-cases, replaces URLs, e-mail addresses, phone numbers and
numbers with tokens, squeezes repeated letters and spells out a table of informal words and
abbreviations. Stemming (Sastrawi) is optional: measured on real reports it made the
classifier slower and no better (bench/README.md), so it is off, and the package is not a
dependency; `lapor routing train --stem` uses it when installed by hand.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Abbreviations and informal spellings seen in citizen reports (SMS 1708, social media, web).
# Keys are whole lower-case words; dotted abbreviations are handled before the split.
INFORMAL = {
    # function words
    "yg": "yang", "yng": "yang", "dgn": "dengan", "dg": "dengan", "dngan": "dengan", "dengn": "dengan",
    "utk": "untuk", "untk": "untuk", "u/": "untuk", "tuk": "untuk", "dr": "dari", "dri": "dari",
    "krn": "karena", "krna": "karena", "karna": "karena", "soalnya": "karena",
    "tp": "tetapi", "tpi": "tetapi", "tapi": "tetapi", "dll": "dan lain lain", "dsb": "dan sebagainya",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah", "sudh": "sudah",
    "blm": "belum", "blum": "belum", "lom": "belum", "blom": "belum",
    "tdk": "tidak", "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak",
    "enggak": "tidak", "engga": "tidak", "tak": "tidak", "kagak": "tidak",
    "jg": "juga", "jga": "juga", "sy": "saya", "sya": "saya", "aq": "aku", "gw": "saya", "gue": "saya",
    "kmi": "kami", "kmrn": "kemarin", "kemaren": "kemarin", "skrg": "sekarang", "skrang": "sekarang",
    "sekrg": "sekarang", "bs": "bisa", "bsa": "bisa", "bisa2": "bisa", "hrs": "harus", "hrus": "harus",
    "sm": "sama", "org": "orang", "orng": "orang", "pd": "pada", "trs": "terus",
    "trus": "terus", "bgt": "sekali", "banget": "sekali", "bngt": "sekali", "aja": "saja", "aj": "saja",
    "sj": "saja", "lg": "lagi", "lgi": "lagi", "klo": "kalau", "kl": "kalau", "kalo": "kalau",
    "gmn": "bagaimana", "gimana": "bagaimana", "knp": "kenapa", "kpn": "kapan", "mhn": "mohon",
    "mohn": "mohon", "tlg": "tolong", "tolongin": "tolong", "trims": "terima kasih",
    "makasih": "terima kasih", "mksh": "terima kasih", "thx": "terima kasih", "tks": "terima kasih",
    "bpk": "bapak", "bp": "bapak", "pak": "bapak", "bu": "ibu", "sdr": "saudara",
    "ttg": "tentang", "thd": "terhadap", "spt": "seperti", "kyk": "seperti", "kayak": "seperti",
    "dpt": "dapat", "dapet": "dapat", "bln": "bulan", "thn": "tahun", "th": "tahun", "tgl": "tanggal",
    "hr": "hari", "mgg": "minggu", "sampe": "sampai", "ampe": "sampai",
    "msh": "masih", "masi": "masih", "bnyk": "banyak", "byk": "banyak", "sgt": "sangat",
    "emg": "memang", "emang": "memang", "ato": "atau", "atw": "atau",
    "dmn": "di mana", "dimana": "di mana", "kmn": "ke mana", "jd": "jadi", "jdi": "jadi",
    "krg": "kurang", "lbh": "lebih", "sblm": "sebelum", "stlh": "setelah", "ssdh": "sesudah",
    "sbg": "sebagai", "tsb": "tersebut", "ybs": "yang bersangkutan", "dlm": "dalam", "dl": "dulu",
    "pdhl": "padahal", "bkn": "bukan", "gpp": "tidak apa apa", "nyampe": "sampai", "dtg": "datang",
    # places and public services
    "jln": "jalan", "jl": "jalan", "jlan": "jalan", "gg": "gang", "kel": "kelurahan",
    "kec": "kecamatan", "kab": "kabupaten", "prov": "provinsi",
    "pemkab": "pemerintah kabupaten", "pemkot": "pemerintah kota", "pemprov": "pemerintah provinsi",
    "pemda": "pemerintah daerah", "kadis": "kepala dinas", "kades": "kepala desa",
    "kakanwil": "kepala kantor wilayah", "kanwil": "kantor wilayah", "dishub": "dinas perhubungan",
    "disdik": "dinas pendidikan", "dinkes": "dinas kesehatan", "disdukcapil": "dinas kependudukan dan pencatatan sipil",
    "dukcapil": "kependudukan dan pencatatan sipil", "capil": "pencatatan sipil", "dinsos": "dinas sosial",
    "satpolpp": "satuan polisi pamong praja", "disnaker": "dinas tenaga kerja", "dlh": "dinas lingkungan hidup",
    "pu": "pekerjaan umum", "pupr": "pekerjaan umum dan penataan ruang", "rs": "rumah sakit",
    "rsud": "rumah sakit umum daerah", "pkm": "puskesmas", "sd": "sekolah dasar", "smp": "sekolah menengah pertama",
    "sma": "sekolah menengah atas", "smk": "sekolah menengah kejuruan", "e-ktp": "ktp",
    "ektp": "ktp", "kk": "kartu keluarga", "kis": "kartu indonesia sehat", "pju": "penerangan jalan umum",
    "tpa": "tempat pemrosesan akhir", "tps": "tempat penampungan sementara", "pkl": "pedagang kaki lima",
    "bansos": "bantuan sosial", "blt": "bantuan langsung tunai", "pkh": "program keluarga harapan",
    "kapolsek": "kepala kepolisian sektor", "polsek": "kepolisian sektor", "polres": "kepolisian resor",
    "polda": "kepolisian daerah", "no": "nomor", "nmr": "nomor",
}
# Dotted or slashed abbreviations, spelled out before the text is split into words.
DOTTED = {
    "kel.": "kelurahan", "kec.": "kecamatan", "kab.": "kabupaten", "prov.": "provinsi", "jl.": "jalan",
    "jln.": "jalan", "ds.": "desa", "dsn.": "dusun", "no.": "nomor", "pt.": "pt", "d/a": "dengan alamat",
    "u/": "untuk", "dg/": "dengan", "kab/kota": "kabupaten kota",
}
_DOTTED = re.compile(r"\b(?:kel|kec|kab|prov|jln?|dsn?|no|pt)\.\s*|\b(?:d/a|kab/kota)\b|\b(?:u|dg)/\s*")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Masked numbers from exports ("0[*****]9") and phone numbers (+62/08..., 9–15 digits).
_MASKED = re.compile(r"\d*\[\*+\]\w*")
_PHONE = re.compile(r"(?:\+62|\b62|\b0)8[\d\s-]{7,13}\d\b")
_MONEY = re.compile(r"\brp\.?\s*\d[\d.,]*(?:\s*(?:ribu|rb|juta|jt|miliar|m))?\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Letters stretched for emphasis ("tolonggg", "lamaaa"): three or more become one.
_REPEATED = re.compile(r"([a-z])\1{2,}")
# Reduplication written with a 2 ("anak2", "jalan2") means the doubled word.
_REDUPLICATED = re.compile(r"\b([a-z]{2,})2\b")
_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*|_[a-z]+_")

# Function words and courtesies: never offered to an officer as the reason for a suggestion.
QUIET_WORDS = frozenset(
    """yang dan di ke dari untuk dengan pada ini itu ada tidak sudah belum akan bisa saya kami kita mohon
    agar karena atau juga sangat sekali lebih dalam oleh sebagai para tersebut terima kasih bapak ibu tolong
    sejak hari bulan tahun masih jadi hal apa bagaimana kenapa mengapa kapan sampai tetapi namun kalau mau
    semua setiap sama lagi saja hanya harus sering selalu kemarin sekarang warga kepada""".split()
)

URL_TOKEN = "_url_"
EMAIL_TOKEN = "_email_"
PHONE_TOKEN = "_telepon_"
MONEY_TOKEN = "_uang_"
NUMBER_TOKEN = "_angka_"


def _spell_dotted(match: re.Match) -> str:
    key = match.group(0).strip()
    return f" {DOTTED.get(key, key)} "


def normalize(text: str, *, stem: bool = False) -> str:
    """The text as the classifier reads it: lower-case words, informal spellings spelled out."""
    text = (text or "").lower()
    # Cheap membership tests first: most reports carry no URL, address or masked number.
    if "http" in text or "www." in text:
        text = _URL.sub(f" {URL_TOKEN} ", text)
    if "@" in text:
        text = _EMAIL.sub(f" {EMAIL_TOKEN} ", text)
    if "[" in text:
        text = _MASKED.sub(f" {PHONE_TOKEN} ", text)
    text = _PHONE.sub(f" {PHONE_TOKEN} ", text)
    if "rp" in text:
        text = _MONEY.sub(f" {MONEY_TOKEN} ", text)
    text = _DOTTED.sub(_spell_dotted, text)
    text = _REDUPLICATED.sub(r"\1", text)
    text = _NUMBER.sub(f" {NUMBER_TOKEN} ", text)
    text = _REPEATED.sub(r"\1", text)
    informal = INFORMAL
    out = " ".join([informal.get(word, word) for word in _TOKEN.findall(text)])
    if stem:
        out = stem_text(out)
    return out


@lru_cache(maxsize=1)
def _stemmer():
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError as error:  # optional dependency
        raise RuntimeError("Stemming needs the Sastrawi package (pip install Sastrawi).") from error
    return StemmerFactory().create_stemmer()


def stem_text(text: str) -> str:
    """Sastrawi's stem of each word (tokens such as _angka_ kept)."""
    stemmer = _stemmer()
    return " ".join(w if w.startswith("_") else stemmer.stem(w) for w in text.split())
