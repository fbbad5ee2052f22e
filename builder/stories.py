"""Stories: articles from different outlets (or files) about the same event share a story id.

How two articles end up in one story, in order:

1. Each article becomes a bag of event words: folded, clitic-stripped content words of its title
   (counted twice: headlines name the event) and lede, minus stop words (builder/data/stories.yaml),
   weighted by TF-IDF over the batch so that words every article uses count for little.
2. Candidate pairs come only from an inverted index of each article's rarest words (skipping words
   so common their posting list is long) and must share MIN_SHARED_RARE of them: near-linear,
   never all pairs.
3. A candidate pair is scored by cosine similarity, plus a bonus per shared official; it must pass
   SAME_EVENT_SIMILARITY and, when both articles are dated, lie within DATE_WINDOW_DAYS.
4. Pairs merge best-first (single link), but never two articles of one file or one outlet, and
   never into a story whose dates span more than DATE_WINDOW_DAYS.
5. A story's id is "st-" + the slug of its earliest-dated member (undated last, then by slug):
   the same members always give the same id, and a later report joining keeps it.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import operator
import re
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Callable

from .cache import code_version
from .dates import date_from_story, weekday_anchor
from .knowledge import Knowledge
from .model import Article, PartialDate
from .normalize import fold, per_word, strip_clitics, words

# Similarity at which two reports are taken to be one event. Measured on seeds, tests/data/dev and
# both together (with and without officials found): reports of one event by two outlets score
# 0.22-0.61, different events that share a country pair and a minister at most 0.16. The threshold
# sits in that gap.
SAME_EVENT_SIMILARITY = 0.19
# Each official both articles name (same folded name) adds this much. Names already count as event
# words, and one minister appears in many different events, so this only tips close calls.
SHARED_OFFICIAL_BONUS = 0.02
# IDF is computed as if the batch held at least this many articles: in a batch of five, a word in
# two of them would otherwise weigh little more than a word in all five, and reports of one event
# would look less alike than they do in a full digest.
MIN_IDF_DOCS = 20
# Reports of one event appear within a few days of it; a story never spans more than this.
DATE_WINDOW_DAYS = 3
# Words a lede contributes: the first paragraphs say what happened; later ones drift to background.
LEDE_WORDS = 120
# Blocking: each article is indexed under its this-many rarest words, and a word whose posting list
# is longer than MAX_POSTING is too common to bring candidates. Both bound the work per article.
BLOCKING_WORDS = 12
MAX_POSTING = 60
# Candidates must share at least this many of those rare words: reports of one event share names,
# places and figures (4-8 on the dev pairs), while one shared rare word is mostly chance.
MIN_SHARED_RARE = 2
# A stem shorter than this is a particle or a broken clitic, not an event word.
MIN_STEM = 3


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The shortest clitic-free form of a folded word, so بالرباط/الرباط/رباط count as one."""
    return min(strip_clitics(word, MIN_STEM), key=lambda f: (len(f), f))


@functools.lru_cache(maxsize=8)
def _stopwords(kb: Knowledge) -> frozenset[str]:
    table = kb.tables.get("stories") or {}
    return frozenset(stem(w) for entry in table.get("stopwords") or [] for w in words(str(entry)))


def event_words(article: Article, stop: frozenset[str]) -> dict[str, int]:
    """Title words (twice) and lede words, stemmed, without stop words or short tokens: word → count."""
    lede: list[str] = []
    for paragraph in article.body:
        lede += words(paragraph)
        if len(lede) >= LEDE_WORDS:
            break
    memo = _event_stems(stop)
    bag: dict[str, int] = {}
    for weight, tokens in ((2, words(article.title)), (1, lede[:LEDE_WORDS])):
        for s in per_word(tokens, memo, lambda token: _event_stem(token, stop)):
            if s:
                bag[s] = bag.get(s, 0) + weight
    return bag


def _event_stem(token: str, stop: frozenset[str]) -> str:
    """The stem a word counts under as an event word; "" for a stop word or a short token."""
    s = stem(token)
    return s if len(s) >= MIN_STEM and s not in stop and not (s.isdigit() and len(s) < 2) else ""


