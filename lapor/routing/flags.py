"""Red flags: reports suggesting extortion, bribery, corruption, violence or danger to life.

Two readings are combined for each kind of flag:
- the lexicon (`data/flag_lexicon.json`, plus the admin's `FlagTerm` rows): whole-word phrases
  with weights. A phrase denied or only named ("tidak ada pungli", "bebas pungli", "stop
  pungli", "tim saber pungli") does not count, nor does a harmless phrase that contains a term
  ("pemadam kebakaran"). Several phrases of one kind add up as independent evidence:
  lexicon = 1 − Π(1 − weight).
- the classifier (`flag_model`): word and character n-grams, a logistic regression per kind,
  trained on `data/flag_corpus.csv`; it reads denied phrases as such (they reach it marked).

Combined score (noisy-or): 1 − (1 − lexicon)(1 − model). A term of weight 1 ("pungli", "suap",
"korupsi") raises its flag alone; a weaker one ("banjir", "minta uang") needs the classifier to
agree; the classifier alone needs a probability of at least the threshold. When the only
mentions of a kind were denied, the model's probability counts half. A flag is raised at
`LAPOR["RED_FLAG_THRESHOLD"]` (0.6 by default).

A raised flag makes the report a priority; extortion, bribery and corruption also put it in
the inspectorate's queue (`route` in the lexicon file).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from importlib import resources

from django.conf import settings
from django.utils import timezone

from . import spelling
from .duplicates import SMS_WORDS

logger = logging.getLogger(__name__)

# How far back (in words) a negation reaches: "tidak ada [lagi] pungli".
NEGATION_REACH = 3
# The model's probability counts this much when every mention of the kind was denied.
DENIED_DISCOUNT = 0.5
# The admin's terms are read again after this many seconds (other processes see edits too).
LEXICON_TTL = 60.0
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Lexicon:
    kinds: dict[str, dict]
    # First word → [(kind, words, weight, phrase)], for a look-up per word of the text.
    terms: dict[str, list[tuple[str, tuple[str, ...], float, str]]]
    negations: tuple[tuple[str, ...], ...]
    benign: tuple[tuple[str, ...], ...]


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(SMS_WORDS.get(w, w) for w in _WORD.findall(spelling.fold(phrase)))


def _lexicon_data() -> dict:
    return json.loads(resources.files("lapor.routing").joinpath("data", "flag_lexicon.json").read_text("utf-8"))


def build_lexicon(data: dict, overrides=()) -> Lexicon:
    """The lexicon of `data` (the file's layout) with `overrides`: (kind, phrase, weight, active)."""
    weights = {(kind, _words(p)): (w, p) for kind, terms in data["terms"].items() for p, w in terms.items()}
    for kind, phrase, weight, active in overrides:
        key = (kind, _words(phrase))
        if active:
            weights[key] = (weight, phrase)
        else:
            weights.pop(key, None)
    terms: dict[str, list] = {}
    for (kind, words), (weight, phrase) in weights.items():
        if words and weight > 0:
            terms.setdefault(words[0], []).append((kind, words, float(weight), phrase))
    return Lexicon(
        kinds=data["kinds"],
        terms=terms,
        negations=tuple(_words(n) for n in data.get("negations", []) if n.strip()),
        benign=tuple(_words(b) for b in data.get("benign", []) if b.strip()),
    )


_cache_lock = threading.Lock()
_cache: tuple[float, Lexicon] | None = None


def lexicon() -> Lexicon:
    """The file's lexicon with the admin's terms, kept for a minute."""
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > LEXICON_TTL:
        from lapor.complaints.models import FlagTerm

        rows = FlagTerm.objects.values_list("kind", "phrase", "weight", "is_active")
        built = build_lexicon(_lexicon_data(), list(rows))
        with _cache_lock:
            _cache = (now, built)
    return _cache[1]


def forget_lexicon() -> None:
    """Read the admin's terms again on next use (after an admin edits them)."""
    global _cache
    with _cache_lock:
        _cache = None


# --- reading a text with the lexicon ------------------------------------------------------------


@dataclass
class KindReading:
    score: float = 0.0  # 1 − Π(1 − weight) over the phrases found and not denied
    terms: list[dict] = field(default_factory=list)
    denied: list[str] = field(default_factory=list)


@dataclass
class Reading:
    kinds: dict[str, KindReading]
    # The text's words for the classifier, denied terms marked ("tidak ada neg_pungli").
    marked: str


def _tokens(text: str) -> list[tuple[str, int, int]]:
    folded = spelling.fold(text or "")
    if len(folded) != len(text or ""):
        folded = "".join(spelling.fold(ch)[:1] or " " for ch in text)
    return [(SMS_WORDS.get(m.group(), m.group()), m.start(), m.end()) for m in _WORD.finditer(folded)]


def _at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i:i + len(phrase)]) == phrase


