"""Ingest: turn seed files into decoded, normalised `Seed` records, or say why not.

Bytes are checked before anything trusts them, in this order:

1. The file name: no control or invisible characters (they hide or reorder what a message shows).
2. The size, from the file system, before reading: a 50 MB file is never read into memory.
3. The encoding: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the NUL bytes
   say so), else a legacy Arabic code page found by charset-normalizer (Windows-1256, ISO-8859-6,
   DOS 720). NUL bytes in anything else mean binary (an image renamed .txt): rejected.
4. Mojibake (UTF-8 Arabic once misread as Windows-1252 "Ø§Ù„" or Windows-1256 "ط§ظ„") is read
   back as UTF-8 when that works for the whole text, and rejected when it does not.
5. `clean_text`: LF line ends, no invisible or control characters, NFC.
6. The curator's front-matter block is split off and validated (facts.py).
7. A line longer than `MAX_LINE_CHARS` is cut at a word boundary: no paragraph is that long, and
   later stages must never see unbounded lines.

Every skipped file gets an error and every repair a warning; each message names the file and
says what to do.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .facts import parse_facts, split_front_matter
from .model import CuratorFacts, Seed
from .normalize import INVISIBLE, clean_text

MAX_BYTES = 2_000_000  # a clipping is a few KB; anything this large is not one article
MAX_LINE_CHARS = 20_000  # ~3,500 Arabic words: longer than any paragraph, and than most whole articles
SEED_SUFFIXES = (".txt",)  # a README.md in seeds/ is notes, not an article
LEGACY_ARABIC = ["cp1256", "iso8859_6", "cp720", "cp864", "mac_arabic", "latin_1"]
MAX_CHAOS = 20  # charset-normalizer's "mess" percentage above which a decoding is noise, not text


def _tree(root: Path) -> list[tuple[str, os.DirEntry]]:
    """Everything under `root` as `sorted(root.rglob("*"))` lists it (links to folders are not
    entered), as (path, directory entry): whether it is a file or a link costs no system call,
    and the paths stay strings (a Path per entry cost 20 ms at 10,000 seeds)."""
    found = []
    folders: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while folders:
        folder, names = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    below = (*names, entry.name)
                    found.append((below, entry))
                    try:
                        if entry.is_dir() and not entry.is_symlink():
                            folders.append((entry.path, below))
                    except OSError:
                        pass
        except OSError:
            continue  # an unreadable folder holds nothing we can read
    # Paths under one root sort as their names below it do (pathlib compares the parts), faster.
    found.sort(key=lambda item: item[0])
    return [(entry.path, entry) for _, entry in found]


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


@dataclass(frozen=True)
class SeedFolder:
    """What one walk of a seeds folder finds. Paths are strings as `str(Path)` writes them: a
    Path per seed cost ~30 ms at 10,000 seeds, and only the one seed that is read needs one."""

    files: list[str]  # sorted; hidden files and links leading outside the folder are not read
    stats: dict[str, os.stat_result]  # of each file that could be stat'ed while listed
    outside: list[Path]  # links that lead outside the folder: reported, never read


def scan_seed_folder(root: Path) -> SeedFolder:
    """The seed files under `root` with their stats, and the links that lead outside it."""
    if root.is_file():
        return SeedFolder([str(root)], {}, [])
    real_root = root.resolve()
    files, stats, outside = [], {}, []
    for path, entry in _tree(root):
        # Only a link can lead outside root (links to folders are not entered): resolve only those.
        if entry.is_symlink() and not Path(path).resolve().is_relative_to(real_root):
            outside.append(Path(path))
            continue
        if not entry.name.lower().endswith(SEED_SUFFIXES) or entry.name.startswith("."):
            continue
        if _is_file(entry):  # a FIFO or a device named .txt would block or never end
            files.append(path)
            try:
                stats[path] = entry.stat()
            except OSError:
                pass  # gone since it was listed: reading it says so
    return SeedFolder(files, stats, outside)


def find_seed_files(root: Path) -> list[Path]:
    """Seed files under `root`, sorted; hidden files and links leading outside `root` are not read."""
    return [Path(path) for path in scan_seed_folder(root).files]


def outside_links(root: Path, base: Path | None = None, folder: SeedFolder | None = None) -> list[Problem]:
    """Symlinks in the seeds folder that point outside it: reported (relative to `base`), never read.
    `folder`: the walk of `root`, when the caller has made it."""
    problems = []
    for path in (folder or scan_seed_folder(root)).outside:
        shown = path.relative_to(base) if base and path.is_relative_to(base) else path
        problems.append(Problem(printable(str(shown)), None, "is a link to a file outside the seeds folder; it is "
                                                             "not read (copy the file into the folder instead)"))
    return problems


def printable(text: str) -> str:
    """`text` with control and invisible characters shown as \\uXXXX, for messages."""
    return "".join(f"\\u{ord(c):04x}" if _hidden(c) else c for c in text)


def _hidden(char: str) -> bool:
    return ord(char) in INVISIBLE or unicodedata.category(char) in ("Cc", "Cs") or char in "\u2028\u2029"


_SEED_NAME_OK = "rename it using letters, digits, spaces, '-' and '_'"


def decode(raw: bytes) -> tuple[str | None, str]:
    """(text, encoding name) or (None, reason) when the bytes are not text we can read."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            return None, f"starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte {err.start + 3:,})"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            return None, f"starts with a UTF-16 byte-order mark but is not valid UTF-16 (byte {err.start:,})"
    if b"\x00" in raw:
        text, how = _utf16_without_bom(raw)
        if text is not None:
            return text, how
        return None, "contains NUL bytes: it is a binary file (an image, a document), not a text clipping"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=LEGACY_ARABIC).best()
    if best is None or best.encoding == "latin_1" or best.percent_chaos > MAX_CHAOS:
        return None, ("is neither UTF-8 nor text in a legacy Arabic encoding (Windows-1256, ISO-8859-6, DOS 720); "
                      "it may be a binary file")
    return str(best), best.encoding


