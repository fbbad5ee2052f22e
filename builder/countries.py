"""Countries: ISO codes of every country the body names, and the ones it is mainly about.

1. Fold the title and each paragraph, and find country words (names, aliases, demonyms, capitals
   from `countries.yaml`) with their leading clitics; the longest phrase wins, so phrases listed
   under `not_countries` (المغرب العربي, صلاة المغرب) hide the country word inside them.
2. Keep a name, a government seat (البيت الأبيض) or a demonym always, but not a demonym that is
   a language (اللغة الإسبانية) or a family name (محمد المصري); a weak name (مالي) only in a
   country context, and a capital only where it stands for its government.
3. Places that exist only in one country (its capital, `places`, `implicit` markers) are evidence
   of where the story happens: they count towards its primary country, and infer a country never
   named when at least two different ones occur.
4. Primary: a country the title or lede names as an actor and the text names again; one the
   lead names only as a place (في سوريا, في الكيبك) must also be among the most named; else the
   top one. A demonym inside a media name (الصحيفة البريطانية) names the source, not the
   subject: it is a mention, never evidence for primary. An article that names no country at all
   is about its outlet's country (a local item from a Tunisian radio).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Any

import yaml

from .errors import BuilderError, Problem
from .knowledge import DATA_DIR, Knowledge
from .model import Part
from .normalize import fold, per_word, strip_clitics
from .outlets import extract_outlet

TABLE = "countries"
FIELDS = ("cldr", "name", "aliases", "demonym", "demonyms", "capitals", "weak", "match", "note")
_CODE = re.compile(r"^[A-Z]{2}$")
_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?؟;؛:\"«»“”]")  # no word character: a sentence end never cuts a word
# Regular nisba endings added to a folded masculine demonym: مغربي → مغربيه، مغربيون، مغربيتين …
_NISBA = ("", "ه", "ون", "ين", "ات", "ان", "تان", "تين")


def demonym_forms(base: str) -> list[str]:
    """Every regular form of a masculine demonym from the table (`demonym: مغربي`), folded."""
    stem = fold(base).strip()
    return [stem + ending for ending in _NISBA]
# Which reading of an ambiguous word is tried first: a capital only when no country reading holds.
_READING_ORDER = ("block", "name", "seat", "demonym", "weak", "capital")
# How far back (in words) a media noun makes a demonym part of a media name: "صحيفة The Guardian
# البريطانية" puts the paper's own name between them.
MEDIA_REACH = 3

# Primary: named in the title or lede (first paragraph) and named again. A country the lead names
# only as a place (في سوريا, بالمغرب) also needs a quarter of the top country's mentions, so the
# scene of a story about someone else stays secondary. Tuned on the dev corpus and the seeds.
LEAD_COUNT, PLACE_SHARE = 2, 0.25
# Fallback when the lead names nobody twice: the country with the best weighted count.
TITLE_WEIGHT, LEDE_WEIGHT, BODY_WEIGHT = 4.0, 1.5, 1.0


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]  # folded; the first word is matched through leading clitics
    code: str  # "" for a phrase that is not a country
    kind: str  # name, demonym, capital, weak, block


@dataclass(frozen=True)
class _Hit:
    code: str
    kind: str
    segment: int  # 0 = title, 1… = paragraphs
    start: int  # index of the first token
    end: int  # index after the last token
    prefix: str  # clitics written before the first word


@dataclass(frozen=True)
class _Mention:
    code: str
    segment: int
    place: bool  # named as a place (في سوريا), or only through a place or entity of its own
    named: bool  # the text names the country itself (a mention), not only one of its places
    media: bool = False  # part of a media name: a mention, no evidence for primary


@dataclass(frozen=True)
class _Lexicon:
    first: dict[str, tuple[_Term, ...]]  # first word → terms, longest first
    language_cues: frozenset[str]
    weak_cues: frozenset[str]
    place_words: frozenset[str]
    government_words: frozenset[str]
    verbs: frozenset[str]
    markers: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # code → folded marker phrases
    min_markers: int
    names: dict[str, str]
    marker_starts: dict[str, list[tuple[str, tuple[str, ...]]]]  # first word → [(code, phrase)]
    media_words: frozenset[str]
    given_names: frozenset[str]
    # word → its (term, form) and (code, marker phrase) candidates, pure functions of the tables
    # above, filled as words are met: most words of an article start nothing
    word_terms: dict = field(default_factory=dict, compare=False, repr=False)
    word_markers: dict = field(default_factory=dict, compare=False, repr=False)


def _problem(kb: Knowledge | None, message: str) -> BuilderError:
    source = kb.source(TABLE) if kb else f"{DATA_DIR.name}/{TABLE}.yaml"
    return BuilderError(Problem(source, None, message))


def _strings(value: Any, where: str, kb: Knowledge | None) -> list[str]:
    """A field that may be one string or a list of strings."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise _problem(kb, f"{where} is {value!r}; expected a name or a list of names")
    return items


