"""Cache: per-seed ingest and extraction results, the site's derived state and a fingerprint of
the last build, in content/.

Extraction keys are content hashes (seed bytes, knowledge tables, the builder's own code), never
times, so a stale entry cannot be served. Ingest results are keyed by the file's full stat (size,
modification and change times, inode): a file whose stat is unchanged is not read again, so a
one-seed change does not reread 10,000 seeds; `ctime` cannot be set back by any tool, so an edit
always shows. The cache folder and the stamp start with a dot: MkDocs never publishes them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import zlib
from dataclasses import replace
from pathlib import Path

from .errors import BuilderError, Problem
from .model import Article, CuratorFacts, Seed

CACHE_DIR = ".digest-cache"
SHARDS = 64  # ~160 seeds a file at 10,000: a one-seed build rewrites ~1 MB, not 60
STATE_FILE = "site"  # the state's parts, without their per-article maps (those are in site-00 … site-3f)
STAMP_FILE = ".digest-stamp"
_NO_FACTS = CuratorFacts()
_FORMAT = b"digest-cache-8\n"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the builder's source: changing any rule invalidates every cached extraction."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


# A seed's articles, each one's event words (story clustering, packed as one string) and search
# terms (the index's JSON value, search.terms_value): what later stages need of an article that
# only its extraction decides, computed once with it.
Extracted = tuple[list[Article], list[str], list[bytes]]


def without_body(article: Article) -> Article:
    """The article with `body` None: what the cache hands out until a page needs the text
    (`ExtractCache.whole`). Copied without re-running the 21-field __init__, as stories._with_story."""
    copy = object.__new__(Article)
    copy.__dict__.update(article.__dict__, body=None)
    return copy


class ExtractCache:
    """seed key → its articles (before story clustering), event words and search terms; seed file → its
    ingest result; and the derived state the site keeps between builds (`state`).

    A folder of SHARDS files, each holding the seeds whose path hashes to it: a shard is read
    when a seed of it is first looked up, and written again only when one of its entries was
    added or is no longer used, so a one-seed build rewrites one shard, not the whole cache.
    A cached article comes without its body (None), which stays packed in its shard until a page
    that shows it is made (`whole`): a one-seed build makes few pages, and the bodies of 10,000
    articles were a third of the time spent reading the cache.
    """

    def __init__(self, folder: Path, stats: "dict[str, os.stat_result] | None" = None):
        self.folder = folder / CACHE_DIR
        self.stats = stats or {}  # seed file → its stat, when the caller has taken it already
        self.shards: dict[int, _Shard] = {}
        self.hits = self.misses = 0
        self._state: State | None = None
        self._bodies_of: dict[str, tuple[str, int]] = {}  # article id → (cache key, place among its seed's articles)

    def _shard(self, seed_path: str) -> "_Shard":
        n = zlib.crc32(seed_path.encode("utf-8")) % SHARDS
        shard = self.shards.get(n)
        if shard is None:
            shard = self.shards[n] = _Shard(self.folder / f"{n:02x}")
        return shard

    def stat_key(self, path: str, kb_version: str) -> str:
        st = self.stats.get(path) or os.stat(path)
        return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{kb_version}:{code_version()}"

    def seed(self, display: str, stat_key: str, kb_version: str) -> tuple[Seed | None, list[Problem], str] | None:
        """The ingest result of a seed file whose stat is unchanged and whose extraction is cached
        (the seed comes back without its text and facts), else None; the third item is text_key(seed)."""
        shard = self._shard(display)
        found = shard.seeds.get(display)
        if found is None or found[0] != stat_key:
            return None
        seed = found[1]
        if seed is not None and self.key(seed.path, seed.digest, kb_version) not in self._shard(seed.path).entries:
            return None  # never extracted (a duplicate left out): its text must be read again
        shard.seeds_used.add(display)
        return seed, found[2], found[3]

    def put_seed(self, display: str, stat_key: str, seed: Seed | None, problems: list[Problem]) -> str:
        """Remember a seed's ingest result; returns text_key(seed)."""
        key = text_key(seed)
        shard = self._shard(display)
        # Without its text and facts: only extraction reads them, and an unchanged seed's extraction
        # is cached (the text would be stored twice, as the seed and as the articles' bodies; 10,000
        # facts records cost 0.1 s to load).
        kept = replace(seed, text="", facts=_NO_FACTS) if seed is not None else None
        shard.seeds[display] = (stat_key, kept, problems, key)
        shard.seeds_used.add(display)
        shard.dirty = True
        return key

    @staticmethod
    def key(seed_path: str, seed_digest: str, kb_version: str) -> str:
        return f"{seed_path}\0{seed_digest}\0{kb_version}\0{code_version()}"

    def get(self, key: str) -> Extracted | None:
        """A seed's cached extraction; its articles have no body (`whole` gives it)."""
        shard = self._shard(key.partition("\0")[0])
        found = shard.entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
            shard.used.add(key)
            for n, article in enumerate(found[0]):
                self._bodies_of[article.id] = (key, n)
        return found

    def whole(self, article: Article) -> Article:
        """`article` with its body, unpacked from its shard if the cache left it out."""
        if article.body is not None:
            return article
        key, n = self._bodies_of[article.id]
        copy = object.__new__(Article)
        copy.__dict__.update(article.__dict__, body=self._shard(key.partition("\0")[0]).body(key, n))
        return copy

    def put(self, key: str, extracted: Extracted) -> None:
        """Keep a seed's extraction (its articles' bodies packed apart: see `whole`)."""
        self._shard(key.partition("\0")[0]).put(key, extracted)

    @property
    def state(self) -> "State":
        """What the site keeps from one build to the next (site.render_site's `state`)."""
        if self._state is None:
            self._state = State.load(self.folder)
        return self._state

    def save(self) -> None:
        """Keep only the entries this build used, so the cache never grows past the seeds; write
        only the shards that changed (a shard no seed of this build fell in is deleted)."""
        if self.folder.is_file():
            self.folder.unlink()  # the single-file cache of older builds
        self.folder.mkdir(parents=True, exist_ok=True)
        for shard in self.shards.values():
            shard.save()
        ours = {shard.path.name for shard in self.shards.values()}
        for n in range(SHARDS):
            if f"{n:02x}" not in ours:
                (self.folder / f"{n:02x}").unlink(missing_ok=True)
        if self._state is not None:
            self._state.save(self.folder)


