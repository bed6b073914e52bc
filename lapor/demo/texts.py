"""Everyday-Indonesian texts for demo reports and their histories, made from templates.

The templates are data (`phrases.json`): per subject (a broken road, an unpaid social-assistance
instalment, a delayed ID card, ...) a few complaints, aspirations and information requests,
and the follow-up answers an office would write. `[a|b]` picks an alternative and `{slot}` is
filled from the report's place, its date and a few random details, so two reports on the same
subject rarely read the same. Nothing here touches the database.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from lapor.complaints.models import Channel, Kind

_ALTERNATIVE = re.compile(r"\[([^\[\]]*)\]")
# Details a report names that its later messages repeat (the same school, street, company...).
_KEPT_DETAILS = ("jalan", "rt", "sekolah", "pasar", "rsud", "puskesmas", "perusahaan", "kantor_capil")
_NO_TITLE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP, Channel.SOCIAL})


@lru_cache(maxsize=1)
def phrasebook() -> dict:
    return json.loads(resources.files("lapor.demo").joinpath("phrases.json").read_text("utf-8"))


@dataclass(frozen=True)
class Subject:
    """What a report is about, with its templates per kind of report."""

    key: str
    weight: int
    categories: tuple[str, ...]
    match: tuple[str, ...]
    formal: str
    # Per kind of report: (title, body, the answer that fits it or "").
    templates: dict[str, tuple[tuple[str, str, str], ...]]
    answers: tuple[str, ...]

    @classmethod
    def from_data(cls, data: dict) -> Subject:
        answers = tuple(data.get("answers", []))

        def template(item: list) -> tuple[str, str, str]:
            answer = item[2] if len(item) > 2 else ""
            return item[0], item[1], answers[answer] if isinstance(answer, int) else answer

        templates = {kind: tuple(template(t) for t in data.get(kind.value, [])) for kind in Kind}
        return cls(
            key=data["key"],
            weight=data.get("weight", 1),
            categories=tuple(data.get("categories", [])),
            match=tuple(data.get("match", [])),
            formal=data["formal"],
            templates=templates,
            answers=answers,
        )

    def kinds(self) -> list[str]:
        return [kind for kind, items in self.templates.items() if items]


@lru_cache(maxsize=1)
def subjects() -> tuple[Subject, ...]:
    return tuple(Subject.from_data(s) for s in phrasebook()["subjects"])


@lru_cache(maxsize=1)
def generic_subject() -> Subject:
    return Subject.from_data(phrasebook()["generic"])


@dataclass(frozen=True)
class Written:
    title: str
    text: str
    details: dict  # the slots later messages repeat
    answer: str  # the follow-up template that fits it, if any


@dataclass(frozen=True)
class Place:
    """Names around a report's location, for the templates."""

    village: str = ""
    village_kind: str = ""
    district: str = ""
    district_kind: str = ""
    regency: str = ""
    province: str = ""
    province_code: str = ""

    @property
    def regency_bare(self) -> str:
        name = self.regency or self.province
        for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota "):
            if name.startswith(prefix):
                return name[len(prefix):]
        return name


def rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def indonesian_date(day: date) -> str:
    return f"{day.day} {phrasebook()['months'][day.month - 1]} {day.year}"


class _Slots(dict):
    """Template slots, computed on first use and then kept, so one text stays consistent."""

    def __init__(self, maker: TextMaker, place: Place, when: date, extra: dict):
        super().__init__(extra)
        self.maker, self.place, self.when = maker, place, when

    def __missing__(self, key: str) -> str:
        value = self._compute(key)
        self[key] = value
        return value

    def _compute(self, key: str) -> str:  # noqa: C901 - one branch per slot reads best
        rng, place, when = self.maker.rng, self.place, self.when
        village = place.village or place.district or place.regency_bare
        district = place.district or place.regency_bare
        if key == "desa_nama":
            return village
        if key == "desa":
            kind = {"kelurahan": "Kelurahan", "desa": "Desa", "desa_adat": "Desa Adat"}.get(place.village_kind)
            return f"{kind} {village}" if kind and place.village else village
        if key == "kec":
            return district
        if key == "kecamatan":
            label = "Distrik" if place.district_kind == "distrik" else "Kecamatan"
            return f"{label} {district}" if place.district else district
        if key == "kabkota":
            return place.regency or place.province
        if key == "kota":
            return place.regency_bare
        if key == "provinsi":
            return place.province
        if key == "jalan":
            return rng.choice(phrasebook()["streets"]).format_map(self)
        if key == "rt":
            return f"RT {rng.randint(1, 12):02d}/RW {rng.randint(1, 9):02d}"
        if key == "tanggal":
            return indonesian_date(when - timedelta(days=rng.randint(1, 20)))
        if key == "bulan_lalu":
            return phrasebook()["months"][(when - timedelta(days=rng.randint(30, 75))).month - 1]
        if key == "tahun":
            return str(when.year)
        if key == "tahun_depan":
            return str(when.year + 1)
        if key == "n_hari":
            return str(rng.randint(3, 14))
        if key == "n_minggu":
            return str(rng.randint(2, 6))
        if key == "n_bulan":
            return str(rng.randint(2, 8))
        if key == "rupiah_kecil":
            return rupiah(rng.randint(2, 40) * 5_000)
        if key == "rupiah":
            return rupiah(rng.randint(4, 60) * 50_000)
        if key == "jam":
            return f"{rng.randint(6, 21):02d}.{rng.choice(('00', '15', '30', '45'))}"
        if key == "nomor":
            return f"REG-{when.year}-{rng.randint(1000, 99999):05d}"
        if key == "sekolah":
            pattern = rng.choice(("SDN {n} {desa_nama}", "SD Negeri {n} {kec}", "SMPN {n} {kota}", "SMAN {n} {kota}", "SMKN {n} {kota}"))
            return pattern.replace("{n}", str(rng.randint(1, 12))).format_map(self)
        if key == "pasar":
            return rng.choice(("Pasar {desa_nama}", "Pasar {kec}", "Pasar Induk {kota}")).format_map(self)
        if key == "rsud":
            return f"RSUD {place.regency_bare}"
        if key == "puskesmas":
            return f"Puskesmas {district}"
        if key == "kantor_capil":
            return rng.choice(("kantor Disdukcapil {kota}", "Mal Pelayanan Publik {kota}", "kantor Kecamatan {kec}")).format_map(self)
        if key == "perusahaan":
            return rng.choice(phrasebook()["companies"])
        if key in ("unit", "agency"):
            return self.get("agency") or "Instansi kami"
        if key == "kategori":
            return "layanan publik"
        return ""


