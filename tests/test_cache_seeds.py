"""The extraction cache keeps a seed's ingest result without its text (the articles hold it), and
a duplicate seed, never extracted, is still read and reported on a cached rebuild; the site's
state keeps only what the last build wrote, rewrites only the shards that changed, and is not read
when a build stopped while saving it."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest

from bench.generate import generate
from builder.cache import CACHE_DIR
from builder.errors import BuilderError
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


def test_a_cached_seed_of_two_articles_gives_each_its_own_body_when_asked(tmp_path: Path):
    from builder.cache import ExtractCache
    from builder.model import Article

    def article(n: int, body: tuple[str, ...]) -> Article:
        return Article(f"s.{n}", f"s-{n}", "seeds/s.txt", n, f"t{n}", False, None, "none", (), "", "", (), (), (), (),
                       "", body, digest="d")

    cache = ExtractCache(tmp_path)
    key = cache.key("seeds/s.txt", "d", "kb")
    cache.put(key, ([article(1, ("first", "second")), article(2, ("third",))], ["", ""], ["", ""]))
    cache.save()

    again = ExtractCache(tmp_path)
    articles, _, _ = again.get(key)
    assert [a.body for a in articles] == [None, None]  # left in the shard until asked for
    assert [again.whole(a).body for a in articles] == [("first", "second"), ("third",)]
    assert again.whole(articles[1]) == article(2, ("third",))
    other = again.key("seeds/s.txt", "e", "kb")  # the same file edited: the same shard is written again
    again.put(other, ([article(1, ("new",))], [""], [""]))
    again.save()

    third = ExtractCache(tmp_path)
    assert [third.whole(a).body for a in third.get(key)[0]] == [("first", "second"), ("third",)]
    assert [third.whole(a).body for a in third.get(other)[0]] == [("new",)]

    # Bodies are read from the file when first asked for: one replaced meanwhile is not misread.
    reader, writer = ExtractCache(tmp_path), ExtractCache(tmp_path)
    first = reader.get(key)[0][0]
    writer.get(key), writer.get(other)
    writer.put(writer.key("seeds/s.txt", "f", "kb"), ([article(1, ("newer",))], [""], [""]))
    writer.save()
    with pytest.raises(BuilderError, match="replaced while this build read it"):
        reader.whole(first)


def _part(ids: range, tag: str) -> dict:
    return {"rules": tag, "articles": {f"a{i}": (i, tag) for i in ids}, "index": {"k": [1, 2]}}


def test_state_saves_only_what_this_build_wrote_and_rewrites_only_changed_shards(tmp_path, monkeypatch):
    import builder.cache as cache

    state = cache.State()
    state["related"], state["stories"], state["old"] = _part(range(500), "r"), _part(range(500), "s"), [1, 2]
    state.save(tmp_path)
    loaded = cache.State.load(tmp_path)
    assert loaded == state and not loaded.written

    dumped = []
    real = cache._dump
    monkeypatch.setattr(cache, "_dump", lambda path, data: dumped.append(path.name) or real(path, data))
    loaded["related"] = _part(range(500), "r") | {"articles": {**_part(range(500), "r")["articles"], "a7": (7, "new")}}
    loaded["stories"] = _part(range(500), "s")
    loaded.save(tmp_path)  # "old" was not written by this build: it is forgotten
    again = cache.State.load(tmp_path)
    assert set(again) == {"related", "stories"} and again["related"]["articles"]["a7"] == (7, "new")
    assert again["stories"] == _part(range(500), "s")
    assert dumped == [cache._state_shard(zlib.crc32(b"a7") % cache.SHARDS), cache.STATE_FILE]


def test_a_state_saved_halfway_is_not_read(tmp_path):
    import builder.cache as cache

    state = cache.State()
    state["related"] = _part(range(100), "r")
    state.save(tmp_path)
    top = (tmp_path / cache.STATE_FILE).read_bytes()
    again = cache.State.load(tmp_path)
    again["related"] = _part(range(100), "changed")
    again.save(tmp_path)
    (tmp_path / cache.STATE_FILE).write_bytes(top)  # as if the build stopped before its top file
    assert cache.State.load(tmp_path) == {}