class _Shard:
    """The cache entries of the seeds whose path hashes to one file.

    The file holds the entries with their articles' bodies left out and, in its tail, each
    entry's bodies pickled apart (cache key → bytes): the tail is read only when a body is asked
    for, and each entry's bodies unpickled only then (a one-seed build reads a few). One file,
    so the two can never come from different builds; a token in both tells a file replaced
    meanwhile (by another build) from this one."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, Extracted] = {}
        # display → (stat key, the seed without its text, problems, hash of its text)
        self.seeds: dict[str, tuple[str, Seed | None, list[Problem], str]] = {}
        self._bodies: dict[str, bytes] | None = {}  # cache key → its articles' bodies, pickled; None: still in the file
        self.token, self.tail = b"", 0
        found = _load_head(path)
        if found:
            (self.entries, self.seeds, self.token), self.tail = found
            self._bodies = None
        self.used: set[str] = set()
        self.seeds_used: set[str] = set()
        self.fresh: set[str] = set()  # entries extracted in this build (their articles have their bodies)
        self.dirty = False

    @property
    def bodies(self) -> dict[str, bytes]:
        """Cache key → the pickled bodies of its articles, for the entries read from the file."""
        if self._bodies is None:
            token, self._bodies = _load_tail(self.path, self.tail) or (None, {})
            if token != self.token:
                raise BuilderError(Problem(str(self.path), None, "was replaced while this build read it (is another "
                                                                 "build running in this folder?); build again"))
        return self._bodies

    def body(self, key: str, n: int) -> tuple[str, ...]:
        """The body of the n-th article of an entry loaded from the file."""
        return pickle.loads(self.bodies[key])[n]

    def put(self, key: str, extracted: Extracted) -> None:
        """An entry extracted in this build: its articles keep their bodies until it is saved."""
        self.entries[key] = extracted
        self.fresh.add(key)
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty and self.used == self.entries.keys() and self.seeds_used == self.seeds.keys():
            return
        kept, bodies = {}, {}
        for k in sorted(self.used):
            if k in self.fresh:
                articles, bags, terms = self.entries[k]
                kept[k] = ([without_body(a) for a in articles], bags, terms)
                bodies[k] = pickle.dumps(tuple(a.body for a in articles), protocol=pickle.HIGHEST_PROTOCOL)
            else:
                kept[k], bodies[k] = self.entries[k], self.bodies[k]
        seeds = {k: self.seeds[k] for k in sorted(self.seeds_used)}
        self.token, self._bodies = os.urandom(8), bodies
        _dump(self.path, (kept, seeds, self.token), tail=(self.token, bodies))


class State(dict):
    """The site's derived state: part name → what a stage keeps from one build for the next.

    Only the parts written in this build are saved, so a part the code stopped writing is
    forgotten. A part's `articles` map (article id → what the part keeps of that article; most of
    the state) is stored across SHARDS files by id, with every part's entries of those ids in one
    file, and a file is written only when its entries changed: a one-seed build rewrites a few
    small files, not the 17 MB state of 10,000 articles.
    """

    def __init__(self, last: dict | None = None, shards: "dict[int, tuple[str, dict]] | None" = None):
        super().__init__(last or {})
        self.written: set[str] = set()
        self.shards = shards or {}  # shard number → (token, {part: {id: entry}}) as loaded

    def __setitem__(self, part: str, value) -> None:
        self.written.add(part)
        super().__setitem__(part, value)

    @classmethod
    def load(cls, folder: Path) -> "State":
        """The state the last build saved in `folder`, or an empty one when any file of it is
        missing, unreadable or not the one the last build's top file names (a build stopped halfway)."""
        top = _load(folder / STATE_FILE)
        if not top:
            return cls()
        parts, sharded, tokens = top
        shards = {}
        for n, token in tokens.items():
            found = _load(folder / _state_shard(n))
            if not found or found[0] != token:
                return cls()
            shards[n] = found
        for name in sharded:
            parts[name]["articles"] = {}
        for _, maps in shards.values():
            for name, entries in maps.items():
                parts[name]["articles"].update(entries)
        return cls(parts, shards)

    def save(self, folder: Path) -> None:
        """Write the parts written in this build; each shard file only when its entries changed,
        the top file last (it names the shard files that go with it)."""
        parts, sharded = {}, []
        maps: dict[int, dict[str, dict]] = {}
        shard_of: dict[str, int] = {}  # an id's shard, hashed once for all the parts that keep it
        for name in sorted(self.written):
            part = self[name]
            entries = part.get("articles") if isinstance(part, dict) else None
            if not isinstance(entries, dict):
                parts[name] = part
                continue
            parts[name] = {k: v for k, v in part.items() if k != "articles"}
            sharded.append(name)
            for key, entry in entries.items():
                n = shard_of.get(key)
                if n is None:
                    n = shard_of[key] = zlib.crc32(key.encode("utf-8")) % SHARDS
                maps.setdefault(n, {}).setdefault(name, {})[key] = entry
        tokens = {}
        for n, entries in sorted(maps.items()):
            last = self.shards.get(n)
            if last is not None and last[1] == entries:
                tokens[n] = last[0]
                continue
            tokens[n] = os.urandom(8).hex()  # names this write: the top file pairs with it, not an older one
            _dump(folder / _state_shard(n), (tokens[n], entries))
        for n in range(SHARDS):
            if n not in tokens:
                (folder / _state_shard(n)).unlink(missing_ok=True)
        _dump(folder / STATE_FILE, (parts, sharded, tokens))