def _entries(table: Any, kb: Knowledge | None) -> dict[str, dict[str, Any]]:
    """The validated `countries:` block."""
    entries = table.get("countries") if isinstance(table, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise _problem(kb, "has no 'countries:' mapping of ISO codes")
    for code, entry in entries.items():
        if not isinstance(code, str) or not _CODE.match(code):
            raise _problem(kb, f"country code {code!r} is not an ISO 3166-1 alpha-2 code (two capital letters; quote 'NO')")
        if not isinstance(entry, dict) or not isinstance(entry.get("cldr", entry.get("name")), str):
            raise _problem(kb, f"countries.{code} needs a 'cldr' or 'name' string")
        unknown = set(entry) - set(FIELDS)
        if unknown:
            raise _problem(kb, f"countries.{code} has unknown field(s) {sorted(unknown)}; allowed: {', '.join(FIELDS)}")
    return entries


def _display(entry: dict[str, Any]) -> str:
    """The name readers see: the curator's `name`, else CLDR's without its parenthesis."""
    return entry.get("name") or re.sub(r"\s*\(.*?\)", "", entry["cldr"]).strip()


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(text)))


def _by_code(value: Any, where: str, entries: dict[str, Any], kb: Knowledge | None) -> dict[str, list[str]]:
    """A `CODE: [phrases]` block whose codes are in the table."""
    if not isinstance(value, dict):
        raise _problem(kb, f"{where} is {value!r}; expected a mapping of ISO codes to lists of names")
    for code in value:
        if code not in entries:
            raise _problem(kb, f"{where}: {code!r} is not a code of the countries table")
    return {code: _strings(phrases, f"{where}.{code}", kb) for code, phrases in sorted(value.items())}


def _compile(table: Any, kb: Knowledge | None, given_names: frozenset[str] = frozenset()) -> _Lexicon:
    entries = _entries(table, kb)
    terms: list[_Term] = []

    def add(text: str, code: str, kind: str) -> None:
        words = _phrase(text)
        if words:
            terms.append(_Term(words, code, kind))

    for code, entry in entries.items():
        if entry.get("match", True) is False:
            continue
        where = f"countries.{code}"
        weak = {_phrase(text) for text in _strings(entry.get("weak", []), f"{where}.weak", kb)}
        for name in {entry.get("cldr", ""), _display(entry)} - {""}:
            # CLDR's "الكونغو - كينشاسا" is no way news writes it; a weak name is never a plain one
            if " - " not in name and _phrase(name) not in weak:
                add(name, code, "name")
        for field, kind in (("aliases", "name"), ("demonyms", "demonym"), ("capitals", "capital"), ("weak", "weak")):
            for text in _strings(entry.get(field, []), f"{where}.{field}", kb):
                add(text, code, kind)
        for base in _strings(entry.get("demonym", []), f"{where}.demonym", kb):
            for form in demonym_forms(base):
                add(form, code, "demonym")
    for text in _strings(table.get("not_countries", []), "not_countries", kb):
        add(text, "", "block")
    for code, seats in _by_code(table.get("seats") or {}, "seats", entries, kb).items():
        for text in seats:
            add(text, code, "seat")

    first: dict[str, list[_Term]] = defaultdict(list)
    for term in terms:
        first[term.words[0]].append(term)
    metonym = table.get("metonym", {}) or {}
    implicit = table.get("implicit", {}) or {}

    def words(values: Any, where: str) -> frozenset[str]:
        return frozenset(fold(v) for v in _strings(values or [], where, kb))

    # Places and entities of one country: implicit markers, `places`, and capitals.
    own: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for block, where in ((implicit.get("markers") or {}, "implicit.markers"), (table.get("places") or {}, "places")):
        for code, phrases in _by_code(block, where, entries, kb).items():
            own[code] |= {_phrase(m) for m in phrases} - {()}
    for code, entry in entries.items():
        if entry.get("match", True) is not False:
            own[code] |= {_phrase(m) for m in _strings(entry.get("capitals", []), f"countries.{code}.capitals", kb)}
    markers = tuple((code, tuple(sorted(phrases))) for code, phrases in sorted(own.items()) if phrases)
    return _Lexicon(
        first={w: tuple(sorted(ts, key=lambda t: -len(t.words))) for w, ts in first.items()},
        language_cues=words(table.get("language_cues"), "language_cues"),
        weak_cues=words(table.get("weak_cues"), "weak_cues"),
        place_words=words(metonym.get("place_words"), "metonym.place_words"),
        government_words=words(metonym.get("government_words"), "metonym.government_words"),
        verbs=words(metonym.get("verbs"), "metonym.verbs"),
        markers=markers,
        marker_starts=_marker_starts(markers),
        min_markers=int(implicit.get("min_markers", 2)),
        names={code: _display(entry) for code, entry in entries.items()},
        media_words=words(table.get("media_words"), "media_words"),
        given_names=given_names,
    )


