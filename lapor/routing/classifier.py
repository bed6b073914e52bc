"""The routing classifier: word and character n-grams, a linear SVM, calibrated confidences.

Why this shape (measured in bench/README.md on real LAPOR! reports):
- Reporters often name the office in their own words, misspelt or abbreviated ("dinas PU",
  "dukcapil", "BPJS kes"): character 3- and 4-grams inside words catch those where whole words miss.
- A linear SVM beat logistic regression and SGD on accuracy and macro-F1. Its scores become
  confidences from out-of-fold scores with a handful of shared parameters (stable with the long
  tail of rare agencies, where per-label calibration cannot be fitted): the best label's
  confidence comes from a logistic model of its score and its lead over the second, so a text
  that fits no label gets a low confidence rather than a confident guess; the other labels
  share the rest by a softmax with a fitted temperature.
- Speed: scikit-learn's char analyzer builds every n-gram of every document in Python. Here each
  distinct word is turned into feature columns once and remembered, so a document costs one
  dictionary look-up per word. That keeps well above 2,000 reports a second on one core.

The same per-word columns explain a suggestion: a word's weight for the chosen label is the sum
of its unigram, bigram (half each) and character n-gram contributions.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import expit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.svm import LinearSVC

from .text import QUIET_WORDS, normalize

# Words per report the classifier reads; longer reports rarely add routing evidence.
MAX_WORDS = 400
# Distinct words whose columns are remembered between calls (a bounded cache).
WORD_CACHE_SIZE = 200_000
# Below this many training reports every n-gram counts (min_df 1), above it only repeated ones.
SMALL_CORPUS = 500
# Without enough data to learn it: how fast confidence grows with the best label's SVM score.
DEFAULT_SLOPE = 5.0
# Label × feature weights kept dense in memory up to this many (float32: 4 bytes each).
DENSE_LIMIT = 25_000_000


class NgramVectorizer(BaseEstimator, TransformerMixin):
    """TF-IDF of word 1–2-grams and of character n-grams within words, as two L2-normed blocks.

    Input: normalised text (words separated by spaces). Sublinear term frequency, smooth idf,
    like scikit-learn's `TfidfVectorizer(sublinear_tf=True)` for each block.
    """

    def __init__(self, char_range=(3, 4), word_bigrams=True, min_df=1, char_weight=1.0):
        self.char_range = char_range
        self.word_bigrams = word_bigrams
        self.min_df = min_df
        self.char_weight = char_weight

    # --- fitting ------------------------------------------------------------------------------

    def _grams(self, word: str) -> list[str]:
        lo, hi = self.char_range
        padded = f" {word} "
        n = len(padded)
        return [padded[i : i + k] for k in range(lo, hi + 1) for i in range(n - k + 1)]

    def fit(self, docs, y=None):
        word_df: Counter = Counter()
        char_df: Counter = Counter()
        gram_cache: dict[str, set[str]] = {}
        for doc in docs:
            words = doc.split()[:MAX_WORDS]
            distinct = set(words)
            features = set(distinct)
            if self.word_bigrams:
                features.update(f"{a} {b}" for a, b in zip(words, words[1:]))
            word_df.update(features)
            grams: set[str] = set()
            for word in distinct:
                cached = gram_cache.get(word)
                if cached is None:
                    cached = gram_cache[word] = set(self._grams(word))
                grams |= cached
            char_df.update(grams)
        n_docs = max(len(docs), 1)
        self.word_vocabulary_ = {f: i for i, f in enumerate(sorted(f for f, c in word_df.items() if c >= self.min_df))}
        self.char_vocabulary_ = {f: i for i, f in enumerate(sorted(f for f, c in char_df.items() if c >= self.min_df))}
        self.word_idf_ = self._idf(word_df, self.word_vocabulary_, n_docs)
        self.char_idf_ = self._idf(char_df, self.char_vocabulary_, n_docs)
        self._cache = {}
        return self

    @staticmethod
    def _idf(df: Counter, vocabulary: dict[str, int], n_docs: int) -> np.ndarray:
        idf = np.zeros(len(vocabulary))
        for feature, column in vocabulary.items():
            idf[column] = np.log((1 + n_docs) / (1 + df[feature])) + 1
        return idf

    # --- transforming -------------------------------------------------------------------------

    def _word_columns(self, word: str) -> tuple[int, tuple[int, ...]]:
        """(unigram column or -1, character n-gram columns) of a word, remembered."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) >= WORD_CACHE_SIZE:
                self._cache.clear()
            chars = self.char_vocabulary_
            columns = tuple([c for c in map(chars.get, self._grams(word)) if c is not None])
            found = self._cache[word] = (self.word_vocabulary_.get(word, -1), columns)
        return found

    def _doc_columns(self, doc: str) -> tuple[list[int], list[int]]:
        words = doc.split()[:MAX_WORDS]
        word_cols: list[int] = []
        char_cols: list[int] = []
        cache, column_of = self._cache, self._word_columns
        for word in words:
            unigram, chars = cache.get(word) or column_of(word)
            if unigram >= 0:
                word_cols.append(unigram)
            char_cols.extend(chars)
        if self.word_bigrams:
            vocabulary = self.word_vocabulary_
            for a, b in zip(words, words[1:]):
                column = vocabulary.get(f"{a} {b}")
                if column is not None:
                    word_cols.append(column)
        return word_cols, char_cols

    def transform(self, docs):
        word_flat: list[int] = []
        char_flat: list[int] = []
        word_ptr, char_ptr = [0], [0]
        for doc in docs:
            w, c = self._doc_columns(doc)
            word_flat += w
            char_flat += c
            word_ptr.append(len(word_flat))
            char_ptr.append(len(char_flat))
        words = self._block(word_flat, word_ptr, self.word_idf_)
        chars = self._block(char_flat, char_ptr, self.char_idf_)
        if self.char_weight != 1.0:
            chars = chars * self.char_weight
        return sp.hstack([words, chars], format="csr", dtype=np.float32)

    def fit_transform(self, docs, y=None):
        return self.fit(docs).transform(docs)

    @staticmethod
    def _block(flat: list[int], indptr: list[int], idf: np.ndarray) -> sp.csr_matrix:
        indices = np.array(flat, dtype=np.int32)
        matrix = sp.csr_matrix(
            (np.ones(len(indices)), indices, np.array(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(idf))
        )
        matrix.sum_duplicates()
        matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
        squares = matrix.copy()
        squares.data **= 2
        norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
        return matrix

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cache"] = {}
        return state

    @property
    def n_features(self) -> int:
        return len(self.word_vocabulary_) + len(self.char_vocabulary_)


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float  # 0–1, calibrated
    words: tuple[str, ...] = ()  # the words that drove it, strongest first


class RoutingClassifier:
    """normalise → NgramVectorizer → LinearSVC → confidences calibrated on out-of-fold scores."""

    def __init__(self, *, C: float = 1.0, char_range=(3, 4), min_df: int | None = None, stem: bool = False,
                 class_weight: str | None = "balanced", calibration_folds: int = 3, calibration_rows: int = 1500,
                 max_weights: int = 2000, tol: float = 1e-2, random_state: int = 0):
        self.C = C
        self.tol = tol
        self.calibration_rows = calibration_rows
        self.max_weights = max_weights
        self.char_range = char_range
        self.min_df = min_df
        self.stem = stem
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.random_state = random_state
        self.calibration_ = {"temperature": 1.0, "coef": [DEFAULT_SLOPE, 0.0], "intercept": 0.0}
        self.oof_metrics: dict = {}

    def prepare(self, texts) -> list[str]:
        return [normalize(t, stem=self.stem) for t in texts]

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight=self.class_weight, tol=self.tol, random_state=self.random_state)

    def fit(self, texts, labels, groups=None) -> RoutingClassifier:
        """Learn from texts and labels; `groups` (e.g. the template a text was written from) are
        kept together when the confidences are calibrated, so they are calibrated on unseen wording.
        """
        labels = np.asarray([str(label) for label in labels])
        docs = self.prepare(texts)
        # An n-gram seen in one report only is noise at scale, but all there is in a tiny set.
        min_df = self.min_df if self.min_df is not None else (2 if len(docs) >= SMALL_CORPUS else 1)
        self.vectorizer = NgramVectorizer(char_range=self.char_range, min_df=min_df)
        matrix = self.vectorizer.fit_transform(docs)
        svm = self._svm().fit(matrix, labels)
        self.classes_ = svm.classes_
        self.weights_ = _pruned(svm.coef_, self.max_weights)
        self.intercept_ = svm.intercept_.astype(np.float64)
        self.calibration_ = self._calibrate(matrix, labels, None if groups is None else np.asarray(groups))
        self.training_size = len(labels)
        return self

    def _calibrate(self, matrix, labels: np.ndarray, groups: np.ndarray | None) -> dict:
        """How out-of-fold scores turn into confidences (see `_fit_calibration`).

        Plain (not stratified) folds: rare labels may be missing from a training fold, which is
        exactly the uncertainty the confidences should show. With `groups`, rows written alike
        are held out together.
        """
        self.oof_metrics = {}
        if len(labels) < 2 * self.calibration_folds or len(self.classes_) < 2:
            return {"temperature": 1.0, "coef": [DEFAULT_SLOPE, 0.0], "intercept": 0.0}
        if len(labels) > self.calibration_rows:
            # A sample is enough to fit three parameters and keeps training a large corpus quick;
            # models trained on a part score a little lower, so confidences err on the low side.
            keep = np.random.default_rng(self.random_state).choice(len(labels), self.calibration_rows, replace=False)
            keep = np.sort(keep)
            matrix, labels = matrix[keep], labels[keep]
            groups = groups[keep] if groups is not None else None
        class_index = {c: i for i, c in enumerate(self.classes_)}
        scores = np.full((len(labels), len(self.classes_)), -1.0)
        if groups is not None and len(set(groups)) >= self.calibration_folds:
            splits = GroupKFold(self.calibration_folds).split(matrix, groups=groups)
        else:
            splits = KFold(self.calibration_folds, shuffle=True, random_state=self.random_state).split(matrix)
        for train, test in splits:
            present = np.unique(labels[train])
            if len(present) < 2:
                continue
            svm = self._svm().fit(matrix[train], labels[train])
            columns = [class_index[c] for c in svm.classes_]
            fold_scores = svm.decision_function(matrix[test])
            if fold_scores.ndim == 1:  # two classes: one score for the second
                fold_scores = np.column_stack([-fold_scores, fold_scores])
            block = np.full((len(test), len(self.classes_)), -1.0)
            block[:, columns] = fold_scores
            scores[test] = block
        truth = np.array([class_index[label] for label in labels])
        self.oof_metrics = _metrics(scores, truth)
        return _fit_calibration(scores, truth)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_dense", None)  # rebuilt on first use; the file keeps the compact form
        return state

    def describe(self) -> dict:
        """Parameters and sizes, for the version's record."""
        return {
            "C": self.C,
            "char_range": list(self.char_range),
            "min_df": self.vectorizer.min_df,
            "stem": self.stem,
            "class_weight": self.class_weight,
            "max_weights": self.max_weights,
            "tol": self.tol,
            "calibration": self.calibration_,
            "features": self.vectorizer.n_features,
        }

    # --- predicting ---------------------------------------------------------------------------

    def _dense_weights(self) -> np.ndarray | None:
        """The weights as a dense array when that fits in memory: a much faster product."""
        dense = getattr(self, "_dense", None)
        if dense is None and self.weights_.shape[0] * self.weights_.shape[1] <= DENSE_LIMIT:
            dense = self._dense = np.ascontiguousarray(self.weights_.toarray().T)
        return dense

    def _decision(self, matrix) -> np.ndarray:
        dense = self._dense_weights()
        product = matrix @ dense if dense is not None else (matrix @ self.weights_.T).toarray()
        raw = np.asarray(product, dtype=np.float64) + self.intercept_
        if raw.shape[1] == 1:  # two classes: one score, for the second
            raw = np.column_stack([-raw[:, 0], raw[:, 0]])
        return raw

    def scores(self, texts) -> np.ndarray:
        return self._decision(self.vectorizer.transform(self.prepare(texts)))

    def predict_proba(self, texts) -> np.ndarray:
        return _confidences(self.scores(texts), self.calibration_)

    def predict(self, texts) -> np.ndarray:
        return self.classes_[np.argmax(self.scores(texts), axis=1)]

    def suggest(self, text: str, *, k: int = 3, n_words: int = 5, allowed=None) -> list[Suggestion]:
        """The `k` likeliest labels with their confidence, each with the words that drove it.

        `allowed` narrows the answer to some labels (a unit router asked about one agency's
        units), their confidences renormalised to sum to one among themselves.
        """
        doc = self.prepare([text])[0]
        matrix = self.vectorizer.transform([doc])
        raw = self._decision(matrix)
        if allowed is not None:
            mask = np.isin(self.classes_, list(allowed))
            if not mask.any():
                return []
            raw = np.where(mask[None, :], raw, -np.inf)
        proba = _confidences(raw, self.calibration_)[0]
        order = [i for i in np.argsort(-proba)[:k] if proba[i] > 0]
        return [
            Suggestion(
                label=str(self.classes_[i]),
                confidence=float(proba[i]),
                words=tuple(self.explain(doc, int(i), matrix[0], n_words=n_words)),
            )
            for i in order
        ]

    def explain(self, doc: str, class_index: int, row, *, n_words: int = 5) -> list[str]:
        """Words of `doc` with the largest positive contribution to `class_index`'s score."""
        row_of_class = 0 if self.weights_.shape[0] == 1 else class_index
        weights = self.weights_[row_of_class].toarray().ravel()
        if self.weights_.shape[0] == 1 and class_index == 0:  # two classes: the row scores the second
            weights = -weights
        value = dict(zip(row.indices.tolist(), row.data.tolist()))
        vec = self.vectorizer
        offset = len(vec.word_vocabulary_)
        contribution: dict[str, float] = {}
        words = doc.split()[:MAX_WORDS]
        for word in set(words):
            if word.startswith("_") or len(word) < 3 or word in QUIET_WORDS:
                continue  # placeholders and function words explain nothing to an officer
            unigram, chars = vec._word_columns(word)
            total = 0.0
            if unigram >= 0:
                total += value.get(unigram, 0.0) * weights[unigram]
            for c in chars:
                total += value.get(offset + c, 0.0) * weights[offset + c]
            contribution[word] = total
        for a, b in zip(words, words[1:]):
            column = vec.word_vocabulary_.get(f"{a} {b}")
            if column is not None and column in value:
                share = value[column] * weights[column] / 2
                for w in (a, b):
                    if w in contribution:
                        contribution[w] += share
        ranked = sorted(((v, w) for w, v in contribution.items() if v > 0), reverse=True)
        return [w for _v, w in ranked[:n_words]]


