"""Suggestions where officers work (report page, API) and the optional automatic disposition."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lapor.accounts import services as accounts
from lapor.complaints import services
from lapor.complaints.filing import report_file
from lapor.complaints.models import ReportEvent, Status
from lapor.routing.models import CategoryRouting, RoutingSuggestion, Target

from ..factories import make_agency, make_category, make_report
from ..web.workspace.conftest import detail_url
from .conftest import sentences, train

ROAD = "Jalan di depan rumah berlubang besar dan aspal retak, mohon segera ditambal dinas"


@pytest.fixture
def routers(world):
    make_agency(code="pln", name="PT PLN (Persero)", kind="soe")
    train({"jalan": "kota-denpasar", "listrik": "pln", "sekolah": "kota-mataram"}, name="agency")
    train({"jalan": "dpupr", "listrik": "dishub"}, name="unit-denpasar", target=Target.UNIT, agency=world.agency_a)


def test_the_verifier_sees_the_suggested_agency_with_confidence_and_words(client, world, routers):
    report = make_report(reporter=world.reporter, text=ROAD)
    client.force_login(world.verifier)
    page = client.get(detail_url(report)).content.decode()
    assert 'id="routing"' in page and "Saran perutean" in page
    section = page[page.index('id="routing-agency"'):]
    section = section[: section.index("</ol>")]
    assert "Pemerintah Kota Denpasar" in section
    assert "keyakinan" in section and "%" in section
    assert "Kata penentu:" in section and ("berlubang" in section or "aspal" in section)
    assert "keyakinan 0%" not in section  # alternatives with next to no chance are left out
    assert RoutingSuggestion.objects.filter(report=report, target=Target.AGENCY).exists()  # kept for next time


def test_the_agency_admin_sees_unit_suggestions_for_a_disposed_report(client, world, routers):
    report = make_report(reporter=world.reporter, text=ROAD)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    client.force_login(world.admin_a)
    page = client.get(detail_url(report)).content.decode()
    units = page[page.index('id="routing-unit"'):]
    assert units.index("Dinas PUPR Kota Denpasar") < units.index("Dinas Perhubungan Kota Denpasar")


def test_no_router_no_section_and_reporters_never_see_it(client, world):
    report = make_report(reporter=world.reporter, text=ROAD)
    client.force_login(world.verifier)
    assert 'id="routing"' not in client.get(detail_url(report)).content.decode()


def test_a_cached_suggestion_is_recomputed_when_the_text_changes(world, routers):
    from lapor.routing.suggestions import suggestions_for

    report = make_report(reporter=world.reporter, text=ROAD)
    assert suggestions_for(report, Target.AGENCY)[0]["code"] == "kota-denpasar"
    services.report_edit(
        actor=world.verifier, report=report.pk, title="Listrik padam", text=" ".join(sentences("listrik", 1, 9))
    )
    report.refresh_from_db()
    assert suggestions_for(report, Target.AGENCY)[0]["code"] == "pln"


def test_the_api_gives_officers_the_same_suggestions(client, world, routers):
    report = make_report(reporter=world.reporter, text=ROAD)
    token = accounts.token_issue(user=world.verifier)
    answer = client.get(f"/api/v1/reports/{report.tracking_id}/routing", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["tracking_id"] == report.tracking_id
    best = body["agency"][0]
    assert best["code"] == "kota-denpasar" and 0 < best["confidence"] <= 1 and best["words"]
    assert set(best) == {"code", "name", "confidence", "words"}


def test_the_api_refuses_reporters_and_hides_reports_out_of_scope(client, world, routers):
    report = make_report(reporter=world.reporter, text=ROAD)
    url = f"/api/v1/reports/{report.tracking_id}/routing"
    reporter = accounts.token_issue(user=world.reporter)
    assert client.get(url, headers={"Authorization": f"Bearer {reporter}"}).status_code == 403
    other_admin = accounts.token_issue(user=world.admin_b)
    assert client.get(url, headers={"Authorization": f"Bearer {other_admin}"}).status_code == 404
    assert client.get(url).status_code == 401


def file_road(world, django_capture_on_commit_callbacks, text=ROAD, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return report_file(reporter=world.reporter, text=text, **fields).report


def test_automatic_disposition_is_off_by_default(world, routers, django_capture_on_commit_callbacks):
    report = file_road(world, django_capture_on_commit_callbacks, category=world.category)
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_automatic_disposition_above_the_category_threshold(world, routers, django_capture_on_commit_callbacks):
    CategoryRouting.objects.create(category=world.category, auto_dispose_threshold=Decimal("0.5"))
    report = file_road(world, django_capture_on_commit_callbacks, category=world.category)
    report.refresh_from_db()
    assert report.status == Status.DISPOSED and report.current_agency == world.agency_a
    event = ReportEvent.objects.get(report=report, type="report.disposed")
    assert event.actor_role == "system" and event.actor_id is None
    assert "otomatis" in event.message
    automatic = event.changes["automatic"][1]
    assert automatic["model"] == "agency v1" and automatic["confidence"] >= 0.5 and automatic["threshold"] == 0.5


def test_no_automatic_disposition_below_the_threshold_or_in_other_categories(
    world, routers, django_capture_on_commit_callbacks
):
    CategoryRouting.objects.create(category=world.category, auto_dispose_threshold=Decimal("0.9"))
    vague = file_road(world, django_capture_on_commit_callbacks, text="Mohon segera ditangani, warga kampung sangat terganggu",
                      category=world.category)
    other = file_road(world, django_capture_on_commit_callbacks, category=make_category(name="Lainnya"))
    uncategorised = file_road(world, django_capture_on_commit_callbacks)  # no category, no category router
    for report in (vague, other, uncategorised):
        report.refresh_from_db()
        assert report.status == Status.RECEIVED


def test_an_agency_admin_trains_the_unit_router_from_an_export(client, world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lapor.complaints.exports import export_header

    from .conftest import write_csv

    header = export_header()
    rows = []
    for topic, unit in (("jalan", world.unit_a1), ("listrik", world.unit_a2)):
        for text in sentences(topic, 10, seed=11):
            row = dict.fromkeys(header, "")
            row.update({"Judul": "Laporan", "Isi laporan (disunting)": text, "Unit kerja": unit.name})
            rows.append(row)
    path = write_csv(tmp_path / "ekspor.csv", rows, fields=header)
    upload = SimpleUploadedFile("ekspor.csv", path.read_bytes(), content_type="text/csv")

    client.force_login(world.admin_a)
    answer = client.post("/petugas/instansi/perutean/", {"action": "train", "file": upload})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    page = client.get("/petugas/instansi/perutean/").content.decode()
    assert "unit-kota-denpasar v1" in page and "Dipakai" in page

    # the new router now suggests Denpasar's units for a disposed report
    from lapor.routing.suggestions import suggestions_for

    report = make_report(reporter=world.reporter, text=" ".join(sentences("listrik", 1, seed=12)))
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    report.refresh_from_db()
    assert suggestions_for(report, Target.UNIT)[0]["name"] == world.unit_a2.name


def test_only_agency_admins_reach_the_routing_page(client, world):
    client.force_login(world.verifier)
    assert client.get("/petugas/instansi/perutean/").status_code == 404


def test_an_export_without_the_agencys_units_is_refused_clearly(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "text,label\n" + "".join(f"{t},Dinas Lain\n" for t in sentences("jalan", 6)) + "".join(
        f"{t},Dinas Pertanian\n" for t in sentences("listrik", 6)
    )
    client.force_login(world.admin_a)
    answer = client.post("/petugas/instansi/perutean/", {
        "action": "train", "file": SimpleUploadedFile("x.csv", content.encode(), content_type="text/csv"),
    })
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "dua unit kerja" in page, page[page.find("error-summary"):][:600]


def test_the_disposition_form_offers_the_suggested_agencies_first(client, world, routers):
    report = make_report(reporter=world.reporter, text=ROAD)
    client.force_login(world.verifier)
    page = client.get(detail_url(report)).content.decode()
    form = page[page.index('id="dispose"'):]
    group = form[form.index("Saran sistem"):]
    assert group.index('value="kota-denpasar"') < group.index("</optgroup>")


def test_moving_a_report_to_another_place_moves_the_local_government(world, routers):
    from lapor.routing.suggestions import suggestions_for

    train({"jalan": "@kabkota", "listrik": "pln"}, name="agency", activate=True)
    report = make_report(reporter=world.reporter, text=ROAD, region=world.bali_village)
    assert suggestions_for(report, Target.AGENCY)[0]["code"] == "kota-denpasar"
    services.report_edit(actor=world.verifier, report=report.pk, region=world.ntb_village)
    report.refresh_from_db()
    assert suggestions_for(report, Target.AGENCY)[0]["code"] == "kota-mataram"


def test_an_agency_with_its_own_agency_router_sees_its_suggestions(client, world, routers):
    from lapor.routing.suggestions import for_viewer

    # Denpasar keeps its own router: road reports it receives belong to Mataram, it says.
    train({"jalan": "kota-mataram", "listrik": "pln"}, name="agency-denpasar", agency=world.agency_a)
    report = make_report(reporter=world.reporter, text=ROAD)
    services.report_dispose(actor=world.verifier, report=report.pk, agency=world.agency_a)
    report.refresh_from_db()
    assert for_viewer(report, world.admin_a)["agency"][0]["code"] == "kota-mataram"
    assert for_viewer(report, world.verifier)["agency"][0]["code"] == "kota-denpasar"  # the national one
