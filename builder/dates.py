"""Dates: every calendar date the body mentions, and the article's own date with its basis.

Mentions are explicit calendar dates: a day and a month, or a month, with or without a year
("7 يونيو 2016", "الثاني من مايو/آيار", "غشت الماضي", "15/04/2025"). Bare years, year ranges,
session numbers and other numbers are not dates. A mention without a year gets one only when it
can be argued: a relative word ("الماضي", "الجاري", "المقبل") or plain nearness, against the
reference date (curator's date, else the article date found in the text); a weekday ("الأربعاء
29 ماي"), against the reference date or the latest year the text writes. Otherwise it stays
`--MM-DD` / `--MM`: a weekday alone fits a day-month every 5 to 11 years, too loose to pick one.

The article date, first rule that applies:
1. the curator's date (basis "curator"), at the precision the curator gave;
2. a dateline opening the body: "الرباط 7 يونيو 2016/ومع/" (basis "dateline");
3. a phrase that dates the report itself (basis "text"): "أمس الإثنين 04 فبراير 2019" → the day
   after; "يومه الثلاثاء 28مارس" (no year) → that day, in the year its weekday picks near the
   latest year the text writes (none written: no date); "اليوم الاثنين" in a paragraph whose full dates all fall 0-2 days after a Monday
   ("يومي 25 و26 يونيو 2019") → that Monday;
4. none (basis "none").
An event the text recalls ("في أكتوبر 2024") never dates the article.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from .errors import BuilderError, Problem
from .knowledge import Knowledge
from .model import DateFacts, Part, PartialDate
from .normalize import fold

_YEARS = (1900, 2099)  # a four-digit number outside this range is not a year of a date
# A year not inside a longer number. Written to open with its digits (the look-behind checks the
# place before "19"/"20"), so the regex engine skips to candidate digits instead of trying every place.
_YEAR = re.compile(r"(?:19|20)(?<!\d\d\d)\d\d(?!\d)")


@dataclass(frozen=True)
class _Lexicon:
    """The dates table compiled for matching on folded text."""

    date: re.Pattern
    anchor_weekday: re.Pattern
    named_before: re.Pattern
    dateline_prefix: re.Pattern
    dateline_suffix: re.Pattern
    agency_suffix: re.Pattern  # "/ومع/", "(ومع)"
    months: dict[str, int]
    ambiguous: frozenset[str]
    weekdays: dict[str, int]  # Monday = 0, as datetime.date.weekday()
    ordinals: dict[str, int]
    relative: dict[str, str]  # word → past / current / next
    relative_years: dict[str, int]
    anchors: dict[str, int]
    not_place: frozenset[str]  # words that cannot be a dateline's place


@dataclass
class _Mention:
    """One date expression found in the text, before and after its year is resolved."""

    paragraph: int
    start: int
    end: int
    month: int
    days: tuple[int, ...]  # () for a month-only mention
    year: int | None
    weekday: int | None = None
    relative: str = ""  # past / current / next
    year_offset: int | None = None  # "من العام الماضي" → -1
    anchor: int | None = None  # days from the named day to the day of writing


def _alternation(words: list[str]) -> str:
    """Regex matching any of the folded words, spaces flexible, a longer word before a shorter one.

    Written as a trie, ال(?:اثنين|ثلاثاء|…): the date pattern tries its word lists at every word
    start, and a flat list tries each word in turn. Of the words, only those that begin one another
    can match at one place, and a word is tried before the words it begins with, as longest-first.
    """
    trie: dict[str, dict] = {}
    for word in {" ".join(fold(w).split()) for w in words if str(w).strip()}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(trie) or "(?!)"  # no word: never


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [(r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
                for char, child in sorted(node.items()) if char]
    if "" in node:
        branches.append("")  # a word ends here: tried after the longer words going on
    return "(?:" + "|".join(branches) + ")" if len(branches) > 1 else "".join(branches)


def _fail(kb: Knowledge, message: str) -> BuilderError:
    return BuilderError(Problem(kb.source("dates"), None, message))


def _month_names(kb: Knowledge, table: dict) -> dict[str, int]:
    """Folded month name → month number, from CLDR wide names plus the table's variants."""
    names: dict[str, int] = {}
    for code in table.get("locales", []):
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            raise _fail(kb, f"locales: {code!r} is not a locale babel knows (e.g. ar_MA)") from None
        for context in ("format", "stand-alone"):
            for number, name in locale.months[context]["wide"].items():
                names[" ".join(fold(name).split())] = number
    for number, variants in (table.get("month_variants") or {}).items():
        if not isinstance(number, int) or not 1 <= number <= 12:
            raise _fail(kb, f"month_variants: key {number!r} is not a month number 1-12")
        for name in variants:
            names[" ".join(fold(name).split())] = number
    return names