def _utf16_without_bom(raw: bytes) -> tuple[str | None, str]:
    """UTF-16 saved without a byte-order mark: decodes, and reads as Arabic or Latin text."""
    if len(raw) % 2:
        return None, ""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        readable = sum(c < "\u0250" and (c.isprintable() or c in "\t\n\r") or "\u0600" <= c <= "\u06ff"
                       or "\u2000" <= c <= "\u206f" or "\ufb50" <= c <= "\ufefe" for c in text)
        if text and readable >= 0.95 * len(text):
            return text, encoding
    return None, ""


def _misread(codepage: str, lead_bytes: bytes, natural: str = "") -> str:
    """Regex alternative: UTF-8 lead bytes of Arabic letters, then a continuation byte, as `codepage` shows them."""
    def show(data: bytes) -> str:
        return "".join(data[i:i + 1].decode(codepage, errors="ignore") or chr(data[i]) for i in range(len(data)))

    continuations = "".join(c for c in show(bytes(range(0x80, 0xC0))) if c not in natural)
    return f"[{re.escape(show(lead_bytes))}][{re.escape(continuations)}]"


# UTF-8 Arabic (lead bytes D8, D9) misread as Windows-1252 shows as "Ø§Ù„", as Windows-1256 as
# "ط§ظ„". After ط/ظ, characters that can follow those letters in real text (Arabic punctuation,
# quotes, dashes, no-break space, joiners) do not count.
_MOJIBAKE = re.compile(_misread("cp1252", b"\xd8\xd9") + "|"
                       + _misread("cp1256", b"\xd8\xd9", natural="،؛؟«»\u00a0\u200c\u200d\u2013\u2014\u2018\u2019\u201c\u201d\u00b7"))
_MOJIBAKE_SHARE = 0.05  # in real mojibake nearly every Arabic letter is such a pair


def looks_like_mojibake(text: str) -> bool:
    """True when the text is mostly UTF-8 Arabic misread through a single-byte code page."""
    signs = len(_MOJIBAKE.findall(text))
    return signs >= 5 and signs >= _MOJIBAKE_SHARE * len(text)


def _latin1_fallback(err: UnicodeError) -> tuple[bytes, int]:
    """Encode-error handler: a character U+0080–U+00FF the code page lacks is its own byte.

    Windows-1252 has no character for bytes 81 8D 8F 90 9D, so a misreading keeps them as
    U+0081 … U+009D; reading the text back needs those bytes again.
    """
    if not isinstance(err, UnicodeEncodeError):
        raise err
    chunk = err.object[err.start:err.end]
    if all(ord(c) < 0x100 for c in chunk):
        return bytes(ord(c) for c in chunk), err.end
    raise err