def _sentences_upto(text: str, limit: int) -> str:
    out = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if out and len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out[:limit]


class TextMaker:
    """Fills templates with a given random generator (seeded by the caller)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        book = phrasebook()
        self._messages = book["messages"]
        self._sms_words = [(re.compile(rf"\b{re.escape(k)}\b", re.IGNORECASE), v) for k, v in book["sms_words"].items()]

    def fill(self, template: str, *, place: Place, when: date, **extra) -> str:
        return self._fill_with(template, _Slots(self, place, when, extra))

    # --- the citizen's report ------------------------------------------------------------------

    def report(
        self, *, subject: Subject, kind: str, place: Place, when: date, channel: str,
        category_name: str = "", signature: str = "",
    ) -> Written:
        """The report as the citizen wrote it; SMS-like channels carry no title."""
        options = subject.templates.get(kind) or subject.templates[Kind.COMPLAINT]
        title_t, body_t, answer = self.rng.choice(options)
        slots = _Slots(self, place, when, {"kategori": category_name or "layanan publik"})
        title = self._fill_with(title_t, slots)
        body = self._fill_with(body_t, slots)
        details = {key: slots[key] for key in _KEPT_DETAILS if key in slots}
        details["kategori"] = slots["kategori"]
        if channel in (Channel.SMS, Channel.WHATSAPP):
            return Written("", self._texting(body), details, answer)
        if channel == Channel.SOCIAL:
            return Written("", "@lapor1708 " + _sentences_upto(body, 260), details, answer)
        book = phrasebook()
        openers = book["openers"] + book["regional_openers"].get(place.province_code, []) * 3
        closers = book["closers"] + book["regional_closers"].get(place.province_code, []) * 3
        parts = [self.rng.choice(openers), body, self.rng.choice(closers)]
        if signature and (channel == Channel.LETTER or self.rng.random() < 0.15):
            parts.append(f"Hormat saya, {signature}")
        return Written(title[:200], " ".join(p for p in parts if p), details, answer)

    def _fill_with(self, template: str, slots: _Slots) -> str:
        chosen = _ALTERNATIVE.sub(lambda m: self.rng.choice(m.group(1).split("|")), template)
        return re.sub(r"\s{2,}", " ", chosen.format_map(slots)).strip()

    def _texting(self, body: str) -> str:
        text = body
        if self.rng.random() < 0.7:
            for pattern, short in self._sms_words:
                text = pattern.sub(short, text)
        if self.rng.random() < 0.5:
            text = text.lower()
        return text

    def formal_title(self, subject: Subject, *, place: Place, category_name: str) -> str:
        """The title a verifier writes: the matter and where."""
        what = subject.formal.replace("{kategori}", category_name or "layanan publik")
        where = place.village or place.district or place.regency_bare
        suffix = f"{where}, {place.regency}" if place.regency and where != place.regency_bare else (place.regency or place.province)
        return f"{what} di {suffix}"[:200] if suffix else what[:200]

    # --- officers' and reporters' messages -----------------------------------------------------

    def answer(
        self, subject: Subject, *, kind: str, fitting: str, place: Place, when: date, unit: str,
        details: dict, again: bool = False,
    ) -> str:
        """A follow-up: the answer that fits the complaint, else one for its subject or kind."""
        generic = phrasebook()["generic"]
        if kind == Kind.ASPIRATION:
            options = generic["answers_aspiration"]
        elif kind == Kind.INFORMATION:
            options = generic["answers_information"]
        else:
            options = subject.answers or generic["answers"]
        template = fitting if fitting and not again and self.rng.random() < 0.85 else self.rng.choice(options)
        text = self.fill(template, place=place, when=when, **details, unit=unit, agency=unit)
        if again:
            text = f"{self.fill(self.rng.choice(self._messages['again']), place=place, when=when)} {text}"
        return text

    def message(self, key: str, *, place: Place, when: date, details: dict | None = None, agency: str = "") -> str:
        return self.fill(self.rng.choice(self._messages[key]), place=place, when=when, **(details or {}), agency=agency)

    def rating_comment(self, rating: int) -> str:
        return self.rng.choice(self._messages["rate"][str(rating)])

    def person(self, province_code: str = "") -> tuple[str, str]:
        names = phrasebook()["names"]
        if province_code == "51" and self.rng.random() < 0.8:
            return self.rng.choice(names["bali_prefix"]), self.rng.choice(names["bali_given"])
        return self.rng.choice(names["given"]), self.rng.choice(names["family"])


def match_score(subject: Subject, names: list[str]) -> int:
    """How well a subject's keywords fit a category, given its names from the leaf up."""
    best = 0
    for depth, name in enumerate(names):
        lowered = name.lower()
        for keyword in subject.match:
            if keyword in lowered:
                best = max(best, len(keyword) * 10 - depth * 5)
    return best