@functools.lru_cache(maxsize=4)
def _lexicon(kb: Knowledge) -> _Lexicon:
    table = kb.table("dates")
    months = _month_names(kb, table)
    weekdays = {fold(name): number for number, name in Locale.parse("ar").days["format"]["wide"].items()}
    ordinals = {fold(word): int(day) for word, day in (table.get("day_ordinals") or {}).items()}
    if any(not 1 <= day <= 31 for day in ordinals.values()):
        raise _fail(kb, "day_ordinals: every value must be a day 1-31")
    relative = {fold(w): kind for kind, ws in (table.get("relative") or {}).items() for w in ws}
    if set(relative.values()) - {"past", "current", "next"}:
        raise _fail(kb, f"relative: keys must be past, current, next; got {sorted(set(relative.values()))}")
    relative_years = {" ".join(fold(w).split()): int(off)
                      for off, ws in (table.get("relative_years") or {}).items() for w in ws}
    anchors = {" ".join(fold(w).split()): int(off) for w, off in (table.get("anchors") or {}).items()}
    prepositions = [fold(w) for w in table.get("month_prepositions", [])]

    relatives = _alternation(list(relative))
    # A month name ends at a non-word, or where a year or a relative word is glued to it
    # ("مارس2017", "22 فبرايرالماضي": stored text often lost the space).
    month = rf"(?:[وف]?[بلك]?)(?P<m1>{_alternation(list(months))})(?:(?!\w)|(?=(?:19|20)\d\d(?!\d)|(?:{relatives})(?!\w)))"
    paired = rf"(?:\s*[/(\\-]\s*(?P<m2>{_alternation(list(months))})(?!\w)(?:\s*\))?)?"
    day = r"(?<![\d.,/:])[0-3]?\d(?![\d.,:/%])"
    year = r"(?<!\d)(?P<year>(?:19|20)\d\d)(?!\d)"
    after = (
        rf"(?:\s*[,،]?\s*(?:من\s+)?(?:(?:عام|سنه|العام|السنه)\s+)?{year}"
        rf"|\s+(?P<yrel>{_alternation(list(relative_years))})(?!\w)"
        rf"|\s+(?P<same>{_alternation(table.get('same_year', []))})(?!\w)"
        rf"|\s*(?P<rel>{relatives})(?!\w))?"
    )
    days = (
        rf"(?P<d1>{day})(?:\s*(?:و|-|–|الي|حتي|او)\s*(?P<d2>{day}))?(?:\s+(?:من\s+)?|(?=[^\W\d]))"  # "28مارس" glued
        rf"|(?P<o1>{_alternation(list(ordinals))})(?:\s+(?:و\s*|الي\s+)(?P<o2>{_alternation(list(ordinals))}))?\s+من\s+"
        rf"|(?P<shahr>شهر)\s+"
        rf"|(?P<prep>{_alternation(prepositions)})\s+"
    )
    numeric = (
        r"(?<![\d/.\-])(?:(?P<nd>\d{1,2})(?P<s1>[/.\-])(?P<nm>\d{1,2})(?P=s1)(?P<ny>(?:19|20)\d\d)"
        r"|(?P<iy>(?:19|20)\d\d)(?P<s2>[/.\-])(?P<im>\d{1,2})(?P=s2)(?P<id>\d{1,2}))(?!\d|[/.\-]\d)"
    )
    anchor = rf"(?P<anchor>{_alternation(list(anchors))})"
    weekday = rf"(?P<wd>{_alternation(list(weekdays))})"
    prefix = rf"(?:(?<!\w)[وف]?(?:{anchor}\s*[/(]?\s*)?(?:يوم\s+)?{weekday}\s*[/)]?\s*[,،]?\s*)?"
    # A date starts at a word start, after a lone و, or at a digit. The guard (a looser, cheaper test:
    # a word boundary, after و, at a digit) fails inside most words at once, before the alternatives.
    guard = r"(?:\b|(?<=و)|(?=\d))"
    date = re.compile(rf"{guard}{prefix}(?:{numeric}|(?:(?<!\w)|(?<=(?<!\w)و))(?:{days})?(?:شهر\s+)?{month}{paired}{after})")
    anchor_weekday = re.compile(rf"(?<!\w)[وف]?{anchor}\s*[/(]?\s*(?:يوم\s+)?{weekday}(?!\w)")
    named = table.get("named_after", [])
    named_before = re.compile(rf"(?<!\w)(?:{_alternation(named)})\s*$") if named else re.compile(r"(?!)")
    agencies = _alternation(table.get("agencies", []))
    # Site chrome, a place of one to three words, maybe "(أ ف ب)", a separator, maybe "في".
    dateline_prefix = re.compile(
        rf"\W*(?:[a-z][\w.]*\W+)?(?P<place>(?:[^\W\d]+\s*){{1,3}}?)"
        rf"(?:[(/]\s*(?:{agencies})\s*[)/]\s*)?[-–—:،,]?\s*(?P<fi>في\s+)?"
    )
    dateline_suffix = re.compile(rf"\s*(?:$|[/(\-–—:،,|]|(?:{agencies})(?!\w))")
    agency_suffix = re.compile(rf"\s*[/(]\s*(?:{agencies})\s*[/)]")
    not_place = frozenset(prepositions) | frozenset(w for a in anchors for w in a.split()) | {"يوم", "بتاريخ"}
    return _Lexicon(
        date=date, anchor_weekday=anchor_weekday, named_before=named_before, dateline_prefix=dateline_prefix,
        dateline_suffix=dateline_suffix, agency_suffix=agency_suffix,
        months=months, ambiguous=frozenset(fold(w) for w in table.get("ambiguous_months", [])),
        weekdays=weekdays, ordinals=ordinals, relative=relative, relative_years=relative_years,
        anchors=anchors, not_place=not_place | set(weekdays),
    )