@functools.lru_cache(maxsize=8)
def _event_stems(stop: frozenset[str]) -> dict[str, str]:
    """`_event_stem` of each word met so far, for one stop list."""
    return {}


def pack(bag: dict[str, int]) -> str:
    """A bag of event words as one string ("word\tcount" lines, in the bag's order): what the cache
    and the clustering state keep (one string unpickles at once; a dict of 30 words is 30 objects)."""
    return "\n".join(f"{w}\t{c}" for w, c in bag.items())


def unpack(packed: str) -> dict[str, int]:
    """`pack` undone: the same words and counts in the same order (vectors sum in that order)."""
    return {w: int(c) for w, _, c in (line.partition("\t") for line in packed.split("\n"))} if packed else {}


def _holding(words: set[str]) -> re.Pattern[str]:
    """Matches a packed bag that holds any of `words`."""
    return re.compile("(?:^|\n)(?:" + "|".join(map(re.escape, sorted(words))) + ")\t")


class _Weights:
    """TF-IDF over the batch: document frequencies, and each article's vector (unit length) made
    when first needed. The same bag and frequencies always give the same floats, so a vector made
    in one build equals the one made in another. Bags are packed (`pack`) and read when needed.
    `df`: the document frequencies when already known (patched from the last build's)."""

    def __init__(self, packed: list[str], df: Counter[str] | None = None):
        self.packed = packed
        self.bags: dict[int, dict[str, int]] = {}
        if df is None:
            df = Counter()
            for i in range(len(packed)):
                df.update(self.bag(i).keys())
        self.df = df
        self.n = max(len(packed), MIN_IDF_DOCS)
        # Each word's idf and each count's weight computed once, not once per article (same floats).
        self.idf: dict[str, float] = {}
        self.tf: dict[int, float] = {}
        self.vectors: dict[int, dict[str, float]] = {}

    def bag(self, i: int) -> dict[str, int]:
        bag = self.bags.get(i)
        if bag is None:
            bag = self.bags[i] = unpack(self.packed[i])
        return bag

    def vector(self, i: int) -> dict[str, float]:
        vec = self.vectors.get(i)
        if vec is None:
            tf, idf, bag = self.tf, self.idf, self.bag(i)
            for c in bag.values():
                if c not in tf:
                    tf[c] = 1 + math.log(c)
            for w in bag:
                if w not in idf:
                    idf[w] = math.log((self.n + 1) / self.df[w])
            vec = {w: tf[c] * idf[w] for w, c in bag.items()}
            values = vec.values()
            norm = math.sqrt(sum(map(operator.mul, values, values))) or 1.0  # same sum, same order
            vec = self.vectors[i] = {w: v / norm for w, v in vec.items()}
        return vec

    def blocking_words(self, i: int) -> tuple[str, ...]:
        """The article's rarest words (step 2): those it is indexed under."""
        vec, df = self.vector(i), self.df
        rare = sorted((w for w in vec if 1 < df[w] <= MAX_POSTING), key=lambda w: (df[w], -vec[w], w))
        return tuple(rare[:BLOCKING_WORDS])


def date_span(date: PartialDate) -> tuple[datetime.date, datetime.date]:
    """First and last day a partial date can mean."""
    if date.day:
        day = datetime.date(date.year, date.month, date.day)
        return day, day
    if date.month:
        last = calendar.monthrange(date.year, date.month)[1]
        return datetime.date(date.year, date.month, 1), datetime.date(date.year, date.month, last)
    return datetime.date(date.year, 1, 1), datetime.date(date.year, 12, 31)


def dates_compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    """True when either is undated or the two can lie within DATE_WINDOW_DAYS of each other."""
    if a is None or b is None:
        return True
    (a0, a1), (b0, b1) = date_span(a), date_span(b)
    gap = max((b0 - a1).days, (a0 - b1).days, 0)
    return gap <= DATE_WINDOW_DAYS


