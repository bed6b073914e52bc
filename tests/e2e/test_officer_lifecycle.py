"""One report's whole life in a real browser, through the citizen pages and the officer workspace.

A citizen files on a phone without an account; the national verifier disposes it to the city,
the city's admin forwards it to a unit, the unit answers, the citizen replies, the unit answers
again, the admin closes it and the citizen rates it. Each person has their own browser context
(their own cookies); after each step the test checks what that person sees and the database.
"""

import pytest

from lapor.complaints.models import Report, Status

from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "kata-sandi-uji-1234"
EMAIL = "ketut.warga@contoh.id"
TITLE = "Trotoar Jalan Sesetan amblas"
TEXT = (
    "Trotoar di depan SD Negeri 3 Sesetan amblas sepanjang lima meter sejak hujan deras. "
    "Anak-anak terpaksa berjalan di badan jalan setiap pagi."
)
ANSWER_1 = "Tim Dinas PUPR sudah meninjau lokasi dan memasang pembatas sementara di trotoar yang amblas."
REPLY = "Pembatas sudah ada, tetapi trotoarnya belum diperbaiki sama sekali."
ANSWER_2 = "Perbaikan trotoar selesai dikerjakan pada hari Kamis; silakan periksa kembali."
RATING_COMMENT = "Terima kasih, trotoar sudah rapi kembali."

# The citizen-facing and staff-facing labels of the statuses this walk passes through.
LABEL = {s: str(s.label) for s in Status}


def action_form(page, action: str):
    """The report page's form for one action, found by its hidden `action` value."""
    return page.locator(f"form:has(input[name=action][value={action}])")


def staff_status(page) -> str:
    return page.locator("dl.facts dt:text-is('Status') + dd").inner_text().strip()


def new_page(browser, contexts: list, viewport: dict):
    """A page in a fresh context (its own cookies: one person), closed at the end of the test."""
    context = browser.new_context(viewport=viewport, locale="id-ID")
    contexts.append(context)
    return context.new_page()