def _key(text: str) -> str:
    return " ".join(text.split())


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        datetime.date(year or 2000, month, day or 1)  # 2000 is a leap year: 29 February passes
    except ValueError:
        return False
    return year is None or _YEARS[0] <= year <= _YEARS[1]


def _mention(m: re.Match, paragraph: int, lex: _Lexicon, last_year: int | None) -> _Mention | None:
    """A match → a mention, or None when it is a month word that is not a date here."""
    g = m.groupdict()
    weekday = lex.weekdays[_key(g["wd"])] if g["wd"] else None
    anchor = lex.anchors[_key(g["anchor"])] if g["anchor"] else None
    if g["nm"] or g["im"]:
        year, month, day = (int(g["ny"]), int(g["nm"]), int(g["nd"])) if g["nm"] else (int(g["iy"]), int(g["im"]), int(g["id"]))
        if not _valid(year, month, day):
            return None
        return _Mention(paragraph, m.start(), m.end(), month, (day,), year, weekday, anchor=anchor)
    name = _key(g["m1"])
    month = lex.months[name]
    if g["m2"] and lex.months[_key(g["m2"])] != month:
        return None  # two different months side by side: not a paired form we can read
    days: tuple[int, ...] = ()
    if g["d1"]:
        days = tuple(int(d) for d in (g["d1"], g["d2"]) if d)
    elif g["o1"]:
        days = tuple(lex.ordinals[_key(o)] for o in (g["o1"], g["o2"]) if o)
    year = int(g["year"]) if g["year"] else (last_year if g["same"] else None)
    anchored = days or g["year"] or g["rel"] or g["yrel"] or g["same"] or g["shahr"] or g["m2"]
    if not anchored and not (g["prep"] and name not in lex.ambiguous):
        return None
    if any(not _valid(year, month, d) for d in days):
        return None
    if not days:
        weekday = anchor = None  # "الاثنين مارس" is not a day
    return _Mention(
        paragraph, m.start(), m.end(), month, days, year, weekday,
        relative=lex.relative.get(_key(g["rel"] or ""), ""),
        year_offset=lex.relative_years.get(_key(g["yrel"] or "")),
        anchor=anchor,
    )


