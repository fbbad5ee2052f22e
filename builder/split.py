"""Split: find headlines, drop repeated title lines, and cut a seed into its articles.

A seed usually holds one article, sometimes several pasted one after another. Cascade:

1. The first kept line is the article's title when it is headline-like (at most
   `headline_max_words` words, no sentence-final punctuation) and more text follows.
   Lines right after a title that repeat it (verbatim, or a truncated prefix of it) are dropped.
2. A later line L starts a new article only when all of these hold:
   a. L is headline-like and has at least `MIN_HEADLINE_WORDS` words (inline subheadings such
      as "قنبلة موقوتة" are shorter);
   b. the text before L is a complete article: at least `MIN_ARTICLE_PARAGRAPHS` paragraphs
      and `MIN_ARTICLE_WORDS` words since the last title, and the line just before L ends a
      sentence;
   c. the next line (after any repeat of L) is a lede: not headline-like, at least
      `MIN_LEDE_WORDS` words, and it does not open by continuing the text above
      (`continuation_openers` in boilerplate.yaml: "وبعد مونتريال، …", "من جهته …"), as the
      paragraph after an inline subheading does;
   d. the lede restates the headline: it shares at least `MIN_SHARED_WORDS` and at least
      `MIN_SHARED_SHARE` of L's content words (folded, leading clitics removed). A subheading
      introduces its paragraph without restating it, so it fails here.
   Or, for articles pasted without headlines, a paragraph P after a blank line starts a new
   article when all of these hold:
   a. blank lines are rare in the file (at most `BLANK_SHARE` of the gaps between paragraphs),
      so this one is a seam, not the file's way of separating paragraphs;
   b. the text before P is a complete article (as in 2b);
   c. P opens like a news lead (`lead_openers`: "أعلن الجيش اليمني …", a dateline) and not as
      a continuation;
   d. the text from P to the next seam and the text before P both name countries, and none in
      common: a report on another subject, not the same report going on.
3. Inside each article's body, a run of `related_run_min` or more headline-like lines that do
   not repeat one another is a related-headlines block ("حكم بإعدام …" / "جدل بين …"): noise.
   A single short line inside the body is an inline subheading and stays in the body.
4. Noise lines go to the article whose lines surround them (a closing app notice belongs to
   the last article).
"""

from __future__ import annotations

import math

from .clean import Rules, ends_sentence, headline_like, rules
from .countries import extract_countries
from .knowledge import Knowledge
from .model import Line, Part, Seed
from .normalize import strip_clitics, words

MIN_HEADLINE_WORDS = 3
MIN_ARTICLE_PARAGRAPHS = 2
MIN_ARTICLE_WORDS = 60
MIN_LEDE_WORDS = 12
MIN_SHARED_WORDS = 2
MIN_SHARED_SHARE = 0.4
BLANK_SHARE = 0.25

# Function words never count as shared wording (folded forms).
_STOPWORDS = frozenset(
    "في من على الى عن مع بين بعد قبل عند حول خلال منذ حتى دون ضد لدى او ام ثم ان انه انها كان كانت "
    "هذا هذه ذلك تلك التي الذي الذين اللذين اللتين ما لا لم لن قد كل بعض غير اي هو هي هم نحن "
    "امس اليوم غدا يوم".split()
)


def looks_like_headline(text: str) -> bool:
    """Short and without sentence-final punctuation."""
    return headline_like(text)


def split(seed: Seed, kept: list[Line], noise: list[Line], kb: Knowledge) -> list[Part]:
    """The articles of a seed, each with its title (or None), body and its share of the noise."""
    r = rules(kb)
    max_words = r.headline_max_words
    seams = _seams(seed, kept)
    starts = [0]
    for i in range(1, len(kept)):
        if _starts_article(kept, i, starts[-1], r) or (i in seams and _starts_untitled(seed, kept, i, starts[-1], seams, kb)):
            starts.append(i)
    bounds = list(zip(starts, starts[1:] + [len(kept)]))
    parts = []
    for number, (a, b) in enumerate(bounds, 1):
        title, title_line, body = _title(kept[a:b], max_words)
        body, related = _drop_related_runs(body, max_words, rules(kb).related_run_min)
        low = kept[a].number if number > 1 else -1
        high = kept[b].number if b < len(kept) else math.inf
        own_noise = sorted([n for n in noise if low <= n.number < high] + related, key=lambda n: n.number)
        parts.append(Part(seed, number, len(bounds), title, title_line, tuple(body), tuple(own_noise)))
    return parts or [Part(seed, 1, 1, None, None, (), tuple(noise))]