def _state_shard(n: int) -> str:
    return f"{STATE_FILE}-{n:02x}"


def _load(path: Path):
    """A cache file's contents (its head: see `_dump`), or None when it is missing or unreadable
    (that only costs time)."""
    found = _load_head(path)
    return found[0] if found else None


_LENGTH = 8  # bytes of the head's length, after _FORMAT


def _load_head(path: Path):
    """(the head of a cache file, where its tail starts), or None when it is missing or unreadable."""
    try:
        with open(path, "rb") as file:
            if file.read(len(_FORMAT)) == _FORMAT:
                # Our own file in our own output folder, written by `_dump` below.
                size = int.from_bytes(file.read(_LENGTH), "little")
                return pickle.loads(file.read(size)), len(_FORMAT) + _LENGTH + size
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        pass
    return None


def _load_tail(path: Path, offset: int):
    """The tail of a cache file (see `_dump`), or None when it is missing or unreadable."""
    try:
        with open(path, "rb") as file:
            file.seek(offset)
            return pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        return None


def _dump(path: Path, data, tail=None) -> None:
    """Write `data` (the head, read by `_load`) and, after it, `tail` (read by `_load_tail` only
    when asked for), to a temporary file renamed into place."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:  # streamed: the state of 10,000 articles is never held twice as bytes
        out.write(_FORMAT + bytes(_LENGTH))
        pickle.dump(data, out, protocol=pickle.HIGHEST_PROTOCOL)
        size = out.tell() - len(_FORMAT) - _LENGTH
        if tail is not None:
            pickle.dump(tail, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.seek(len(_FORMAT))
        out.write(size.to_bytes(_LENGTH, "little"))
    os.replace(tmp, path)


def text_key(seed: Seed | None) -> str:
    """What two seeds with the same text share (the duplicate check), without keeping the text."""
    return hashlib.sha256(seed.text.strip().encode("utf-8")).hexdigest() if seed is not None else ""


def inputs_fingerprint(seed_stats: "dict[str, os.stat_result]", extra: list[bytes]) -> str:
    """What the build depends on, cheaply: each seed's name, size and mtime (from `seed_stats`, taken
    once for this and for the cache's stat keys), plus config bytes."""
    digest = hashlib.sha256(code_version().encode())
    for blob in extra:
        digest.update(hashlib.sha256(blob).digest())
    for path, st in seed_stats.items():
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()
