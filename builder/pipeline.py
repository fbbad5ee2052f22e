"""The whole build, top to bottom: the table of contents of the builder.

    ingest (seeds/ → Seed)        ingest.py, facts.py
    extract (Seed → Article)      extract.py: clean → split → dates, outlet, countries,
                                  officials, topics, summary
    cluster (Articles → stories)  stories.py
    render (→ pages and feeds)    site/
    write (only changed bytes)    write.py

Everything is gathered and rendered in memory before anything is written, so a failure leaves
`content/` exactly as it was.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .countries import known_country_codes
from .errors import Problem
from .extract import extract_seed
from .processes import cores, may_fork
from .progress import progress
from .ingest import SeedFolder, outside_links, read_seed, scan_seed_folder
from .knowledge import DATA_DIR, Knowledge, load_knowledge
from .model import Article, Seed
from .search import article_terms, terms_value
from .stories import article_event_words, assign_stories
from .topics import topic_ids

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from .cache import Extracted, ExtractCache


@dataclass
class Report:
    """What a build saw: problems per input, and counts."""

    problems: list[Problem] = field(default_factory=list)
    seeds_read: int = 0
    seeds_skipped: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def display_path(path: Path | str, base: Path | None) -> str:
    """A path as the user knows it: relative to the project when possible."""
    if base is not None:
        # What relative_to gives for a path below `base`, without parsing both again (30 ms at 10,000 seeds).
        below, text = os.path.join(str(base), ""), str(path)
        if text.startswith(below):
            return text[len(below):]
    try:
        return str(Path(path).relative_to(base)) if base else str(path)
    except ValueError:
        return str(path)


def load_seeds(paths: list[Path], kb: Knowledge, report: Report, base: Path | None = None,
               cache: "ExtractCache | None" = None, listed: dict[Path, SeedFolder] | None = None) -> list[Seed]:
    """Every seed under `paths`, read (see `read_seeds`)."""
    return list(read_seeds(paths, kb, report, base, cache, listed))


def read_seeds(paths: list[Path], kb: Knowledge, report: Report, base: Path | None = None,
               cache: "ExtractCache | None" = None, listed: dict[Path, SeedFolder] | None = None) -> Iterator[Seed]:
    """Read every seed file under `paths`, one at a time; bad ones are reported and left out.

    With a cache, a file whose stat has not changed since the last build is not read again.
    `listed`: the walk of a root the caller has already made (`scan_seed_folder`).
    """
    from .cache import text_key

    topics, countries = set(topic_ids(kb)), known_country_codes(kb)
    seen: dict[str, str] = {}
    for root in paths:
        folder = (listed or {}).get(root) or scan_seed_folder(root)
        report.problems += outside_links(root, base, folder)
        for path in folder.files:
            display = display_path(path, base)
            known = None
            if cache:
                try:
                    stat_key = cache.stat_key(path, kb.version)
                except OSError:
                    stat_key = ""
                known = cache.seed(display, stat_key, kb.version) if stat_key else None
            if known is None:
                seed, problems = read_seed(Path(path), display, topics, countries)
                same_text = (cache.put_seed(display, stat_key, seed, problems) if cache and stat_key
                             else text_key(seed))
            else:  # a cached seed has no text: its extraction is cached too
                seed, problems, same_text = known
            report.problems += problems
            if seed is None:
                report.seeds_skipped += 1
                continue
            duplicate_of = seen.get(same_text)
            if duplicate_of:
                report.problems.append(Problem(display, None, f"has the same text as {duplicate_of}; left out (delete one of them)"))
                report.seeds_skipped += 1
                continue
            seen[same_text] = display
            report.seeds_read += 1
            yield seed


def extract_articles(seeds: Iterable[Seed], kb: Knowledge, cache: "ExtractCache | None" = None,
                     terms: dict[str, bytes] | None = None) -> list[Article]:
    """Extract every seed (from the cache when its bytes and the rules are unchanged), then
    group articles on the same event into stories (from the cache's state of the last build:
    only what a changed seed touches is weighed again). `terms` receives each article's search terms.
    An article from the cache has no body: `cache.whole` gives it.

    `seeds` may be a generator that reads them: extraction starts while the rest are still read."""
    found: list["Extracted | None"] = []
    missing: list[tuple[int, str]] = []  # (place in `found`, cache key) of each seed sent to extraction
    with _Extraction(kb) as extraction:
        for seed in seeds:
            key = cache.key(seed.path, seed.digest, kb.version) if cache else ""
            hit = cache.get(key) if cache else None
            if hit is None:
                extraction.add(seed)
                missing.append((len(found), key))
            found.append(hit)
        for (i, key), extracted in zip(missing, extraction.results()):
            found[i] = extracted
            if cache:
                cache.put(key, extracted)
    articles = [a for articles, _, _ in found for a in articles]
    bags = [bag for _, seed_bags, _ in found for bag in seed_bags]
    if terms is not None:
        terms.update((a.id, t) for articles, _, seed_terms in found for a, t in zip(articles, seed_terms))
    return assign_stories(articles, kb, bags, cache.state if cache else None, cache.whole if cache else None)


PARALLEL_MIN = 200  # below this many seeds to extract, starting worker processes costs more than it saves
BATCH = 32  # seeds sent to a worker at once: fewer round trips, and still an even share at the end


class _Extraction:
    """Seeds are added as they are read. Once PARALLEL_MIN of them wait, worker processes start
    on both cores and take batches while the main process reads on; fewer seeds (a build after
    one edit) are extracted right here. Extraction is pure, so where it runs changes nothing."""

    def __init__(self, kb: Knowledge):
        self.kb = kb
        self.waiting: list[Seed] = []
        self.sent: list = []  # futures of batches, in order
        self.count = 0
        self.pool: "ProcessPoolExecutor | None" = None

    def __enter__(self) -> "_Extraction":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)

    def add(self, seed: Seed) -> None:
        self.waiting.append(seed)
        self.count += 1
        workers = min(cores(), 8)
        if self.pool is None and self.count == PARALLEL_MIN and workers >= 2:
            self.pool = _worker_pool(workers, self.kb)
        if self.pool:
            while len(self.waiting) >= BATCH:
                self._send(self.waiting[:BATCH])
                del self.waiting[:BATCH]

    def _send(self, batch: list[Seed]) -> None:
        assert self.pool is not None
        self.sent.append(self.pool.submit(_worker_extract, batch))

    def results(self) -> Iterator["Extracted"]:
        """Every added seed's extraction, in the order added."""
        if self.pool is None:
            done: Iterator["Extracted"] = (_extract_one(seed, self.kb) for seed in self.waiting)
        else:
            if self.waiting:
                self._send(self.waiting)
            done = (extracted for batch in self.sent for extracted in batch.result())
        return progress(done, self.count, "extracting")


