"""Learning from the officers: their dispositions, forwards and transfers become the labels."""

from __future__ import annotations

import pytest

from lapor.complaints import handling, services
from lapor.routing import learning, local, versions
from lapor.routing.models import RoutingModel, Target
from lapor.routing.suggestions import suggestions_for

from ..factories import make_agency, make_report
from .conftest import sentences, train


def file(world, topic, *, seed=50, n=1, region=None):
    return [make_report(reporter=world.reporter, text=text, region=region) for text in sentences(topic, n, seed)]


def dispose_all(world, reports, agency):
    for report in reports:
        services.report_dispose(actor=world.verifier, report=report.pk, agency=agency)


@pytest.fixture
def pln(db):
    return make_agency(code="pln", name="PT PLN (Persero)", kind="soe")


def test_a_retrain_from_officer_decisions_changes_the_suggestion(world, pln):
    # given a router that sends road complaints to Mataram
    train({"jalan": "kota-mataram", "listrik": "pln"})
    probe = file(world, "jalan", seed=77)[0]
    assert suggestions_for(probe, Target.AGENCY)[0]["code"] == "kota-mataram"

    # when verifiers keep disposing road complaints to Denpasar instead, and the router retrains
    dispose_all(world, file(world, "jalan", seed=1, n=8), world.agency_a)
    dispose_all(world, file(world, "listrik", seed=2, n=8), pln)
    [row] = learning.retrain(targets=[Target.AGENCY], with_seed=False, activate=True)

    # then the new version is active and suggests Denpasar
    assert row.source == RoutingModel.Source.DATABASE and row.version == 1 and row.training_size == 16
    best = suggestions_for(probe, Target.AGENCY)[0]
    assert best["code"] == "kota-denpasar" and best["name"] == "Pemerintah Kota Denpasar"


def test_a_transfer_teaches_where_the_report_finally_went(world, pln):
    reports = file(world, "listrik", seed=3, n=6)
    dispose_all(world, reports, world.agency_a)
    for report in reports:  # not Denpasar's business: the agency sends it on to PLN
        handling.report_transfer(actor=world.admin_a, report=report.pk, agency=pln, reason="Kewenangan PT PLN, bukan pemkot.")
    data = learning.decisions(Target.AGENCY)
    assert data.labels == ["pln"] * 6


def test_the_local_government_is_learnt_as_a_place_and_resolved_by_place(world, pln):
    # Denpasar's own reports teach "the local government" ...
    dispose_all(world, file(world, "jalan", seed=4, n=8, region=world.bali_village), world.agency_a)
    dispose_all(world, file(world, "listrik", seed=5, n=8, region=world.bali_village), pln)
    assert set(learning.decisions(Target.AGENCY).labels) == {local.LOCAL, "pln"}
    learning.retrain(targets=[Target.AGENCY], with_seed=False, activate=True)

    # ... so a road complaint from Mataram goes to Mataram's government
    in_mataram = file(world, "jalan", seed=78, region=world.ntb_village)[0]
    assert suggestions_for(in_mataram, Target.AGENCY)[0]["code"] == "kota-mataram"
    # and without a place the suggestion says a place is needed
    nowhere = file(world, "jalan", seed=79)[0]
    best = suggestions_for(nowhere, Target.AGENCY)[0]
    assert best["label"] == local.LOCAL and best["code"] == "" and "lokasi" in best["name"]


def test_forwards_teach_the_unit_routers(world, pln):
    roads, power = file(world, "jalan", seed=6, n=4), file(world, "listrik", seed=7, n=4)
    dispose_all(world, roads + power, world.agency_a)
    for reports, unit in ((roads, world.unit_a1), (power, world.unit_a2)):
        for report in reports:
            services.report_forward(actor=world.admin_a, report=report.pk, units=[unit])
    data = learning.decisions(Target.UNIT, agency=world.agency_a)
    assert sorted(set(data.labels)) == ["dishub", "dpupr"] and len(data.labels) == 8


def test_switching_versions_switches_the_suggestions(world, pln):
    first = train({"jalan": "kota-mataram", "listrik": "pln"}, name="agency")
    second = train({"jalan": "kota-denpasar", "listrik": "pln"}, name="agency", activate=True)
    probe = file(world, "jalan", seed=80)[0]
    assert suggestions_for(probe, Target.AGENCY)[0]["code"] == "kota-denpasar"
    versions.activate_version(first)
    assert suggestions_for(probe, Target.AGENCY)[0]["code"] == "kota-mataram"
    assert versions.active_model(Target.AGENCY) == first
    second.refresh_from_db()
    assert not second.is_active


def test_a_tampered_model_file_is_not_loaded(world, pln):
    row = train({"jalan": "kota-mataram", "listrik": "pln"})
    versions._LOADED.clear()
    with open(row.file.path, "ab") as handle:
        handle.write(b"tampered")
    probe = file(world, "jalan", seed=81)[0]
    assert suggestions_for(probe, Target.AGENCY) == []


def test_the_seed_corpus_trains_every_starting_router(db):
    data = learning.seed_dataset(Target.AGENCY)
    assert len(data.labels) > 1000 and local.LOCAL in data.labels and local.PROVINCE in data.labels
    assert {"bpjs-kesehatan", "pln", "polri", "kemenkes", "kemendikdasmen", "kemenpu"} <= set(data.labels)
    units = learning.seed_dataset(Target.UNIT)
    assert {"dinas-pupr", "dinas-dukcapil", "rsud"} <= set(units.labels)
