"""Topics: multi-label classification from curated, weighted lexicons matched on folded text.

1. The title and each body sentence are folded and split into words; each word also stands for
   its forms without leading clitics (و ف ب ك ل ال), as `normalize.strip_clitics` gives them.
2. Every lexicon term (a word or a phrase, `*` for any ending) found adds its weight to its
   topic: at most `term_cap` occurrences per term, a title occurrence counts `title_weight` times.
   A match inside one of the topic's negative contexts (`not_in`) is another sense: it counts nothing.
3. A topic applies when its score reaches its `min_score` (lower for short items) and `relative` ×
   the best score, and it is more than one passing mention: a phrase naming the field, or a strong
   term in the title or lede, or two strong occurrences. A named field skips the `relative` test.
4. The main topic comes first: highest score, title and lede counted `lead_bonus` more.
5. No topic applies → `other`.

Weights and thresholds are data (`data/topics.yaml`), so a curator tunes them without code.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import compress

from .errors import BuilderError, Problem
from .knowledge import Knowledge
from .model import Part
from .normalize import fold, per_word, strip_clitics

FALLBACK = "other"
# Letters and digits only: Arabic punctuation (، ؛ ؟) sits inside the Arabic Unicode block.
_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"\n+|(?<=[.!?؟])\s+")


def tokens(text: str) -> list[str]:
    """Folded word tokens without punctuation."""
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class _Term:
    topic: str
    weight: float
    words: tuple[tuple[str, bool], ...]  # (folded word, is_prefix)
    key: str
    names: bool = False  # names the field itself: one mention is enough


@dataclass(frozen=True)
class _Lexicon:
    exact: dict[str, tuple[_Term, ...]]  # first word → terms
    prefix: dict[str, tuple[_Term, ...]]  # first-word prefix → terms
    prefix_lengths: tuple[int, ...]
    neg_exact: dict[str, tuple[_Term, ...]]  # negative contexts, indexed the same way
    neg_prefix: dict[str, tuple[_Term, ...]]
    neg_prefix_lengths: tuple[int, ...]
    terms: dict[str, _Term]  # key → term
    min_score: dict[str, float]
    relative: float
    term_cap: int
    title_weight: float
    short_words: int  # below this many body words thresholds shrink in proportion
    short_floor: float  # ... but never below this fraction
    strong_weight: float  # lighter terms are background wording: they only add to other evidence
    lead_bonus: float  # title and lede evidence counts this much more when ranking the main topic
    # word → candidate terms (a pure function of the index above), filled as words are met
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    neg_memo: dict = field(default_factory=dict, compare=False, repr=False)


@functools.lru_cache(maxsize=4096)  # lexicon words only: asked for at every candidate match
def _word_forms(word: str) -> frozenset[str]:
    """A lexicon word and, for `ال…`, the form without the article."""
    return frozenset({word, word[2:]} if word.startswith("ال") and len(word) > 4 else {word})


def _term(source: str, tid: str, weight: float, raw: object, names: bool = False) -> _Term:
    """One lexicon entry: words folded, a final `*` marks a prefix."""
    parts = tuple((fold(w.rstrip("*")), w.endswith("*")) for w in str(raw).split())
    if not parts or not all(p for p, _ in parts):
        raise BuilderError(Problem(source, None, f"topic {tid}: term {raw!r} has no words"))
    return _Term(tid, weight, parts, f"{tid}:{raw}", names)


def _index(terms: list[_Term]) -> tuple[dict[str, tuple[_Term, ...]], dict[str, tuple[_Term, ...]], tuple[int, ...]]:
    """Terms by first word (exact forms) and by first-word prefix, and the prefix lengths."""
    exact: dict[str, list[_Term]] = defaultdict(list)
    prefix: dict[str, list[_Term]] = defaultdict(list)
    for term in terms:
        first, star = term.words[0]
        if star:
            prefix[first].append(term)
        else:
            for form in _word_forms(first):
                exact[form].append(term)
    return ({k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in prefix.items()},
            tuple(sorted({len(k) for k in prefix})))


@functools.lru_cache(maxsize=4)
def _lexicon(kb: Knowledge) -> _Lexicon:
    table = kb.table("topics")
    source = kb.source("topics")
    settings = table.get("settings", {})
    default_min = float(settings.get("min_score", 2))
    name_weight = float(settings.get("name_weight", 2))
    terms: list[_Term] = []
    negatives: list[_Term] = []
    min_score: dict[str, float] = {}
    for index, topic in enumerate(table.get("topics", [])):
        if not isinstance(topic, dict) or not topic.get("id") or not topic.get("label"):
            raise BuilderError(Problem(source, None, f"topics[{index}]: needs 'id' and 'label'; got {topic!r}"))
        tid = topic["id"]
        min_score[tid] = float(topic.get("min_score", default_min))
        for weight, raws in (topic.get("terms") or {}).items():
            try:
                weight = float(weight)
            except (TypeError, ValueError):
                raise BuilderError(Problem(source, None, f"topic {tid}: weight {weight!r} is not a number")) from None
            terms += [_term(source, tid, weight, raw) for raw in raws or []]
        for key in ("names", "not_in"):
            if not isinstance(topic.get(key) or [], list):
                raise BuilderError(Problem(source, None, f"topic {tid}: '{key}' must be a list of phrases; "
                                           f"got {topic[key]!r}"))
        terms += [_term(source, tid, name_weight, raw, names=True) for raw in topic.get("names") or []]
        negatives += [_term(source, tid, 0.0, raw) for raw in topic.get("not_in") or []]
    exact, prefix, lengths = _index(terms)
    neg_exact, neg_prefix, neg_lengths = _index(negatives)
    return _Lexicon(
        exact=exact,
        prefix=prefix,
        prefix_lengths=lengths,
        neg_exact=neg_exact,
        neg_prefix=neg_prefix,
        neg_prefix_lengths=neg_lengths,
        terms={t.key: t for t in terms},
        min_score=min_score,
        relative=float(settings.get("relative", 0.12)),
        term_cap=int(settings.get("term_cap", 3)),
        title_weight=float(settings.get("title_weight", 2)),
        short_words=int(settings.get("short_words", 150)),
        short_floor=float(settings.get("short_floor", 0.5)),
        strong_weight=float(settings.get("strong_weight", 1)),
        lead_bonus=float(settings.get("lead_bonus", 1)),
    )


@functools.lru_cache(maxsize=131_072)  # asked for each candidate term's next words: pairs repeat
def _matches(token: str, word: str, star: bool) -> bool:
    """A folded token stands for a lexicon word (a prefix when `star`) through one of its forms."""
    forms = strip_clitics(token)
    if star:
        return any(f.startswith(word) for f in forms)
    wanted = _word_forms(word)
    return any(f in wanted for f in forms)


def _candidates(forms: tuple[str, ...], exact: dict[str, tuple[_Term, ...]],
                prefix: dict[str, tuple[_Term, ...]], lengths: tuple[int, ...]) -> tuple[_Term, ...]:
    """The terms whose first word matches one of a token's forms, in first-seen order."""
    candidates: dict[str, _Term] = {}
    for form in forms:
        for term in exact.get(form, ()):
            candidates[term.key] = term
        for n in lengths:
            if len(form) >= n:
                for term in prefix.get(form[:n], ()):
                    candidates[term.key] = term
    return tuple(candidates.values())