def _worker_pool(workers: int, kb: Knowledge) -> "ProcessPoolExecutor | None":
    """Worker processes for extraction, or None where none can start.

    Forked when no other thread runs (the command line, `mkdocs build`): a fork starts at once
    and has the knowledge tables loaded already. Forking a process that runs threads (the MkDocs
    dev server) can deadlock, so there the workers come from a forkserver and load the tables
    themselves; such a worker first imports the main script again, which a script read from
    stdin (`python - < script.py`) does not have as a file."""
    # Imported here: a build that extracts a few seeds never starts workers (15 ms of imports).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if may_fork() and "fork" in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_use, initargs=(kb,))
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if getattr(main, "__spec__", None) is None and path is not None and not os.path.isfile(path):
        return None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=_worker_start, initargs=(kb.root, kb.version))


def _extract_one(seed: Seed, kb: Knowledge) -> "Extracted":
    """A seed's articles, their event words and search terms (as the index writes them; cached with
    them; search terms read only what extraction decides, never the story or a date stories.py infers)."""
    articles = extract_seed(seed, kb)
    return articles, article_event_words(articles, kb), [terms_value(" ".join(article_terms(a, kb))) for a in articles]


_worker_kb: Knowledge | None = None


def _worker_start(root: Path, version: str) -> None:
    global _worker_kb
    _worker_kb = load_knowledge(root)
    if _worker_kb.version != version:
        raise RuntimeError("knowledge tables changed during the build; run it again")


def _worker_use(kb: Knowledge) -> None:
    global _worker_kb
    _worker_kb = kb
    # The build paused the collector, and a fork inherits that; a worker makes garbage for as long
    # as it runs, so it collects again, but never walks the heap it inherited (nor copies its pages).
    gc.freeze()
    gc.enable()


