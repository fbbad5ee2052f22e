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
from collections import Counter, defaultdict
from dataclasses import replace

from .dates import date_from_story, weekday_anchor
from .knowledge import Knowledge
from .model import Article, PartialDate
from .normalize import fold, strip_clitics, words

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


def event_words(article: Article, stop: frozenset[str]) -> Counter[str]:
    """Title words (twice) and lede words, stemmed, without stop words or short tokens."""
    lede: list[str] = []
    for paragraph in article.body:
        lede += words(paragraph)
        if len(lede) >= LEDE_WORDS:
            break
    bag: Counter[str] = Counter()
    for weight, tokens in ((2, words(article.title)), (1, lede[:LEDE_WORDS])):
        for token in tokens:
            s = stem(token)
            if len(s) >= MIN_STEM and s not in stop and not (s.isdigit() and len(s) < 2):
                bag[s] += weight
    return bag


def _vectors(bags: list[Counter[str]]) -> tuple[list[dict[str, float]], dict[str, int]]:
    """TF-IDF vectors (unit length) and document frequencies."""
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = max(len(bags), MIN_IDF_DOCS)
    # Each word's idf and each count's weight computed once, not once per article (same floats).
    idf = {w: math.log((n + 1) / d) for w, d in df.items()}
    tf: dict[int, float] = {}
    vectors = []
    for bag in bags:
        for c in bag.values():
            if c not in tf:
                tf[c] = 1 + math.log(c)
        vec = {w: tf[c] * idf[w] for w, c in bag.items()}
        values = vec.values()
        norm = math.sqrt(sum(map(operator.mul, values, values))) or 1.0  # same sum, same order
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors, df


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


def _candidates(vectors: list[dict[str, float]], df: dict[str, int]) -> list[tuple[int, int]]:
    """Pairs that share MIN_SHARED_RARE of their rarest words (never all pairs)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        rare = sorted((w for w in vec if 1 < df[w] <= MAX_POSTING), key=lambda w: (df[w], -vec[w], w))
        for w in rare[:BLOCKING_WORDS]:
            index[w].append(i)
    shared = Counter((a, b) for posting in index.values() for k, a in enumerate(posting) for b in posting[k + 1:])
    return sorted(pair for pair, n in shared.items() if n >= MIN_SHARED_RARE)


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


def article_event_words(articles: list[Article], kb: Knowledge) -> list[Counter[str]]:
    """Each article's event words (step 1 before weighting): cacheable with its extraction."""
    stop = _stopwords(kb)
    return [event_words(a, stop) for a in articles]


def assign_stories(articles: list[Article], kb: Knowledge, bags: list[Counter[str]] | None = None) -> list[Article]:
    """Every article with a `story` id shared by the other reports of the same event.

    `bags` are the articles' event words when already known (article_event_words, cached per seed).
    """
    if not articles:
        return []
    vectors, df = _vectors(bags if bags is not None else article_event_words(articles, kb))
    scored = []
    for i, j in _candidates(vectors, df):
        a, b = articles[i], articles[j]
        if not dates_compatible(a.date, b.date):
            continue
        sim = similarity(a, b, vectors[i], vectors[j])
        if sim >= SAME_EVENT_SIMILARITY:
            scored.append((-sim, min(a.id, b.id), max(a.id, b.id), i, j))

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
        first = min((articles[k] for k in group), key=_order)
        for k in group:
            story_of[k] = "st-" + first.slug
    dated = [_with_story(a, story_of[i]) for i, a in enumerate(articles)]
    return date_from_coverage(dated, [members[root(i)] for i in range(len(articles))], kb)


def _with_story(article: Article, story: str) -> Article:
    """`replace(article, story=story)` without re-running the 21-field __init__ (0.4 s at 10,000
    articles): the other fields are the same values, already checked when the article was made."""
    copy = object.__new__(Article)
    copy.__dict__.update(article.__dict__, story=story)
    return copy


def date_from_coverage(articles: list[Article], groups: list[list[int]], kb: Knowledge) -> list[Article]:
    """Date an undated report that names only its weekday ("أمس الإثنين") from a dated report of
    the same event: the weekday nearest the sibling's day, within DATE_WINDOW_DAYS.

    `groups[i]` lists the indexes of article i's story. Basis "text": the day comes from the
    article's own words; the story only fixes which week they mean.
    """
    out = list(articles)
    for i, article in enumerate(articles):
        if article.date is not None or len(groups[i]) < 2:
            continue
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
