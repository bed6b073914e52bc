"""Who files what, where and when in a demo-data run, and which reports are steered.

Most reports are left to chance (and to the clock: old ones are mostly done, recent ones are
still in process). A few are steered to a target status: one per status, so every status
occurs, and some to the desks of the demo accounts, so their inboxes are never empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lapor.accounts.models import Agency, Unit
from lapor.complaints.models import Channel, Kind, Status
from lapor.complaints.services import derive_title

from .texts import Place, TextMaker
from .walk import Case, Draft, Simulator, Target
from .world import LOCAL_KINDS, CategoryInfo, World

S = Status
KIND_WEIGHTS = {Kind.COMPLAINT: 75, Kind.ASPIRATION: 14, Kind.INFORMATION: 11}
# Channel share and how often its reporters have an account.
CHANNELS = {
    Channel.WEB: (30, 0.85), Channel.MOBILE: (22, 0.95), Channel.SMS: (12, 0.2), Channel.WHATSAPP: (10, 0.25),
    Channel.SOCIAL: (6, 0.3), Channel.EMAIL: (4, 0.5), Channel.CALL_CENTER: (5, 0.1), Channel.WALK_IN: (4, 0.2),
    Channel.LETTER: (2, 0.1), Channel.LOCAL_APP: (5, 0.9),
}
SENSITIVE_SUBJECTS = frozenset({"perempuan_anak", "perundungan", "pungli", "netralitas_asn", "ketenagakerjaan"})
# Hours of the day (WIB) people file reports, as weights.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 9, 9, 8, 7, 7, 8, 9, 9, 7, 4, 2]
NEEDS_A_UNIT = frozenset({S.FORWARDED, S.FOLLOWED_UP, S.REPORTER_REPLIED, S.COMPLETED, S.APPEALED})


@dataclass(frozen=True)
class Reporter:
    pk: int
    first_name: str
    last_name: str


@dataclass
class Focus:
    """The demo accounts' desks, which the generator keeps supplied with work."""

    agency: Agency | None = None  # a regency/city government
    units: list[Unit] = field(default_factory=list)  # two of its units
    ministry: Agency | None = None
    province_code: str = ""
    citizen_id: int | None = None  # the demo reporter


