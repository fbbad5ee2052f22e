"""Topics: multi-label classification from curated, weighted lexicons matched on folded text.

1. The title and body are folded and split into words; each word also stands for its forms
   without leading clitics (و ف ب ك ل ال), as `normalize.strip_clitics` gives them.
2. Every lexicon term (a word or a phrase, `*` for any ending) found adds its weight to its
   topic: at most `term_cap` occurrences per term, a title occurrence counts `title_weight` times.
3. A topic applies when its score reaches its `min_score` and `relative` × the best score.
4. No topic applies → `other`.

Weights and thresholds are data (`data/topics.yaml`), so a curator tunes them without code.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from .errors import BuilderError, Problem
from .knowledge import Knowledge
from .model import Part
from .normalize import fold, strip_clitics

FALLBACK = "other"
# Letters and digits only: Arabic punctuation (، ؛ ؟) sits inside the Arabic Unicode block.
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Folded word tokens without punctuation."""
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class _Term:
    topic: str
    weight: float
    words: tuple[tuple[str, bool], ...]  # (folded word, is_prefix)
    key: str


@dataclass(frozen=True)
class _Lexicon:
    exact: dict[str, tuple[_Term, ...]]  # first word → terms
    prefix: dict[str, tuple[_Term, ...]]  # first-word prefix → terms
    prefix_lengths: tuple[int, ...]
    min_score: dict[str, float]
    relative: float
    term_cap: int
    title_weight: float


def _word_forms(word: str) -> frozenset[str]:
    """A lexicon word and, for `ال…`, the form without the article."""
    return frozenset({word, word[2:]} if word.startswith("ال") and len(word) > 4 else {word})


@functools.lru_cache(maxsize=4)
def _lexicon(kb: Knowledge) -> _Lexicon:
    table = kb.table("topics")
    source = kb.source("topics")
    settings = table.get("settings", {})
    default_min = float(settings.get("min_score", 2))
    exact: dict[str, list[_Term]] = defaultdict(list)
    prefix: dict[str, list[_Term]] = defaultdict(list)
    min_score: dict[str, float] = {}
    for index, topic in enumerate(table.get("topics", [])):
        if not isinstance(topic, dict) or not topic.get("id") or not topic.get("label"):
            raise BuilderError(Problem(source, None, f"topics[{index}]: needs 'id' and 'label'; got {topic!r}"))
        tid = topic["id"]
        min_score[tid] = float(topic.get("min_score", default_min))
        for weight, terms in (topic.get("terms") or {}).items():
            try:
                weight = float(weight)
            except (TypeError, ValueError):
                raise BuilderError(Problem(source, None, f"topic {tid}: weight {weight!r} is not a number")) from None
            for raw in terms or []:
                parts = []
                for w in str(raw).split():
                    star = w.endswith("*")
                    folded = fold(w.rstrip("*"))
                    parts.append((folded, star))
                if not parts or not all(p for p, _ in parts):
                    raise BuilderError(Problem(source, None, f"topic {tid}: term {raw!r} has no words"))
                term = _Term(tid, weight, tuple(parts), f"{tid}:{raw}")
                first, star = parts[0]
                if star:
                    prefix[first].append(term)
                else:
                    for form in _word_forms(first):
                        exact[form].append(term)
    return _Lexicon(
        exact={k: tuple(v) for k, v in exact.items()},
        prefix={k: tuple(v) for k, v in prefix.items()},
        prefix_lengths=tuple(sorted({len(k) for k in prefix})),
        min_score=min_score,
        relative=float(settings.get("relative", 0.12)),
        term_cap=int(settings.get("term_cap", 3)),
        title_weight=float(settings.get("title_weight", 2)),
    )


def _matches(forms: tuple[str, ...], word: str, star: bool) -> bool:
    if star:
        return any(f.startswith(word) for f in forms)
    wanted = _word_forms(word)
    return any(f in wanted for f in forms)


def _hits(text: str, lex: _Lexicon) -> dict[str, int]:
    """Occurrences of each lexicon term. Within one topic a word counts once: overlapping
    matches are resolved heaviest (then longest) first, so "مكافحة الإرهاب" is not also counted
    as "إرهاب*", and "تعزيز التعاون الأمني" counts as "التعاون الأمني"."""
    toks = [tuple(strip_clitics(w)) for w in tokens(text)]
    found: list[tuple[float, int, int, _Term]] = []  # (weight, length, start, term)
    for i, forms in enumerate(toks):
        candidates: dict[str, _Term] = {}
        for form in forms:
            for term in lex.exact.get(form, ()):
                candidates[term.key] = term
            for n in lex.prefix_lengths:
                if len(form) >= n:
                    for term in lex.prefix.get(form[:n], ()):
                        candidates[term.key] = term
        for term in candidates.values():
            rest = term.words[1:]
            if i + len(rest) < len(toks) and all(
                _matches(toks[i + 1 + k], w, star) for k, (w, star) in enumerate(rest)
            ):
                found.append((term.weight, len(term.words), i, term))
    counts: dict[str, int] = defaultdict(int)
    taken: dict[str, set[int]] = defaultdict(set)
    for weight, length, start, term in sorted(found, key=lambda f: (-f[0], -f[1], f[2], f[3].key)):
        span = set(range(start, start + length))
        if taken[term.topic] & span:
            continue
        taken[term.topic] |= span
        counts[term.key] += 1
    return counts


def topic_scores(part: Part, kb: Knowledge) -> dict[str, float]:
    """Score of every topic with any evidence in the part (for `extract_topics` and debugging)."""
    lex = _lexicon(kb)
    weights = {t.key: t for group in (lex.exact, lex.prefix) for terms in group.values() for t in terms}
    body = _hits("\n".join(line.text for line in part.paragraphs), lex)
    title = _hits(part.title or "", lex)
    scores: dict[str, float] = defaultdict(float)
    for key in set(body) | set(title):
        term = weights[key]
        count = min(lex.term_cap, body.get(key, 0) + lex.title_weight * title.get(key, 0))
        scores[term.topic] += term.weight * count
    return dict(scores)


def extract_topics(part: Part, kb: Knowledge) -> tuple[str, ...]:
    """Topic ids of a part, main topic first (highest score; ties by id); ("other",) when no
    topic has enough evidence."""
    lex = _lexicon(kb)
    scores = topic_scores(part, kb)
    best = max(scores.values(), default=0.0)
    chosen = sorted(
        (t for t, s in scores.items()
         if s >= lex.min_score.get(t, 2.0) and s >= lex.relative * best and t != FALLBACK),
        key=lambda t: (-scores[t], t),
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
