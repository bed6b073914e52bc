"""Drive reports through the real services, and compare report rows before and after.

`walk_to(world, status)` files a report and moves it to `status` along one canonical path in
which every role allowed to act on that status is also in scope (the held report was forwarded
first, so the unit officer, the agency admin and the verifier may all resume it).
`perform(world, action, report, actor)` takes one action with valid input, so that a refusal
can only come from the role, the scope or the state.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from lapor.accounts.actors import SYSTEM_ROLE, Actor
from lapor.accounts.models import Agency, Role, User
from django.utils import timezone

from lapor.complaints import handling, review, services
from lapor.complaints.lifecycle import TRANSITIONS, Action
from lapor.complaints.models import Report, ReportAssignment, ReportEvent
from lapor.complaints.models import Status as S

from ..factories import make_report

ANONYMOUS = "anonymous"
# Every kind of actor the services may meet.
ROLES = [
    Role.REPORTER,
    Role.VERIFIER,
    Role.AGENCY_ADMIN,
    Role.UNIT_OFFICER,
    Role.OBSERVER,
    Role.SYSADMIN,
    ANONYMOUS,
    SYSTEM_ROLE,
]

PATHS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (),
    S.DISPOSED: ("dispose",),
    S.FORWARDED: ("dispose", "forward"),
    S.ON_HOLD: ("dispose", "forward", "hold"),
    S.RETURNED: ("dispose", "forward", "return"),
    S.FOLLOWED_UP: ("dispose", "forward", "follow_up"),
    S.REPORTER_REPLIED: ("dispose", "forward", "follow_up", "reply"),
    S.APPEALED: ("dispose", "forward", "follow_up", "rate_poorly", "appeal"),
    S.COMPLETED: ("dispose", "forward", "follow_up", "close"),
    S.ARCHIVED: ("dispose", "archive"),
}
assert set(PATHS) == set(S.values), "every status needs a path"

_n = itertools.count(1)
# A valid 1×1 PNG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6300010000050001e2260cbc0000000049454e44ae426082"
)


def reporter_actor(report: Report):
    """The report's own reporter: the account, or an accountless reporter proven by the secret."""
    return report.reporter if report.reporter_id else Actor.reporter_with_secret(report.pk)


def actor_for(world, role: str, report: Report):
    """The actor of `role` who would be in scope for reports of agency A / unit A1."""
    return {
        Role.REPORTER: lambda: reporter_actor(report),
        Role.VERIFIER: lambda: world.verifier,
        Role.AGENCY_ADMIN: lambda: world.admin_a,
        Role.UNIT_OFFICER: lambda: world.officer_a1,
        Role.OBSERVER: lambda: world.observer,
        Role.SYSADMIN: lambda: world.sysadmin,
        ANONYMOUS: lambda: None,
        SYSTEM_ROLE: Actor.system,
    }[role]()


def step(world, name: str, report: Report, agency: Agency) -> Report:
    """One step of a walk, taken by the natural actor for it."""
    admin = world.admin_of(agency)
    lead = world.units_of(agency)[0]
    me = reporter_actor(report)
    r = report.pk
    if name == "dispose":
        return services.report_dispose(actor=world.verifier, report=r, agency=agency)
    if name == "forward":
        return services.report_forward(actor=admin, report=r, units=[lead])
    if name == "hold":
        return services.report_hold(actor=admin, report=r, question="Mohon lengkapi alamat kejadian.")
    if name == "return":
        return services.report_return(actor=admin, report=r, reason="Bukan kewenangan pemerintah kota.")
    if name == "follow_up":
        return services.report_follow_up(
            actor=world.officer_of(lead), report=r, answer="Jalan sudah ditambal oleh tim lapangan."
        )
    if name == "resume":
        return services.report_resume(actor=me, report=r, message="Lokasi: depan Pasar Sesetan.")
    if name == "reply":
        return services.report_reply(actor=me, report=r, message="Belum tuntas, masih ada lubang.")
    if name == "rate_poorly":
        return services.report_rate(actor=me, report=r, rating=1, comment="Tidak memuaskan.")
    if name == "appeal":
        return services.report_appeal(actor=me, report=r, reason="Jawaban tidak menyelesaikan masalah.")
    if name == "close":
        return services.report_close(actor=admin, report=r, note="Selesai ditangani.")
    if name == "archive":
        return services.report_archive(actor=admin, report=r, reason=world.archive_reason)
    raise AssertionError(f"unknown step {name}")


def walk(world, report: Report, steps, *, agency: Agency | None = None) -> Report:
    agency = agency or world.agency_a
    for name in steps:
        report = step(world, name, report, agency)
    return Report.objects.get(pk=report.pk)


