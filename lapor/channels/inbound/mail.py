"""E-mail: a message becomes a report, or the reporter's reply when its subject names the report.

Mail arrives by IMAP polling (`imap.py`) or as raw MIME posted to the webhook; both end here.
- Auto-replies and bounces never create reports and are never answered (no mail loops):
  `Auto-Submitted` other than "no", `Precedence` bulk/junk/list, `X-Autoreply`, `X-Autorespond`,
  `List-Id`, a `multipart/report` (delivery status, read receipts), MAILER-DAEMON or postmaster
  senders, an empty `Return-Path`.
- A tracking id in the subject ("Re: Laporan LAP-ABCD-EFGH diterima", "[LAP-ABCD-EFGH]") makes
  the mail a reply on that report, accepted only from the address the report was filed with (a
  mail from another address is recorded and not answered: its From may be forged).
- Attachments pass the same checks as uploads (type by content, size, count); refused ones are
  named in an answer, the rest are kept.
- The Message-ID is the dedup key (a digest of the source when there is none).
"""

from __future__ import annotations

import hashlib
import html
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from lapor.accounts.services import normalize_email
from lapor.complaints.attachments import report_attach, validate_upload
from lapor.complaints.models import Channel as ReportChannel
from lapor.complaints.models import Report
from lapor.complaints.services import MAX_TEXT_LENGTH, normalize_tracking_id
from lapor.core.errors import DomainError, InvalidInput
from lapor.notifications.models import Channel

from . import conversation as talk
from .inbox import Incoming, Outcome, malformed
from .models import InboundMessage, Provider

State = InboundMessage.State
AUTOMATIC_SENDERS = frozenset({"mailer-daemon", "postmaster"})
BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
# Where a reply's quoted history begins (Gmail, Outlook, Thunderbird, Indonesian clients).
QUOTE_START = re.compile(
    r"^(on .+ wrote:|pada .+ menulis:|-{2,} ?(original message|pesan asli|forwarded message|pesan terusan) ?-{2,}"
    r"|_{5,}|from: .+|dari: .+)\s*$",
    re.IGNORECASE,
)


# --- reading ----------------------------------------------------------------------------------