def _title(lines: list[Line], max_words: int) -> tuple[str | None, int | None, list[Line]]:
    """(title, its line number, body) of one article's lines."""
    if len(lines) < 2 or not headline_like(lines[0].text, max_words):
        return None, None, list(lines)
    title = lines[0]
    body = lines[1:]
    while body and _repeats(title.text, body[0].text):
        body = body[1:]
    return title.text, title.number, body


def _repeats(title: str, line: str) -> bool:
    """The line is the title again, or a truncated prefix of it."""
    t, s = " ".join(words(title)), " ".join(words(line))
    return bool(s) and (s == t or (t.startswith(s) and len(s.split()) >= 2))


def _starts_article(lines: list[Line], i: int, start: int, r: Rules) -> bool:
    """Rule 2 of the cascade: does line i open a new article?"""
    max_words = r.headline_max_words
    head = lines[i].text
    if not headline_like(head, max_words) or len(head.split()) < MIN_HEADLINE_WORDS:
        return False
    if not _complete_before(lines, i, start, max_words):
        return False
    j = i + 1
    while j < len(lines) and _repeats(head, lines[j].text):
        j += 1
    if j >= len(lines):
        return False
    lede = lines[j].text
    if headline_like(lede, max_words) or len(lede.split()) < MIN_LEDE_WORDS:
        return False
    if any(p.match(lede) for p in r.continuation_openers):
        return False  # the paragraph after a subheading goes on with the same report
    return _restates(head, lede)


def _complete_before(lines: list[Line], i: int, start: int, max_words: int) -> bool:
    """Rule 2b: the text since the last article start is a whole article, ending a sentence."""
    before = lines[start:i]
    if before and headline_like(before[0].text, max_words):
        before = before[1:]  # the previous article's own title is not body text
    if len(before) < MIN_ARTICLE_PARAGRAPHS or sum(len(x.text.split()) for x in before) < MIN_ARTICLE_WORDS:
        return False
    return ends_sentence(lines[i - 1].text)


def _seams(seed: Seed, lines: list[Line]) -> set[int]:
    """Indexes of kept lines after a blank line, when blank lines are rare enough to be seams."""
    blank = {seed.first_line + n for n, text in enumerate(seed.text.split("\n")) if not text.strip()}
    after_blank = {
        i for i in range(1, len(lines))
        if lines[i].number - lines[i - 1].number > 1
        and all(n in blank for n in range(lines[i - 1].number + 1, lines[i].number))
    }
    gaps = len(lines) - 1
    return after_blank if gaps and len(after_blank) <= BLANK_SHARE * gaps else set()


def _starts_untitled(seed: Seed, lines: list[Line], i: int, start: int, seams: set[int], kb: Knowledge) -> bool:
    """Rule 2, second form: does the paragraph after a blank line open a new, untitled article?"""
    r = rules(kb)
    lede = lines[i].text
    if headline_like(lede, r.headline_max_words) or len(lede.split()) < MIN_LEDE_WORDS:
        return False
    if not _complete_before(lines, i, start, r.headline_max_words):
        return False
    if any(p.match(lede) for p in r.continuation_openers) or not any(p.match(lede) for p in r.lead_openers):
        return False
    end = min([k for k in seams if k > i] + [len(lines)])
    above = _countries(seed, lines[start:i], kb)
    below = _countries(seed, lines[i:end], kb)
    return bool(above) and bool(below) and not above & below


def _countries(seed: Seed, lines: list[Line], kb: Knowledge) -> set[str]:
    """Every country a run of paragraphs names."""
    return set(extract_countries(Part(seed, 1, 1, None, None, tuple(lines), ()), kb)[0])


def _content_words(text: str) -> list[str]:
    return [w for w in words(text) if len(w) >= 3 and w not in _STOPWORDS and not w.isdigit()]


def _restates(headline: str, lede: str) -> bool:
    """The lede shares enough of the headline's content words (clitics removed)."""
    head = list(dict.fromkeys(_content_words(headline)))
    if not head:
        return False
    lede_forms = {form for w in words(lede) for form in strip_clitics(w, 3)}
    shared = sum(1 for w in head if lede_forms.intersection(strip_clitics(w, 3)))
    return shared >= MIN_SHARED_WORDS and shared >= MIN_SHARED_SHARE * len(head)


def _drop_related_runs(body: list[Line], max_words: int, run_min: int) -> tuple[list[Line], list[Line]]:
    """Rule 3: (body without related-headline runs, the runs' lines)."""
    kept: list[Line] = []
    dropped: list[Line] = []
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and headline_like(body[j].text, max_words):
            j += 1
        run = body[i:j]
        if len(run) >= run_min and not any(_repeats(a.text, b.text) for a, b in zip(run, run[1:])):
            dropped.extend(run)
        else:
            kept.extend(run)
        if j < len(body):
            kept.append(body[j])
        i = j + 1
    return kept, dropped