def walk_to(
    world, status: str, *, agency: Agency | None = None, reporter: User | None | str = "default", **submit
) -> Report:
    """A report filed by `reporter` (default: world.reporter; None: accountless) now in `status`."""
    reporter = world.reporter if reporter == "default" else reporter
    submit.setdefault("region", world.bali_village)
    report = make_report(reporter=reporter, **submit)
    report = walk(world, report, PATHS[status], agency=agency)
    assert report.status == status
    return report


def perform(world, action: Action, report: Report, actor, *, now: datetime | None = None, rating: int = 4):
    """Take `action` with valid input (units of the report's agency, an active reason, ...)."""
    r = report.pk
    agency = report.current_agency or world.agency_a
    if action == Action.EDIT:
        return services.report_edit(actor=actor, report=r, title=f"Jalan berlubang di pasar ({next(_n)})")
    if action == Action.DISPOSE:
        return services.report_dispose(actor=actor, report=r, agency=world.agency_a, now=now)
    if action == Action.HOLD:
        return services.report_hold(actor=actor, report=r, question="Mohon kirim foto lokasi.", now=now)
    if action == Action.RESUME:
        return services.report_resume(actor=actor, report=r, message="Foto lokasi terlampir.", now=now)
    if action == Action.ARCHIVE:
        return services.report_archive(actor=actor, report=r, reason=world.archive_reason, now=now)
    if action == Action.FORWARD:
        first, second = world.units_of(agency)
        return services.report_forward(actor=actor, report=r, units=[first, second], lead=second, now=now)
    if action == Action.RETURN:
        return services.report_return(actor=actor, report=r, reason="Jalan provinsi, bukan wewenang kota.", now=now)
    if action == Action.FOLLOW_UP:
        return services.report_follow_up(actor=actor, report=r, answer="Perbaikan dijadwalkan minggu depan.", now=now)
    if action == Action.REPLY:
        return services.report_reply(actor=actor, report=r, message="Terima kasih, saya tunggu.", now=now)
    if action == Action.CLOSE:
        return services.report_close(actor=actor, report=r, note="Keputusan: laporan dinyatakan selesai.", now=now)
    if action == Action.CLOSE_BY_SYSTEM:
        assert actor is None or getattr(actor, "role", None) == SYSTEM_ROLE
        return services.report_close_by_system(report=r, now=now)
    if action == Action.ESCALATE:
        from lapor.complaints import automatic

        assert actor is None or getattr(actor, "role", None) == SYSTEM_ROLE
        return automatic.report_escalate(report=r, level=1, now=now)
    if action == Action.ARCHIVE_BY_SYSTEM:
        from lapor.complaints import automatic

        from lapor.complaints.models import ArchiveReason

        assert actor is None or getattr(actor, "role", None) == SYSTEM_ROLE
        ArchiveReason.objects.get_or_create(code="tidak-dilengkapi", defaults={"name": "Tidak dilengkapi"})
        return automatic.report_archive_unfinished(report=r, now=now)
    if action == Action.RATE:
        return services.report_rate(actor=actor, report=r, rating=rating, comment="Cukup baik.", now=now)
    if action == Action.APPEAL:
        return services.report_appeal(actor=actor, report=r, reason="Perbaikan tidak dilakukan sama sekali.", now=now)
    if action == Action.ATTACH:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from lapor.complaints.attachments import report_attach

        photo = SimpleUploadedFile("foto-lokasi.png", PNG_BYTES, content_type="image/png")
        return report_attach(actor=actor, report=r, upload=photo, now=now).report
    if action == Action.NOTE:
        return handling.report_note(actor=actor, report=r, note="Sudah dikoordinasikan via telepon.", now=now)
    if action == Action.INTERIM:
        expected = ((now or timezone.now()) + timedelta(days=14)).date()
        return handling.report_interim_answer(
            actor=actor, report=r, answer="Perbaikan menunggu pengadaan material.", expected_date=expected,
            reason="Anggaran perubahan baru disahkan bulan depan.", now=now,
        )
    if action == Action.TRANSFER:
        target = world.agency_b if agency.pk == world.agency_a.pk else world.agency_a
        return handling.report_transfer(
            actor=actor, report=r, agency=target, reason="Jalan ini kewenangan pemerintah kota sebelah.", now=now
        )
    if action == Action.FLAG:
        return handling.report_flag(actor=actor, report=r, reason="Ada dugaan pungutan liar oleh petugas.", now=now)
    if action == Action.RED_FLAG:
        from lapor.routing.flags import Flag

        raised = Flag("extortion", 0.9, 1.0, 0.7, ({"phrase": "pungli", "start": 0, "end": 6},), "inspectorate", "Pungli")
        return handling.report_red_flag(actor=actor, report=r, flags=[raised], now=now)
    if action == Action.MERGE:
        from lapor.complaints.models import ArchiveReason

        ArchiveReason.objects.get_or_create(code="duplikat", defaults={"name": "Duplikat"})
        main = make_report(reporter=world.other_reporter, region=world.bali_village)
        return handling.report_merge(actor=actor, report=r, into=main, now=now)
    if action == Action.PROPOSE:
        return review.answer_propose(actor=actor, report=r, text="Usulan jawaban: lubang ditambal besok pagi.", now=now).report
    if action == Action.REVIEW:
        from lapor.complaints.models import AnswerDraft

        if not AnswerDraft.objects.filter(report_id=r, state="pending").exists():
            AnswerDraft.objects.create(report_id=r, unit=world.unit_a1, author=world.officer_a1, text="Usulan jawaban.")
        review.answer_return(actor=actor, report=r, note="Tambahkan tanggal pengerjaan.", now=now)
        return Report.objects.get(pk=r)
    if action == Action.IMPORT:
        from lapor.channels.intake.history import report_import_state

        assert actor is None or getattr(actor, "role", None) == SYSTEM_ROLE
        return report_import_state(
            report=r, source_status=S.RECEIVED, text="Isi laporan seperti disunting di sistem asalnya.", now=now
        )
    raise AssertionError(f"no driver for {action}")


