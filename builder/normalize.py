"""Arabic text normalisation shared by extraction, clustering and search.

Two levels: `clean_text` keeps the text as readers see it (NFC, no invisible controls);
`fold` is for matching only: it erases spelling variation that Arabic news writes freely
(diacritics, tatweel, hamza/alef forms, ى/ي, ة/ه, Eastern digits).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import compress, repeat
from operator import is_
from typing import Callable, TypeVar

# Characters that are invisible yet able to reorder text (bidi embeddings, overrides, isolates, marks),
# hide it (zero-width characters, word joiners, invisible operators, interlinear annotations, tag
# characters, variation selectors, Hangul fillers) or break words (soft hyphen). None of them
# belongs in a title, a name or a page, so they are removed wherever text is read or matched.
# The visible Arabic format marks (U+0600–U+0605 number signs, U+06DD end of ayah) are kept.
INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x200B, 0x2010))  # zero-width space/non-joiner/joiner, LRM, RLM
    + list(range(0x202A, 0x202F))  # bidi embeddings and overrides
    + list(range(0x2060, 0x2065))  # word joiner, invisible operators
    + list(range(0x2066, 0x2070))  # bidi isolates, deprecated format characters
    + list(range(0xFE00, 0xFE10))  # variation selectors
    + list(range(0xFFF9, 0xFFFC))  # interlinear annotation
    + list(range(0x1BCA0, 0x1BCA4))  # shorthand format controls
    + list(range(0x1D173, 0x1D17B))  # musical format controls
    + [0xE0001] + list(range(0xE0020, 0xE0080))  # tag characters
    + list(range(0xE0100, 0xE01F0)),  # variation selectors supplement
    None,
)
# Controls (C0 but tab and newline; DEL; C1 but NEL), lone surrogates and noncharacters: no
# meaning in text, and some (U+FFFE, U+FFFF) are not even allowed in XML feeds.
_CONTROL_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_CONTROL = re.compile(
    "[" + _CONTROL_BMP
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17))
    + "]"
)
# The same two sets without their astral characters, as one class: `str.translate` and a class
# that holds astral characters both cost ~30 ns a character, a class of BMP characters ~3 ns.
# Text with no astral character (nearly every clipping) is cleaned with this one.
_INVISIBLE_OR_CONTROL_BMP = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in INVISIBLE if c < 0x10000) + _CONTROL_BMP + "]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile(r"\r\n?")  # Windows CRLF and old Mac CR
# Spaces of every width, and the rare separators (NEL, U+2028, U+2029) that editors and `grep -n`
# do not count as line breaks: they become one plain space so line numbers stay the file's.
_SPACES = re.compile(r"[ \t\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")

# Public: the search index ships these two rules to the browser so queries fold as the index did.
DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # incl. tatweel
FOLD_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه",
        "ک": "ك", "ی": "ي", "گ": "ك",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Eastern Arabic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)


def clean_text(text: str) -> str:
    """LF line ends, no invisible or control characters, NFC, one space between words, lines stripped.

    Idempotent: characters are removed before NFC, so no removal can leave a pair that NFC
    would compose on a second pass.
    """
    text = _LINE_BREAKS.sub("\n", text)
    if _ASTRAL.search(text):
        text = _CONTROL.sub("", text.translate(INVISIBLE))
    else:
        text = _INVISIBLE_OR_CONTROL_BMP.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def fold(text: str) -> str:
    """Spelling-insensitive form for matching (never shown to readers)."""
    # Every stage folds the same text again. Words repeat across the whole site, paragraphs only
    # across the stages reading one article: a large cache for the first and a small one for the
    # second keep memory flat at 10,000 articles.
    return _fold_word(text) if len(text) <= 48 else _fold_text(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Invisibles and diacritics are both erased: one class of BMP characters does it at ~3 ns a
    # character; `str.translate` with a dict costs ~45 ns, and folding paragraphs is a hot path.
    if _ASTRAL.search(text):
        text = DIACRITICS.sub("", text.translate(INVISIBLE))
    else:
        text = _ERASED_BMP.sub("", text)
    for letter, plain in _FOLD_PAIRS:  # one `str.replace` per letter present: ~15× faster than translate
        if letter in text:
            text = text.replace(letter, plain)
    return text.lower()


_ERASED_BMP = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in INVISIBLE if c < 0x10000) + DIACRITICS.pattern[1:-1] + "]"
)
_FOLD_PAIRS = tuple((chr(k), v) for k, v in FOLD_MAP.items())
# Replacing letter by letter equals translating all at once only while no replacement is itself replaced.
assert not {plain for _, plain in _FOLD_PAIRS} & {letter for letter, _ in _FOLD_PAIRS}


_fold_word = functools.lru_cache(maxsize=131_072)(_fold)
_fold_text = functools.lru_cache(maxsize=1_024)(_fold)


def fold_digits(text: str) -> str:
    """Eastern Arabic and Persian digits → ASCII digits, nothing else changed."""
    return text.translate({k: v for k, v in FOLD_MAP.items() if chr(k).isdigit()})


@functools.lru_cache(maxsize=262_144)  # news vocabulary repeats: this is called for every word
def strip_clitics(word: str, min_stem: int = 2) -> tuple[str, ...]:
    """A folded word and the forms it can stand for once leading clitics are removed.

    Arabic writes conjunctions (و ف), prepositions (ب ك ل) and the article (ال) as one word
    with the noun: `وبالمغرب` → [`وبالمغرب`, `بالمغرب`, `المغرب`, `مغرب`]; `للعراقيين` (ل + ال,
    whose alef drops) → [..., `العراقيين`, `عراقيين`]. Stems shorter than `min_stem` are not offered.
    """
    forms: list[str] = [word]

    def add(form: str) -> None:
        if len(form) >= min_stem and form not in forms:
            forms.append(form)

    for conj in ("", "و", "ف"):
        if not word.startswith(conj):
            continue
        after_conj = word[len(conj):]
        add(after_conj)
        for prep in ("", "ب", "ك", "ل"):
            if not after_conj.startswith(prep):
                continue
            rest = after_conj[len(prep):]
            if prep == "ل" and rest.startswith("ل"):  # لل = ل + ال
                add("ال" + rest[1:])
                add(rest[1:])
            add(rest)
            if rest.startswith("ال"):
                add(rest[2:])
    return tuple(forms)


MEMO_WORDS = 200_000  # words a `per_word` memo keeps: news vocabulary repeats, and memory stays bounded
_Value = TypeVar("_Value")


def per_word(words: list[str], memo: dict[str, _Value], compute: Callable[[str], _Value]) -> list[_Value]:
    """compute(word) for every word, kept in `memo` for the articles that follow. Extraction asks
    the same question of every word it reads; one `map` over the memo costs less than a call a word.
    `compute` never returns None."""
    found = list(map(memo.get, words))
    if None in found:
        new = {word: compute(word) for word in set(compress(words, map(is_, found, repeat(None))))}
        if len(memo) < MEMO_WORDS:
            memo.update(new)
        found = list(map(new.get, words, found))  # a new word's value, else the one found
    return found


_WORD = re.compile(r"[^\W_]+")  # letters and digits; not the Arabic comma, semicolon or question mark


def words(text: str) -> list[str]:
    """Folded word tokens."""
    return _WORD.findall(fold(text))
