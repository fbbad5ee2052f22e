"""Split: find headlines, drop repeated title lines, and cut a seed into its articles."""

from __future__ import annotations

from .knowledge import Knowledge
from .model import Line, Part, Seed

_END_PUNCT = tuple(".!؟?:؛…\"”»")


def looks_like_headline(text: str) -> bool:
    """Short and without sentence-final punctuation."""
    return len(text.split()) <= 20 and not text.rstrip().endswith(_END_PUNCT)


def split(seed: Seed, kept: list[Line], noise: list[Line], kb: Knowledge) -> list[Part]:
    """Baseline: one article; the first line is its title when it looks like one."""
    title, title_line, body = None, None, list(kept)
    if body and looks_like_headline(body[0].text) and len(body) > 1:
        title, title_line = body[0].text, body[0].number
        body = body[1:]
        while body and title.startswith(body[0].text):  # repeated or truncated title line
            body = body[1:]
    return [Part(seed, 1, 1, title, title_line, tuple(body), tuple(noise))]
