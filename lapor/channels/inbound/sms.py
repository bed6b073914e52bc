"""SMS 1708: a text message becomes a report, a status answer or the reporter's reply.

- A long SMS arrives in parts (concatenated SMS): the parts wait in `SmsConcat` until all are
  there, or until `SMS_CONCAT_TIMEOUT_MINUTES` passed (then what arrived goes in, gaps marked).
- "TANGKAB Jalan rusak …": a keyword prefix (`RegionKeyword`) routes the report to a region.
- A number that never confirmed gets a code first ("Balas YA 4821"); its report is filed when
  the code comes back, so a forged sender cannot file in someone's name. Once confirmed, the
  number's later reports are filed at once.
- The reporter gets the tracking id (and secret) by SMS through the outbox (`report_file`).
- "STATUS LAP-…" answers where a report stands; "LAP-… <text>" is the reporter's reply on their
  own report, accepted only from the number that filed it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.services import normalize_phone
from lapor.complaints.models import Channel as ReportChannel
from lapor.core.errors import DomainError
from lapor.notifications.models import Channel

from . import conversation as talk
from .inbox import Outcome, inbox_process
from .models import Conversation, InboundMessage, SmsConcat

State = InboundMessage.State
Step = Conversation.Step
CONFIRM_ATTEMPTS = 5
GAP = "[…]"


def handle(message: InboundMessage) -> Outcome:
    """The inbox's handler for every SMS gateway."""
    fields = message.payload.get("sms", {})
    phone = normalize_phone(fields.get("from", ""))
    if not phone:
        # Short codes, operator notices, numbers abroad: nobody to file for or to answer.
        return Outcome(State.IGNORED, _("nomor pengirim tidak dikenal"))
    if fields.get("type") == "binary":
        return Outcome(State.IGNORED, _("SMS biner"))
    if "assembled" in fields:  # the last part of a long SMS finished by the wait (a retry comes here too)
        return handle_text(phone, fields["assembled"])
    if (fields.get("total") or 1) > 1:
        text = _collect_part(message, phone, fields)
        if text is None:
            return Outcome(State.WAITING, _("bagian %(part)d dari %(total)d") % fields)
        return handle_text(phone, text)
    return handle_text(phone, fields.get("text", ""))


