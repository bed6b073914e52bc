"""axe-core finds no serious or critical WCAG 2.1 AA violation on the citizen pages."""

import pytest

from lapor.complaints import services

from ..factories import make_report
from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def public_report(world):
    report = make_report(reporter=world.reporter, region=world.bali_village, title="Lampu jalan mati di Sesetan")
    report = services.report_dispose(actor=world.verifier, report=report, agency=world.agency_a)
    report = services.report_forward(actor=world.admin_a, report=report, units=[world.unit_a1])
    return services.report_follow_up(
        actor=world.officer_a1, report=report, answer="Lampu sudah diganti oleh petugas PJU pada hari Senin."
    )


@pytest.mark.parametrize("path", ["/", "/masuk/", "/lapor/", "/lacak/", "/laporan/", "/akun/daftar/"])
def test_static_pages_have_no_serious_violations(world, live_server, phone, axe_source, path):
    phone.goto(f"{live_server.url}{path}")
    assert axe_violations(phone, axe_source) == []


def test_public_report_page_has_no_serious_violations(world, live_server, phone, axe_source):
    report = public_report(world)
    phone.goto(f"{live_server.url}/laporan/{report.tracking_id}/")
    assert phone.locator("h1").inner_text() == "Lampu jalan mati di Sesetan"
    assert axe_violations(phone, axe_source) == []


def test_submit_form_with_errors_has_no_serious_violations(world, live_server, phone, axe_source):
    phone.goto(f"{live_server.url}/lapor/")
    phone.fill("#id_text", "terlalu pendek")
    phone.click("#submit-report")
    phone.wait_for_load_state()
    assert phone.locator("#id_text[aria-invalid=true]").count() == 1
    assert axe_violations(phone, axe_source) == []


def test_statistics_and_monitoring_pages_have_no_serious_violations(world, live_server, phone, axe_source):
    from django.utils import timezone

    from lapor.monitoring.rollups import refresh

    public_report(world)
    refresh()
    period = f"{timezone.localdate().year}"
    for path in (f"/statistik/?periode={period}", f"/statistik/?periode={period}&peta=kabkota&ukuran=selesai"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("svg[role=img]").count() >= 2
        assert axe_violations(phone, axe_source) == [], path
    _log_in(phone, live_server, world.verifier)
    for path in ("/pemantauan/", "/pemantauan/evaluasi/?min=1", "/pemantauan/ruang/", "/pemantauan/tren/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("h1").count() == 1, path
        assert axe_violations(phone, axe_source) == [], path


def _log_in(phone, live_server, user) -> None:
    user.set_password("kata-sandi-uji-2026")
    user.save(update_fields=["password"])
    phone.goto(f"{live_server.url}/masuk/")
    phone.fill("#id_username", user.email)
    phone.fill("#id_password", "kata-sandi-uji-2026")
    phone.click("#login-submit")
    phone.wait_for_load_state()


def test_officer_intake_import_and_routing_pages_have_no_serious_violations(world, live_server, phone, axe_source):
    # A new report at the verifiers' stage: its page carries the routing and duplicate sections.
    report = make_report(reporter=world.reporter, region=world.bali_village, title="Jalan berlubang di Sesetan")
    _log_in(phone, live_server, world.verifier)
    for path in ("/petugas/catat/", "/petugas/impor/", f"/petugas/laporan/{report.tracking_id}/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("h1").count() == 1, path
        assert axe_violations(phone, axe_source) == [], path
