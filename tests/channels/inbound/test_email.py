"""E-mail: raw MIME to the webhook and by IMAP; attachments, threaded replies, auto-replies and bounces."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.utils import timezone

from lapor.channels.inbound.imap import poll_mailbox
from lapor.channels.inbound.models import InboundMessage
from lapor.complaints.models import Channel, Report, Status

from ...complaints.flow import PATHS, PNG_BYTES, walk
from .conftest import API, EMAIL_TOKEN, inbox, last_text, only_report, sent_to

SENDER = "wayan.sudarma@contoh.id"
BODY = "Selamat pagi. Trotoar di Jalan Teuku Umar rusak parah dan membahayakan pejalan kaki, terutama malam hari."
State = InboundMessage.State
_ids = iter(range(1, 10_000))


def mail(*, subject="Trotoar rusak di Jalan Teuku Umar", body=BODY, sender=f"Wayan Sudarma <{SENDER}>",
         message_id=None, headers=None, attachments=(), html=None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "lapor@lapor.example.id"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or f"<{next(_ids)}.CAF8x@mail.contoh.id>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


def post(client, raw: bytes, *, token=EMAIL_TOKEN):
    return client.post(f"{API}/email", raw, content_type="message/rfc822", headers={"X-Lapor-Token": token})


def test_a_mail_becomes_a_report_with_its_attachments(client, world):
    raw = mail(attachments=[("trotoar.png", PNG_BYTES, "image", "png"),
                            ("catatan.docx", b"PK\x03\x04 word document", "application", "octet-stream")])
    answer = post(client, raw)
    assert answer.status_code == 200 and answer.json()["stored"] == 1, answer.content
    report = only_report()
    assert (report.channel, report.contact_email, report.contact_name) == (Channel.EMAIL, SENDER, "Wayan Sudarma")
    assert report.title == "Trotoar rusak di Jalan Teuku Umar" and report.text == BODY
    assert [a.original_name for a in report.attachments.all()] == ["trotoar.png"]
    assert report.tracking_id in sent_to(SENDER, kind="report.submitted")[0].body
    refused = sent_to(SENDER, kind="inbound.attachments_refused")
    assert len(refused) == 1 and "catatan.docx" in refused[0].body
    assert inbox()[0].report_id == report.pk


def test_an_html_only_mail_is_read_as_text(client, world):
    message = EmailMessage()
    message["From"], message["Subject"], message["Message-ID"] = SENDER, "Lampu jalan", "<html-1@contoh.id>"
    message.set_content(f"<p>{BODY}</p><p>Terima&nbsp;kasih.</p>", subtype="html")
    post(client, bytes(message))
    assert only_report().text == f"{BODY}\nTerima\xa0kasih."


def test_the_same_message_id_twice_is_one_report(client, world):
    raw = mail(message_id="<sama@contoh.id>")
    post(client, raw)
    assert post(client, raw).json() == {"status": "accepted", "stored": 0, "duplicates": 1}
    assert Report.objects.count() == 1


def test_form_posted_mime_is_read(client, world):
    answer = client.post(f"{API}/email?token={EMAIL_TOKEN}", {"body-mime": mail().decode()})
    assert answer.status_code == 200, answer.content
    assert only_report().contact_email == SENDER


def test_a_bad_token_is_refused_and_malformed_mail_is_a_400(client, world):
    assert post(client, mail(), token="salah").status_code == 403
    assert post(client, b"").status_code == 400
    no_sender = post(client, b"Subject: hanya subjek\r\n\r\nIsi tanpa pengirim yang jelas sama sekali.\r\n")
    assert no_sender.status_code == 400 and no_sender.json()["code"] == "malformed_payload"
    assert not InboundMessage.objects.exists()


def test_a_mail_over_the_size_limit_is_a_413(client, world, channels_on):
    channels_on["EMAIL_MAX_MB"] = 0
    assert post(client, mail()).status_code == 413
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    "sender, headers, subject",
    [
        (SENDER, {"Auto-Submitted": "auto-replied"}, "Balasan otomatis: sedang cuti"),
        (SENDER, {"Precedence": "bulk"}, "Buletin"),
        (SENDER, {"Precedence": "junk"}, "Promo"),
        (SENDER, {"Precedence": "list"}, "Milis warga"),
        (SENDER, {"X-Autoreply": "yes"}, "Out of office"),
        (SENDER, {"X-Autorespond": "yes"}, "Terima kasih atas surel Anda"),
        ("MAILER-DAEMON@mail.contoh.id", {}, "Undelivered Mail Returned to Sender"),
        ("postmaster@contoh.id", {}, "Delivery Status Notification (Failure)"),
        (SENDER, {"Return-Path": "<>"}, "Returned mail"),
    ],
)
def test_auto_replies_and_bounces_never_create_reports(client, world, sender, headers, subject):
    assert post(client, mail(sender=sender, headers=headers, subject=subject)).status_code == 200
    message = inbox()[0]
    assert message.state == State.IGNORED and message.note
    assert not Report.objects.exists() and not sent_to(sender.lower())


def test_a_delivery_status_report_is_a_bounce(client, world):
    # RFC 3464, from a sender whose name gives nothing away.
    bounce = (
        "From: Mail Delivery System <bounces@mail.contoh.id>\r\n"
        "To: lapor@lapor.example.id\r\n"
        "Subject: Pesan gagal terkirim\r\n"
        "Message-ID: <dsn-1@mail.contoh.id>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\n"
        f"{BODY}\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.contoh.id\r\n\r\n"
        "Final-Recipient: rfc822; warga@contoh.id\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--b1--\r\n"
    ).encode()
    post(client, bounce)
    assert inbox()[0].state == State.IGNORED and inbox()[0].note.endswith("multipart/report")
    assert not Report.objects.exists()


# --- threaded replies -----------------------------------------------------------------------------


def filed_by_mail(client, world, status) -> Report:
    post(client, mail())
    return walk(world, only_report(), PATHS[status])


def test_a_reply_with_the_tracking_id_in_the_subject_is_a_reply_on_the_report(client, world):
    report = filed_by_mail(client, world, Status.FOLLOWED_UP)
    body = (
        "Terima kasih, tetapi trotoar di sisi utara belum diperbaiki.\n\n"
        "On Mon, 5 Jan 2026 at 10:00, LAPOR! <noreply@lapor.example.id> wrote:\n> Laporan telah ditindaklanjuti.\n"
    )
    post(client, mail(subject=f"Re: Laporan {report.tracking_id} ditindaklanjuti", body=body,
                      attachments=[("sisi-utara.png", PNG_BYTES, "image", "png")]))
    report.refresh_from_db()
    assert report.status == Status.REPORTER_REPLIED and Report.objects.count() == 1
    reply = report.events.filter(type="report.reporter_replied").get()
    assert reply.message == "Terima kasih, tetapi trotoar di sisi utara belum diperbaiki."
    assert report.attachments.count() == 1
    assert "1 lampiran ditambahkan" in last_text(SENDER)


def test_a_bracketed_tracking_id_threads_too_and_completes_a_held_report(client, world):
    report = filed_by_mail(client, world, Status.ON_HOLD)
    post(client, mail(subject=f"[{report.tracking_id}] kelengkapan", body="Lokasinya di depan Bank BPD, Jl. Teuku Umar."))
    report.refresh_from_db()
    assert report.status == Status.FORWARDED


def test_a_reply_from_another_address_changes_nothing_and_is_not_answered(client, world):
    report = filed_by_mail(client, world, Status.FOLLOWED_UP)
    post(client, mail(subject=f"Re: {report.tracking_id}", sender="orang.lain@contoh.id",
                      body="Saya juga melihat trotoar itu masih rusak di sisi utara."))
    report.refresh_from_db()
    assert report.status == Status.FOLLOWED_UP and Report.objects.count() == 1
    assert inbox()[-1].state == State.IGNORED and not sent_to("orang.lain@contoh.id")


def test_an_auto_reply_to_our_message_is_not_a_reply(client, world):
    report = filed_by_mail(client, world, Status.FOLLOWED_UP)
    post(client, mail(subject=f"Automatic reply: Laporan {report.tracking_id}", headers={"Auto-Submitted": "auto-replied"}))
    report.refresh_from_db()
    assert report.status == Status.FOLLOWED_UP


# --- IMAP -----------------------------------------------------------------------------------------


class FakeImap:
    """The part of imaplib.IMAP4 that polling uses, over a dict of uid → raw message."""

    def __init__(self, messages: dict[bytes, bytes]):
        self.messages, self.seen, self.calls = messages, set(), []

    def login(self, user, password):
        self.calls.append(("LOGIN", user))
        return "OK", [b"Logged in"]

    def select(self, folder):
        self.calls.append(("SELECT", folder))
        return "OK", [str(len(self.messages)).encode()]

    def uid(self, command, *args):
        if command == "SEARCH":
            return "OK", [b" ".join(uid for uid in self.messages if uid not in self.seen)]
        if command == "FETCH":
            uid = args[0]
            assert args[1] == "(BODY.PEEK[])"  # fetching must not mark it seen before it is stored
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {%d}" % len(self.messages[uid]), self.messages[uid]), b")"]
        if command == "STORE":
            self.seen.add(args[0])
            return "OK", [b""]
        raise AssertionError(command)

    def logout(self):
        self.calls.append(("LOGOUT",))
        return "BYE", [b""]


def test_imap_polling_stores_unseen_mail_once_and_marks_it_seen(world, channels_on):
    channels_on.update(IMAP_HOST="imap.contoh.id", IMAP_USER="lapor", IMAP_PASSWORD="rahasia", IMAP_FOLDER="INBOX")
    bounce = mail(sender="MAILER-DAEMON@contoh.id", subject="Undelivered Mail")
    fake = FakeImap({b"11": mail(), b"12": bounce, b"13": b"\r\n\r\nbukan surel"})
    assert poll_mailbox(connection_factory=lambda config: fake) == 2
    assert fake.seen == {b"11", b"12", b"13"}
    assert only_report().contact_email == SENDER
    assert ("LOGIN", "lapor") in fake.calls and fake.calls[-1] == ("LOGOUT",)
    # A second poll finds nothing unseen; the same mail seen again is a duplicate anyway.
    assert poll_mailbox(connection_factory=lambda config: fake) == 0
    fake.seen.clear()
    assert poll_mailbox(connection_factory=lambda config: fake) == 0
    assert Report.objects.count() == 1


def test_imap_polling_is_off_without_a_host(world):
    assert poll_mailbox(connection_factory=lambda config: pytest.fail("must not connect")) == 0


def test_a_raw_mail_larger_than_djangos_form_limit_is_taken(client, world, settings):
    # Django refuses form bodies over DATA_UPLOAD_MAX_MEMORY_SIZE; the raw body is read up to our limit.
    photo = PNG_BYTES + b"\x00" * (2 * 1024 * 1024)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    answer = post(client, mail(attachments=[("besar.png", photo, "image", "png")]))
    assert answer.status_code == 200, answer.content
    assert only_report().attachments.get().size == len(photo)