def _denied(words: list[str], i: int, negations) -> bool:
    window = words[max(0, i - NEGATION_REACH - 2):i]
    for cue in negations:
        for j in range(len(window) - len(cue) + 1):
            # the cue must end within reach of the term
            if tuple(window[j:j + len(cue)]) == cue and len(window) - (j + len(cue)) < NEGATION_REACH:
                return True
    return False


def read(text: str, lex: Lexicon | None = None) -> Reading:
    lex = lex or lexicon()
    tokens = _tokens(text)
    words = [w for w, _s, _e in tokens]
    masked = [False] * len(words)
    for i in range(len(words)):
        for phrase in lex.benign:
            if _at(words, i, phrase):
                for k in range(i, i + len(phrase)):
                    masked[k] = True
    kinds = {kind: KindReading() for kind in lex.kinds}
    marked = list(words)
    for i, word in enumerate(words):
        for kind, phrase, weight, written in lex.terms.get(word, ()):
            if not _at(words, i, phrase) or any(masked[i:i + len(phrase)]):
                continue
            reading = kinds.setdefault(kind, KindReading())
            if _denied(words, i, lex.negations):
                reading.denied.append(written)
                for k in range(i, i + len(phrase)):
                    marked[k] = f"neg_{words[k]}"
                continue
            reading.score = 1 - (1 - reading.score) * (1 - weight)
            reading.terms.append({"phrase": written, "start": tokens[i][1], "end": tokens[i + len(phrase) - 1][2]})
    return Reading(kinds, " ".join(marked))


# --- combining with the classifier ---------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    kind: str
    score: float
    lexicon_score: float
    model_score: float
    terms: tuple[dict, ...]
    route: str  # "inspectorate" or "priority"
    label: str


def threshold() -> float:
    return float(settings.LAPOR.get("RED_FLAG_THRESHOLD", 0.6))


def combine(lexicon_score: float, model_score: float, denied: bool) -> float:
    if lexicon_score == 0.0 and denied:
        model_score *= DENIED_DISCOUNT
    return 1 - (1 - lexicon_score) * (1 - model_score)


def assess(text: str, *, lex: Lexicon | None = None, at: float | None = None) -> list[Flag]:
    """The red flags `text` raises, strongest first (empty when none reaches the threshold)."""
    from . import flag_model

    lex = lex or lexicon()
    at = threshold() if at is None else at
    reading = read(text, lex)
    probabilities = flag_model.probabilities([reading.marked])[0]
    flags = []
    for kind, info in lex.kinds.items():
        kr = reading.kinds.get(kind, KindReading())
        model_score = probabilities.get(kind, 0.0)
        score = combine(kr.score, model_score, bool(kr.denied))
        if score >= at:
            label = info.get("label_en") if _english() and info.get("label_en") else info.get("label", kind)
            flags.append(Flag(kind, round(score, 3), round(kr.score, 3), round(model_score, 3), tuple(kr.terms),
                              info.get("route", "priority"), label))
    return sorted(flags, key=lambda f: -f.score)


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "id").startswith("en")


# --- the service ---------------------------------------------------------------------------------


def flag_report(report, *, now=None) -> list[Flag]:
    """Read a report for red flags and record them (`handling.report_red_flag`, as the system):
    stored flags, priority, and the inspectorate's copy for extortion, bribery and corruption.
    A report that raises nothing is left alone. Returns the flags raised."""
    from lapor.accounts.actors import Actor
    from lapor.complaints.handling import report_red_flag

    flags = assess(f"{report.title}. {report.text}")
    if flags:
        report_red_flag(actor=Actor.system(), report=report, flags=flags, now=now or timezone.now())
    return flags


def flag_report_safely(report) -> list:
    """`flag_report` for the filing path: a failure is logged, never passed on to the filer."""
    from django.db import transaction

    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the filing intact
            return flag_report(report)
    except Exception:
        logger.exception("red flags could not be computed for report %s", getattr(report, "pk", None))
        return []
