"""Demo data: realistic reports with consistent histories, and an account for every role.

`generate_reports` does not call the report services (a query and a lock per step would take
hours for 100,000 reports): it simulates each report's life in memory with `walk.Simulator`,
which checks every step against the lifecycle table and mirrors the services' field changes,
then writes reports, events and assignments with `bulk_create`, one transaction per batch.
Running it again adds more reports. `ensure_demo_accounts` is idempotent.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from lapor.accounts.models import Agency, Role, Unit, User
from lapor.complaints.models import Report, ReportAssignment, ReportEvent, Status
from lapor.complaints.services import new_tracking_id
from lapor.core.errors import Conflict, InvalidInput
from lapor.regions.models import Region

from .plan import Focus, Planner, Reporter
from .texts import TextMaker
from .walk import Case, Simulator
from .world import GENERIC_UNIT_TYPES, LOCAL_KINDS, World

DEMO_PASSWORD = "lapor-demo-2026"
# The regency/city government whose staff get demo accounts: the first that exists.
REGIONAL_CHOICES = ("Kota Denpasar", "Kota Semarang", "Kabupaten Badung")
MINISTRY_CHOICES = ("kemenkes",)
# Units of that government that get an officer, by unit type, with the short name used in usernames.
UNIT_CHOICES = (("pupr", "public_works"), ("dukcapil", "civil_registry"), ("dinkes", "health"), ("dinsos", "social"))
REPORTER_PREFIX = "demo.pelapor."


# --- the demo desks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoDesks:
    regional: Agency
    units: tuple[tuple[str, Unit], ...]
    ministry: Agency | None
    province: Region | None
    ombudsman: Agency | None

    @property
    def regional_slug(self) -> str:
        name = self.regional.region.name if self.regional.region else self.regional.short_name or self.regional.name
        for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota "):
            name = name.removeprefix(prefix)
        return slugify(name)


def demo_desks() -> DemoDesks | None:
    """The agencies, units and province the demo accounts work for (looked up by name)."""
    regional = None
    active_local = Agency.objects.filter(is_active=True, kind__in=LOCAL_KINDS).select_related("region")
    for name in REGIONAL_CHOICES:
        regional = active_local.filter(region__name=name).first()
        if regional:
            break
    if regional is None:
        regional = active_local.annotate(n=Count("units")).filter(n__gt=0).order_by("name").first()
    if regional is None:
        return None
    units = list(Unit.objects.filter(agency=regional, is_active=True).order_by("name"))
    chosen: list[tuple[str, Unit]] = []
    for short, unit_type in UNIT_CHOICES:
        match = next((u for u in units if u.unit_type == unit_type), None)
        if match and len(chosen) < 2:
            chosen.append((short, match))
    for unit in units:
        if len(chosen) >= 2:
            break
        if unit.unit_type not in GENERIC_UNIT_TYPES and all(u != unit for _, u in chosen):
            chosen.append((slugify(unit.code), unit))
    national = Agency.objects.filter(is_active=True, region__isnull=True)
    ministry = national.filter(code__in=MINISTRY_CHOICES).first() or national.filter(name="Kementerian Kesehatan").first()
    if ministry is None:
        with_units = national.annotate(n=Count("units")).filter(n__gt=0).order_by("name")
        ministry = with_units.filter(kind=Agency.Kind.MINISTRY).first() or with_units.first()
    province = Region.objects.filter(code=regional.region_id[:2]).first() if regional.region_id else None
    ombudsman = national.filter(kind=Agency.Kind.OVERSIGHT, name__icontains="Ombudsman").first()
    return DemoDesks(regional, tuple(chosen), ministry, province, ombudsman)


# --- reports ----------------------------------------------------------------------------------


def generate_reports(
    *,
    count: int,
    seed: int | None = None,
    days: int = 180,
    now: datetime | None = None,
    batch_size: int = 2000,
    progress: Callable[[int, int, float], None] | None = None,
) -> dict:
    """Add `count` demo reports filed over the last `days` days, with their histories.

    Not idempotent: every run adds reports. On the same database the same seed and `now` give
    the same reports, except for their tracking ids (always random). Returns a summary with the
    seed, the numbers written and the count per status.
    """
    if count < 1 or days < 1 or batch_size < 1:
        raise InvalidInput("Jumlah laporan, rentang hari dan ukuran batch minimal 1.")
    started = time.monotonic()
    now = now or timezone.now()
    seed = random.SystemRandom().randrange(2**32) if seed is None else seed
    rng = random.Random(seed)
    world = World(rng=rng)
    texts = TextMaker(rng)
    limits = settings.LAPOR
    simulator = Simulator(
        world, texts, rng, max_transfers=limits["MAX_TRANSFERS"], appeal_max_rating=limits["APPEAL_MAX_RATING"]
    )
    focus = _focus()
    planner = Planner(
        world, texts, simulator, rng, now=now, days=days, focus=focus,
        reporters=_reporter_pool(max(20, min(2000, count // 25)), seed=seed), max_transfers=limits["MAX_TRANSFERS"],
    )
    reserved = planner.reservations(count)
    taken = set(Report.objects.values_list("tracking_id", flat=True))
    by_status: Counter = Counter()
    events = assignments = 0
    with _given_updated_at():
        for start in range(0, count, batch_size):
            cases = [planner.case(*reserved.get(i, (None, False))) for i in range(start, min(count, start + batch_size))]
            written = _write(cases, taken)
            events += written[0]
            assignments += written[1]
            by_status.update(case.status for case in cases)
            if progress:
                progress(start + len(cases), count, time.monotonic() - started)
    return {
        "seed": seed,
        "reports": count,
        "events": events,
        "assignments": assignments,
        "by_status": {s.value: by_status.get(s.value, 0) for s in Status},
        "seconds": round(time.monotonic() - started, 1),
    }


def _focus() -> Focus:
    desks = demo_desks()
    citizen = User.objects.filter(username="warga", role=Role.REPORTER).values_list("pk", flat=True).first()
    if desks is None:
        return Focus(citizen_id=citizen)
    return Focus(
        agency=desks.regional,
        units=[u for _, u in desks.units],
        ministry=desks.ministry,
        province_code=desks.province.code if desks.province else "",
        citizen_id=citizen,
    )


def _reporter_pool(size: int, *, seed: int) -> list[Reporter]:
    """Citizen accounts that file demo reports (no usable password); created once, then reused."""
    texts = TextMaker(random.Random(seed + 1))  # its own generator: the reports stay reproducible
    existing = list(User.objects.filter(username__startswith=REPORTER_PREFIX).values_list("pk", "first_name", "last_name"))
    missing = size - len(existing)
    if missing > 0:
        taken = set(User.objects.filter(username__startswith=REPORTER_PREFIX).values_list("username", flat=True))
        new, number = [], 0
        while len(new) < missing:
            number += 1
            username = f"{REPORTER_PREFIX}{number:05d}"
            if username in taken:
                continue
            first, last = texts.person(texts.rng.choice(("", "", "", "51")))
            new.append(
                User(username=username, first_name=first, last_name=last, role=Role.REPORTER, password=make_password(None))
            )
        User.objects.bulk_create(new, batch_size=500)
        existing = list(User.objects.filter(username__startswith=REPORTER_PREFIX).values_list("pk", "first_name", "last_name"))
    return [Reporter(*row) for row in existing]


@contextmanager
def _given_updated_at() -> Iterator[None]:
    """Let bulk_create keep the `updated_at` we set (the last event's time) instead of now."""
    field = Report._meta.get_field("updated_at")
    field.auto_now = False
    try:
        yield
    finally:
        field.auto_now = True


def _tracking_id(taken: set[str]) -> str:
    while True:
        value = new_tracking_id()
        if value not in taken:
            taken.add(value)
            return value


def _report(case: Case, tracking_id: str) -> Report:
    d = case.draft
    return Report(
        tracking_id=tracking_id,
        kind=d.kind,
        title=case.title,
        original_title=d.title,
        original_text=d.text,
        text=d.text,
        category_id=d.category.pk if d.category else None,
        region_id=d.region_code,
        incident_date=d.incident_date,
        channel=d.channel,
        reporter_id=d.reporter_id,
        contact_name=d.contact_name,
        contact_phone=d.contact_phone,
        contact_email=d.contact_email,
        # Accountless reporters get a secret in real life; here nobody knows it.
        secret_hash="" if d.reporter_id else hashlib.sha256(secrets.token_bytes(9)).hexdigest(),
        is_anonymous=d.is_anonymous,
        is_confidential=case.is_confidential,
        status=case.status,
        held_from_status=case.held_from_status,
        current_agency=case.current_agency,
        current_unit=case.current_unit,
        transfer_count=case.transfer_count,
        archive_reason=case.archive_reason,
        closure=case.closure,
        stage_due_at=case.stage_due_at,
        completion_due_at=case.completion_due_at,
        disposed_at=case.disposed_at,
        followed_up_at=case.followed_up_at,
        closed_at=case.closed_at,
        rating=case.rating,
        rating_comment=case.rating_comment,
        rated_at=case.rated_at,
        appealed_at=case.appealed_at,
        created_at=case.created_at,
        updated_at=case.last_at,
    )


def _write(cases: list[Case], taken: set[str]) -> tuple[int, int]:
    reports = [_report(case, _tracking_id(taken)) for case in cases]
    with transaction.atomic():
        Report.objects.bulk_create(reports)
        events = [
            ReportEvent(
                report_id=report.pk, type=e.type, actor_id=e.actor_id, actor_role=e.actor_role,
                from_status=e.from_status, to_status=e.to_status, agency_id=e.agency_id, unit_id=e.unit_id,
                changes=e.changes, message=e.message, is_public=e.is_public, created_at=e.created_at,
            )
            for case, report in zip(cases, reports, strict=True)
            for e in case.events
        ]
        ReportEvent.objects.bulk_create(events)
        assignments = [
            ReportAssignment(report_id=report.pk, unit_id=a.unit_id, is_lead=a.is_lead, is_active=a.is_active, assigned_at=a.assigned_at)
            for case, report in zip(cases, reports, strict=True)
            for a in case.assignments.values()
        ]
        ReportAssignment.objects.bulk_create(assignments)
    return len(events), len(assignments)


# --- accounts ---------------------------------------------------------------------------------


class DemoAccount(NamedTuple):
    role: str
    username: str
    password: str
    scope: str


def ensure_demo_accounts(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create or bring up to date one demo account per desk, all with `password` (reset each run).

    Idempotent: accounts are matched by username. The agencies with a demo admin are marked as
    connected (admin account active, a decree number if they had none): connectivity group I.
    """
    desks = demo_desks()
    if desks is None or not desks.units:
        raise Conflict("Data referensi belum dimuat (instansi dan unit kerja): jalankan `lapor reference-data` dahulu.")
    city = desks.regional_slug
    regional_label = desks.regional.short_name or desks.regional.name
    specs: list[tuple[str, str, str, dict]] = [
        ("verifikator", "Verifikator", "Nasional", {"role": Role.VERIFIER}),
        (f"admin.{city}", "Admin", regional_label, {"role": Role.AGENCY_ADMIN, "agency": desks.regional}),
    ]
    for short, unit in desks.units:
        specs.append((f"unit.{city}.{short}", "Petugas", unit.name, {"role": Role.UNIT_OFFICER, "agency": desks.regional, "unit": unit}))
    if desks.ministry:
        slug = slugify(desks.ministry.short_name or desks.ministry.code).replace("-", "")
        specs.append((f"admin.{slug}", "Admin", desks.ministry.short_name or desks.ministry.name, {"role": Role.AGENCY_ADMIN, "agency": desks.ministry}))
    specs.append(("pengawas.ombudsman", "Pengawas", "Ombudsman RI", {"role": Role.OBSERVER, "observes_all": True, "agency": desks.ombudsman}))
    if desks.province:
        specs.append((f"pengawas.{slugify(desks.province.name)}", "Pengawas", f"Provinsi {desks.province.name}", {"role": Role.OBSERVER, "regions": [desks.province]}))
    specs.append(("sysadmin", "Admin", "Sistem", {"role": Role.SYSADMIN, "is_staff": True, "is_superuser": True}))
    specs.append(("warga", "Wayan", "Sudarsana", {"role": Role.REPORTER}))

    accounts = []
    with transaction.atomic():
        for username, first, last, spec in specs:
            user = _upsert_user(username, first, last, password=password, **spec)
            accounts.append(DemoAccount(user.role, username, password, _scope(user, spec)))
        for agency in {spec["agency"] for *_, spec in specs if spec["role"] == Role.AGENCY_ADMIN}:
            _mark_connected(agency)
    return accounts


def _upsert_user(username, first, last, *, password, role, agency=None, unit=None, observes_all=False, regions=(), is_staff=False, is_superuser=False) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name = first, last
    user.email = f"{username}@demo.lapor.example"
    user.role = role
    user.agency, user.unit = agency, unit
    user.observes_all = observes_all
    user.is_staff, user.is_superuser, user.is_active = is_staff, is_superuser, True
    user.set_password(password)
    user.save()
    user.observed_regions.set(regions)
    user.observed_agencies.clear()
    return user


def _scope(user: User, spec: dict) -> str:
    role = user.role
    if role == Role.VERIFIER:
        return "Semua laporan (Admin Nasional)"
    if role == Role.AGENCY_ADMIN:
        return user.agency.name
    if role == Role.UNIT_OFFICER:
        return f"{user.unit.name} — {user.agency.name}"
    if role == Role.OBSERVER:
        if user.observes_all:
            return "Semua instansi dan wilayah"
        return "Wilayah " + ", ".join(f"Provinsi {r.name}" for r in spec.get("regions", []))
    if role == Role.SYSADMIN:
        return "Admin sistem dan Django admin (/admin/)"
    return "Pelapor (warga)"


def _mark_connected(agency: Agency) -> None:
    """Connectivity group I: the admin account is active and the complaint-team decree exists."""
    today = timezone.localdate()
    agency.admin_account_active = True
    if not agency.decree_number:
        agency.decree_number = f"SK/{slugify(agency.short_name or agency.code).upper()}/PENGADUAN/{today.year}"
        agency.decree_date = agency.decree_date or today
    agency.save(update_fields=["admin_account_active", "decree_number", "decree_date", "updated_at"])