def parse_mime(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def incoming(raw: bytes) -> Incoming:
    """The inbox entry of one raw message, or a 400 when it is not a mail with a sender."""
    if not raw or not raw.strip():
        raise malformed(_("surel"), _("isi kosong"))
    mime = parse_mime(raw)
    try:
        sender = parseaddr(str(mime.get("From") or ""))[1]
    except (TypeError, ValueError):
        sender = ""
    if "@" not in sender:
        raise malformed(_("surel"), _("tanpa pengirim (From)"))
    message_id = str(mime.get("Message-ID") or "").strip().strip("<>")
    return Incoming(
        provider=Provider.EMAIL,
        external_id=message_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
        sender=sender.lower(),
        kind="email",
        payload={"subject": str(mime.get("Subject") or "")[:300]},
        raw=raw,
    )


def webhook_mime(request, *, max_bytes: int) -> bytes:
    """The raw message of a webhook call: the body itself, or a form field `body-mime`/`email`."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        field = request.POST.get("body-mime") or request.POST.get("email") or ""
        raw = field.encode("utf-8", "surrogateescape")
    else:
        raw = request.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InvalidInput(_("Surel terlalu besar."), code="file_too_large")
    return raw


def automatic_reason(mime: EmailMessage, sender: str) -> str:
    """Why this mail was written by a machine (auto-reply, bounce, list), or "" for a person."""
    auto = str(mime.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(mime.get("Precedence") or "").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "List-Id"):
        if mime.get(header) is not None:
            return header
    if mime.get_content_type() == "multipart/report":
        return "multipart/report"
    if sender.partition("@")[0].lower() in AUTOMATIC_SENDERS:
        return sender
    if mime.get("Return-Path") is not None and str(mime["Return-Path"]).strip() in ("", "<>"):
        return "Return-Path: <>"
    return ""


def html_to_text(markup: str) -> str:
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", markup)
    return html.unescape(strip_tags(markup))


def body_text(mime: EmailMessage) -> str:
    part = mime.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return "\n".join(line.rstrip() for line in content.replace("\r\n", "\n").split("\n")).strip()


def without_quotes(text: str) -> str:
    """A reply's own words: quoted history, quoted lines and the signature left out."""
    kept = []
    for line in text.split("\n"):
        if QUOTE_START.match(line.strip()) or line.rstrip() == "--":
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


def attachments(mime: EmailMessage) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The files that pass the upload checks, and why the others did not."""
    kept, refused = [], []
    limit = settings.LAPOR["MAX_ATTACHMENTS_PER_REPORT"]
    for number, part in enumerate(mime.iter_attachments(), start=1):
        if part.get_content_maintype() in ("multipart", "message"):
            continue
        name = (part.get_filename() or f"lampiran-{number}").rsplit("/", 1)[-1][:200]
        upload = SimpleUploadedFile(name, part.get_payload(decode=True) or b"", content_type=part.get_content_type())
        try:
            validate_upload(upload)
        except InvalidInput as error:
            refused.append(str(error))
            continue
        if len(kept) >= limit:
            refused.append(_("Satu laporan paling banyak %(n)d lampiran.") % {"n": limit})
            break
        kept.append(upload)
    return kept, refused


# --- handling ---------------------------------------------------------------------------------


def handle(message: InboundMessage) -> Outcome:
    """The inbox's handler for e-mail (webhook and IMAP alike)."""
    mime = parse_mime(bytes(message.raw))
    name, sender = parseaddr(str(mime.get("From") or ""))
    if reason := automatic_reason(mime, sender):
        return Outcome(State.IGNORED, _("surel otomatis: %(reason)s") % {"reason": reason})
    address = normalize_email(sender)
    if not address:
        return Outcome(State.IGNORED, _("alamat pengirim tidak valid"))
    subject = " ".join(str(mime.get("Subject") or "").split())
    uploads, refused = attachments(mime)
    if found := talk.TRACKING.search(subject):
        return _reply(normalize_tracking_id(found.group(0)), address, without_quotes(body_text(mime)), uploads, refused)
    return _new(address, name, subject, body_text(mime), uploads, refused)


def _answer(address: str, text: str, *, kind: str, report: Report | None = None, subject: str = "") -> None:
    talk.reply(Channel.EMAIL, address, text, kind=kind, report=report, subject=subject or _("LAPOR! — balasan surel Anda"))


def _new(address: str, name: str, subject: str, body: str, uploads, refused) -> Outcome:
    if not talk.within_rate("email", address):
        return Outcome(State.IGNORED, _("terlalu banyak laporan dari alamat ini"))
    text = body or subject
    if talk.too_short(text):
        _answer(address, talk.too_short_text(), kind="refused")
        return Outcome(note=_("laporan terlalu singkat"))
    if len(text) > MAX_TEXT_LENGTH:
        text = text[: MAX_TEXT_LENGTH - 1] + "…"
    try:
        # The confirmation (tracking id and secret) goes to the sender through the outbox.
        submitted = talk.file_report(
            channel=ReportChannel.EMAIL, text=text, title=subject[:200], contact_email=address,
            contact_name=name[:120], attachments=uploads,
        )
    except DomainError as error:
        _answer(address, str(error), kind="refused")
        return Outcome(note=_("laporan ditolak: %(error)s") % {"error": error})
    report = submitted.report
    if refused:
        _answer(address, _("Lampiran yang tidak diterima: %(reasons)s") % {"reasons": " ".join(refused)},
                kind="attachments_refused", report=report,
                subject=_("Laporan %(tracking)s: lampiran tidak diterima") % {"tracking": report.tracking_id})
    return Outcome(note=_("laporan %(tracking)s") % {"tracking": report.tracking_id}, report=report)


def _reply(tracking: str, address: str, text: str, uploads, refused) -> Outcome:
    sender = talk.Sender(email=address)
    report = Report.objects.filter(tracking_id=tracking).first()
    if report is None or not sender.filed(report):
        return Outcome(State.IGNORED, _("balasan untuk %(tracking)s bukan dari alamat pelapor") % {"tracking": tracking})
    parts, acted = [], False
    if text:
        answer = talk.reporter_message(tracking, text, sender)
        parts.append(answer.text)
        acted = answer.acted
    attached = 0
    for upload in uploads:
        try:
            report_attach(actor=talk.reporter_actor(report), report=report.pk, upload=upload)
            attached += 1
        except DomainError as error:
            refused.append(str(error))
    if attached:
        parts.append(_("%(n)d lampiran ditambahkan ke laporan %(tracking)s.") % {"n": attached, "tracking": tracking})
    if refused:
        parts.append(_("Lampiran yang tidak diterima: %(reasons)s") % {"reasons": " ".join(refused)})
    if parts:
        _answer(address, " ".join(parts), kind="follow_up", report=report,
                subject=_("Re: Laporan %(tracking)s") % {"tracking": tracking})
    note = _("tanggapan pelapor") if acted else _("balasan pelapor tanpa tindakan")
    return Outcome(note=note, report=report)
