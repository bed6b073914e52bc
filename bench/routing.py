"""Routing benchmark: our classifier against a plain TF-IDF + linear SVM baseline, same folds.

Usage: .venv/bin/python bench/routing.py [--data ../shared/data/lapor2017-dev.csv] [--folds 5] [--min-count 5]

1. Real reports (default `../shared/data/lapor2017-dev.csv` beside the repository; skipped with
   a message when it is not there: it is development data, never shipped), stratified k-fold:
   a. labels with at least --min-count examples (stratified folds need them in every fold);
   b. every report, the rarer labels merged into one label "(lainnya)".
2. The project's seed corpus (lapor/routing/data/seed_corpus.csv), agency and category targets,
   a quarter of its templates held out: the test rows are written from templates the model never
   saw, so the figure says how it copes with new wording rather than with new names and places.

For each: accuracy, macro-F1, top-3 (the baseline ranks by its decision function), reports
classified per second (one batch of the whole data set on one thread, normalisation included,
our word cache cold; per CPU-second of the thread, which other programs on a shared machine
cannot skew, and per wall-clock second) and, for ours, the mean confidence of the first suggestion next to its
accuracy (calibration). Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupShuffleSplit, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lapor.routing.classifier import RoutingClassifier, top_k_accuracy  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "lapor2017-dev.csv"
SEED = ROOT / "lapor" / "routing" / "data" / "seed_corpus.csv"
OTHER = "(lainnya)"


def read(path: Path) -> list[dict]:
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def text_of(row: dict) -> str:
    title, text = (row.get("title") or "").strip(), (row.get("text") or "").strip()
    return f"{title}. {text}" if title else text


def baseline():
    """The plain reference: word unigram TF-IDF and a linear SVM, defaults otherwise."""
    return make_pipeline(TfidfVectorizer(), LinearSVC())


def _timed(fn, texts) -> tuple[float, float]:
    """(per CPU-second of this thread, per wall-clock second) of one batch on one thread."""
    with threadpool_limits(limits=1):
        cpu, wall = time.thread_time(), time.perf_counter()
        fn(texts)
        return len(texts) / (time.thread_time() - cpu), len(texts) / (time.perf_counter() - wall)


def evaluate(splits, texts, labels, groups=None) -> dict[str, dict]:
    """Both pipelines over the same train/test splits; figures pooled over the test rows.

    Speed: the last split's models classify every text of the data set in one batch (as
    `lapor routing evaluate` does), ours starting from a cold word cache.
    """
    texts, labels = np.asarray(texts, dtype=object), np.asarray(labels)
    groups = np.asarray(groups) if groups is not None else None
    found = {name: {"pred": [], "truth": [], "top3": [], "speed": [], "conf": []} for name in ("baseline", "ours")}
    for train, test in splits:
        x_train, y_train, x_test, y_test = list(texts[train]), labels[train], list(texts[test]), labels[test]

        base = baseline().fit(x_train, y_train)
        _collect(found["baseline"], base.decision_function(x_test), base.classes_, y_test)

        ours = RoutingClassifier().fit(x_train, y_train, groups=None if groups is None else groups[train])
        proba = ours.predict_proba(x_test)
        _collect(found["ours"], proba, ours.classes_, y_test)
        found["ours"]["conf"] += list(proba.max(axis=1))
    everything = list(texts)
    found["baseline"]["speed"] = _timed(base.decision_function, everything)
    ours.predict_proba(everything[:1])  # in-memory weights built, as a server's first request does
    ours.vectorizer._cache = {}
    found["ours"]["speed"] = _timed(ours.predict_proba, everything)
    out = {}
    for name, f in found.items():
        out[name] = {
            "accuracy": accuracy_score(f["truth"], f["pred"]),
            "macro_f1": f1_score(f["truth"], f["pred"], average="macro", zero_division=0),
            "top3": float(np.average(f["top3"][0::2], weights=f["top3"][1::2])),
            "per_s": f["speed"][0],
            "per_s_wall": f["speed"][1],
            "confidence": float(np.mean(f["conf"])) if f["conf"] else None,
            "n": len(f["truth"]),
        }
    return out


def _collect(into: dict, scores, classes, truth) -> None:
    scores = np.asarray(scores)
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    into["pred"] += list(classes[np.argmax(scores, axis=1)])
    into["truth"] += list(truth)
    into["top3"] += [top_k_accuracy(scores, classes, truth, k=3), len(truth)]


def table(title: str, note: str, figures: dict[str, dict]) -> None:
    print(f"\n### {title}\n\n{note}\n")
    print("| pipeline | accuracy | macro-F1 | top-3 | reports/s, one core (CPU time) | wall clock | mean confidence of the first |")
    print("|---|---|---|---|---|---|---|")
    for name, label in (("baseline", "TF-IDF words + LinearSVC (baseline)"), ("ours", "lapor routing classifier")):
        f = figures[name]
        conf = f"{f['confidence']:.3f}" if f["confidence"] is not None else "—"
        print(f"| {label} | {f['accuracy']:.3f} | {f['macro_f1']:.3f} | {f['top3']:.3f} | {f['per_s']:,.0f} | "
              f"{f['per_s_wall']:,.0f} | {conf} |")
    gain = figures["ours"]
    base = figures["baseline"]
    print(f"\nDifference: accuracy {100 * (gain['accuracy'] - base['accuracy']):+.1f} points, "
          f"macro-F1 {100 * (gain['macro_f1'] - base['macro_f1']):+.1f}, top-3 {100 * (gain['top3'] - base['top3']):+.1f}.",
          flush=True)


def real_reports(path: Path, folds: int, min_count: int) -> None:
    rows = [r for r in read(path) if r.get("label") and text_of(r)]
    counts = Counter(r["label"] for r in rows)
    kept = [r for r in rows if counts[r["label"]] >= min_count]
    frequent = sorted({r["label"] for r in kept})
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)

    texts, labels = [text_of(r) for r in kept], [r["label"] for r in kept]
    figures = evaluate(splitter.split(texts, labels), texts, labels)
    table(
        f"{path.name}: labels with at least {min_count} reports",
        f"{len(kept):,} of {len(rows):,} reports, {len(frequent)} of {len(counts)} labels; stratified {folds}-fold.",
        figures,
    )

    texts = [text_of(r) for r in rows]
    labels = [r["label"] if counts[r["label"]] >= min_count else OTHER for r in rows]
    figures = evaluate(splitter.split(texts, labels), texts, labels)
    table(
        f"{path.name}: every report, rare labels merged",
        f"{len(rows):,} reports; the {len(counts) - len(frequent)} labels with fewer than {min_count} reports "
        f"({len(rows) - len(kept)} reports) merged into \"{OTHER}\" (so {len(frequent) + 1} labels); "
        f"stratified {folds}-fold.",
        figures,
    )


def seed_corpus() -> None:
    rows = read(SEED)
    texts = [text_of(r) for r in rows]
    groups = [r["template"] for r in rows]
    for target in ("agency", "category"):
        labels = [r[target] for r in rows]
        splits = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0).split(texts, labels, groups)
        figures = evaluate(splits, texts, labels, groups)
        table(
            f"seed corpus, {target}: a quarter of the templates held out",
            f"{len(rows):,} reports, {len(set(labels))} labels; test rows ({figures['ours']['n']:,}) are written "
            "from body templates absent from training.",
            figures,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    if args.data.is_file():
        real_reports(args.data, args.folds, max(args.min_count, args.folds))
    else:
        print(f"{args.data} not found: the real-report comparison is skipped (development data, not shipped).")
    if not args.skip_seed:
        seed_corpus()


if __name__ == "__main__":
    main()
