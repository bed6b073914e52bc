"""The classifier itself: learns, ranks three labels with calibrated confidences, explains, stores."""

from __future__ import annotations

import io

import joblib
import numpy as np
import pytest

from lapor.routing.classifier import RoutingClassifier, classified_per_second, top_k_accuracy

from .conftest import dataset, sentences

LABELS = {"jalan": "dinas-pupr", "listrik": "pln", "sekolah": "dinas-pendidikan"}


@pytest.fixture(scope="module")
def model() -> RoutingClassifier:
    data = dataset(LABELS, n=15)
    return RoutingClassifier().fit(data.texts, data.labels)


def test_unseen_sentences_go_to_their_topic(model):
    for topic, label in LABELS.items():
        unseen = sentences(topic, 5, seed=99)
        assert list(model.predict(unseen)) == [label] * 5


def test_three_suggestions_best_first_with_confidences_that_are_probabilities(model):
    found = model.suggest("Listrik di kampung kami padam terus sejak kemarin, meteran rusak")
    assert [s.label for s in found][0] == "pln"
    assert len(found) == 3
    confidences = [s.confidence for s in found]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences)
    assert sum(confidences) <= 1 + 1e-9  # what is left is "none of these"
    assert confidences[0] > 0.5


def test_the_driving_words_come_from_the_text_and_the_topic(model):
    best = model.suggest("Jalan di depan rumah berlubang dan aspal retak, mohon ditambal")[0]
    assert best.label == "dinas-pupr"
    assert best.words, "a suggestion names the words behind it"
    assert set(best.words) <= {"jalan", "depan", "rumah", "berlubang", "aspal", "retak", "ditambal"}
    assert {"berlubang", "aspal", "retak", "jalan"} & set(best.words)
    assert "dan" not in best.words and "mohon" not in best.words  # function words explain nothing


def test_misspelt_and_abbreviated_words_still_count(model):
    # "jln", stretched letters and "aspl" only share character n-grams with the training words.
    assert model.suggest("jlnnn brlubang aspl retakk parahhh")[0].label == "dinas-pupr"


def test_allowed_labels_narrow_the_answer_without_inventing_certainty(model):
    road = model.suggest("Jalan berlubang dan aspal retak", allowed={"dinas-pupr", "dinas-pendidikan"})
    assert [s.label for s in road] == ["dinas-pupr", "dinas-pendidikan"] and road[0].confidence > 0.5
    power = model.suggest("Listrik padam dan token meteran hilang", allowed={"dinas-pupr", "dinas-pendidikan"})
    assert {s.label for s in power} <= {"dinas-pupr", "dinas-pendidikan"}
    assert power[0].confidence < 0.5  # neither allowed label fits: no confident guess
    assert model.suggest("apa saja", allowed={"tidak-ada"}) == []


def test_a_text_that_fits_no_label_gets_a_low_confidence(model):
    assert model.suggest("selamat pagi, apa kabar semuanya")[0].confidence < 0.5


def test_a_stored_model_answers_the_same(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    again = joblib.load(io.BytesIO(buffer.getvalue()))
    texts = sentences("sekolah", 4, seed=5)
    assert np.allclose(model.predict_proba(texts), again.predict_proba(texts))


def test_confidence_follows_evidence(model):
    clear = model.suggest("guru sekolah menahan ijazah dan rapor murid kelas enam")[0]
    vague = model.suggest("mohon segera ditangani warga kampung")[0]
    assert clear.confidence > vague.confidence


def test_out_of_fold_estimate_and_speed_are_measured(model):
    assert set(model.oof_metrics) == {"accuracy", "macro_f1", "top3", "n"}
    assert model.oof_metrics["n"] == 45
    assert model.oof_metrics["top3"] == 1.0  # three labels: the truth is always among three
    assert classified_per_second(model, sentences("jalan", 20, seed=3)) > 0


def test_top_k_accuracy_counts_hits_in_the_first_k():
    proba = np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]])
    classes = np.array(["a", "b", "c"])
    assert top_k_accuracy(proba, classes, ["b", "a"], k=2) == 0.5
    assert top_k_accuracy(proba, classes, ["b", "a"], k=3) == 1.0


def test_weights_are_pruned_to_the_largest_per_label():
    data = dataset(LABELS, n=15)
    small = RoutingClassifier(max_weights=10).fit(data.texts, data.labels)
    assert max(np.diff(small.weights_.indptr)) <= 10