def _worker_extract(batch: list[Seed]) -> list["Extracted"]:
    assert _worker_kb is not None
    return [_extract_one(seed, _worker_kb) for seed in batch]


def extract_paths(paths: list[Path], base: Path | None = None, kb: Knowledge | None = None) -> tuple[list[Article], Report]:
    """Seeds files or folders → articles (the `extract` command and the evaluation use this)."""
    kb = kb or load_knowledge()
    report = Report()
    seeds = load_seeds(paths, kb, report, base)
    return extract_articles(seeds, kb), report


@dataclass
class BuildResult:
    report: Report
    built: list[Article]  # as the site was built from them: a cached article has no body (see `articles`)
    files: dict  # path under content/ → text, UTF-8 bytes or write.Lazy
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: bool = False  # nothing changed since the last build: no work was done
    cache_hits: int = 0
    cache_misses: int = 0
    whole: Callable[[Article], Article] | None = None  # an article with its body (ExtractCache.whole)

    @functools.cached_property
    def articles(self) -> list[Article]:
        """Every article with its body (unpacked from the cache on first use: a build needs few)."""
        return [self.whole(a) for a in self.built] if self.whole else self.built


def build(project: Path, strict: bool = False, force: bool = False) -> BuildResult:
    """seeds/ → content/: ingest, extract, cluster, render everything in memory, then write.

    When no seed, knowledge table, setting or rule changed since the last build, nothing is
    redone. Under `strict`, any problem (even a warning) stops the build before anything is written.
    """
    from .cache import STAMP_FILE, ExtractCache, inputs_fingerprint
    from .errors import BuilderError
    from .site import render_site
    from .site_config import SiteConfig
    from .write import write_tree

    cores()  # a bad DIGEST_PROCESSES is reported before any work, not halfway
    content = project / "content"
    config_file = project / "mkdocs.yml"
    config = SiteConfig.from_mkdocs_yml(config_file)
    data = project / "builder" / "data"
    kb = load_knowledge(data if data.is_dir() else DATA_DIR)

    seeds_folder = scan_seed_folder(project / "seeds") if (project / "seeds").is_dir() else SeedFolder([], {}, [])
    seed_stats = seeds_folder.stats
    fingerprint = inputs_fingerprint(seed_stats, [config_file.read_bytes(), kb.version.encode(), str(strict).encode()])
    stamp = content / STAMP_FILE
    if not force and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint and _outputs_present(content):
        return BuildResult(Report(), [], {}, skipped=True)

    report = Report()
    cache = ExtractCache(content, seed_stats)
    with _collector_paused():
        # Seeds are extracted as they are read (on both cores when many need it).
        seeds = read_seeds([project / "seeds"], kb, report, base=project, cache=cache, listed={project / "seeds": seeds_folder})
        terms: dict[str, bytes] = {}
        articles = extract_articles(seeds, kb, cache, terms)
        files = render_site(articles, kb, config, terms, lazy=True, state=cache.state, whole=cache.whole)
        if strict and report.problems:
            raise BuilderError(Problem("seeds", None, f"{len(report.problems)} problem(s) under --strict; nothing was written:\n  "
                                       + "\n  ".join(str(p) for p in report.problems)))
        result = write_tree(content, files)
        cache.save()
    # A build with problems is not stamped: the next build reports them again.
    if not report.problems:
        stamp.write_text(fingerprint, encoding="utf-8")
    else:
        stamp.unlink(missing_ok=True)
    return BuildResult(report, articles, files, result.written, result.unchanged, result.removed,
                       cache_hits=cache.hits, cache_misses=cache.misses, whole=cache.whole)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the site is gathered in memory: the build
    makes millions of objects that live to its end (the cache, articles, pages) and few cycles, and
    the collector walking them again and again cost 0.6 s of a 2.5 s one-seed build at 10,000 seeds."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                # What the build made and kept goes straight to the oldest generation: re-enabled
                # as is, the collector's first young pass would walk all of it (0.16 s at 10,000).
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _outputs_present(content: Path) -> bool:
    """Every file the last build wrote is still there (someone may have deleted content/ by hand)."""
    from .write import MANIFEST, manifest_paths

    return (content / MANIFEST).is_file() and all((content / rel).is_file() for rel in manifest_paths(content))