@functools.lru_cache(maxsize=4)
def _lexicon(kb: Knowledge) -> _Lexicon:
    # Given names come from the officials' roles table: "محمد المصري" is a person, not a country.
    given = frozenset(fold(name) for name in (kb.table("roles") or {}).get("given_names", []) or [])
    return _compile(kb.table(TABLE), kb, given - _NOT_GIVEN)


@functools.lru_cache(maxsize=1)
def _default_names() -> dict[str, str]:
    """Display names from the builder's own table (not compiled into a lexicon: only names are read)."""
    path = DATA_DIR / f"{TABLE}.yaml"
    # libyaml when present, as knowledge.py reads the tables (~7× faster: this runs in every build)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    table = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader) or {}
    return {code: _display(entry) for code, entry in _entries(table, None).items()}


def country_names(kb: Knowledge) -> dict[str, str]:
    """Arabic display name of every code in the table."""
    return dict(_lexicon(kb).names)


def country_name(code: str) -> str:
    """Arabic name of a country for readers (the table's display name, e.g. المغرب)."""
    return _default_names().get(code, code)


def known_country_codes(kb: Knowledge) -> set[str]:
    """Every ISO 3166-1 alpha-2 code the digest knows."""
    return set(_lexicon(kb).names)


# --- matching ---------------------------------------------------------------------------------


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    """Folded words, and for each whether a sentence boundary comes right before it."""
    words: list[str] = []
    starts: list[bool] = []
    for sentence in _SENTENCE_END.split(fold(text)):
        found = _TOKEN.findall(sentence)
        if found:
            words += found
            starts += [True] + [False] * (len(found) - 1)
    return words, starts


def _find(words: list[str], segment: int, lex: _Lexicon) -> list[_Hit]:
    """Longest country (or not-a-country) phrase at each position, left to right."""
    hits: list[_Hit] = []
    readings = per_word(words, lex.word_terms, lambda word: _word_terms(word, lex))
    free = 0  # the first word not inside a phrase already found
    for i in compress(range(len(words)), readings):  # only words that may open a term
        if i < free:
            continue
        best: list[tuple[_Term, str]] = []
        for term, form in readings[i]:
            n = len(term.words)
            if tuple(words[i + 1:i + n]) != term.words[1:] or (best and n < len(best[0][0].words)):
                continue
            if best and n > len(best[0][0].words):
                best = []
            best.append((term, words[i][: len(words[i]) - len(form)]))
        if not best:
            continue
        # A word with several readings (عمان: Oman, or Amman for Jordan) yields one hit per reading.
        best.sort(key=lambda reading: _READING_ORDER.index(reading[0].kind))
        hits += [_Hit(term.code, term.kind, segment, i, i + len(term.words), prefix) for term, prefix in best]
        free = i + len(best[0][0].words)
    return hits


