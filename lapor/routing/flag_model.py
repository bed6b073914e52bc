"""The red-flag classifier: one logistic regression per kind over word and character n-grams.

Trained on `data/flag_corpus.csv` (see `data/flag_corpus.md`) the first time a process needs it,
in well under a second, and kept in memory: nothing is downloaded or unpickled. Texts reach it
through `flags.read(...).marked`, where denied terms are marked ("tidak ada neg_pungli"), so it
can learn that a denial is not a report of the thing.

`python -m lapor.routing.flag_model` cross-validates the lexicon alone, the classifier alone and
both combined on the corpus and prints precision, recall and F1 per kind.
"""

from __future__ import annotations

import csv
import io
import threading
from importlib import resources

KINDS = ("extortion", "bribery", "corruption", "violence", "danger")
# Regularisation chosen on the corpus (5-fold cross-validation, `evaluate`).
C = 32.0

_lock = threading.Lock()
_model = None


def corpus() -> list[tuple[str, frozenset[str]]]:
    raw = resources.files("lapor.routing").joinpath("data", "flag_corpus.csv").read_text("utf-8")
    return [(row["text"], frozenset(row["flags"].split())) for row in csv.DictReader(io.StringIO(raw))]


def _file_lexicon():
    from .flags import _lexicon_data, build_lexicon

    return build_lexicon(_lexicon_data())


def build(texts: list[str], labels: list[frozenset[str]]):
    """A fitted pipeline: TF-IDF of words (1–2) and characters (2–5 within words), one-vs-rest
    logistic regression with balanced class weights."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import MultiLabelBinarizer

    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])
    y = MultiLabelBinarizer(classes=list(KINDS)).fit_transform(labels)
    classifier = OneVsRestClassifier(LogisticRegression(C=C, class_weight="balanced", max_iter=2000))
    return make_pipeline(features, classifier).fit(texts, y)


def model():
    """The classifier trained on the shipped corpus, built once per process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from .flags import read

                lex = _file_lexicon()
                rows = corpus()
                _model = build([read(t, lex).marked for t, _f in rows], [f for _t, f in rows])
    return _model


def probabilities(marked_texts: list[str]) -> list[dict[str, float]]:
    """Per text (already marked by `flags.read`), the probability of each kind."""
    found = model().predict_proba(marked_texts)
    return [{kind: float(p) for kind, p in zip(KINDS, row)} for row in found]


def evaluate(folds: int = 5, seed: int = 0) -> dict:
    """Cross-validated precision, recall and F1 per kind: lexicon, classifier, combined."""
    from sklearn.model_selection import KFold

    from .flags import combine, read, threshold

    lex = _file_lexicon()
    rows = corpus()
    readings = [read(t, lex) for t, _f in rows]
    probs: list[dict[str, float]] = [{} for _ in rows]
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(rows):
        fitted = build([readings[i].marked for i in train], [rows[i][1] for i in train])
        for i, row in zip(test, fitted.predict_proba([readings[i].marked for i in test])):
            probs[i] = dict(zip(KINDS, map(float, row)))
    at = threshold()
    ways = {
        "lexicon": lambda r, p, k: r.kinds[k].score >= at,
        "classifier": lambda r, p, k: p[k] >= at,
        "combined": lambda r, p, k: combine(r.kinds[k].score, p[k], bool(r.kinds[k].denied)) >= at,
    }
    report = {}
    for name, fires in ways.items():
        per_kind = {}
        for kind in KINDS:
            tp = sum(1 for (_, f), r, p in zip(rows, readings, probs) if kind in f and fires(r, p, kind))
            fp = sum(1 for (_, f), r, p in zip(rows, readings, probs) if kind not in f and fires(r, p, kind))
            fn = sum(1 for (_, f), r, p in zip(rows, readings, probs) if kind in f and not fires(r, p, kind))
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            per_kind[kind] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}
        benign = [(r, p) for (_, f), r, p in zip(rows, readings, probs) if not f]
        false_alarm = sum(1 for r, p in benign if any(fires(r, p, k) for k in KINDS)) / max(1, len(benign))
        report[name] = {"kinds": per_kind, "macro_f1": round(sum(v["f1"] for v in per_kind.values()) / len(KINDS), 3),
                        "benign_flagged": round(false_alarm, 3)}
    report["n"] = len(rows)
    return report


if __name__ == "__main__":  # pragma: no cover - a measurement, printed
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    result = evaluate()
    print(f"{result['n']} texts, 5-fold cross-validation, threshold {__import__('lapor.routing.flags').routing.flags.threshold()}")
    for way in ("lexicon", "classifier", "combined"):
        r = result[way]
        cells = "  ".join(f"{k} {v['precision']:.2f}/{v['recall']:.2f}" for k, v in r["kinds"].items())
        print(f"{way:<11} macro-F1 {r['macro_f1']:.3f}  benign flagged {r['benign_flagged']:.1%}  (precision/recall) {cells}")