def _find(texts: list[str], lex: _Lexicon) -> list[_Mention]:
    """Every date expression in the folded paragraphs, in reading order."""
    found: list[_Mention] = []
    last_year: int | None = None
    for index, text in enumerate(texts):
        position = 0
        for m in lex.date.finditer(text):
            seen = _YEAR.findall(text, position, m.start())  # "من نفس السنة" takes the last one
            last_year = int(seen[-1]) if seen else last_year
            position = m.start()
            if lex.named_before.search(text, max(0, m.start() - 30), m.start()):
                continue
            mention = _mention(m, index, lex, last_year)
            if mention:
                if found and found[-1].paragraph == index:
                    _share_range_year(found[-1], mention, text[found[-1].end:mention.start])
                found.append(mention)
        seen = _YEAR.findall(text, position)
        last_year = int(seen[-1]) if seen else last_year
    return found


def _share_range_year(first: _Mention, second: _Mention, between: str) -> None:
    """"من 30 يوليوز إلى 5 غشت 2018", "في مايو ويونيو 2019": a year written once serves both."""
    if first.year is not None or first.relative or not re.fullmatch(r"\s*(?:الي|حتي|و|-|–)?\s*", between):
        return
    if second.year is not None:
        first.year = second.year - 1 if first.month > second.month else second.year
    elif second.relative:
        first.relative = second.relative


# --- resolving years -------------------------------------------------------------------------

def _last_day(date: PartialDate) -> datetime.date:
    month = date.month or 12
    return datetime.date(date.year, month, date.day or calendar.monthrange(date.year, month)[1])


def _first_day(date: PartialDate) -> datetime.date:
    return datetime.date(date.year, date.month or 1, date.day or 1)


def _year_by_weekday(m: _Mention, ref: PartialDate | None, text_year: int | None) -> int | None:
    """The year in which the day-month falls on the written weekday, near the reference."""
    day = m.days[0]

    def fits(year: int) -> bool:
        return _valid(year, m.month, day) and datetime.date(year, m.month, day).weekday() == m.weekday

    if ref:
        if m.relative == "next":
            after = [y for y in range(ref.year, ref.year + 2) if fits(y) and datetime.date(y, m.month, day) >= _first_day(ref)]
            return after[0] if after else None
        before = [y for y in range(ref.year - 1, ref.year + 1) if fits(y) and datetime.date(y, m.month, day) <= _last_day(ref)]
        return before[-1] if before else None
    if text_year:
        near = [y for y in range(text_year - 1, text_year + 2) if fits(y)]
        return near[0] if near else None  # at most one year in three has the same weekday
    return None


def _year_by_reference(m: _Mention, ref: PartialDate) -> int | None:
    """The year a yearless mention has when written on the reference date."""
    if m.year_offset is not None:
        return ref.year + m.year_offset
    if m.relative == "current":
        return ref.year
    if ref.month is None:  # a year-only reference places "الماضي"/"المقبل" no better than the text
        return ref.year if not m.relative else None
    day = m.days[0] if m.days else None
    here = (m.month, day or 0)
    now = (ref.month, ref.day or (32 if m.relative == "past" else 0))
    if m.relative == "past":
        return ref.year if here < now or (day and m.month == ref.month and not ref.day) else ref.year - 1
    if m.relative == "next":
        return ref.year if here > now or (day and m.month == ref.month and not ref.day) else ref.year + 1
    # No relative word: news writes a bare day-month for a recent day, or one just ahead, so the
    # latest occurrence no more than a month after the reference.
    limit = 12 * ref.year + ref.month + 1
    return max(y for y in (ref.year - 1, ref.year, ref.year + 1) if 12 * y + m.month <= limit)


def _resolve(m: _Mention, ref: PartialDate | None, text_year: int | None) -> int | None:
    if m.year is not None:
        return m.year
    if m.weekday is not None and m.days:
        year = _year_by_weekday(m, ref, text_year)
        if year is not None:
            return year
    return _year_by_reference(m, ref) if ref else None


def _iso(m: _Mention, year: int | None, day: int | None) -> str:
    head = f"{year:04d}" if year is not None else "-"
    return f"{head}-{m.month:02d}" + (f"-{day:02d}" if day else "")


# --- the article's own date ------------------------------------------------------------------

def _dateline(texts: list[str], found: list[_Mention], lex: _Lexicon) -> PartialDate | None:
    """A full date right after a place at the very start of the body, closed by a separator."""
    first = next((m for m in found if m.paragraph == 0), None)
    if not first or first.year is None or len(first.days) != 1 or first.anchor is not None:
        return None
    text = texts[0]
    prefix = lex.dateline_prefix.fullmatch(text, 0, first.start)
    if not prefix or set(prefix["place"].split()) & lex.not_place:
        return None
    # "الرباط في 7 يونيو 2016" is a sentence unless an agency code closes it.
    closing = lex.agency_suffix if prefix["fi"] else lex.dateline_suffix
    if not closing.match(text, first.end):
        return None
    return PartialDate(first.year, first.month, first.days[0])