def _word_terms(word: str, lex: _Lexicon) -> tuple[tuple[_Term, str], ...]:
    """(term, clitic-free form) of every country term whose first word this word can stand for."""
    return tuple((term, form) for form in strip_clitics(word) for term in lex.first.get(form, ()))


def _word_markers(word: str, lex: _Lexicon) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(code, phrase) of every place marker whose first word this word can stand for."""
    return tuple(item for form in set(strip_clitics(word)) for item in lex.marker_starts.get(form, ()))


def _bare(word: str) -> set[str]:
    return set(strip_clitics(word))


# Given names that fold to a preposition (على → علي): "على المغربي أن يدفع" names no person.
_NOT_GIVEN = frozenset({"علي"})


def _family_name(hit: _Hit, words: list[str], lex: _Lexicon) -> bool:
    """"محمد المصري", "محمد شياع السوداني": a definite masculine demonym right after a person's
    given name (maybe with one more name between) is that person's family name."""
    word = words[hit.start]
    if hit.end - hit.start != 1 or hit.prefix != "ال" or not word.endswith("ي") or hit.start == 0:
        return False
    before = words[hit.start - 1]
    if before in lex.given_names:
        return True
    two_back = words[hit.start - 2] if hit.start >= 2 else ""
    # "محمد شياع السوداني", "عبد الرحمن المصري"; not "عمر البشير السوداني" (a definite name + adjective)
    return two_back in lex.given_names and (not before.startswith("ال") or two_back == "عبد")


def _in_media_name(hit: _Hit, words: list[str], starts: list[bool], lex: _Lexicon) -> bool:
    """A demonym that ends a media name: "الصحيفة البريطانية", "وكالة الأنباء الفرنسية"."""
    for k in range(hit.start - 1, max(-1, hit.start - 1 - MEDIA_REACH), -1):
        if _bare(words[k]) & lex.media_words:
            return True
        if starts[k]:
            break
    return False


def _keep(hit: _Hit, index: int, hits: list[_Hit], words: list[str], starts: list[bool], lex: _Lexicon) -> bool:
    """Whether a hit names a country here (rule 2 of the module docstring)."""
    before = words[hit.start - 1] if hit.start else ""
    if hit.kind in ("name", "seat"):
        return True
    if hit.kind == "demonym":
        if before and _bare(before) & lex.language_cues or _family_name(hit, words, lex):
            return False
        feminine = words[hit.start].endswith("ه") and hit.end - hit.start == 1
        return not (feminine and hit.prefix.endswith("بال"))
    neighbours = [h for h in hits if h.code and (h.end == hit.start or h.start == hit.end)]
    if hit.kind == "weak":
        if before and _bare(before) & lex.weak_cues or hit.prefix.endswith(("ب", "ل")):
            return True
        return any(h.kind in ("name", "demonym") for h in neighbours)
    # capital: paired with a capital or country, after a government word, or subject of a verb
    pair = [h for h in neighbours if h.kind in ("name", "capital", "weak")]
    if pair:
        first = min([hit, *pair], key=lambda h: h.start)
        lead = words[first.start - 1] if first.start else ""
        return "ب" not in first.prefix and not (lead and _bare(lead) & lex.place_words)
    if before and _bare(before) & (lex.government_words | lex.verbs) and not hit.prefix:
        return True
    after = words[hit.end] if hit.end < len(words) else ""
    return starts[hit.start] and bool(after and _bare(after) & lex.verbs)


def _places(segments: list[list[str]], taken: list[set[int]], named: set[str], lex: _Lexicon) -> list[_Mention]:
    """Where the story happens, from places and entities of one country (rule 3): every one of
    a named country, and those of an unnamed country when at least `min_markers` differ."""
    seen: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    found: list[_Mention] = []
    for segment, words in enumerate(segments):
        markers = per_word(words, lex.word_markers, lambda word: _word_markers(word, lex))
        for i in compress(range(len(words)), markers):
            if i in taken[segment]:
                continue  # already a mention (a capital standing for its government)
            for code, phrase in markers[i]:
                if tuple(words[i + 1:i + len(phrase)]) == phrase[1:]:
                    seen[code].add(phrase)
                    found.append(_Mention(code, segment, True, False))
    return [m for m in found if m.code in named or len(seen[m.code]) >= lex.min_markers]


