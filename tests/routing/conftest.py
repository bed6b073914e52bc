"""A tiny corpus made here (never real reports), routers trained on it, model files in tmp."""

from __future__ import annotations

import csv
import random

import pytest

from lapor.routing import versions
from lapor.routing.models import Target
from lapor.routing.versions import Dataset

# Words of each topic; sentences mix them with everyday filler so no two rows read the same.
TOPICS = {
    "jalan": ["jalan", "aspal", "berlubang", "jembatan", "trotoar", "tambal", "retak", "ambles"],
    "listrik": ["listrik", "padam", "token", "meteran", "tegangan", "kabel", "trafo", "pln"],
    "sekolah": ["sekolah", "guru", "murid", "ijazah", "pungutan", "rapor", "kelas", "seragam"],
}
FILLER = ["sudah", "lama", "mohon", "segera", "warga", "kami", "dekat", "rumah", "kemarin", "malam",
          "pagi", "bapak", "tolong", "ditangani", "sangat", "mengganggu", "terus", "kampung"]


def sentences(topic: str, n: int, seed: int = 0) -> list[str]:
    rng = random.Random(f"{topic}-{seed}")
    words = TOPICS[topic]
    out = []
    for _ in range(n):
        picked = rng.sample(words, 3) + rng.sample(FILLER, 5)
        rng.shuffle(picked)
        out.append("Laporan warga: " + " ".join(picked) + ".")
    return out


def dataset(labels: dict[str, str], n: int = 12, seed: int = 0) -> Dataset:
    """{topic: label} → a Dataset of n sentences per topic."""
    texts, out = [], []
    for topic, label in labels.items():
        for text in sentences(topic, n, seed):
            texts.append(text)
            out.append(label)
    return Dataset(texts=texts, labels=out, source_name="test")


def write_csv(path, rows: list[dict], fields: list[str] | None = None, encoding: str = "utf-8"):
    fields = fields or list(rows[0])
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def train(labels: dict[str, str], *, name="test", target=Target.AGENCY, agency=None, activate=True, n=12, seed=0):
    return versions.train(dataset(labels, n, seed), name=name, target=target, agency=agency, activate=activate)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
