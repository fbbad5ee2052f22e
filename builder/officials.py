"""Officials: office-holders named in the body, with role and country.

Arabic news names an office-holder by a title next to a name. The stage works in four steps:

1. Find titles: a head from `roles.yaml` ("وزير", "رئيس الحكومة", "نظيره") and its complements
   (ministry, nationality, "في الرباط"), chained titles ("نائب رئيس مجلس الوزراء وزير الخارجية")
   and titles that govern another office-holder ("مبعوث الرئيس الأميركي دونالد ترامب").
2. Find the name: after the title ("وزير الداخلية عبد الوافي لفتيت"), else before it
   ("خالد شواني، وزير العدل العراقي"). A name is built from name units ("عبد الوافي", "نور الدين",
   "ولد عبد الله") and must end at a boundary (punctuation, a function word, a verb, a title).
3. Merge mentions of one person (spacing variants, later short forms) and tie them to the
   curator's `officials.yaml` entries.
4. Give each person a country: the nationality in the title, else the curator's entry, else the
   country the article talks about most (a minister named without a nationality is a local one).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter
from typing import Iterable, NamedTuple

from .countries import demonym_forms
from .errors import BuilderError, Problem
from .knowledge import Knowledge
from .model import Official, Part
from .normalize import DIACRITICS, fold

MAX_FORWARD_UNITS = 3  # "آلان بيتر كايتانو", "عبد الأمير كامل الشمري": longer runs are prose
MAX_BACKWARD_UNITS = 2  # before a title the left edge is unmarked: take the surname and one more
_NEEDS = {"", "complement", "country", "title", "body"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_TOKEN = re.compile(r"[\w\u064B-\u065F\u0670]+|[^\w\s\u064B-\u065F\u0670]")
_ARABIC = re.compile(r"[\u0621-\u064A]")
_COMMAS = {"،", ","}
_NOUN_ENDINGS = ("ا", "ه", "ها", "هم", "هما")  # accusative, possessive: "اجتماعا", "دعمه", "قوله"
_TANWIN = re.compile(r"[\u064B-\u064D]")


@dataclass(frozen=True)
class _Head:
    words: tuple[str, ...]
    needs: str
    of_person: bool
    state: bool
    counterpart: bool
    rank: bool  # a rank that may stand before the function it holds ("الوالي المفتش العام")


@dataclass(frozen=True)
class _Known:
    id: str
    name: str
    keys: tuple[tuple[str, ...], ...]  # name keys of the name and each variant
    role: str
    country: str


@dataclass(frozen=True)
class _Vocab:
    heads: dict[str, tuple[_Head, ...]]  # first word → heads, longest first
    non_state: frozenset[str]
    non_state_phrases: tuple[str, ...]
    role_words: frozenset[str]
    prepositions: frozenset[str]
    place_prepositions: frozenset[str]  # may open a complement when an administrative unit follows
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word → title phrases, in the table's order
    places: frozenset[str]
    towns: dict[str, str]  # folded town → ISO code of the one country it is in
    international: tuple[str, ...]
    former: frozenset[str]
    adjectives: frozenset[str]  # may follow a nationality inside a title ("السابق", "المؤقت")
    honorifics: tuple[tuple[tuple[str, ...], bool], ...]  # (words, kept in the name), longest first
    prefixes: frozenset[str]
    suffixes: frozenset[str]
    stops: frozenset[str]
    nouns: frozenset[str]  # common nouns that never stand in a name
    bodies: frozenset[str]  # state bodies that make a generic head ("رئيس", "قائد") an office
    place_nouns: frozenset[str]  # "جهة", "ولاية": a proper place name follows inside the title
    given: frozenset[str]
    verbs: frozenset[str]
    countries: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word → (words, ISO code)
    known: tuple[_Known, ...]
    # Filled as words are first seen: every token of every article asks whether a title, a country
    # or an honorific starts there. Folded word → candidates in the order the full search tries them.
    head_forms: dict[str, tuple[tuple[str, _Head], ...]] = field(default_factory=dict)  # (form, head)
    country_forms: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict)
    honorific_forms: dict[str, tuple[tuple[tuple[str, ...], bool], ...]] = field(default_factory=dict)
    town_forms: dict[str, str] = field(default_factory=dict)  # folded word → country of its town
    known_names: dict[tuple[str, ...], _Known | None] = field(default_factory=dict)  # name keys → entry


class _Tok(NamedTuple):  # one per distinct word, shared by its every occurrence (see `_token`)
    text: str
    f: str  # folded
    lite: str  # folded but keeping ى, so "على" is not the name "علي"
    punct: bool
    definite: bool  # written with the article ال (folding would also catch "آلان")


@dataclass
class _Title:
    start: int  # first token of the role text
    end: int  # one past the last token of the role text
    head: _Head
    country: str = ""
    complements: int = 0
    governs: bool = False
    blocked: bool = False
    name: tuple[int, int, int] | None = None  # (start, end, first name token) found inside
    inner: list["_Mention"] = field(default_factory=list)


@dataclass(frozen=True)
class _Mention:
    name: str
    keys: tuple[str, ...]
    units: int
    role: str
    country: str
    counterpart: bool


def _lite(text: str) -> str:
    return fold(text.replace("ى", "\ue000")).replace("\ue000", "ى")


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in text.split())


# ---------------------------------------------------------------------------------------------
# Knowledge


def _as_list(value: object) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _country_terms(kb: Knowledge) -> tuple[dict[str, tuple[tuple[tuple[str, ...], str], ...]], frozenset[str],
                                            dict[str, str]]:
    """Country names and nationality adjectives from the countries table, its capitals, and towns.

    Adapter over `countries.yaml` (validated by the countries stage): first word → ((words, code), …)
    longest first, so "الولايات المتحدة" and "المغربي" both read as countries inside a title.
    Weak names (مالي "financial") are left out: inside a title they are ordinary words.
    """
    entries = kb.table("countries").get("countries", {})
    terms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    capitals: set[str] = set()

    def add(text: str, code: str) -> None:
        words = tuple(fold(text).split())
        if words and (words, code) not in terms.get(words[0], []):
            terms.setdefault(words[0], []).append((words, code))

    for code, entry in entries.items():
        if not isinstance(entry, dict) or entry.get("match", True) is False:
            continue
        weak = {fold(w) for w in _as_list(entry.get("weak"))}
        for name in {entry.get("cldr", ""), entry.get("name", ""), *_as_list(entry.get("aliases"))}:
            if name and "(" not in name and " - " not in name and fold(name) not in weak:
                add(name, code)
        for form in _as_list(entry.get("demonyms")):
            add(form, code)
            add("ال" + form, code)
        for base in _as_list(entry.get("demonym")):
            for form in demonym_forms(base):
                add(form, code)
                add("ال" + form, code)
        capitals.update(fold(c) for c in _as_list(entry.get("capitals")))
    # Towns that mark one country ("طنجة", "الحسيمة") are places too ("وكيل الملك بطنجة"), and
    # tell which country an article is set in when it names none.
    towns: dict[str, str] = {}
    for code, markers in sorted((kb.table("countries").get("implicit", {}).get("markers") or {}).items()):
        towns.update((fold(m), code) for m in _as_list(markers) if " " not in m.strip())
    index = {w: tuple(sorted(ts, key=lambda t: -len(t[0]))) for w, ts in terms.items()}
    return index, frozenset(capitals), towns


@functools.lru_cache(maxsize=4)
def _vocab(kb: Knowledge) -> _Vocab:
    roles = kb.table("roles")
    source = kb.source("roles")

    heads: dict[str, list[_Head]] = {}
    for index, entry in enumerate(roles.get("titles", [])):
        if not isinstance(entry, dict) or not entry.get("head"):
            raise BuilderError(Problem(source, None, f"titles[{index}]: {entry!r} has no 'head'"))
        needs = entry.get("needs", "") or ""
        if needs not in _NEEDS:
            raise BuilderError(Problem(source, None, f"titles[{index}] ({entry['head']}): needs is {needs!r}, "
                                                     f"expected one of {sorted(_NEEDS - {''})}"))
        head = _Head(_words(entry["head"]), needs, bool(entry.get("of_person")), bool(entry.get("state")),
                     bool(entry.get("counterpart")), bool(entry.get("rank")))
        heads.setdefault(head.words[0], []).append(head)
    for key in heads:
        heads[key].sort(key=lambda h: -len(h.words))

    def single(key: str) -> frozenset[str]:
        return frozenset(_lite(w) for w in roles.get(key, []) if " " not in w.strip())

    honorifics = roles.get("honorifics", {})
    countries, capitals, towns = _country_terms(kb)

    known = []
    table = kb.table("officials") if "officials" in kb.tables else {}
    seen: set[str] = set()
    for index, entry in enumerate(table.get("officials", [])):
        where = f"officials[{index}]"
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("name"):
            raise BuilderError(Problem(kb.source("officials"), None, f"{where}: needs 'id' and 'name', got {entry!r}"))
        if not _ID.match(str(entry["id"])) or entry["id"] in seen:
            raise BuilderError(Problem(kb.source("officials"), None,
                                       f"{where}: id {entry['id']!r} is not a new lowercase ASCII id (a-z 0-9 -)"))
        country = str(entry.get("country", ""))
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise BuilderError(Problem(kb.source("officials"), None,
                                       f"{where} ({entry['id']}): country {country!r} is not an ISO alpha-2 code"))
        seen.add(entry["id"])
        forms = [entry["name"], *(entry.get("variants") or [])]
        known.append(_Known(entry["id"], entry["name"], tuple(tuple(_name_keys(f)) for f in forms),
                            str(entry.get("role", "")), country))

    return _Vocab(
        heads={k: tuple(v) for k, v in heads.items()},
        non_state=single("non_state"),
        non_state_phrases=tuple(fold(w) for w in roles.get("non_state", []) if " " in w.strip()),
        role_words=single("role_words"),
        prepositions=single("title_prepositions"),
        place_prepositions=single("title_prepositions") | single("place_prepositions"),
        phrases=_by_first_word(_words(w) for w in roles.get("title_phrases", [])),
        places=capitals | frozenset(towns) | frozenset(fold(w) for w in roles.get("places", [])),
        towns=towns,
        international=tuple(fold(w) for w in roles.get("international", [])),
        former=single("former"),
        adjectives=single("former") | single("title_adjectives"),
        honorifics=tuple(sorted([(_words(w), False) for w in honorifics.get("drop", [])]
                                + [(_words(w), True) for w in honorifics.get("keep", [])],
                                key=lambda pair: -len(pair[0]))),
        prefixes=frozenset(fold(w) for w in roles.get("name_prefixes", []) if " " not in w),
        suffixes=frozenset(fold(w) for w in roles.get("name_suffixes", [])),
        stops=single("name_stops"),
        nouns=single("common_nouns"),
        bodies=frozenset(fold(w) for w in roles.get("state_bodies", [])),
        place_nouns=single("place_nouns"),
        given=frozenset(fold(w) for w in roles.get("given_names", [])),
        verbs=single("verbs"),
        countries=countries,
        known=tuple(known),
    )


def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by their first word, each word's in the given order: one look-up per token, not per phrase."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(listed) for first, listed in index.items()}


_KEY_PREFIXES = frozenset(fold(w) for w in ("عبد", "أبو", "ابو", "بن", "ابن", "ولد", "آل", "بنت", "أبي"))
_KEY_DROP = frozenset(fold(w) for w in ("الشيخ", "الشيخة"))


def _name_keys(name: str) -> list[str]:
    """Folded name tokens with spacing variants removed: "عبد الوافي" and "عبدالوافي" agree."""
    out: list[str] = []
    pending = ""
    for word in re.findall(r"[\w\u064B-\u065F\u0670]+", fold(name)):
        if word in _KEY_DROP and not out and not pending:
            continue
        if word in _KEY_PREFIXES:
            pending += word
            continue
        out.append(pending + word)
        pending = ""
    if pending:
        out.append(pending)
    return out


# ---------------------------------------------------------------------------------------------
# Tokens


def _tokens(text: str) -> list[_Tok]:
    # Offsets are left out: only a found name needs them (`_Text.spans`), and without them a
    # word's token is the same at every occurrence, made once.
    return list(map(_token, _TOKEN.findall(text)))


@functools.lru_cache(maxsize=131_072)  # news vocabulary repeats: every word of every article
def _token(word: str) -> _Tok:
    """A word's token: its folded and lite forms, whether it is punctuation, whether ال opens it."""
    punct = not (word[0].isalnum() or word[0] == "_")
    return _Tok(word, fold(word), _lite(word), punct, DIACRITICS.sub("", word).startswith("ال"))


