"""What every message channel shares: reading a citizen's command, filing, status and follow-ups.

A citizen writes in plain words: "STATUS LAP-ABCD-EFGH" asks where a report stands, a message
starting with a tracking id is the reporter's reply on that report, "YA 1234" confirms, "BATAL"
cancels, anything else is a report. Only the phone number or e-mail address a report was filed
with may reply on it: the channel's proof of the sender stands in for the report's secret.
Reports are filed through `report_file` and replies go through the reporter services, as on the
web; answers to the citizen are outbox messages written in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from lapor.accounts.actors import Actor
from lapor.accounts.models import Agency
from lapor.complaints import services
from lapor.complaints.filing import report_file
from lapor.complaints.models import Bucket, Report, ReportEvent, Status
from lapor.complaints.selectors import public_reports
from lapor.core.errors import DomainError, TooManyRequests
from lapor.core.ratelimit import check_rate
from lapor.notifications.services import outbox_enqueue

from .models import RegionKeyword

TRACKING = re.compile(r"\bLAP[\s-]?([0-9A-Z]{4})[\s-]?([0-9A-Z]{4})\b", re.IGNORECASE)
LEADING_TRACKING = re.compile(r"^\s*(LAP[\s-]?[0-9A-Z]{4}[\s-]?[0-9A-Z]{4})\b[\s:,.-]*(.*)$", re.IGNORECASE | re.DOTALL)
YES = frozenset({"YA", "Y", "YES", "IYA", "OK", "OKE"})
NO = frozenset({"BATAL", "TIDAK", "CANCEL"})
SEND = frozenset({"KIRIM", "SEND"})
SKIP = frozenset({"LEWATI", "LEWAT", "SKIP"})
HELP = frozenset({"BANTUAN", "HELP", "INFO", "MENU"})
STATUS = frozenset({"STATUS", "CEK", "LACAK"})
ANSWER_EXCERPT = 300


@dataclass(frozen=True)
class Command:
    # status, follow_up, yes, no, send, skip, help, text, empty
    verb: str
    tracking: str = ""
    text: str = ""
    code: str = ""


def _word(value: str) -> str:
    return value.strip(".,!?:;").upper()


def parse_command(text: str) -> Command:
    text = (text or "").strip()
    words = text.split()
    if not words:
        return Command("empty")
    head = _word(words[0])
    rest = text[len(words[0]):].strip()
    if head in STATUS and (found := TRACKING.search(rest)):
        return Command("status", tracking=services.normalize_tracking_id(found.group(0)))
    if leading := LEADING_TRACKING.match(text):
        return Command("follow_up", tracking=services.normalize_tracking_id(leading.group(1)), text=leading.group(2).strip())
    if head in YES and len(words) <= 2:
        code = words[1] if len(words) == 2 else ""
        return Command("yes", code=code.strip(".,!"))
    if len(words) == 1 and head.isdigit() and len(head) == 4:
        return Command("yes", code=head)
    if len(words) == 1:
        for verb, vocabulary in (("no", NO), ("send", SEND), ("skip", SKIP), ("help", HELP)):
            if head in vocabulary:
                return Command(verb)
    return Command("text", text=text)


# --- who is writing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """The citizen as the channel proved them: a phone number (E.164) or an e-mail address."""

    phone: str = ""
    email: str = ""

    def filed(self, report: Report) -> bool:
        """Whether the report was filed with this number or address."""
        user = report.reporter
        if self.phone:
            return self.phone in {report.contact_phone, getattr(user, "phone", "")}
        if self.email:
            own = {report.contact_email.lower(), (getattr(user, "email", "") or "").lower()}
            return self.email.lower() in own - {""}
        return False


def reporter_actor(report: Report) -> Actor:
    """The reporter of `report`, proven by the channel (their account when they have one)."""
    return Actor.of(report.reporter) if report.reporter_id else Actor.reporter_with_secret(report.pk)


def within_rate(channel: str, address: str) -> bool:
    """Reports one number or address may file per hour, as on the web (`SUBMISSIONS_PER_HOUR`)."""
    try:
        check_rate("inbound-file", f"{channel}:{address}", limit=settings.LAPOR["SUBMISSIONS_PER_HOUR"],
                   window_seconds=3600)
    except TooManyRequests:
        return False
    return True


# --- answers --------------------------------------------------------------------------------------


def reply(channel: str, recipient: str, body: str, *, kind: str, report: Report | None = None, subject: str = "",
          sensitive: bool = False) -> None:
    """An answer to the citizen on their channel, written to the outbox (this transaction)."""
    outbox_enqueue(
        channel=channel, recipient=recipient, body=body, subject=subject, kind=f"inbound.{kind}", report=report,
        language="id", sensitive=sensitive,
    )


def help_text() -> str:
    return _(
        "LAPOR! 1708: tulis laporan Anda (apa, di mana, sejak kapan) dan kirim. Cek status: STATUS <nomor laporan>. "
        "Tanggapi laporan Anda: <nomor laporan> <tanggapan>."
    )


def _latest_answer(report: Report) -> str:
    event = (
        ReportEvent.objects.filter(report=report, is_public=True, type__in=["report.followed_up", "report.interim_answer"])
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None or not event.message:
        return ""
    answer = " ".join(event.message.split())
    return answer if len(answer) <= ANSWER_EXCERPT else answer[: ANSWER_EXCERPT - 1] + "…"


def status_text(tracking: str, sender: Sender) -> str:
    """Where a report stands: for its reporter with the latest answer, for anyone else only when
    the report is public (the same answer as the web's public tracking)."""
    report = Report.objects.filter(tracking_id=tracking).first()
    filer = report is not None and sender.filed(report)
    if report is None or not (filer or public_reports().filter(pk=report.pk).exists()):
        return _(
            "Laporan %(tracking)s tidak ditemukan atau tidak dapat dilihat publik. Pelapor dapat menanyakannya "
            "dari nomor atau alamat yang dipakai saat melapor."
        ) % {"tracking": tracking}
    text = _("Laporan %(tracking)s: %(status)s (%(bucket)s).") % {
        "tracking": report.tracking_id, "status": Status(report.status).label, "bucket": Bucket(report.bucket).label,
    }
    if filer and (answer := _latest_answer(report)):
        text += " " + _("Jawaban: %(answer)s") % {"answer": answer}
    if filer and report.status == Status.FOLLOWED_UP:
        text += " " + _("Balas %(tracking)s <tanggapan> untuk menanggapi.") % {"tracking": report.tracking_id}
    if filer and report.status == Status.ON_HOLD:
        text += " " + _("Laporan menunggu kelengkapan: balas %(tracking)s <keterangan>.") % {"tracking": report.tracking_id}
    return text


@dataclass(frozen=True)
class Answer:
    text: str
    report: Report | None = None
    acted: bool = False


def reporter_message(tracking: str, message: str, sender: Sender) -> Answer:
    """The reporter writes on their own report: a reply to a follow-up, or the completion of a held
    report. From anyone else, or for a report in another state, an explanation and nothing else."""
    report = Report.objects.filter(tracking_id=tracking).first()
    if report is None or not sender.filed(report):
        return Answer(_(
            "Laporan %(tracking)s tidak ditemukan, atau tidak dikirim dari nomor/alamat ini. Hanya pelapor yang "
            "dapat menanggapi laporannya."
        ) % {"tracking": tracking})
    actor = reporter_actor(report)
    try:
        if report.status == Status.FOLLOWED_UP:
            services.report_reply(actor=actor, report=report.pk, message=message)
            text = _("Tanggapan Anda untuk laporan %(tracking)s diterima dan diteruskan kepada petugas.")
        elif report.status == Status.ON_HOLD:
            services.report_resume(actor=actor, report=report.pk, message=message)
            text = _("Kelengkapan laporan %(tracking)s diterima. Laporan dilanjutkan.")
        else:
            return Answer(_(
                "Laporan %(tracking)s berstatus %(status)s. Tanggapan dapat dikirim setelah ada tindak lanjut dari "
                "instansi."
            ) % {"tracking": report.tracking_id, "status": Status(report.status).label}, report)
    except DomainError as error:
        return Answer(str(error), report)
    return Answer(text % {"tracking": report.tracking_id}, report, acted=True)


# --- filing ---------------------------------------------------------------------------------------


def route_by_keyword(text: str) -> tuple[RegionKeyword | None, str]:
    """"TANGKAB Jalan rusak …" → the keyword's region and the rest of the text."""
    words = text.split(maxsplit=1)
    if len(words) < 2:
        return None, text
    keyword = RegionKeyword.objects.filter(keyword=_word(words[0]), is_active=True).select_related(
        "region", "agency"
    ).first()
    return (keyword, words[1].strip()) if keyword else (None, text)


def keyword_agency(keyword: RegionKeyword | None) -> Agency | None:
    """The agency a keyword suggests: its own, else the active government of its region."""
    if keyword is None:
        return None
    if keyword.agency is not None and keyword.agency.is_active:
        return keyword.agency
    governments = [Agency.Kind.REGENCY, Agency.Kind.CITY, Agency.Kind.PROVINCE]
    return Agency.objects.filter(region=keyword.region, kind__in=governments, is_active=True).order_by("pk").first()


def too_short(text: str) -> bool:
    return len((text or "").strip()) < services.MIN_TEXT_LENGTH


def too_short_text() -> str:
    return _(
        "Laporan Anda terlalu singkat. Tulis minimal %(n)d karakter: apa yang terjadi, di mana, dan sejak kapan."
    ) % {"n": services.MIN_TEXT_LENGTH}


def file_report(*, channel: str, text: str, keyword: RegionKeyword | None = None, **fields):
    """File a report from a channel (raises the filing service's DomainErrors)."""
    if keyword is not None:
        fields.setdefault("region", keyword.region)
        fields.setdefault("suggested_agency", keyword_agency(keyword))
    return report_file(reporter=None, channel=channel, text=text, **fields)
