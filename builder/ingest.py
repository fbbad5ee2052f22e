"""Ingest: turn seed files into decoded, normalised `Seed` records, or say why not.

Bytes are checked before anything trusts them: size, binary content, encoding. Text is decoded
(UTF-8, UTF-16 with BOM, legacy Arabic code pages), NFC-normalised, line endings unified, and
split from the curator's front-matter block.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from .errors import Problem
from .facts import parse_facts, split_front_matter
from .model import Seed
from .normalize import clean_text

MAX_BYTES = 2_000_000  # a clipping is a few KB; anything this large is not one article
SEED_SUFFIXES = (".txt", ".md")


def find_seed_files(root: Path) -> list[Path]:
    """Seed files under `root`, sorted; symlinks that lead outside `root` are not followed."""
    if root.is_file():
        return [root]
    real_root = root.resolve()
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in SEED_SUFFIXES or path.name.startswith("."):
            continue
        if not path.resolve().is_relative_to(real_root):
            continue  # reported by read_seed's caller as outside the seeds folder
        if path.is_file():
            found.append(path)
    return found


def outside_links(root: Path) -> list[Problem]:
    """Symlinks in the seeds folder that point outside it: reported, never read."""
    if root.is_file():
        return []
    real_root = root.resolve()
    return [
        Problem(str(p), None, "is a link to a file outside the seeds folder; it is not read")
        for p in sorted(root.rglob("*"))
        if p.is_symlink() and not p.resolve().is_relative_to(real_root)
    ]


def decode(raw: bytes) -> tuple[str | None, str]:
    """(text, encoding name) or (None, reason) when the bytes are not text we can read."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        try:
            return raw.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return None, "starts with a UTF-8 byte-order mark but is not valid UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, "starts with a UTF-16 byte-order mark but is not valid UTF-16"
    if b"\x00" in raw:
        return None, "contains NUL bytes: it is a binary file, not a text clipping"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["cp1256", "iso8859_6", "cp720", "mac_arabic", "cp864", "latin_1"]).best()
    if best is None or best.encoding in ("latin_1",) or best.percent_chaos > 20:
        return None, "is not UTF-8 and no Arabic legacy encoding (Windows-1256, ISO-8859-6) reads it as text"
    return str(best), best.encoding


def _mojibake(text: str) -> bool:
    """UTF-8 Arabic that was once decoded as Windows-1252/Latin-1 (Ø§Ù„…) looks like this."""
    latin_pairs = sum(text.count(p) for p in ("Ø§", "Ù„", "Ù…", "Ø±", "Ø¨"))
    return latin_pairs >= 5 and latin_pairs * 20 > len(text) / 10


def read_seed(path: Path, display: str, topics: set[str], countries: set[str]) -> tuple[Seed | None, list[Problem]]:
    """Read one seed file. Returns the Seed (or None when it must be skipped) and its problems."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(display, None, f"is {size:,} bytes; a clipping is at most {MAX_BYTES:,} bytes: split it or remove it")]
        raw = path.read_bytes()
    except OSError as err:
        return None, [Problem(display, None, f"cannot be read ({err.strerror})")]
    text, how = decode(raw)
    if text is None:
        return None, [Problem(display, None, f"{how}; save it as UTF-8 text")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _mojibake(text):
        return None, [Problem(display, None, "looks like mojibake (Arabic UTF-8 that was decoded as Latin-1, e.g. 'Ø§Ù„'); re-save the clipping from the original page as UTF-8")]
    text = clean_text(text)
    problems = []
    if how not in ("utf-8", "utf-8-sig"):
        problems.append(Problem(display, None, f"was decoded as {how}; consider saving it as UTF-8", "warning"))
    front, body, first_line = split_front_matter(text)
    from .model import CuratorFacts

    facts = CuratorFacts()
    if front is not None:
        facts, fact_problems = parse_facts(front, display, topics, countries)
        problems += fact_problems
    if not body.strip():
        return None, problems + [Problem(display, None, "has no article text (empty or only whitespace)")]
    seed = Seed(
        path=display,
        name=path.stem,
        text=body,
        first_line=first_line,
        facts=facts,
        digest=hashlib.sha256(raw).hexdigest(),
    )
    return seed, problems