def log_in(browser, contexts: list, live_server, user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    page = new_page(browser, contexts, DESKTOP)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/petugas/laporan/**")
    return page


def open_from_list(page, live_server, tracking_id: str, *, status_label: str, tab: str = ""):
    """Find the report's row in the officer's list (the own queue unless `tab`), then open it."""
    page.goto(f"{live_server.url}/petugas/laporan/" + (f"?tab={tab}" if tab else ""))
    row = page.locator("table.worklist tbody tr", has=page.locator(f"a:text-is('{tracking_id}')"))
    assert row.count() == 1, page.inner_text("table.worklist")
    assert status_label in row.inner_text()
    row.locator(f"a:text-is('{tracking_id}')").click()
    page.wait_for_url(f"**/petugas/laporan/{tracking_id}/")
    assert page.locator("h1").inner_text() == TITLE
    assert staff_status(page) == status_label


def submit_action(page, action: str):
    form = action_form(page, action)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    message = page.locator(".messages .message.success")
    assert message.count() == 1, page.inner_text("main")


def events(report) -> list[str]:
    return list(report.events.order_by("created_at", "id").values_list("type", flat=True))


def test_one_report_from_filing_to_rating(world, live_server, browser, axe_source):
    contexts = []
    citizen = new_page(browser, contexts, PHONE)
    try:
        # 1) The citizen files a report without an account and notes the tracking id and secret.
        citizen.goto(f"{live_server.url}/lapor/")
        citizen.check("#id_kind_0")
        citizen.fill("#id_title", TITLE)
        citizen.fill("#id_text", TEXT)
        citizen.select_option("#id_province", "51")
        for select, value in (("#id_regency", "51.71"), ("#id_district", "51.71.01"), ("#id_village", "51.71.01.1001")):
            citizen.wait_for_selector(f"{select} option[value='{value}']", state="attached")
            citizen.select_option(select, value)
        citizen.fill("#id_contact_email", EMAIL)
        citizen.click("#submit-report")
        citizen.wait_for_load_state()
        if citizen.locator("section.similar").count():
            citizen.click("#submit-report")
            citizen.wait_for_load_state()
        tracking_id = citizen.inner_text("#tracking-id").strip()
        secret = citizen.inner_text("#secret-code").strip()
        report = Report.objects.get(tracking_id=tracking_id)
        assert (report.status, report.reporter, report.contact_email) == (Status.RECEIVED, None, EMAIL)
        assert report.current_agency is None and report.current_unit is None
        # A pavement caved in where children walk: read as a danger to life at filing (priority).
        assert list(report.red_flags.values_list("kind", flat=True)) == ["danger"]
        expected = ["report.submitted", "report.red_flagged"]
        assert events(report) == expected

        # 2) The verifier finds it in the verification queue and disposes it to the city.
        verifier = log_in(browser, contexts, live_server, world.verifier)
        open_from_list(verifier, live_server, tracking_id, status_label=LABEL[Status.RECEIVED])
        assert EMAIL in verifier.inner_text("main")  # staff see the contact of a non-anonymous report
        verifier.goto(f"{live_server.url}/petugas/laporan/")
        assert axe_violations(verifier, axe_source) == []
        verifier.goto(f"{live_server.url}/petugas/laporan/{tracking_id}/")
        assert axe_violations(verifier, axe_source) == []
        dispose = action_form(verifier, "dispose")
        dispose.locator("select[name=dispose-agency]").select_option(world.agency_a.code)
        dispose.locator("textarea[name=dispose-note]").fill("Trotoar jalan kota: wewenang Pemerintah Kota Denpasar.")
        submit_action(verifier, "dispose")
        report.refresh_from_db()
        assert report.status == Status.DISPOSED
        assert (report.current_agency, report.current_unit) == (world.agency_a, None)
        expected.append("report.disposed")
        assert events(report) == expected

        # 3) The city's admin sees it in the inbox and forwards it to one unit, the lead.
        admin = log_in(browser, contexts, live_server, world.admin_a)
        open_from_list(admin, live_server, tracking_id, status_label=LABEL[Status.DISPOSED])
        assert world.agency_a.name in admin.inner_text("dl.facts")
        forward = action_form(admin, "forward")
        forward.get_by_label(world.unit_a1.name, exact=True).first.check()
        forward.locator("select[name=forward-lead]").select_option(str(world.unit_a1.pk))
        submit_action(admin, "forward")
        assert staff_status(admin) == LABEL[Status.FORWARDED]
        assert world.unit_a1.name in admin.inner_text("dl.facts")
        report.refresh_from_db()
        assert report.status == Status.FORWARDED
        assert (report.current_agency, report.current_unit) == (world.agency_a, world.unit_a1)
        expected.append("report.forwarded")
        assert events(report) == expected

        # 4) The unit officer sees it in the unit inbox and posts the follow-up.
        officer = log_in(browser, contexts, live_server, world.officer_a1)
        open_from_list(officer, live_server, tracking_id, status_label=LABEL[Status.FORWARDED])
        action_form(officer, "follow_up").locator("textarea[name=follow_up-answer]").fill(ANSWER_1)
        submit_action(officer, "follow_up")
        assert staff_status(officer) == LABEL[Status.FOLLOWED_UP]
        assert ANSWER_1 in officer.inner_text(".timeline")
        report.refresh_from_db()
        assert report.status == Status.FOLLOWED_UP
        assert (report.current_agency, report.current_unit) == (world.agency_a, world.unit_a1)
        expected.append("report.followed_up")
        assert events(report) == expected

        # 5) The citizen tracks it with the secret, reads the answer and replies.
        citizen.goto(f"{live_server.url}/lacak/")
        citizen.fill("#id_tracking_id", tracking_id)
        citizen.fill("#id_secret", secret)
        citizen.click("#track-submit")
        citizen.wait_for_url(f"**/laporan/{tracking_id}/saya/")
        assert LABEL[Status.FOLLOWED_UP] in citizen.inner_text("dl.facts")
        assert ANSWER_1 in citizen.inner_text(".answer-card")
        citizen.fill("#id_reply-message", REPLY)
        citizen.click("#reply-submit")
        citizen.wait_for_load_state()
        assert LABEL[Status.REPORTER_REPLIED] in citizen.inner_text("dl.facts")
        assert citizen.locator("#reply-submit").count() == 0
        assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        report.refresh_from_db()
        assert report.status == Status.REPORTER_REPLIED
        assert (report.current_agency, report.current_unit) == (world.agency_a, world.unit_a1)
        expected.append("report.reporter_replied")
        assert events(report) == expected
        assert report.events.get(type="report.reporter_replied").message == REPLY

        # 6) The unit officer finds it back in the unit inbox, reads the reply and answers again.
        open_from_list(officer, live_server, tracking_id, status_label=LABEL[Status.REPORTER_REPLIED])
        assert REPLY in officer.inner_text(".timeline")
        action_form(officer, "follow_up").locator("textarea[name=follow_up-answer]").fill(ANSWER_2)
        submit_action(officer, "follow_up")
        assert staff_status(officer) == LABEL[Status.FOLLOWED_UP]
        report.refresh_from_db()
        assert report.status == Status.FOLLOWED_UP
        assert (report.current_agency, report.current_unit) == (world.agency_a, world.unit_a1)
        expected.append("report.followed_up")
        assert events(report) == expected

        # 7) The admin closes it (a followed-up report is not in the inbox queue: "all in scope").
        open_from_list(admin, live_server, tracking_id, status_label=LABEL[Status.FOLLOWED_UP], tab="semua")
        assert ANSWER_2 in admin.inner_text(".timeline")
        submit_action(admin, "close")
        assert staff_status(admin).startswith(LABEL[Status.COMPLETED])
        assert action_form(admin, "close").count() == 0
        report.refresh_from_db()
        assert report.status == Status.COMPLETED and report.closed_at is not None
        expected.append("report.closed")
        assert events(report) == expected

        # 8) The citizen, back on the private page, sees both answers and rates the report 4.
        citizen.goto(f"{live_server.url}/laporan/{tracking_id}/saya/")
        assert LABEL[Status.COMPLETED] in citizen.inner_text("dl.facts")
        answers = citizen.locator(".answer-card")
        assert answers.count() == 2
        assert ANSWER_1 in answers.nth(0).inner_text() and ANSWER_2 in answers.nth(1).inner_text()
        assert citizen.locator("#reply-submit").count() == 0
        citizen.check("#id_rate-rating_3")
        assert citizen.locator("#id_rate-rating_3").get_attribute("value") == "4"
        citizen.fill("#id_rate-comment", RATING_COMMENT)
        citizen.click("#rate-submit")
        citizen.wait_for_load_state()
        assert "4 / 5" in citizen.inner_text("dl.facts")
        assert citizen.locator("#rate-submit").count() == 0
        report.refresh_from_db()
        assert (report.status, report.rating, report.rating_comment) == (Status.COMPLETED, 4, RATING_COMMENT)
        assert (report.current_agency, report.current_unit) == (world.agency_a, world.unit_a1)
        expected.append("report.rated")
        assert events(report) == expected

        # The staff see the rating; the public permalink shows both answers and nobody's contact.
        admin.reload()
        assert RATING_COMMENT in admin.inner_text("dl.facts")
        public = new_page(browser, contexts, PHONE)
        public.goto(f"{live_server.url}/laporan/{tracking_id}/")
        assert public.locator("h1").inner_text() == TITLE
        public_answers = public.locator(".answer-card")
        assert public_answers.count() == 2
        assert ANSWER_1 in public_answers.nth(0).inner_text() and ANSWER_2 in public_answers.nth(1).inner_text()
        assert LABEL[Status.COMPLETED] in public.inner_text("dl.facts")
        html = public.content()
        assert EMAIL not in html and "ketut.warga" not in html
        assert secret not in html
    finally:
        for context in contexts:
            context.close()