def handle_text(phone: str, text: str, *, now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    command = talk.parse_command(text)
    sender = talk.Sender(phone=phone)
    if command.verb == "status":
        talk.reply(Channel.SMS, phone, talk.status_text(command.tracking, sender), kind="status")
        return Outcome(note=_("pertanyaan status %(tracking)s") % {"tracking": command.tracking})
    if command.verb == "follow_up":
        answer = talk.reporter_message(command.tracking, command.text, sender)
        talk.reply(Channel.SMS, phone, answer.text, kind="follow_up", report=answer.report)
        note = _("tanggapan pelapor") if answer.acted else _("tanggapan ditolak")
        return Outcome(note=note, report=answer.report)
    chat = _conversation(phone, now)
    if chat.step == Step.CONFIRM_NUMBER:
        if command.verb in ("yes", "no"):
            return _confirm(chat, command, now)
        if command.verb == "text":
            if not talk.within_rate("sms", chat.address):
                return Outcome(State.IGNORED, _("terlalu banyak laporan dari nomor ini"))
            return _ask_confirmation(chat, text, now, append=True)
    if command.verb == "text":
        return _new_report(chat, text, now)
    talk.reply(Channel.SMS, phone, talk.help_text(), kind="help")
    return Outcome(note=_("bantuan"))


def _conversation(phone: str, now: datetime) -> Conversation:
    """The number's conversation, locked; a confirmation left unanswered too long is dropped."""
    Conversation.objects.get_or_create(channel="sms", address=phone)
    chat = Conversation.objects.select_for_update().get(channel="sms", address=phone)
    hours = settings.LAPOR_CHANNELS["CONVERSATION_HOURS"]
    if chat.step != Step.IDLE and chat.updated_at < now - timedelta(hours=hours):
        chat.step, chat.draft = Step.IDLE, {}
    return chat


def _new_report(chat: Conversation, text: str, now: datetime) -> Outcome:
    if not talk.within_rate("sms", chat.address):
        return Outcome(State.IGNORED, _("terlalu banyak laporan dari nomor ini"))
    keyword, body = talk.route_by_keyword(text)
    if talk.too_short(body):
        talk.reply(Channel.SMS, chat.address, talk.too_short_text(), kind="refused")
        return Outcome(note=_("laporan terlalu singkat"))
    if settings.LAPOR_CHANNELS["SMS_CONFIRM_NEW_NUMBERS"] and chat.confirmed_at is None:
        return _ask_confirmation(chat, text, now)
    return _file(chat, text, now)


def _code_digest(phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"sms-confirm:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _ask_confirmation(chat: Conversation, text: str, now: datetime, *, append: bool = False) -> Outcome:
    """Hold the report and send a code; a further SMS before confirming is added to the report."""
    if append:
        text = f"{chat.draft.get('text', '')}\n{text}".strip()
    code = f"{secrets.randbelow(10_000):04d}"
    chat.step = Step.CONFIRM_NUMBER
    chat.draft = {"text": text, "code": _code_digest(chat.address, code), "attempts": 0}
    chat.updated_at = now
    chat.save()
    talk.reply(
        Channel.SMS,
        chat.address,
        _(
            "LAPOR! 1708: nomor ini belum pernah melapor. Balas YA %(code)s untuk mengirim laporan Anda, "
            "atau BATAL. Kode berlaku %(hours)d jam."
        ) % {"code": code, "hours": settings.LAPOR_CHANNELS["CONVERSATION_HOURS"]},
        kind="confirm_number",
        sensitive=True,
    )
    return Outcome(note=_("menunggu konfirmasi nomor"))


def _confirm(chat: Conversation, command, now: datetime) -> Outcome:
    if command.verb == "no":
        chat.step, chat.draft, chat.updated_at = Step.IDLE, {}, now
        chat.save()
        talk.reply(Channel.SMS, chat.address, _("Laporan dibatalkan dan tidak dikirim."), kind="cancelled")
        return Outcome(note=_("laporan dibatalkan"))
    expected = chat.draft.get("code", "")
    if command.code and hmac.compare_digest(_code_digest(chat.address, command.code), expected):
        chat.confirmed_at = now
        return _file(chat, chat.draft.get("text", ""), now)
    attempts = chat.draft.get("attempts", 0) + 1
    if attempts >= CONFIRM_ATTEMPTS:
        chat.step, chat.draft, chat.updated_at = Step.IDLE, {}, now
        chat.save()
        talk.reply(Channel.SMS, chat.address, _("Kode salah terlalu sering; laporan tidak dikirim. Kirim ulang laporan "
                                                "Anda untuk mendapat kode baru."), kind="refused")
        return Outcome(note=_("kode konfirmasi salah"))
    chat.draft = {**chat.draft, "attempts": attempts}
    chat.save()
    talk.reply(Channel.SMS, chat.address, _("Kode tidak cocok. Balas YA diikuti kode yang kami kirim, atau BATAL."),
               kind="refused")
    return Outcome(note=_("kode konfirmasi salah"))


def _file(chat: Conversation, text: str, now: datetime) -> Outcome:
    keyword, body = talk.route_by_keyword(text)
    chat.step, chat.draft, chat.updated_at = Step.IDLE, {}, now
    chat.save()
    try:
        # The confirmation SMS (tracking id and secret) goes to the number through the outbox.
        submitted = talk.file_report(channel=ReportChannel.SMS, text=body, keyword=keyword, contact_phone=chat.address)
    except DomainError as error:
        talk.reply(Channel.SMS, chat.address, str(error), kind="refused")
        return Outcome(note=_("laporan ditolak: %(error)s") % {"error": error})
    note = _("laporan %(tracking)s") % {"tracking": submitted.report.tracking_id}
    if keyword is not None:
        note += f" ({keyword.keyword})"
    return Outcome(note=note, report=submitted.report)


# --- long SMS -------------------------------------------------------------------------------------


def _open_group(gateway: str, phone: str, ref: str, total: int) -> SmsConcat:
    """The open group of parts for this reference, locked (created by the first part to arrive)."""
    for _attempt in range(3):
        group = SmsConcat.objects.select_for_update().filter(gateway=gateway, sender=phone, ref=ref, done=False).first()
        if group is not None:
            return group
        try:
            with transaction.atomic():
                SmsConcat.objects.create(gateway=gateway, sender=phone, ref=ref, total=total)
        except IntegrityError:
            continue  # another part created it at the same moment; lock that one
    raise RuntimeError(f"could not open the SMS group {gateway}/{ref}")


def _collect_part(message: InboundMessage, phone: str, fields: dict) -> str | None:
    """Keep one part; with the last one in, the whole text (the other parts are marked handled)."""
    group = _open_group(message.provider, phone, str(fields["ref"]), fields["total"])
    group.parts[str(fields["part"])] = {"text": fields.get("text", ""), "message": message.pk}
    if len(group.parts) < group.total:
        group.save(update_fields=["parts"])
        return None
    return _close(group, keep=message.pk)


def _close(group: SmsConcat, *, keep: int) -> str:
    """Join the parts in order (a missing one as "[…]"); every part's message but `keep` is done."""
    group.done = True
    group.save(update_fields=["parts", "done"])
    pieces = [group.parts.get(str(n), {}).get("text", GAP) for n in range(1, group.total + 1)]
    # Missing parts in a row are one gap.
    text = "".join(piece for n, piece in enumerate(pieces) if not (piece == GAP and n and pieces[n - 1] == GAP))
    others = [part["message"] for part in group.parts.values() if part["message"] != keep]
    InboundMessage.objects.filter(pk__in=others).update(
        state=State.PROCESSED, note=_("digabung ke pesan #%(id)d") % {"id": keep}, processed_at=timezone.now()
    )
    kept = InboundMessage.objects.get(pk=keep)
    kept.payload = {**kept.payload, "sms": {**kept.payload.get("sms", {}), "assembled": text}}
    kept.save(update_fields=["payload"])
    return text


def finish_overdue_parts(*, now: datetime | None = None) -> int:
    """Long SMS whose parts stopped coming: what arrived is handled as the whole message."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.LAPOR_CHANNELS["SMS_CONCAT_TIMEOUT_MINUTES"])
    finished = 0
    for pk in SmsConcat.objects.filter(done=False, first_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            group = SmsConcat.objects.select_for_update().filter(pk=pk, done=False).first()
            if group is None or not group.parts:
                continue
            last = max(part["message"] for part in group.parts.values())
            _close(group, keep=last)
        inbox_process(last, from_states=(State.WAITING,))
        finished += 1
    return finished