def _marker_starts(markers: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """First word of each marker phrase → [(code, phrase)]: one look-up per word, not per phrase."""
    starts: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for code, phrases in markers:
        for phrase in phrases:
            starts[phrase[0]].append((code, phrase))
    return dict(starts)


def _locative(hit: _Hit, hits: list[_Hit], words: list[str], lex: _Lexicon) -> bool:
    """Whether a country is named as a place (في سوريا والعراق, بالمغرب) rather than as an actor."""
    head = hit
    for other in reversed([h for h in hits if h.end <= hit.start]):  # walk back through "X وY" lists
        if other.code and other.end == head.start and head.prefix.startswith("و"):
            head = other
        else:
            break
    before = words[head.start - 1] if head.start else ""
    return head.prefix.lstrip("وف").startswith("ب") or bool(before and _bare(before) & lex.place_words)


def _mentions(part: Part, lex: _Lexicon) -> list[_Mention]:
    """Every kept country word, and every place of one country; segment 0 is the title."""
    found: list[_Mention] = []
    segments: list[list[str]] = []
    taken: list[set[int]] = []  # word positions of kept hits, per segment
    for segment, text in enumerate([part.title or ""] + [line.text for line in part.paragraphs]):
        words, starts = _tokens(text)
        segments.append(words)
        taken.append(set())
        hits = _find(words, segment, lex)
        last = -1  # start of the last kept hit: one reading per word
        for index, hit in enumerate(hits):
            if hit.code and hit.start != last and _keep(hit, index, hits, words, starts, lex):
                last = hit.start
                taken[-1].update(range(hit.start, hit.end))
                media = hit.kind == "demonym" and _in_media_name(hit, words, starts, lex)
                found.append(_Mention(hit.code, segment, _locative(hit, hits, words, lex), True, media))
    return found + _places(segments, taken, {m.code for m in found}, lex)


def _primary(mentions: list[_Mention]) -> set[str]:
    """The countries an article is mainly about (rule 4 of the module docstring)."""
    count: dict[str, int] = defaultdict(int)
    score: dict[str, float] = defaultdict(float)
    actor: set[str] = set()  # named in the title or lede as an actor
    place: set[str] = set()  # named in the title or lede only as a place
    mentions = [m for m in mentions if not m.media]
    if not mentions:
        return set()
    for m in mentions:
        count[m.code] += 1
        score[m.code] += TITLE_WEIGHT if m.segment == 0 else LEDE_WEIGHT if m.segment == 1 else BODY_WEIGHT
        if m.segment <= 1:
            (place if m.place else actor).add(m.code)
    most = max(count.values())
    primary = {c for c in actor if count[c] >= LEAD_COUNT}
    primary |= {c for c in place - actor if count[c] >= LEAD_COUNT and count[c] >= PLACE_SHARE * most}
    if not primary:  # nothing stands out in the lead: the most named country, first named on a tie
        best = max(score.values())
        primary = {next(m.code for m in mentions if score[m.code] == best)}
    return primary


@functools.lru_cache(maxsize=4)
def _outlet_countries(kb: Knowledge) -> dict[str, str]:
    """Outlet (Arabic name) → its home country, from the outlets table."""
    outlets = (kb.table("outlets") or {}).get("outlets") or []
    return {o["name_ar"]: o["country"] for o in outlets if isinstance(o, dict) and o.get("name_ar") and o.get("country")}


def extract_countries(part: Part, kb: Knowledge) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(mentioned, primary): sorted ISO codes named in the title and body, and the main ones.

    Mentioned includes countries inferred from their places (countries_implicit)."""
    mentions = _mentions(part, _lexicon(kb))
    if not mentions:
        home = _outlet_countries(kb).get(extract_outlet(part, kb), "")
        return ((home,), (home,)) if home else ((), ())
    return tuple(sorted({m.code for m in mentions})), tuple(sorted(_primary(mentions)))