def _candidates(blocking: list[tuple[str, ...]], todo: "set[int] | range") -> list[tuple[int, int]]:
    """Pairs with an article of `todo` that share MIN_SHARED_RARE of their blocking words (never all pairs)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, rare in enumerate(blocking):
        for w in rare:
            index[w].append(i)
    pairs = set()
    for i in todo:
        shared = Counter(j for w in blocking[i] for j in index[w])
        pairs.update((min(i, j), max(i, j)) for j, n in shared.items() if n >= MIN_SHARED_RARE and j != i)
    return sorted(pairs)


def _officials(article: Article) -> set[str]:
    return {" ".join(words(o.name)) for o in article.officials if o.name}


def similarity(a: Article, b: Article, va: dict[str, float], vb: dict[str, float]) -> float:
    """Cosine of event words plus a bonus per shared official."""
    if len(vb) < len(va):
        va, vb = vb, va
    cosine = sum(v * vb.get(w, 0.0) for w, v in va.items())
    return cosine + SHARED_OFFICIAL_BONUS * len(_officials(a) & _officials(b))


def _order(article: Article) -> tuple:
    """Earliest-dated first, undated last, then by slug: the member that names the story."""
    return (article.date is None, article.date.sort_key() if article.date else (0, 0, 0), article.slug)


def article_event_words(articles: list[Article], kb: Knowledge) -> list[str]:
    """Each article's event words (step 1 before weighting), packed: cacheable with its extraction."""
    stop = _stopwords(kb)
    return [pack(event_words(a, stop)) for a in articles]


def assign_stories(articles: list[Article], kb: Knowledge, bags: list[str] | None = None,
                   state: dict | None = None, whole: Callable[[Article], Article] | None = None) -> list[Article]:
    """Every article with a `story` id shared by the other reports of the same event.

    `bags` are the articles' event words when already known (article_event_words, cached per seed).
    `state`: what the last build kept (`_scored_pairs`), updated in place for the next.
    `whole`: an article with its body, when the cache left it out (only bags are read otherwise).
    """
    if not articles:
        return []
    scored = _scored_pairs(articles, bags if bags is not None else article_event_words(articles, kb), kb, state)

    parent = list(range(len(articles)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(articles))}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, _, _, i, j in sorted(scored):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        group = [articles[k] for k in members[ri] + members[rj]]
        if not _can_share(group):
            continue
        parent[rj] = ri
        members[ri] += members.pop(rj)

    story_of: dict[int, str] = {}
    for group in members.values():
        # Most articles are alone in their story: no need to weigh which member names it.
        first = articles[group[0]] if len(group) == 1 else min((articles[k] for k in group), key=_order)
        for k in group:
            story_of[k] = "st-" + first.slug
    dated = [_with_story(a, story_of[i]) for i, a in enumerate(articles)]
    return date_from_coverage(dated, [members[root(i)] for i in range(len(articles))], kb, whole)


def _scored_pairs(articles: list[Article], bags: list[str], kb: Knowledge,
                  state: dict | None) -> list[tuple[float, str, str, int, int]]:
    """Candidate pairs that pass steps 2-3, as (-similarity, id, id, i, j).

    With the last build's state (frequencies, each article's bag and blocking words, passing
    pairs), only articles that are new or changed, or that hold a word whose frequency changed,
    are weighed again: a pair of two other articles has the same vectors, blocking words and
    dates as before, so it passes or fails as it did; the frequencies are patched from the bags
    that came and went. An extracted article is known by its file and bytes; when any is not
    (made by hand), or the batch size moved every idf, everything is weighed.
    """
    n = max(len(articles), MIN_IDF_DOCS)
    rules = (SAME_EVENT_SIMILARITY, SHARED_OFFICIAL_BONUS, MIN_IDF_DOCS, DATE_WINDOW_DAYS, LEDE_WORDS,
             BLOCKING_WORDS, MAX_POSTING, MIN_SHARED_RARE, MIN_STEM, n, kb.version, code_version())
    ident = [(a.file, a.digest, a.id) for a in articles]
    position = {a.id: i for i, a in enumerate(articles)}
    last = (state or {}).get("stories")
    if (not last or last["rules"] != rules or not all(a.digest for a in articles) or len(position) < len(articles)):
        last = None
    todo: set[int] | range = range(len(articles))
    kept: list[tuple[float, str, str]] = []
    if last is None:
        weights = _Weights(bags)
    else:
        df, todo = _reweigh(last, bags, ident, position)
        weights = _Weights(bags, df)
        again = {articles[i].id for i in todo}
        kept = [p for p in last["scored"] if p[1] in position and p[2] in position and p[1] not in again and p[2] not in again]
    blocking = [weights.blocking_words(i) if last is None or i in todo else last["articles"][a.id][1]
                for i, a in enumerate(articles)]
    scored = [(neg, x, y, *sorted((position[x], position[y]))) for neg, x, y in kept]
    for i, j in _candidates(blocking, todo):
        a, b = articles[i], articles[j]
        if not dates_compatible(a.date, b.date):
            continue
        sim = similarity(a, b, weights.vector(i), weights.vector(j))
        if sim >= SAME_EVENT_SIMILARITY:
            scored.append((-sim, min(a.id, b.id), max(a.id, b.id), i, j))
    if state is not None:
        state["stories"] = {"rules": rules, "df": dict(weights.df), "scored": sorted(p[:3] for p in scored),
                            "articles": {a.id: (ident[i], blocking[i], bags[i]) for i, a in enumerate(articles)}}
    return scored