@functools.lru_cache(maxsize=131_072)
def _unclitic(f: str) -> tuple[str, ...]:
    """A folded word and its forms without a leading conjunction and preposition (not ال)."""
    return tuple(_unclitic_list(f))


def _unclitic_list(f: str) -> list[str]:
    forms = [f]
    bases = [f]
    if len(f) > 3 and f[0] in "وف":
        bases.append(f[1:])
    for base in bases:
        if base not in forms:
            forms.append(base)
        if len(base) > 3 and base[0] in "بلك":
            rest = base[1:]
            forms.append("ال" + rest[1:] if base[0] == "ل" and rest.startswith("ل") else rest)
    return forms


def _prefixed_definite(f: str) -> bool:
    """"للشؤون", "بالجمهورية", "والتعاون": a definite noun with a clitic in front."""
    return len(f) > 4 and f.startswith(("لل", "بال", "وال", "فال", "كال", "وبال", "ولل"))


class _Text:
    """One paragraph's tokens and the vocabulary questions asked about them."""

    def __init__(self, text: str, v: _Vocab, seen: list[tuple[str, ...]]):
        self.text = text
        self.v = v
        self.seen = seen  # name keys of the people named so far in the article
        self.toks = _tokens(text)
        self.claimed: set[int] = set()
        self.in_titles: set[int] = set()  # tokens inside titles: their nationality marks a person

    # -- single-token questions -------------------------------------------------------------

    def head_at(self, i: int) -> tuple[_Head, int, str] | None:
        """The longest title head starting at token i: (head, tokens used, first-word form)."""
        toks = self.toks
        if i >= len(toks) or toks[i].punct:
            return None
        f = toks[i].f
        candidates = self.v.head_forms.get(f)
        if candidates is None:
            candidates = self.v.head_forms[f] = tuple((form, head) for form in _unclitic(f)
                                                      for head in self.v.heads.get(form, ()))
        for form, head in candidates:
            n = len(head.words)
            if i + n <= len(toks) and all(toks[i + k].f == head.words[k] for k in range(1, n)):
                return head, n, form
        return None

    def country_at(self, i: int) -> tuple[str, int]:
        """(ISO code, tokens used) of a country name or nationality at token i, or ("", 0)."""
        toks = self.toks
        if i >= len(toks) or toks[i].punct:
            return "", 0
        f = toks[i].f
        candidates = self.v.country_forms.get(f)
        if candidates is None:
            candidates = self.v.country_forms[f] = tuple(term for form in _unclitic(f)
                                                         for term in self.v.countries.get(form, ()))
        for words, code in candidates:
            n = len(words)
            if i + n <= len(toks) and all(toks[i + k].f == words[k] for k in range(1, n)):
                return code, n
        return "", 0

    def country(self, i: int) -> str:
        return self.country_at(i)[0]

    def is_verb(self, tok: _Tok) -> bool:
        forms = {tok.lite}
        if len(tok.lite) > 3 and tok.lite[0] in "وف":
            forms.add(tok.lite[1:])
        forms |= {f[:-1] for f in list(forms) if f.endswith("ت")}
        # "وتستدعي", "ويؤكد": a conjunction before an imperfect verb, never a name.
        return bool(forms & self.v.verbs) or (len(tok.lite) > 5 and tok.lite[:2] in ("وت", "وي")
                                               and tok.lite[2] not in "اويل")

    def is_noun(self, tok: _Tok) -> bool:
        """A common noun from the lexicon, also with a leading و, an accusative ا or a pronoun ("دعمه")."""
        forms = {tok.lite, tok.lite[1:] if tok.lite.startswith("و") else tok.lite}
        forms |= {f[:-len(end)] for f in forms for end in _NOUN_ENDINGS if f.endswith(end) and len(f) > len(end) + 1}
        return bool(forms & self.v.nouns)

    def honorific_at(self, i: int) -> tuple[int, bool] | None:
        """(tokens used, kept in the name) for an honorific starting at token i."""
        toks = self.toks
        if i >= len(toks):
            return None
        f = toks[i].f
        candidates = self.v.honorific_forms.get(f)
        if candidates is None:
            forms = _unclitic(f)
            candidates = self.v.honorific_forms[f] = tuple(h for h in self.v.honorifics if h[0][0] in forms)
        for words, keep in candidates:
            n = len(words)
            if i + n <= len(toks) and all(toks[i + k].f == words[k] for k in range(1, n)):
                return n, keep
        return None

    def boundary(self, i: int) -> bool:
        """True when token i cannot be part of a name."""
        tok = self.toks[i]
        if tok.punct or not _ARABIC.search(tok.text) or len(tok.f) < 2:
            return True
        if tok.lite in self.v.stops or self.is_verb(tok):
            return True
        if self.honorific_at(i) or self.country(i):
            return True
        if (found := self.head_at(i)) and (found[0].needs != "body" or self.office_at(i)):
            return True  # "رييس ماروتو" (Reyes) folds like رئيس but heads no office
        if tok.lite in self.v.former or tok.lite in self.v.role_words or self.is_noun(tok):
            return True
        if tok.f in self.v.places or any(f in self.v.places for f in _unclitic(tok.f)[1:]):
            return True  # "الرباط", "بطنجة"
        if _TANWIN.search(tok.text):  # "اجتماعاً": an indefinite noun, never a name
            return True
        if _prefixed_definite(tok.f):
            return True
        if tok.definite and tok.f.endswith("ات"):  # a plural noun, not a surname
            return True
        return False

    # -- names ------------------------------------------------------------------------------

    def unit_forward(self, i: int) -> int | None:
        """End of the name unit starting at token i ("عبد الوافي", "ولد عبد الله", "نور الدين")."""
        toks = self.toks
        if i >= len(toks) or self.boundary(i):
            return None
        end = i + 1
        if toks[i].f in self.v.prefixes and end < len(toks) and not toks[end].punct:
            inner = self.unit_forward(end) if not toks[end].definite else end + 1
            if inner is None:
                return None
            end = inner
        if end < len(toks) and toks[end].f in self.v.suffixes:
            end += 1
        return end

    def forward_name(self, j: int) -> tuple[int, int, int] | None:
        """(start, end, units) of a name right after a title, or None."""
        toks = self.toks
        k = j
        marked = False  # a comma or an honorific between title and name: the name is expected
        if k < len(toks) and toks[k].text in _COMMAS:
            k += 1
            marked = True
        start = k
        while k < len(toks) and (h := self.honorific_at(k)):
            n, keep = h
            k += n
            marked = True
            if not keep:
                start = k
        first = k
        units = 0
        while k < len(toks):
            if toks[k].definite and units == 0 and toks[k].f not in self.v.prefixes \
                    and toks[k].f not in self.v.given:  # "الحبيب المالكي" opens with a given name
                return None
            if units >= 2 and toks[k].definite and DIACRITICS.sub("", toks[k].text).endswith("ة"):
                break  # "دونالد ترامب الحمائية": a feminine adjective, not a surname
            if units == MAX_FORWARD_UNITS:
                if self.boundary(k):
                    break
                known = self._known_prefix(start, first, k)
                if known or toks[first].f not in self.v.given:
                    return known  # None: prose after a nameless title
                break  # "جان إيف لودريان الهجوم": a given name, then the verb's object
            end = self.unit_forward(k)
            if end is None:
                break
            surname = toks[k].definite and not (units == 0 and toks[k].f in self.v.given)
            units += 1
            k = end
            if surname:
                break
        if units == 0 or any(i in self.claimed for i in range(first, k)):
            return None
        name = (start, k, units)
        # Prose after a nameless title ("وجدد الوزير تأكيد التضامن اللامشروط") reads like a name;
        # a real name is marked off by a comma or honorific, or ends at a clear boundary.
        if marked or self.clear_end(k) or toks[first].f in self.v.given or self._known_for(name):
            return name
        return None

    def _known_prefix(self, start: int, first: int, k: int) -> tuple[int, int, int] | None:
        """The longest run of leading units that names someone already known ("لفتيت اجتماعا")."""
        ends = []
        i = first
        while i < k and (end := self.unit_forward(i)):
            ends.append(end)
            i = end
        for units in range(len(ends) - 1, 0, -1):
            name = (start, ends[units - 1], units)
            if self._known_for(name):
                return name
        return None

    def clear_end(self, k: int) -> bool:
        """True when token k plainly ends a name: punctuation, a function word, a verb, a title."""
        if k >= len(self.toks):
            return True
        tok = self.toks[k]
        return (tok.punct or tok.lite in self.v.stops or self.is_verb(tok) or bool(self.head_at(k))
                or bool(self.honorific_at(k)) or bool(self.country(k)) or self.is_noun(tok))

    def backward_name(self, h: int) -> tuple[int, int, int] | None:
        """(start, end, units) of a name right before a title at token h, or None."""
        toks = self.toks
        k = h - 1
        if k >= 0 and toks[k].text in _COMMAS:
            k -= 1
        end = k + 1
        units = 0
        start = end
        while k >= 0 and units < MAX_BACKWARD_UNITS:
            if self.boundary(k) and not (k > 0 and toks[k - 1].f in self.v.prefixes):
                break
            s = k
            if toks[s].f in self.v.suffixes and s > 0 and not self.boundary(s - 1):
                s -= 1
            while s > 0 and toks[s - 1].f in self.v.prefixes:
                s -= 1
            if toks[s].definite and units:
                break
            units += 1
            start = s
            k = s - 1
        if units and k >= 0 and (hon := self.honorific_at(k)) and hon[1] and hon[0] == 1:
            start = k
        if units == 0:
            return None
        return start, end, units

    # -- titles -----------------------------------------------------------------------------

    def title_at(self, i: int, depth: int = 0) -> _Title | None:
        """The title starting at token i with its complements, or None."""
        found = self.head_at(i)
        if not found:
            return None
        head, n, form = found
        toks, v = self.toks, self.v
        start = i
        # "صهر وكبير مستشاري الرئيس": a relation noun coordinated in front of the title.
        if form != toks[i].f and toks[i].f.startswith("و") and i > 0 and toks[i - 1].lite in v.role_words:
            start = i - 1
        title = _Title(start, i + n, head)
        j = i + n
        after_nationality = False
        while j < len(toks):
            tok = toks[j]
            phrase = next((p for p in v.phrases.get(tok.f, ()) if tuple(t.f for t in toks[j:j + len(p)]) == p), None)
            if phrase:
                title.complements += 1
                j += len(phrase)
                continue
            if (used := self.place_at(j)) or (used := self.genitive_at(title, j)):
                title.complements += 1
                j += used
                continue
            if tok.punct:
                if tok.text in _COMMAS and depth == 0 and (nxt := self.head_at(j + 1)) \
                        and not nxt[0].words[0].startswith("ال") and not nxt[0].counterpart \
                        and not self.forward_name(j):
                    chained = self.title_at(j + 1, depth + 1)
                    if chained and not chained.blocked:
                        self._absorb(title, chained)
                        j = chained.end
                break
            if self.head_at(j):
                inner = self.title_at(j, depth + 1)
                if inner is None or inner.blocked:
                    break
                if head.of_person and title.complements == 0:
                    title.governs = True
                    j = inner.end
                    inner_name = self.forward_name(j)
                    title.complements += 1
                    if inner_name and self._known_for(inner_name):
                        title.inner.append(self._mention(inner, inner_name))
                        self.seen.append(title.inner[-1].keys)
                        self.claimed.update(range(inner_name[0], inner_name[1]))
                        j = inner_name[1]
                    title.country = title.country or inner.country
                    continue
                if not inner.head.counterpart and (not toks[j].definite or head.rank and not title.complements):
                    # "نائب رئيس مجلس الوزراء وزير الخارجية", "الوالي المفتش العام للوزارة"
                    self._absorb(title, inner)
                    j = inner.end
                break
            if tok.lite in v.place_prepositions and (used := self.place_at(j + 1)):
                title.complements += 1  # "عاملا على إقليم الناظور"
                j += 1 + used
                continue
            if tok.lite in v.prepositions and j + 1 < len(toks) and not toks[j + 1].punct:
                nxt = toks[j + 1]
                if tok.lite == _lite("باسم") or self.country(j + 1) or nxt.f in v.places \
                        or (nxt.f.startswith("ال") and nxt.lite not in v.stops):
                    if tok.lite == _lite("باسم"):  # "المبعوث إلى ليبيا", "السفير لدى فرنسا" serve elsewhere
                        title.country = title.country or self.country(j + 1)
                    title.complements += 1
                    after_nationality = False  # "سفير المغرب لدى الأمم المتحدة"
                    j += 2
                    continue
            if self.honorific_at(j) or tok.lite in v.stops or self.is_verb(tok):
                break
            code, used = self.country_at(j)
            if code:
                title.country = title.country or code
                title.complements += 1
                after_nationality = True
                j += used
                continue
            if after_nationality and not _prefixed_definite(tok.f) and tok.lite not in v.prepositions \
                    and tok.lite not in v.adjectives:  # "الرئيس الجزائري السابق"
                break
            if tok.definite and tok.f in v.given:
                break  # "رئيس مجلس النواب الحبيب المالكي": a name that opens with the article
            after_nationality = False
            forms = _unclitic(tok.f)
            # "ولمراقبة التراب الوطني": a clitic-led noun in construct with a definite noun.
            if tok.f[:2] in ("ول", "وب") and len(tok.f) > 4 and j + 1 < len(toks) and toks[j + 1].definite:
                title.complements += 1
                j += 1
                continue
            if any(f.startswith("ال") and len(f) > 3 for f in forms) or tok.f in v.places:
                title.complements += 1
                j += 1
                continue
            if set(_unclitic(tok.lite)) & v.role_words:
                title.complements += 1
                j += 1
                continue
            break
        while j > title.end and j - 1 in self.claimed:
            j -= 1  # a governed person's name at the very end is not part of the role
        title.end = max(title.end, j)
        if head.state and self._non_state(title):
            title.blocked = True
        return title

    def office_at(self, i: int) -> bool:
        """True when a satisfied title starts at token i."""
        title = self.title_at(i, depth=1)
        return bool(title) and not title.blocked and self.satisfied(title)

    def place_at(self, j: int) -> int:
        """Tokens used by an administrative unit and its proper name ("جهة طنجة تطوان", "لولاية هيس").

        The place name runs to a given name, a comma or a word that ends a name; when nothing marks
        where the place ends and the person begins, the last two words are left for the name.
        """
        toks, v = self.toks, self.v
        if j + 1 >= len(toks) or not set(_unclitic(toks[j].lite)) & v.place_nouns or toks[j + 1].punct:
            return 0
        if toks[j + 1].definite:
            return 1  # "إقليم الناظور": the definite name is an ordinary complement
        k = j + 1
        while k < len(toks) and k - j <= 4 and not toks[k].punct and _ARABIC.search(toks[k].text) \
                and toks[k].f not in v.given and toks[k].lite not in v.stops and not self.is_verb(toks[k]) \
                and not self.head_at(k) and not self.honorific_at(k) and not toks[k].definite:
            k += 1
        names = k - j - 1
        if names == 0:
            return 0
        marked = k >= len(toks) or toks[k].text in _COMMAS or toks[k].f in v.given or toks[k].definite
        if not marked:
            names = max(1, names - 2)
            while j + 1 + names < k and toks[j + 1 + names].f in v.places:
                names += 1
        return 1 + names

    def genitive_at(self, title: _Title, j: int) -> int:
        """1 when token j is a proper noun in construct with an indefinite head ("رئيس وزراء كيبيك")."""
        toks, v = self.toks, self.v
        if title.complements or j != title.end or title.head.needs != "complement" \
                or title.head.words[-1].startswith("ال") or j + 2 >= len(toks):
            return 0
        tok = toks[j]
        if tok.punct or tok.definite or not _ARABIC.search(tok.text) or tok.f in v.given or self.boundary(j):
            return 0
        # Only when a place or a name follows: "والي أمن طنجة", "رئيس وزراء كيبيك فيليب كويار".
        nxt = toks[j + 1]
        return 1 if nxt.f in v.places or self.country(j + 1) or self.forward_name(j + 1) else 0

    def _absorb(self, title: _Title, other: _Title) -> None:
        title.end = other.end
        title.country = title.country or other.country
        title.complements += other.complements + 1
        title.governs = title.governs or other.governs
        title.inner.extend(other.inner)

    def _non_state(self, title: _Title) -> bool:
        last = min(title.end + 1, len(self.toks))
        span = " ".join(t.f for t in self.toks[title.start:last])
        # An international body's own name is no company or union: "لجامعة الدول العربية".
        for body in self.v.international:
            span = span.replace(body, "")
        forms = {f for w in span.split() for f in _unclitic(_lite(w))}
        return bool(forms & self.v.non_state) or any(p in span for p in self.v.non_state_phrases)

    def satisfied(self, title: _Title) -> bool:
        needs = title.head.needs
        if needs == "complement":
            return title.complements > 0 or bool(title.country)
        if needs == "country":
            return bool(title.country)
        if needs == "title":
            return title.governs
        if needs == "body":  # "رئيس النيابة العامة", "رئيسة المفوضية الأوروبية"
            span = " ".join(t.f for t in self.toks[title.start:title.end])
            return any(f in self.v.bodies for t in self.toks[title.start:title.end] for f in _unclitic(t.f)) \
                or any(body in span for body in self.v.international)
        return True

    # -- mentions ---------------------------------------------------------------------------

    @functools.cached_property
    def spans(self) -> list[tuple[int, int]]:
        """Each token's (start, end) in the text."""
        return [m.span() for m in _TOKEN.finditer(self.text)]

    def span(self, start: int, end: int) -> str:
        return self.text[self.spans[start][0]:self.spans[end - 1][1]]

    def role_text(self, title: _Title) -> str:
        """The title as written, without a leading conjunction or preposition."""
        toks = self.toks
        text = self.span(title.start, title.end)
        found = self.head_at(title.start)
        if found and title.start == title.start:
            form = found[2]
            first = toks[title.start]
            if form != first.f:
                if first.f.startswith("لل") and form.startswith("ال"):
                    text = "ال" + text[2:]
                else:
                    text = text[len(first.f) - len(form):]
        return text.strip(" ،,")

    def _known_for(self, name: tuple[int, int, int]) -> bool:
        """True when the name is a curator's entry or someone already named in this article."""
        keys = tuple(_name_keys(self.span(name[0], name[1])))
        return bool(_known(self.v, keys)) or any(_same(keys, other) for other in self.seen)

    def _mention(self, title: _Title, name: tuple[int, int, int]) -> "_Mention":
        text = self.span(name[0], name[1])
        role = self.role_text(title)
        country = title.country
        if not country and any(org in fold(role) for org in self.v.international):
            country = "-"  # serves an international body: no country
        return _Mention(text, tuple(_name_keys(text)), name[2], role, country, title.head.counterpart)

    def mentions(self) -> list[_Mention]:
        """Every (title, name) pair in the paragraph, in order of appearance."""
        out: list[_Mention] = []
        # Most words are already known to open no title: only the others are looked at.
        may_open = map(self.v.head_forms.get, map(attrgetter("f"), self.toks), repeat(True))
        i = 0  # the first token not yet read
        for start in compress(range(len(self.toks)), may_open):
            if start < i or self.toks[start].punct:
                continue
            i = start
            title = self.title_at(i)
            if title is None:
                continue
            self.in_titles.update(range(title.start, title.end))
            if title.blocked or not self.satisfied(title):
                i = max(i + 1, title.end) if title.blocked else i + 1
                continue
            out.extend(title.inner)
            name = self.forward_name(title.end)
            if name is None:
                name = self.backward_name(title.start)
            if name and (name[2] >= 2 or self._known_for(name)):
                out.append(self._mention(title, name))
                self.seen.append(out[-1].keys)
                self.claimed.update(range(name[0], name[1]))
                i = max(title.end, name[1]) if name[0] >= title.end else title.end
                continue
            i = title.end
        return out


