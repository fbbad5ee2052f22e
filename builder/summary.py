"""Summary and generated headlines, taken from the article's own sentences."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


def summarize(paragraphs: list[str], limit: int = 300) -> str:
    """The lede: first sentence(s) of the first paragraph, at most `limit` characters."""
    if not paragraphs:
        return ""
    text = paragraphs[0]
    out = ""
    for sentence in _SENTENCE_END.split(text):
        if out and len(out) + len(sentence) > limit:
            break
        out = f"{out} {sentence}".strip()
    if len(out) > limit:
        out = out[:limit].rsplit(" ", 1)[0] + "…"
    return out


def generate_title(paragraphs: list[str], limit: int = 90) -> str:
    """A headline for an untitled article: the lede's first clause, shortened at a word."""
    if not paragraphs:
        return ""
    clause = re.split(r"[،,.:؛]", paragraphs[0])[0].strip()
    if len(clause) > limit:
        clause = clause[:limit].rsplit(" ", 1)[0] + "…"
    return clause