def _find(words: list[str], exact: dict[str, tuple[_Term, ...]], prefix: dict[str, tuple[_Term, ...]],
          lengths: tuple[int, ...], memo: dict[str, tuple[_Term, ...]]) -> list[tuple[float, int, int, _Term]]:
    """Every (weight, length, start, term) whose words occur in a row in `words` (folded tokens)."""
    found: list[tuple[float, int, int, _Term]] = []
    # A word's candidates depend only on its forms: most words have none, and are not visited.
    starts = per_word(words, memo, lambda word: _candidates(strip_clitics(word), exact, prefix, lengths))
    for i in compress(range(len(words)), starts):
        for term in starts[i]:
            n = len(term.words)
            if n == 1 or i + n <= len(words) and all(
                _matches(words[i + k], w, star) for k, (w, star) in enumerate(term.words[1:], 1)
            ):
                found.append((term.weight, n, i, term))
    return found


def _hits(words: list[str], lex: _Lexicon) -> dict[str, int]:
    """Occurrences of each lexicon term among a sentence's words. Within one topic a word counts once: overlapping
    matches are resolved heaviest (then longest) first, so "مكافحة الإرهاب" is not also counted
    as "إرهاب*", and "تعزيز التعاون الأمني" counts as "التعاون الأمني". A match that lies inside
    one of its topic's negative contexts ("اللجوء إلى" for migration) does not count."""
    blocked: dict[str, set[int]] = defaultdict(set)
    for _, length, start, term in _find(words, lex.neg_exact, lex.neg_prefix, lex.neg_prefix_lengths, lex.neg_memo):
        blocked[term.topic] |= set(range(start, start + length))
    counts: dict[str, int] = defaultdict(int)
    taken: dict[str, set[int]] = defaultdict(set)
    found = _find(words, lex.exact, lex.prefix, lex.prefix_lengths, lex.memo)
    for weight, length, start, term in sorted(found, key=lambda f: (-f[0], -f[1], f[2], f[3].key)):
        span = set(range(start, start + length))
        if taken[term.topic] & span or span <= blocked[term.topic]:
            continue
        taken[term.topic] |= span
        counts[term.key] += 1
    return counts


