"""Clean: separate the article's own lines from site chrome and boilerplate (patterns are data).

Cascade, applied line by line (patterns live in `data/boilerplate.yaml`):

1. Blank lines are dropped; every kept line keeps its line number in the file.
2. A tail-block line ("أخبار ذات صلة >") and everything after it are noise.
3. Chrome glued to the start of a paragraph ("AHDATH.INFO- الرباط …", or cut off by the scraper:
   "AHDATH.INF الرباط …") is cut off: the prefix goes to noise, the rest of the line is kept.
   Right after chrome at the top of the file, before any article text, a line of at most
   `byline_max_words` words without sentence punctuation is a byline ("خاص - سعيد") or a
   dateline place with the reporter ("الحسيمة خالد الزيتوني"): noise.
4. A label line ("المصدر:") is noise, and so is the short line right after it (its value).
5. A line matching a chrome pattern (page furniture, app notices, follow/share/newsletter/cookie
   prompts, credits, bylines, captions with a colon, timestamps, counters, ad-slot ids, dashed
   rules, hashtags) is noise; so is a caption without a colon ("الصورة للمشتبه به …") once the
   article has begun.
6. A related-headlines marker ("اقرأ أيضا: …") is noise, and so are the headline-like lines
   right after it, up to the next real paragraph.
7. A first line that is only a section label ("سياسة") is noise.
8. A long paragraph that repeats an earlier one verbatim (a repeated standfirst) is noise.

Nothing else is ever removed here: a sentence of the article is never dropped for its wording.
Headlines, repeated titles and related-headline runs without a marker are the split stage's job.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .errors import BuilderError, Problem
from .knowledge import Knowledge
from .model import Line, Seed
from .normalize import fold

# Sentence-final marks; a headline ends without one (a question mark is allowed: headlines ask).
_SENTENCE_END = tuple(".…:؛;،,")
_CLOSERS = "\"'”’»)]}› \u00a0"


@dataclass(frozen=True)
class Rules:
    """Compiled boilerplate patterns and thresholds."""

    lines: tuple[re.Pattern, ...]
    label_lines: tuple[re.Pattern, ...]
    label_value_max_words: int
    prefixes: tuple[re.Pattern, ...]
    related_markers: tuple[re.Pattern, ...]
    tail_blocks: tuple[re.Pattern, ...]
    section_labels: frozenset[str]
    repeat_min_words: int
    headline_max_words: int
    related_run_min: int
    byline_max_words: int
    captions: tuple[re.Pattern, ...]
    continuation_openers: tuple[re.Pattern, ...]  # read by split
    lead_openers: tuple[re.Pattern, ...]  # read by split


@functools.lru_cache(maxsize=4)
def rules(kb: Knowledge) -> Rules:
    """The boilerplate table compiled once per knowledge version."""
    table = kb.table("boilerplate")

    def compile_all(key: str) -> tuple[re.Pattern, ...]:
        out = []
        for pattern in table.get(key, []):
            try:
                out.append(re.compile(pattern, re.IGNORECASE))
            except re.error as err:
                raise BuilderError(Problem(kb.source("boilerplate"), None,
                                           f"{key}: pattern {pattern!r} is not a regular expression ({err})")) from None
        return tuple(out)

    return Rules(
        lines=compile_all("lines"),
        label_lines=compile_all("label_lines"),
        label_value_max_words=int(table.get("label_value_max_words", 5)),
        prefixes=compile_all("prefixes"),
        related_markers=compile_all("related_markers"),
        tail_blocks=compile_all("tail_blocks"),
        section_labels=frozenset(table.get("section_labels", [])),
        repeat_min_words=int(table.get("repeat_min_words", 8)),
        headline_max_words=int(table.get("headline_max_words", 20)),
        related_run_min=int(table.get("related_run_min", 2)),
        byline_max_words=int(table.get("byline_max_words", 3)),
        captions=compile_all("captions"),
        continuation_openers=compile_all("continuation_openers"),
        lead_openers=compile_all("lead_openers"),
    )


def ends_sentence(text: str) -> bool:
    """True when the line ends with sentence-final punctuation (closing quotes ignored)."""
    core = text.rstrip(_CLOSERS)
    return core.endswith(_SENTENCE_END) or core.endswith(("؟", "?", "!"))


def headline_like(text: str, max_words: int = 20) -> bool:
    """Short, and without sentence-final punctuation (a final ? or ! is allowed)."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and len(text.split()) <= max_words and not core.endswith(_SENTENCE_END)


def clean(seed: Seed, kb: Knowledge) -> tuple[list[Line], list[Line]]:
    """(kept lines, noise lines) of a seed, each with its line number in the file; blanks dropped."""
    r = rules(kb)
    lines = [Line(seed.first_line + i, text.strip()) for i, text in enumerate(seed.text.split("\n"))]
    lines = [line for line in lines if line.text]
    kept: list[Line] = []
    noise: list[Line] = []
    seen: set[str] = set()
    label_open = related_open = top_chrome = False
    for index, line in enumerate(lines):
        if any(p.search(line.text) for p in r.tail_blocks):
            noise.extend(lines[index:])
            break
        cut = _cut_prefix(line, r, noise)
        top_chrome = top_chrome or (not kept and cut is not line)
        line = cut
        if not line.text:
            continue
        # Chrome at the top, nothing kept yet: a short line here is a byline, not a headline.
        if top_chrome and not kept and _byline(line.text, r.byline_max_words):
            noise.append(line)
            continue
        n_words = len(line.text.split())
        if label_open and n_words <= r.label_value_max_words:
            label_open = False
            noise.append(line)
            continue
        label_open = False
        if any(p.search(line.text) for p in r.label_lines):
            label_open = True
            noise.append(line)
            continue
        if any(p.search(line.text) for p in r.lines):
            top_chrome = top_chrome or not kept
            noise.append(line)
            continue
        if kept and any(p.search(line.text) for p in r.captions):
            noise.append(line)
            continue
        if any(p.search(line.text) for p in r.related_markers):
            related_open = True
            noise.append(line)
            continue
        if related_open and headline_like(line.text, r.headline_max_words):
            noise.append(line)  # a further teaser headline after "اقرأ أيضا"
            continue
        related_open = False
        if not kept and line.text in r.section_labels:
            noise.append(line)
            continue
        key = " ".join(fold(line.text).split())
        if n_words >= r.repeat_min_words and key in seen:
            noise.append(line)  # repeated standfirst or pull quote
            continue
        seen.add(key)
        kept.append(line)
    return kept, sorted(noise, key=lambda line: line.number)


def _byline(text: str, max_words: int) -> bool:
    """A few words, no digits and no sentence punctuation: "خاص - سعيد", "الحسيمة خالد الزيتوني"."""
    tokens = [t for t in text.split() if t.strip("-–—|/")]
    return 0 < len(tokens) <= max_words and not any(c.isdigit() for c in text) and not ends_sentence(text) \
        and not text.rstrip(_CLOSERS).endswith(("؟", "?", "!"))


def _cut_prefix(line: Line, r: Rules, noise: list[Line]) -> Line:
    """Move chrome glued to the start of the line into noise; return what is left.

    Cut until no prefix matches, so cleaning twice changes nothing ("AHDATH.INFO-AHDATH.INFO- …").
    """
    cut = True
    while cut and line.text:
        cut = False
        for pattern in r.prefixes:
            m = pattern.match(line.text)
            if m and m.end():
                noise.append(Line(line.number, line.text[: m.end()].strip(" -–—:|")))
                line = Line(line.number, line.text[m.end():].strip())
                cut = True
                break
    return line