def _reweigh(last: dict, bags: list[str], ident: list[tuple[str, str, str]],
             position: dict[str, int]) -> tuple[Counter[str], set[int]]:
    """From the last build's state: the document frequencies, patched from the bags that came and
    went (not counted again from every bag), and the articles to weigh again: those new or
    changed, and those holding a word whose frequency moved (found in the packed bags by one pattern)."""
    before, old_df = last["articles"], last["df"]
    fresh = [i for i, own in enumerate(ident) if before.get(own[2], (None,))[0] != own]
    went = [packed for own, (was, _, packed) in before.items() if own not in position or was != ident[position[own]]]
    df = Counter(old_df)
    touched: set[str] = set()
    for packed in went:
        for w in unpack(packed):
            df[w] -= 1
            touched.add(w)
    for i in fresh:
        bag = unpack(bags[i])
        df.update(bag.keys())
        touched.update(bag)
    moved = {w for w in touched if df[w] != old_df.get(w, 0)}
    for w in touched:
        if not df[w]:
            del df[w]
    todo = set(fresh)
    if moved:
        holds = _holding(moved).search
        todo.update(i for i, packed in enumerate(bags) if holds(packed))
    return df, todo


def _with_story(article: Article, story: str) -> Article:
    """`replace(article, story=story)` without re-running the 21-field __init__ (0.4 s at 10,000
    articles): the other fields are the same values, already checked when the article was made."""
    copy = object.__new__(Article)
    copy.__dict__.update(article.__dict__, story=story)
    return copy


def date_from_coverage(articles: list[Article], groups: list[list[int]], kb: Knowledge,
                       whole: Callable[[Article], Article] | None = None) -> list[Article]:
    """Date an undated report that names only its weekday ("أمس الإثنين") from a dated report of
    the same event: the weekday nearest the sibling's day, within DATE_WINDOW_DAYS.

    `groups[i]` lists the indexes of article i's story. Basis "text": the day comes from the
    article's own words; the story only fixes which week they mean.
    """
    out = list(articles)
    for i, article in enumerate(articles):
        if article.date is not None or len(groups[i]) < 2:
            continue
        if whole:
            article = whole(article)
        anchor = weekday_anchor(list(article.body), kb)
        if anchor is None:
            continue
        siblings = sorted((articles[k] for k in groups[i] if k != i and articles[k].date
                           and articles[k].date.precision == "day"), key=_order)
        if siblings and (date := date_from_story(anchor, siblings[0].date, DATE_WINDOW_DAYS)):
            out[i] = replace(article, date=date, date_basis="text")
    return out


def _can_share(group: list[Article]) -> bool:
    """One story holds one report per file and per named outlet, within DATE_WINDOW_DAYS."""
    files = [a.file for a in group]
    outlets = [fold(a.outlet) for a in group if a.outlet]
    if len(set(files)) < len(files) or len(set(outlets)) < len(outlets):
        return False
    dated = [date_span(a.date) for a in group if a.date]
    if not dated:
        return True
    return (max(s for s, _ in dated) - min(e for _, e in dated)).days <= DATE_WINDOW_DAYS