# --- comparing ---------------------------------------------------------------------------------


def row(report: Report | int) -> dict:
    """Every stored column of the report, fresh from the database."""
    pk = report.pk if isinstance(report, Report) else report
    return Report.objects.filter(pk=pk).values(*(f.attname for f in Report._meta.concrete_fields)).get()


def snapshot(report: Report | int) -> dict:
    """The report row, its event count and its unit assignments."""
    pk = report.pk if isinstance(report, Report) else report
    return {
        "row": row(pk),
        "events": ReportEvent.objects.filter(report_id=pk).count(),
        "assignments": sorted(
            ReportAssignment.objects.filter(report_id=pk).values_list("unit_id", "is_lead", "is_active")
        ),
    }


def changed_fields(before: dict, after: dict) -> dict[str, tuple]:
    """Field name (FKs without `_id`) -> (old, new) for every column that changed, but `updated_at`."""
    names = {f.attname: f.name for f in Report._meta.concrete_fields}
    return {
        names[k]: (before[k], after[k]) for k in before if k != "updated_at" and before[k] != after[k]
    }


def audit_matches(audited, value) -> bool:
    """Whether a value written into `ReportEvent.changes` stands for the stored `value`."""
    if isinstance(audited, dict) and "id" in audited:
        return audited["id"] == value
    if audited is None:
        return value is None
    if isinstance(value, datetime):
        return datetime.fromisoformat(audited) == value
    if isinstance(value, date):
        return date.fromisoformat(audited) == value
    if isinstance(value, Decimal):
        return Decimal(audited) == value
    return audited == value


INDONESIAN_WORDS = {
    "tidak", "wajib", "harus", "pilih", "hanya", "sudah", "belum", "bukan", "gagal", "batas",
    "dapat", "laporan", "anda", "yang", "dan", "di", "ini", "minimal", "berlaku", "aktif",
}


def assert_indonesian_message(error: Exception) -> None:
    message = str(error)
    assert message.strip(), f"{type(error).__name__} without a message"
    words = set(re.findall(r"[a-z]+", message.lower()))
    assert words & INDONESIAN_WORDS, f"message does not read as Indonesian: {message!r}"


SYSTEM_ACTIONS = (Action.CLOSE_BY_SYSTEM, Action.ESCALATE, Action.ARCHIVE_BY_SYSTEM, Action.IMPORT)


def due_passed(report: Report) -> datetime:
    """A moment just after the report's stage deadline (for a held report: after its hold expired)."""
    if report.status == S.ON_HOLD:
        return report.held_at + timedelta(days=60)
    assert report.stage_due_at is not None
    return report.stage_due_at + timedelta(seconds=1)


def rule_allows(action: Action, role: str, status: str) -> bool:
    return status in TRANSITIONS[action].allowed.get(role, ())


def assert_refused(error_type: type[Exception], report: Report | int, attempt) -> Exception:
    """`attempt()` raises exactly `error_type` with an Indonesian message and changes nothing."""
    before = snapshot(report)
    with pytest.raises(error_type) as refused:
        attempt()
    assert type(refused.value) is error_type, repr(refused.value)
    assert_indonesian_message(refused.value)
    assert snapshot(report) == before
    return refused.value


def last_event(report: Report | int) -> ReportEvent:
    pk = report.pk if isinstance(report, Report) else report
    return ReportEvent.objects.filter(report_id=pk).order_by("-pk").first()
