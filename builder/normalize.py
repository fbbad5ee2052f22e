"""Arabic text normalisation shared by extraction, clustering and search.

Two levels: `clean_text` keeps the text as readers see it (NFC, no invisible controls);
`fold` is for matching only: it erases spelling variation that Arabic news writes freely
(diacritics, tatweel, hamza/alef forms, ى/ي, ة/ه, Eastern digits).
"""

from __future__ import annotations

import re
import unicodedata

# Bidi overrides/embeddings/isolates and zero-width characters: invisible, and able to reorder
# or hide text, so they never survive into titles, names or pages.
INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A)),
    None,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # incl. tatweel
_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه",
        "ک": "ك", "ی": "ي", "گ": "ك",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Eastern Arabic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)


def clean_text(text: str) -> str:
    """NFC, drop invisible and control characters, collapse runs of spaces on each line."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = _CONTROL.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def fold(text: str) -> str:
    """Spelling-insensitive form for matching (never shown to readers)."""
    text = _DIACRITICS.sub("", unicodedata.normalize("NFC", text).translate(INVISIBLE))
    return text.translate(_FOLD).lower()


def fold_digits(text: str) -> str:
    """Eastern Arabic and Persian digits → ASCII digits, nothing else changed."""
    return text.translate({k: v for k, v in _FOLD.items() if chr(k).isdigit()})


def strip_clitics(word: str, min_stem: int = 2) -> list[str]:
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
    return forms


_WORD = re.compile(r"[\w\u0600-\u06ff]+")


def words(text: str) -> list[str]:
    """Folded word tokens."""
    return _WORD.findall(fold(text))