class Planner:
    def __init__(
        self, world: World, texts: TextMaker, simulator: Simulator, rng: random.Random, *,
        now: datetime, days: int, focus: Focus, reporters: list[Reporter], max_transfers: int,
    ):
        self.world, self.texts, self.sim, self.rng = world, texts, simulator, rng
        self.now, self.days, self.focus = now, days, focus
        self.reporters = reporters
        self.max_transfers = max_transfers
        self._subject_weights = [s.weight for s in world.subjects]
        self._names = {r.pk: f"{r.first_name} {r.last_name}".strip() for r in reporters}

    # --- steering -----------------------------------------------------------------------------

    def reservations(self, count: int) -> dict[int, tuple[Target, bool]]:
        """Positions of steered reports: {position: (target, covers a status)}.

        One report per status comes first (filed by the demo citizen when that account exists),
        then reports for the demo desks.
        """
        coverage = [Target(s.value) for s in Status if s != S.RETURNED or self.max_transfers > 0]
        desks: list[Target] = []
        f = self.focus
        if count >= 100:
            m = max(1, count // 2500)
            if f.agency:
                desks += [Target(S.DISPOSED, f.agency)] * 2 * m
                desks += [Target(S.FOLLOWED_UP, f.agency), Target(S.REPORTER_REPLIED, f.agency)] * m
            for unit in f.units:
                desks += [Target(S.FORWARDED, f.agency, unit)] * 2 * m + [Target(S.REPORTER_REPLIED, f.agency, unit)] * m
            if f.ministry:
                desks += [Target(S.DISPOSED, f.ministry)] * 2 * m
                if self.world.units.get(f.ministry.pk):
                    desks += [Target(S.FORWARDED, f.ministry)] * m
        targets = ([(t, True) for t in coverage] + [(t, False) for t in desks])[:count]
        return dict(zip(self.rng.sample(range(count), len(targets)), targets, strict=True))

    def case(self, target: Target | None = None, coverage: bool = False) -> Case:
        if target is None:
            created = self.created_at()
            return self.sim.simulate(self.draft(written=created), created_at=created, now=self.now)
        # Steered reports are recent: they still sit in that state.
        created = self.now - timedelta(days=self.rng.uniform(0.5, min(self.days, 12)))
        draft = self.draft(target, written=created, for_citizen=coverage)
        for _ in range(40):
            case = self.sim.simulate(draft, created_at=created, now=self.now, target=target)
            if target.reached_by(case):
                return case
        if target.status in NEEDS_A_UNIT and not self.world.units.get(getattr(draft.prefer_agency, "pk", None)):
            # The script forwards to a unit: file it where the local government has units.
            local = self.world.local_government(draft.region_code)
            if local is None or not self.world.units.get(local.pk):
                draft = self.draft(target, written=created, for_citizen=coverage, regency=self._regency_with_units())
                local = self.world.local_government(draft.region_code)
            draft.prefer_agency = local
        return self.sim.scripted(draft, target, created_at=created, now=self.now)

    def _regency_with_units(self) -> str:
        codes = [c for c in self.world.regency_codes if self.world.units.get(getattr(self.world.local_government(c), "pk", None))]
        return self.rng.choice(codes)

    # --- what, where, who ---------------------------------------------------------------------

    def created_at(self) -> datetime:
        moment = self.now - timedelta(seconds=self.rng.uniform(0, self.days * 86400))
        wib = moment + timedelta(hours=7)
        hour = self.rng.choices(range(24), HOUR_WEIGHTS)[0]
        moment = wib.replace(hour=hour, minute=self.rng.randint(0, 59), second=self.rng.randint(0, 59)) - timedelta(hours=7)
        return moment if moment < self.now else self.now - timedelta(minutes=self.rng.randint(5, 300))

    def draft(
        self, target: Target | None = None, *, written: datetime, for_citizen: bool = False, regency: str = "",
    ) -> Draft:
        """A report as filed; `written` dates the details inside its text."""
        agency = unit = None
        mode = "random"
        if target is not None and target.agency is not None:
            agency, unit = target.agency, target.unit
            mode = "ministry" if agency == self.focus.ministry else "regional"
        elif target is None:
            roll = self.rng.random()
            if roll < 0.05 and self.focus.agency:
                mode, agency = "regional", self.focus.agency
                if self.focus.units and self.rng.random() < 0.7:
                    unit = self.rng.choice(self.focus.units)
            elif roll < 0.07 and self.focus.ministry:
                mode, agency = "ministry", self.focus.ministry
            elif roll < 0.11 and self.focus.province_code:
                mode = "province"
        region_code, place = self.world.place(regency) if regency else self._where(mode, agency)
        category = self._category(mode, agency, unit)
        subject = category.subject if category else self.world.subjects[0]
        kind = self.rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        if not subject.templates.get(kind):
            kind = Kind.COMPLAINT
        channel = self.rng.choices(list(CHANNELS), [w for w, _ in CHANNELS.values()])[0]
        created = written
        sensitive = subject.key in SENSITIVE_SUBJECTS
        draft = Draft(
            kind=kind, title="", text="", subject=subject, category=category, region_code=region_code,
            place=place, channel=channel,
            is_anonymous=self.rng.random() < (0.3 if sensitive else 0.1),
            is_confidential=self.rng.random() < (0.35 if sensitive else 0.06),
            prefer_agency=agency if mode in ("regional", "ministry") else None,
            prefer_unit=unit,
        )
        self._who(draft, for_citizen=for_citizen)
        signature = "" if draft.is_anonymous else draft.contact_name or self._name_of(draft.reporter_id)
        written = self.texts.report(
            subject=subject, kind=kind, place=place, when=created.date(), channel=channel,
            category_name=category.name if category else "", signature=signature,
        )
        draft.title = written.title or derive_title(written.text)
        draft.text, draft.details, draft.answer = written.text, written.details, written.answer
        if kind == Kind.COMPLAINT and self.rng.random() < 0.5:
            draft.incident_date = date.fromordinal(created.date().toordinal() - self.rng.randint(1, 20))
        return draft

    def _where(self, mode: str, agency: Agency | None) -> tuple[str, Place]:
        if mode == "regional" and agency is not None and agency.region_id:
            return self.world.place(agency.region_id[:5])
        if mode == "province":
            return self.world.place(self.rng.choice(self.world.regencies_in(self.focus.province_code)))
        return self.world.place(self.rng.choice(self.world.regency_codes))

    def _category(self, mode: str, agency: Agency | None, unit: Unit | None) -> CategoryInfo | None:
        world = self.world
        if unit is not None:
            options = world.categories_for_unit(unit)
        elif mode == "ministry" and agency is not None:
            options = world.categories_for_agency(agency)
        else:
            options = []
        if options:
            return self.rng.choice(options)
        for _ in range(5):
            if world.subjects and self.rng.random() < 0.85:
                subject = self.rng.choices(world.subjects, self._subject_weights)[0]
                category = self.rng.choice(world.categories_for_subject(subject))
            else:
                category = self.rng.choice(world.categories)
            if mode != "regional" or LOCAL_KINDS & set(category.agency_kinds):
                break
        return category

    def _who(self, draft: Draft, *, for_citizen: bool) -> None:
        """An account holder or a contact-only reporter, depending on the channel."""
        has_account_share = CHANNELS[draft.channel][1]
        if for_citizen and self.focus.citizen_id:
            draft.reporter_id, draft.is_anonymous = self.focus.citizen_id, False
            return
        if self.reporters and self.rng.random() < has_account_share:
            if self.focus.citizen_id and self.rng.random() < 0.0015:
                draft.reporter_id = self.focus.citizen_id
            else:
                draft.reporter_id = self.rng.choice(self.reporters).pk
            return
        first, last = self.texts.person(draft.place.province_code)
        draft.contact_name = f"{first} {last}"
        if draft.channel in (Channel.SMS, Channel.WHATSAPP, Channel.CALL_CENTER) or self.rng.random() < 0.5:
            draft.contact_phone = f"08{self.rng.choice('1235789')}{self.rng.randint(10**8, 10**9 - 1)}"
        if draft.channel == Channel.EMAIL or self.rng.random() < 0.2:
            handle = f"{first}.{last}".lower().replace(" ", "")
            draft.contact_email = f"{handle}{self.rng.randint(1, 999)}@mail.example"

    def _name_of(self, reporter_id: int | None) -> str:
        return self._names.get(reporter_id, "")
