"""Cache: per-seed extraction results and a fingerprint of the last build, kept in content/.

Keys are content hashes (seed bytes, knowledge tables, the builder's own code), never times,
so a stale entry cannot be served. Both files start with a dot: MkDocs never publishes them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path

from .model import Article

CACHE_FILE = ".digest-cache"
STAMP_FILE = ".digest-stamp"
_FORMAT = b"digest-cache-1\n"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the builder's source: changing any rule invalidates every cached extraction."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class ExtractCache:
    """seed key → its articles (before story clustering), loaded once and saved once per build."""

    def __init__(self, folder: Path):
        self.path = folder / CACHE_FILE
        self.entries: dict[str, list[Article]] = {}
        self.used: set[str] = set()
        self.hits = self.misses = 0
        try:
            raw = self.path.read_bytes()
            if raw.startswith(_FORMAT):
                # Our own file in our own output folder, written by `save` below.
                self.entries = pickle.loads(raw[len(_FORMAT):])
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            self.entries = {}  # a missing or unreadable cache only costs time

    @staticmethod
    def key(seed_path: str, seed_digest: str, kb_version: str) -> str:
        return f"{seed_path}\0{seed_digest}\0{kb_version}\0{code_version()}"

    def get(self, key: str) -> list[Article] | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used.add(key)
        return found

    def put(self, key: str, articles: list[Article]) -> None:
        self.entries[key] = articles
        self.used.add(key)

    def save(self) -> None:
        """Keep only the entries this build used, so the cache never grows past the seeds."""
        kept = {k: self.entries[k] for k in sorted(self.used)}
        data = _FORMAT + pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, self.path)


def inputs_fingerprint(seed_files: list[Path], extra: list[bytes]) -> str:
    """What the build depends on, cheaply: each seed's name, size and mtime, plus config bytes."""
    digest = hashlib.sha256(code_version().encode())
    for blob in extra:
        digest.update(hashlib.sha256(blob).digest())
    for path in seed_files:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()
