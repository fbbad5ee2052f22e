"""Cache: per-seed ingest and extraction results and a fingerprint of the last build, in content/.

Extraction keys are content hashes (seed bytes, knowledge tables, the builder's own code), never
times, so a stale entry cannot be served. Ingest results are keyed by the file's full stat (size,
modification and change times, inode): a file whose stat is unchanged is not read again, so a
one-seed change does not reread 10,000 seeds; `ctime` cannot be set back by any tool, so an edit
always shows. Both files start with a dot: MkDocs never publishes them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .errors import Problem
from .model import Article, Seed

CACHE_FILE = ".digest-cache"
STAMP_FILE = ".digest-stamp"
_FORMAT = b"digest-cache-4\n"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the builder's source: changing any rule invalidates every cached extraction."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


# A seed's articles, each one's event words (story clustering) and search terms (the index): what
# later stages need of an article that only its extraction decides, computed once with it.
Extracted = tuple[list[Article], list[Counter[str]], list[str]]


class ExtractCache:
    """seed key → its articles (before story clustering), event words and search terms; seed file → its
    ingest result. Loaded once and saved once per build."""

    def __init__(self, folder: Path):
        self.path = folder / CACHE_FILE
        self.entries: dict[str, Extracted] = {}
        # display → (stat key, the seed without its text, problems, hash of its text): the text is
        # only needed to extract, and an unchanged seed's extraction is cached below (it would be
        # stored twice: as the seed and as the articles' bodies).
        self.seeds: dict[str, tuple[str, Seed | None, list[Problem], str]] = {}
        self.used: set[str] = set()
        self.seeds_used: set[str] = set()
        self.hits = self.misses = 0
        try:
            raw = self.path.read_bytes()
            if raw.startswith(_FORMAT):
                # Our own file in our own output folder, written by `save` below.
                self.entries, self.seeds = pickle.loads(raw[len(_FORMAT):])
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            self.entries, self.seeds = {}, {}  # a missing or unreadable cache only costs time

    @staticmethod
    def stat_key(path: Path, kb_version: str) -> str:
        st = path.stat()
        return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{kb_version}:{code_version()}"

    def seed(self, display: str, stat_key: str, kb_version: str) -> tuple[Seed | None, list[Problem], str] | None:
        """The ingest result of a seed file whose stat is unchanged and whose extraction is cached
        (the seed comes back without its text), else None; the third item is text_key(seed)."""
        found = self.seeds.get(display)
        if found is None or found[0] != stat_key:
            return None
        seed = found[1]
        if seed is not None and self.key(seed.path, seed.digest, kb_version) not in self.entries:
            return None  # never extracted (a duplicate left out): its text must be read again
        self.seeds_used.add(display)
        return seed, found[2], found[3]

    def put_seed(self, display: str, stat_key: str, seed: Seed | None, problems: list[Problem]) -> str:
        """Remember a seed's ingest result; returns text_key(seed)."""
        key = text_key(seed)
        self.seeds[display] = (stat_key, replace(seed, text="") if seed is not None else None, problems, key)
        self.seeds_used.add(display)
        return key

    @staticmethod
    def key(seed_path: str, seed_digest: str, kb_version: str) -> str:
        return f"{seed_path}\0{seed_digest}\0{kb_version}\0{code_version()}"

    def get(self, key: str) -> Extracted | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used.add(key)
        return found

    def put(self, key: str, extracted: Extracted) -> None:
        self.entries[key] = extracted
        self.used.add(key)

    def save(self) -> None:
        """Keep only the entries this build used, so the cache never grows past the seeds."""
        kept = {k: self.entries[k] for k in sorted(self.used)}
        seeds = {k: self.seeds[k] for k in sorted(self.seeds_used)}
        data = _FORMAT + pickle.dumps((kept, seeds), protocol=pickle.HIGHEST_PROTOCOL)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, self.path)


def text_key(seed: Seed | None) -> str:
    """What two seeds with the same text share (the duplicate check), without keeping the text."""
    return hashlib.sha256(seed.text.strip().encode("utf-8")).hexdigest() if seed is not None else ""


def inputs_fingerprint(seed_files: list[Path], extra: list[bytes]) -> str:
    """What the build depends on, cheaply: each seed's name, size and mtime, plus config bytes."""
    digest = hashlib.sha256(code_version().encode())
    for blob in extra:
        digest.update(hashlib.sha256(blob).digest())
    for path in seed_files:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()