def _anchored(texts: list[str], found: list[_Mention], lex: _Lexicon, text_year: int | None) -> PartialDate | None:
    """The report's own day from "أمس الإثنين 04 فبراير 2019" or "اليوم الاثنين" + nearby dates."""
    for m in found:
        if m.anchor is None or len(m.days) != 1:
            continue
        # "يومه الثلاثاء 28 مارس" with no year: the weekday picks it near the text's latest year,
        # as it does for the mention itself; no year in the text, no date.
        year = m.year if m.year is not None else _year_by_weekday(m, None, text_year) if m.weekday is not None else None
        if year is None:
            continue
        named = datetime.date(year, m.month, m.days[0])
        if m.weekday is not None and named.weekday() != m.weekday:
            continue  # the text contradicts itself: trust neither
        written = named + datetime.timedelta(days=m.anchor)
        return PartialDate(written.year, written.month, written.day)
    for index, text in enumerate(texts):
        for a in lex.anchor_weekday.finditer(text):
            weekday = lex.weekdays[_key(a["wd"])]
            full = [datetime.date(m.year, m.month, d) for m in found
                    if m.paragraph == index and m.year is not None for d in m.days]
            # A report that names its weekday beside full dates announces them: the named day is
            # the last such weekday on or before each date, at most two days before it, and all
            # dates must agree. A date further off may be an old event: no inference then.
            named = {x - datetime.timedelta(days=(x.weekday() - weekday) % 7) for x in full}
            if len(named) == 1 and all((x - min(named)).days <= 2 for x in full):
                written = named.pop() + datetime.timedelta(days=lex.anchors[_key(a["anchor"])])
                return PartialDate(written.year, written.month, written.day)
    return None


def extract_dates(part: Part, published: PartialDate | None, kb: Knowledge) -> DateFacts:
    """The article date with its basis, and every calendar date the body mentions."""
    lex = _lexicon(kb)
    texts = [fold(line.text) for line in part.paragraphs]
    found = _find(texts, lex)
    date, basis = published, "curator"
    if date is None:
        date, basis = _dateline(texts, found, lex), "dateline"
    years = [int(y) for text in texts for y in _YEAR.findall(text)]
    text_year = max(years) if years else None  # bare years count: "مونديال قطر 2022"
    if date is None:
        date, basis = _anchored(texts, found, lex, text_year), "text"
    if date is None:
        basis = "none"
    mentions = {
        _iso(m, _resolve(m, date, text_year), day)
        for m in found
        for day in (m.days or (None,))
    }
    return DateFacts(date, basis, tuple(sorted(mentions)))


def weekday_anchor(paragraphs: list[str], kb: Knowledge) -> tuple[int, int] | None:
    """The report's day named only by a weekday ("أمس الإثنين", "اليوم الثلاثاء"): (weekday,
    days from that weekday to the day of writing), or None. On its own it gives no date; a
    same-event report that is dated does (see `date_from_story`)."""
    lex = _lexicon(kb)
    for paragraph in paragraphs:
        if a := lex.anchor_weekday.search(fold(paragraph)):
            return lex.weekdays[_key(a["wd"])], lex.anchors[_key(a["anchor"])]
    return None


def date_from_story(anchor: tuple[int, int], sibling: PartialDate, window_days: int) -> PartialDate | None:
    """An undated report's day from its weekday anchor and a dated report of the same event.

    The named weekday is taken as the one nearest the sibling's date; it must lie within
    `window_days` of it (reports of one event come out within days), else no date.
    """
    if sibling.precision != "day":
        return None
    weekday, offset = anchor
    base = datetime.date(sibling.year, sibling.month, sibling.day)
    candidates = [base + datetime.timedelta(days=d) for d in range(-window_days, window_days + 1)]
    named = [c for c in candidates if c.weekday() == weekday]
    if not named:
        return None
    best = min(named, key=lambda c: (abs((c - base).days), c))
    written = best + datetime.timedelta(days=offset)
    return PartialDate(written.year, written.month, written.day)