codecs.register_error("digest-latin1", _latin1_fallback)


def read_back_mojibake(text: str) -> tuple[str, str] | None:
    """(the text read back as UTF-8, the code page it was misread with), or None when that fails."""
    for codepage in ("cp1252", "cp1256"):
        try:
            fixed = text.encode(codepage, errors="digest-latin1").decode("utf-8")
        except UnicodeError:
            continue
        if fixed != text and not looks_like_mojibake(fixed):
            return fixed, codepage
    return None


def cap_lines(text: str, first_line: int, display: str) -> tuple[str, list[Problem]]:
    """Cut lines longer than MAX_LINE_CHARS at a word boundary, with a warning for each."""
    if len(text) <= MAX_LINE_CHARS or max(map(len, text.split("\n"))) <= MAX_LINE_CHARS:
        return text, []
    lines, problems = [], []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if len(line) > MAX_LINE_CHARS:
            cut = line[:MAX_LINE_CHARS].rsplit(" ", 1)[0] if " " in line[:MAX_LINE_CHARS] else line[:MAX_LINE_CHARS]
            problems.append(Problem(display, number, f"line is {len(line):,} characters long; only the first "
                                                     f"{len(cut):,} are kept (a paragraph is at most a few thousand): "
                                                     "put each paragraph on its own line", "warning"))
            line = cut
        lines.append(line)
    return "\n".join(lines), problems


def read_seed(path: Path, display: str, topics: set[str], countries: set[str]) -> tuple[Seed | None, list[Problem]]:
    """Read one seed file. Returns the Seed (or None when it must be skipped) and its problems."""
    if any(_hidden(c) for c in display):
        return None, [Problem(printable(display), None, "has control or invisible characters in its name, which "
                                                        f"hide what messages and links show; {_SEED_NAME_OK}")]
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(display, None, f"is {size:,} bytes; a clipping is at most {MAX_BYTES:,} bytes "
                                                 "(a few KB is usual): split it into one file per article, or remove it")]
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # the file may have grown since stat()
    except OSError as err:
        return None, [Problem(display, None, f"cannot be read ({err.strerror}); check that it is a file you may read")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(display, None, f"is over {MAX_BYTES:,} bytes; split it into one file per article, or remove it")]
    text, how = decode(raw)
    if text is None:
        return None, [Problem(display, None, f"{how}; save the clipping as UTF-8 text, or remove it")]
    problems = []
    if how not in ("utf-8", "utf-8-sig"):
        problems.append(Problem(display, None, f"is not UTF-8; it was read as {how}: check the text on the site, "
                                               "and re-save the file as UTF-8", "warning"))
    if looks_like_mojibake(text):
        read_back = read_back_mojibake(text)
        if read_back is None:
            return None, problems + [Problem(display, None, "looks like mojibake (UTF-8 Arabic misread as another encoding, "
                                                            "e.g. 'Ø§Ù„' or 'ط§ظ„') and cannot be read back; copy the "
                                                            "clipping again from the original page and save it as UTF-8")]
        text, codepage = read_back
        problems.append(Problem(display, None, f"was mojibake (UTF-8 Arabic misread as {codepage}); it was read back "
                                               "as UTF-8: check the text, and re-save the file as UTF-8", "warning"))
    text = clean_text(text)
    front, body, first_line = split_front_matter(text)
    facts = CuratorFacts()
    if front is not None:
        facts, fact_problems = parse_facts(front, display, topics, countries)
        problems += fact_problems
    body, line_problems = cap_lines(body, first_line, display)
    problems += line_problems
    if not body.strip():
        return None, problems + [Problem(display, None, "has no article text (it is empty or only whitespace"
                                                        + (" and curator facts" if front is not None else "")
                                                        + "); paste the article into it, or remove it")]
    seed = Seed(
        path=display,
        name=path.stem,
        text=body,
        first_line=first_line,
        facts=facts,
        digest=hashlib.sha256(raw).hexdigest(),
    )
    return seed, problems