# ---------------------------------------------------------------------------------------------
# People


def _part_of(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """True when `short` is a form of the name `full`: its words are among full's words.

    A one-word short form is a surname ("لفتيت", "حسين" for فؤاد حسين), never the given name that
    opens a longer name: "محمد" alone is not محمد السادس, nor محمد حصاد.
    """
    if not set(short) <= set(full):
        return False
    return not (len(short) == 1 and len(full) > 1 and short[0] == full[0])


def _known(v: _Vocab, keys: tuple[str, ...]) -> _Known | None:
    """The curator's entry a name is a form of, if any (asked again for every mention of a person)."""
    if keys not in v.known_names:
        v.known_names[keys] = _find_known(v.known, keys)
    return v.known_names[keys]


def _find_known(known: tuple[_Known, ...], keys: tuple[str, ...]) -> _Known | None:
    if not keys:
        return None
    for entry in known:
        for variant in entry.keys:
            if _part_of(keys, variant) or (len(variant) >= 2 and _part_of(variant, keys)):
                return entry
    return None


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return bool(a) and bool(b) and (_part_of(a, b) or _part_of(b, a))


def _home_country(texts: list[_Text]) -> str:
    """The country the article names most outside titles (first named wins a tie), else its towns'.

    A nationality on a title ("الوزير الجزائري") marks that person as foreign to the article's
    setting, so it does not count towards the country an unmarked minister serves.
    """
    counts: dict[str, int] = {}
    towns: dict[str, int] = {}  # when no country is named: the towns ("بالحسيمة") tell
    first: dict[str, int] = {}
    position = 0
    for text in texts:
        v = text.v
        for index, tok in enumerate(text.toks):
            position += 1
            if tok.punct:
                continue
            # A word already known to open no country name skips the look-up.
            may_be_country = index not in text.in_titles and v.country_forms.get(tok.f, True)
            code = text.country(index) if may_be_country else ""
            tally = counts
            if not code:
                code = _town(v, tok.f)
                tally = towns
            if code:
                tally[code] = tally.get(code, 0) + 1
                first.setdefault(code, position)
    counts = counts or towns
    if not counts:
        return ""
    return min(counts, key=lambda c: (-counts[c], first[c]))


def _town(v: _Vocab, f: str) -> str:
    """The country of the one-country town a folded word names ("بالحسيمة"), else ""."""
    if f not in v.town_forms:
        v.town_forms[f] = next((c for form in _unclitic(f) if (c := v.towns.get(form))), "")
    return v.town_forms[f]


def extract_officials(part: Part, kb: Knowledge) -> tuple[Official, ...]:
    """Office-holders named with a title, one per person, in order of first appearance."""
    v = _vocab(kb)
    texts = ([part.title] if part.title else []) + [line.text for line in part.paragraphs]
    seen: list[tuple[str, ...]] = []
    paragraphs = []
    mentions: list[_Mention] = []
    for text in texts:
        paragraph = _Text(text, v, seen)
        mentions.extend(paragraph.mentions())
        paragraphs.append(paragraph)
    people: list[list[_Mention]] = []
    for mention in mentions:
        known = _known(v, mention.keys)
        for group in people:
            if any(_same(mention.keys, other.keys) for other in group) or (
                    known and _known(v, group[0].keys) is known):
                group.append(mention)
                break
        else:
            people.append([mention])
    home = ""
    out = []
    for group in people:
        best = max(group, key=lambda m: (m.units, len(m.keys)))  # fullest form; first one on a tie
        known = next((k for m in group if (k := _known(v, m.keys))), None)
        named = [m for m in group if not m.counterpart] or group
        role = named[0].role
        country = next((m.country for m in group if m.country), "") or (known.country if known else "")
        if not country:
            home = home or _home_country(paragraphs)
            country = home
        variants = tuple(dict.fromkeys(m.name for m in group if m.name != best.name))
        key = known.id if known else "o-" + hashlib.sha1(" ".join(_name_keys(best.name)).encode()).hexdigest()[:10]
        out.append(Official(name=best.name, role=role, country="" if country == "-" else country,
                            key=key, variants=variants))
    return tuple(out)
