"""A citizen files a report through the form on a phone and then tracks it (real browser)."""

import pytest

from lapor.complaints.models import Report
from lapor.notifications.models import OutboxMessage

from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Lampu penerangan jalan di Jalan Raya Sesetan sudah mati dua minggu. "
    "Malam hari gelap sekali dan sudah ada pengendara yang jatuh."
)


def fill_report(page, *, title: str, with_script: bool):
    page.check("#id_kind_0")
    page.fill("#id_title", title)
    page.fill("#id_text", TEXT)
    page.select_option("#id_province", "51")
    for select, value in (("#id_regency", "51.71"), ("#id_district", "51.71.01"), ("#id_village", "51.71.01.1001")):
        if with_script:
            # The script fills the next picker from the regions API.
            page.wait_for_selector(f"{select} option[value='{value}']", state="attached")
        else:
            # Without script, the refresh button reloads the form with the next level's choices.
            page.click("#refresh-region")
            page.wait_for_selector(f"{select} option[value='{value}']", state="attached")
        page.select_option(select, value)
    page.fill("#id_contact_email", "warga@contoh.id")


def submit(page):
    page.click("#submit-report")
    page.wait_for_load_state()
    if page.locator("section.similar").count():
        page.click("#submit-report")  # "Tetap kirim laporan": the similar ones did not answer it
        page.wait_for_load_state()


@pytest.mark.parametrize("with_script", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_citizen_files_on_a_phone_and_tracks_the_report(world, live_server, browser, axe_source, with_script):
    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=with_script)
    page = context.new_page()
    try:
        # given the submit form on a 360-px phone
        page.goto(f"{live_server.url}/lapor/")
        if with_script:  # axe is itself a script
            assert axe_violations(page, axe_source) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # when the citizen fills it in and sends it
        fill_report(page, title="Lampu jalan Sesetan mati", with_script=with_script)
        submit(page)

        # then the confirmation shows the tracking id and the secret, once
        tracking_id = page.inner_text("#tracking-id").strip()
        secret = page.inner_text("#secret-code").strip()
        report = Report.objects.get(tracking_id=tracking_id)
        assert report.title == "Lampu jalan Sesetan mati"
        assert report.region_id == "51.71.01.1001"
        assert report.channel == "web" and report.reporter is None
        assert OutboxMessage.objects.filter(report=report, recipient="warga@contoh.id").exists()
        if with_script:
            assert axe_violations(page, axe_source) == []

        # and tracking it with the secret opens the private view, in a fresh browser
        tracker = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=with_script).new_page()
        tracker.goto(f"{live_server.url}/lacak/")
        if with_script:
            assert axe_violations(tracker, axe_source) == []
        tracker.fill("#id_tracking_id", tracking_id.lower())
        tracker.fill("#id_secret", secret)
        tracker.click("#track-submit")
        tracker.wait_for_load_state()
        body = tracker.inner_text("main")
        assert "Lampu jalan Sesetan mati" in body
        assert "Belum" in body
        assert tracking_id in body
        tracker.context.close()
    finally:
        context.close()


def test_a_wrong_secret_opens_nothing(world, live_server, phone):
    from ..factories import make_report

    report = make_report(reporter=None, region=world.bali_village, title="Jalan rusak di Sesetan")
    phone.goto(f"{live_server.url}/lacak/")
    phone.fill("#id_tracking_id", report.tracking_id)
    phone.fill("#id_secret", "bukan-kode-yang-benar")
    phone.click("#track-submit")
    phone.wait_for_load_state()
    assert "Jalan rusak di Sesetan" not in phone.inner_text("main")
    assert phone.locator("[role=alert], .error, .errorlist").count() > 0