@dataclass(frozen=True)
class Evidence:
    """What a part says for one topic."""

    score: float  # weighted occurrences, capped per term; a title occurrence counts more
    lead_score: float  # the part of `score` found in the title and the lede (first body sentence)
    strong: int  # occurrences of terms that are not background wording (weight ≥ `strong_weight`)
    lead: bool  # a strong term in the title or the lede
    named: bool  # a phrase that names the field itself ("مكافحة الإرهاب")


def sentences(text: str) -> list[str]:
    """Body sentences: split at line ends and at . ! ? ؟ before a space."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _sentence_words(part: Part) -> list[list[str]]:
    """The words of each body sentence."""
    return [tokens(s) for s in sentences("\n".join(line.text for line in part.paragraphs))]


def topic_evidence(part: Part, kb: Knowledge) -> dict[str, Evidence]:
    """Evidence for every topic with any match in the part (for `extract_topics` and debugging)."""
    return _evidence(tokens(part.title or ""), _sentence_words(part), _lexicon(kb))


def _evidence(title_words: list[str], sentence_words: list[list[str]], lex: _Lexicon) -> dict[str, Evidence]:
    body = [_hits(words, lex) for words in sentence_words]
    title = _hits(title_words, lex)
    # (hits, how much one occurrence counts, is it the lead)
    places = [(title, lex.title_weight, True)] + [(hits, 1.0, i == 0) for i, hits in enumerate(body)]
    count: dict[str, float] = defaultdict(float)
    lead_score: dict[str, float] = defaultdict(float)
    strong: dict[str, int] = defaultdict(int)
    lead: set[str] = set()
    for hits, factor, is_lead in places:
        for key, n in hits.items():
            term = lex.terms[key]
            count[key] += factor * n
            if is_lead:
                lead_score[term.topic] += term.weight * factor * n
            if term.weight >= lex.strong_weight:
                strong[term.topic] += n
                if is_lead:
                    lead.add(term.topic)
    score: dict[str, float] = defaultdict(float)
    for key, n in count.items():
        score[lex.terms[key].topic] += lex.terms[key].weight * min(lex.term_cap, n)
    named = {lex.terms[key].topic for key in count if lex.terms[key].names}
    return {t: Evidence(s, lead_score[t], strong[t], t in lead, t in named) for t, s in score.items()}


def topic_scores(part: Part, kb: Knowledge) -> dict[str, float]:
    """Score of every topic with any evidence in the part."""
    return {t: e.score for t, e in topic_evidence(part, kb).items()}


def _applies(e: Evidence, threshold: float) -> bool:
    """Enough evidence, and not one passing background mention: the topic is named, or shows in
    the title or lede, or has two strong occurrences."""
    return e.score >= threshold and (e.named or e.lead or e.strong >= 2)


def extract_topics(part: Part, kb: Knowledge) -> tuple[str, ...]:
    """Topic ids of a part, main topic first (highest score; ties by id); ("other",) when no
    topic has enough evidence."""
    lex = _lexicon(kb)
    sentence_words = _sentence_words(part)
    evidence = _evidence(tokens(part.title or ""), sentence_words, lex)
    # A short item says everything once: thresholds shrink with its length, down to a floor.
    # (Sentences end only where spaces are, so their words are all the paragraphs' words.)
    length = sum(map(len, sentence_words))
    scale = max(lex.short_floor, min(1.0, length / lex.short_words))
    best = max((e.score for e in evidence.values()), default=0.0)
    chosen = sorted(
        (t for t, e in evidence.items()
         if t != FALLBACK and (e.named or e.score >= lex.relative * best) and _applies(e, scale * lex.min_score[t])),
        key=lambda t: (-(evidence[t].score + lex.lead_bonus * evidence[t].lead_score), t),
    )
    return tuple(chosen) or (FALLBACK,)


def topic_ids(kb: Knowledge) -> list[str]:
    """Every topic id, in the order of the topics table."""
    return [t["id"] for t in kb.table("topics")["topics"]]


def topic_label(kb: Knowledge, topic: str) -> str:
    """The Arabic label of a topic id (the id itself when unknown)."""
    for t in kb.table("topics")["topics"]:
        if t["id"] == topic:
            return t["label"]
    return topic
