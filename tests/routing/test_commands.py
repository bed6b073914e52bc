"""`lapor routing train|evaluate|suggest|list|activate` on CSV files made in the test."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lapor.complaints.exports import export_header
from lapor.routing.models import RoutingModel

from .conftest import sentences, write_csv

TOPICS = {"jalan": "Dinas Pekerjaan Umum", "listrik": "PLN", "sekolah": "Dinas Pendidikan"}


def rows(n=10, seed=0, with_extra=True):
    out = []
    for topic, label in TOPICS.items():
        for i, text in enumerate(sentences(topic, n, seed)):
            row = {"id": f"{topic}{i}", "date": "2025-01", "title": f"Soal {topic}" if i % 2 else "", "text": text,
                   "label": label}
            if with_extra:
                row["kanal"] = "sms"
            out.append(row)
    return out


def run(*args) -> str:
    out = StringIO()
    call_command("routing", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def train_csv(tmp_path):
    return write_csv(tmp_path / "train.csv", rows())


@pytest.fixture
def test_csv(tmp_path):
    return write_csv(tmp_path / "test.csv", rows(n=4, seed=7))


def test_train_evaluate_suggest(db, train_csv, test_csv):
    said = run("train", "--data", str(train_csv), "--name", "uji")
    assert "uji v1: 30 reports, 3 labels (active)" in said

    line = run("evaluate", "--data", str(test_csv), "--name", "uji")
    assert line.count("\n") == 1, "exactly one line"
    figures = json.loads(line)
    assert list(figures) == ["accuracy", "macro_f1", "top3", "per_s", "n"]
    assert figures["n"] == 12
    assert figures["accuracy"] == 1.0 and figures["macro_f1"] == 1.0 and figures["top3"] == 1.0
    assert figures["per_s"] > 0
    assert RoutingModel.objects.get(name="uji").evaluation["runs"][-1]["accuracy"] == 1.0

    lines = run("suggest", "--name", "uji", "listrik padam lagi, token dan meteran rusak").splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("1. PLN ") and "%" in lines[0]
    assert lines[1].startswith("2. ") and lines[2].startswith("3. ")
    found = json.loads(run("suggest", "--name", "uji", "--json", "guru menahan ijazah murid"))
    assert found[0]["label"] == "Dinas Pendidikan" and found[0]["words"]


def test_evaluation_counts_labels_the_model_never_saw_as_errors(db, tmp_path, train_csv):
    run("train", "--data", str(train_csv), "--name", "uji")
    unknown = write_csv(tmp_path / "lain.csv", [{"text": t, "label": "Instansi Lain"} for t in sentences("jalan", 4, 3)])
    figures = json.loads(run("evaluate", "--data", str(unknown), "--name", "uji"))
    assert figures["accuracy"] == 0.0 and figures["top3"] == 0.0 and figures["n"] == 4


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        ("isi,instansi\njalan rusak,pu\n", "utf-8", "Kolom text, label tidak ada"),
        ("text,kategori\njalan rusak,pu\n", "utf-8", "Kolom label tidak ada"),
        ("text,label\njalan rusak parah,Dinas Pekerjaan Umum\njembatan putus,Dinas Pekerjaan Umum\n", "utf-8",
         "Contoh terlalu sedikit"),
        ("text,label\nJalan rusak dekat pasar Pasar Minggu,Dinas Pekerjaan Umum\n", "latin-1", "UTF-8"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(db, tmp_path, content, encoding, message):
    path = tmp_path / "buruk.csv"
    path.write_bytes(content.replace("Pasar Minggu", "Pasar Minggu é").encode(encoding))
    with pytest.raises(CommandError, match=message):
        run("train", "--data", str(path), "--name", "uji")
    assert not RoutingModel.objects.exists()


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("train", "--data", str(tmp_path / "tidak-ada.csv"), "--name", "uji")


def test_labels_with_too_few_examples_can_be_left_out(db, tmp_path):
    data = rows() + [{"id": "x", "date": "", "title": "", "text": "satu-satunya laporan soal pajak", "label": "Bapenda", "kanal": ""}]
    path = write_csv(tmp_path / "ekor.csv", data)
    run("train", "--data", str(path), "--name", "uji", "--min-examples", "2")
    row = RoutingModel.objects.get(name="uji")
    assert row.labels_count == 3 and row.evaluation["dropped_labels"] == {"Bapenda": 1}


def test_unknown_model_and_unit_router_without_agency_are_refused(db, train_csv):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("evaluate", "--data", str(train_csv), "--name", "tidak-ada")
    with pytest.raises(CommandError, match="--agency"):
        run("train", "--data", str(train_csv), "--name", "unit", "--target", "unit")


def test_the_officers_export_is_read_as_it_is(db, tmp_path, world):
    header = export_header()
    assert "Unit kerja" in header
    data = []
    for topic, label in TOPICS.items():
        for text in sentences(topic, 8):
            row = dict.fromkeys(header, "")
            row.update({"Judul": f"Laporan {topic}", "Isi laporan (disunting)": text, "Instansi": label,
                        "Unit kerja": {"jalan": "dpupr", "listrik": "dishub", "sekolah": "dpupr"}[topic]})
            data.append(row)
    path = write_csv(tmp_path / "ekspor.csv", data, fields=header)
    run("train", "--data", str(path), "--name", "ekspor")
    assert RoutingModel.objects.get(name="ekspor").labels_count == 3
    run("train", "--data", str(path), "--name", "unit-denpasar", "--target", "unit", "--agency", "kota-denpasar")
    unit_router = RoutingModel.objects.get(name="unit-denpasar")
    assert unit_router.agency == world.agency_a and unit_router.labels_count == 2 and unit_router.is_active


def test_versions_are_listed_and_switched(db, train_csv):
    run("train", "--data", str(train_csv), "--name", "uji")
    run("train", "--data", str(train_csv), "--name", "uji")
    v1, v2 = RoutingModel.objects.filter(name="uji").order_by("version")
    assert v1.is_active and not v2.is_active  # a new version waits until someone activates it
    listing = run("list")
    assert "* uji v1" in listing and "  uji v2" in listing and "accuracy=" in listing
    # evaluate and suggest read the newest version unless told otherwise
    assert json.loads(run("suggest", "--name", "uji", "--json", "jalan berlubang"))
    assert RoutingModel.objects.get(name="uji", version=2).evaluation.get("runs") is None
    run("evaluate", "--data", str(train_csv), "--name", "uji")
    assert RoutingModel.objects.get(name="uji", version=2).evaluation["runs"]
    run("evaluate", "--data", str(train_csv), "--name", "uji", "--version", "1")
    assert RoutingModel.objects.get(name="uji", version=1).evaluation["runs"]
    assert "now the active" in run("activate", "--name", "uji", "--version", "2")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v2.is_active and not v1.is_active


def test_seed_trains_the_starting_routers_once(db, monkeypatch):
    from lapor.routing import learning

    every = learning.seed_rows()
    # A slice of the seed corpus keeps the test quick; the command is the same.
    sample = [r for r in every if r["subject"] in {"jalan-kabupaten", "sampah", "bpjs-kesehatan", "listrik-padam", "pdam"}]
    monkeypatch.setattr(learning, "seed_rows", lambda: sample)
    said = run("seed")
    assert {"category v1", "agency v1", "unit-daerah v1"} <= {line.split(" (")[0] for line in said.splitlines()}
    assert RoutingModel.objects.filter(is_active=True, source=RoutingModel.Source.SEED).count() == 3
    assert "nothing trained" in run("seed")


def test_retrain_reports_each_new_version(db, world, monkeypatch):
    from lapor.complaints import services
    from lapor.routing import learning

    from ..factories import make_report

    for topic, agency in (("jalan", world.agency_a), ("sekolah", world.agency_b)):
        for text in sentences(topic, 5, seed=21):
            report = make_report(reporter=world.reporter, text=text, category=world.category)
            services.report_dispose(actor=world.verifier, report=report.pk, agency=agency)
    said = run("retrain", "--target", "agency", "--no-seed")
    assert "agency v1 (Instansi): 10 reports, 2 labels" in said and "(active)" in said
    with pytest.raises(CommandError):
        run("retrain", "--target", "nothing")
    assert learning.decisions("category").labels == ["jalan-rusak"] * 10


def test_the_xlsx_export_is_read_too(db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header = export_header()
    sheet.append(header)
    for topic, label in TOPICS.items():
        for text in sentences(topic, 6):
            row = dict.fromkeys(header, "")
            row.update({"Judul": topic, "Isi laporan asli": text, "Instansi": label, "Penilaian": 4})
            sheet.append([row[h] for h in header])
    book.save(tmp_path / "ekspor.xlsx")
    run("train", "--data", str(tmp_path / "ekspor.xlsx"), "--name", "xlsx")
    assert RoutingModel.objects.get(name="xlsx").training_size == 18
