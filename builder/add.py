"""Add: store a new clipping in seeds/ under a stable name, with a curator-facts template."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import BuilderError, Problem
from .facts import TEMPLATE, split_front_matter
from .ingest import decode
from .normalize import clean_text

_NUMBERED = re.compile(r"^(\d+)_")


def _body_key(text: str) -> str:
    """What makes two clippings the same: their text, whitespace and invisible marks aside."""
    _, body, _ = split_front_matter(clean_text(text.replace("\r\n", "\n").replace("\r", "\n")))
    return " ".join(body.split())


def add_clipping(seeds: Path, raw: bytes, source: str) -> Path:
    """Write `raw` as seeds/<NNN>_<hash16>.txt (UTF-8, facts template on top); refuse duplicates."""
    text, how = decode(raw)
    if text is None:
        raise BuilderError(Problem(source, None, f"{how}; save it as UTF-8 text and try again"))
    key = _body_key(text)
    if not key:
        raise BuilderError(Problem(source, None, "has no text to add"))
    seeds.mkdir(parents=True, exist_ok=True)
    numbers = [-1]
    for existing in sorted(seeds.glob("*.txt")):
        if m := _NUMBERED.match(existing.name):
            numbers.append(int(m.group(1)))
        existing_text, _ = decode(existing.read_bytes())
        if existing_text is not None and _body_key(existing_text) == key:
            raise BuilderError(Problem(source, None, f"has the same text as {existing}; nothing was added"))
    name = f"{max(numbers) + 1:03d}_{hashlib.sha256(key.encode()).hexdigest()[:16]}.txt"
    target = seeds / name
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    if split_front_matter(body)[0] is None:
        body = TEMPLATE + body
    target.write_text(body if body.endswith("\n") else body + "\n", encoding="utf-8")
    return target
