"""The extraction cache keeps a seed's ingest result without its text (the articles hold it), and
a duplicate seed, never extracted, is still read and reported on a cached rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.generate import generate
from builder.cache import CACHE_DIR
from builder.pipeline import build
from conftest import copy_project


def test_cached_seed_has_no_text_and_duplicates_are_still_reported(tmp_path: Path):
    generate(tmp_path / "seeds", 6)
    project = copy_project(tmp_path / "project", seeds=tmp_path / "seeds")
    seeds = sorted((project / "seeds").glob("*.txt"))
    shutil.copy(seeds[2], project / "seeds" / "zz_copy.txt")
    first = build(project)
    duplicate = [p for p in first.report.problems if "same text as" in p.message]
    assert len(duplicate) == 1 and "zz_copy" in str(duplicate[0])

    cached = b"".join(p.read_bytes() for p in sorted((project / "content" / CACHE_DIR).iterdir()))
    body = seeds[4].read_text(encoding="utf-8").split("\n\n")[-1].strip()
    assert cached.count(body.encode("utf-8")) == 1  # in the article's body only, not also in the seed

    again = build(project, force=True)
    assert (again.cache_hits, again.cache_misses) == (len(seeds), 0)
    assert [str(p) for p in again.report.problems] == [str(p) for p in first.report.problems]
    assert [a.body for a in again.articles] == [a.body for a in first.articles]
