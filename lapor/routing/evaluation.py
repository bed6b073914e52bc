"""How well a stored router does on labelled data: the figures `lapor routing evaluate` prints."""

from __future__ import annotations

import time

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from threadpoolctl import threadpool_limits

from .classifier import RoutingClassifier, top_k_accuracy
from .versions import Dataset


def evaluate(classifier: RoutingClassifier, data: Dataset) -> dict:
    """accuracy, macro-F1 (over the labels present or predicted), top-3, reports per second, n.

    Speed is batch prediction of every row, normalisation included, on one thread and with a
    cold word cache (what a fresh process does), per second of that thread's CPU time: the
    rate of one core given to the work, which other programs on a shared machine cannot skew.
    """
    classifier.predict_proba(data.texts[:1])  # loads the in-memory weights, as a first request does
    with threadpool_limits(limits=1):
        classifier.vectorizer._cache = {}
        start = time.thread_time()
        proba = classifier.predict_proba(data.texts)
        elapsed = time.thread_time() - start
    predicted = classifier.classes_[np.argmax(proba, axis=1)]
    truth = np.asarray(data.labels)
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "top3": round(top_k_accuracy(proba, classifier.classes_, truth, k=3), 4),
        "per_s": round(len(truth) / elapsed, 1) if elapsed > 0 else 0.0,
        "n": int(len(truth)),
    }