def _pruned(coef: np.ndarray, keep: int) -> sp.csr_matrix:
    """The `keep` largest weights (by magnitude) of each label, as a compact sparse matrix.

    A dense label × feature matrix grows to hundreds of megabytes for hundreds of agencies;
    keeping 2,000 weights a label lost nothing measurable (bench/README.md).
    """
    coef = np.asarray(coef, dtype=np.float32).copy()
    for row in coef:
        magnitude = np.abs(row)
        if np.count_nonzero(magnitude) > keep:
            row[np.argpartition(magnitude, -keep)[:-keep]] = 0.0  # exactly `keep` survive, ties or not
    return sp.csr_matrix(coef)


def _metrics(scores: np.ndarray, truth: np.ndarray) -> dict:
    """Accuracy, macro-F1 (over the true labels) and top-3 of score rows against label indices."""
    from sklearn.metrics import f1_score

    predicted = np.argmax(scores, axis=1)
    top = np.argsort(-scores, axis=1)[:, :3]
    return {
        "accuracy": round(float(np.mean(predicted == truth)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, labels=np.unique(truth), average="macro", zero_division=0)), 4),
        "top3": round(float(np.mean([truth[i] in top[i] for i in range(len(truth))])), 4),
        "n": int(len(truth)),
    }


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _top_two(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index of the best label per row, its score, and its lead over the second best."""
    order = np.argsort(-raw, axis=1)
    rows = np.arange(len(raw))
    best = raw[rows, order[:, 0]]
    second = raw[rows, order[:, 1]] if raw.shape[1] > 1 else np.full(len(raw), -1.0)
    second = np.where(np.isfinite(second), second, -1.0)
    return order[:, 0], best, best - second


def _fit_calibration(scores: np.ndarray, truth: np.ndarray) -> dict:
    """Temperature of the softmax (how the labels share) and a logistic model of "the best is right".

    The temperature minimises the out-of-fold log-loss. Whether the best label is right is
    learnt from its score and its lead over the second (logistic regression, regularised so a
    perfectly separable sample cannot make it claim certainty). With too little to learn from,
    the best label's confidence follows its SVM score around the margin (0 → one half).
    """
    def nll(log_t: float) -> float:
        p = _softmax(scores * np.exp(log_t))
        return -np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12))

    temperature = float(np.exp(minimize_scalar(nll, bounds=(-3.0, 4.0), method="bounded").x))
    # Every row offers its three best labels as candidates: "is this candidate right?" is learnt
    # from its score and its lead over the next. The runners-up are the wrong answers even data
    # without out-of-fold mistakes has, so a weak best label is known for what it is.
    order = np.argsort(-scores, axis=1)[:, : min(4, scores.shape[1])]
    ranked = np.take_along_axis(scores, order, axis=1)
    features, right = [], []
    for rank in range(min(3, ranked.shape[1])):
        following = ranked[:, rank + 1] if rank + 1 < ranked.shape[1] else np.full(len(ranked), -1.0)
        features.append(np.column_stack([ranked[:, rank], ranked[:, rank] - following]))
        right.append((order[:, rank] == truth).astype(int))
    features, right = np.vstack(features), np.concatenate(right)
    if right.min() == right.max():  # nothing to tell right from wrong: fall back to the margin
        return {"temperature": temperature, "coef": [DEFAULT_SLOPE, 0.0], "intercept": 0.0}
    model = LogisticRegression(C=1.0).fit(features, right)
    return {"temperature": temperature, "coef": [float(c) for c in model.coef_[0]],
            "intercept": float(model.intercept_[0])}


def _confidences(raw: np.ndarray, calibration: dict) -> np.ndarray:
    """Per-label confidences: the best label's from the logistic model; each other label gets its
    softmax share of what is left, but never more than the best one's confidence scaled by its
    share (so the order of the scores is kept, and a vague text leaves room for "none of these").
    """
    shares = _softmax(raw * calibration["temperature"])
    top, best, lead = _top_two(raw)
    a, b = calibration["coef"]
    right = expit(a * best + b * lead + calibration["intercept"])
    rows = np.arange(len(raw))
    top_share = shares[rows, top]
    rest = 1.0 - top_share
    of_rest = shares * ((1.0 - right) / np.where(rest > 0, rest, 1.0))[:, None]
    below_best = shares * (right / np.where(top_share > 0, top_share, 1.0))[:, None]
    out = np.minimum(of_rest, below_best)
    out[rows, top] = right
    return out


def top_k_accuracy(proba: np.ndarray, classes: np.ndarray, labels, k: int = 3) -> float:
    top = np.argsort(-proba, axis=1)[:, :k]
    labels = list(labels)
    hits = sum(1 for i, label in enumerate(labels) if label in set(classes[top[i]]))
    return hits / max(len(labels), 1)


def classified_per_second(model: RoutingClassifier, texts, *, repeat: int = 1) -> float:
    """Reports classified per CPU-second of this thread (one core), by batch prediction,
    normalisation included, from a cold word cache."""
    texts = list(texts)
    if not texts:
        return 0.0
    model.predict_proba(texts[:1])
    model.vectorizer._cache = {}  # a cold cache: count the first sight of every word
    start = time.thread_time()
    for _ in range(repeat):
        model.predict_proba(texts)
    elapsed = time.thread_time() - start
    return len(texts) * repeat / elapsed if elapsed > 0 else 0.0
