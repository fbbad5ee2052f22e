"""Incremental builds: a one-seed change re-reads and re-extracts that seed only, and the result is
byte for byte what a cold build of the same seeds writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.generate import generate
from builder.pipeline import build
from conftest import copy_project


def _tree(folder: Path) -> dict[str, bytes]:
    """Every published file (dot-files are the builder's own bookkeeping)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("incremental")
    generate(base / "seeds", 40)
    return copy_project(base / "project", seeds=base / "seeds")


def test_one_changed_seed_is_the_only_one_read_and_extracted_again(project):
    first = build(project)
    assert first.cache_misses == 40 and first.cache_hits == 0
    seed = sorted((project / "seeds").glob("*.txt"))[7]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nوأضاف الوزير أن المباحثات ستستأنف الأسبوع المقبل.\n",
                    encoding="utf-8")
    again = build(project)
    assert (again.cache_misses, again.cache_hits) == (1, 39)
    assert 0 < again.written < len(again.files) // 2  # the article, its groups and feeds; not the site
    assert again.unchanged + again.written == len(again.files)

    cold = project.parent / "cold"
    shutil.copytree(project, cold, ignore=shutil.ignore_patterns("content"))
    (cold / "content").mkdir()
    build(cold, force=True)
    assert _tree(project / "content") == _tree(cold / "content")


def test_a_one_seed_build_makes_only_the_pages_that_depend_on_it(project, monkeypatch):
    import builder.site

    build(project)
    made = []
    real = builder.site.article_page
    monkeypatch.setattr(builder.site, "article_page", lambda a, *rest: made.append(a.id) or real(a, *rest))
    seed = sorted((project / "seeds").glob("*.txt"))[11]
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + " وأكد المسؤول أهمية التنسيق.\n", encoding="utf-8")
    result = build(project)
    assert result.cache_misses == 1
    changed = next(a.id for a in result.articles if a.file.endswith(seed.name))
    assert changed in made and len(made) < 10  # itself and the pages that list it, not all 40

    (project / "content" / f"articles/{changed}.md").write_text("edited by hand\n", encoding="utf-8")
    made.clear()
    build(project, force=True)
    assert made == [changed]  # a page edited by hand is made again, though its key is unchanged
    assert "edited by hand" not in (project / "content" / f"articles/{changed}.md").read_text(encoding="utf-8")


def test_a_one_seed_build_rewrites_only_the_search_index_part_of_its_year(project, monkeypatch):
    import builder.site

    build(project)
    made = []
    real = builder.site.index_text
    monkeypatch.setattr(builder.site, "index_text", lambda docs: made.append(len(docs)) or real(docs))
    search = project / "content" / "search"
    stamps = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in search.glob("index*.json")}
    assert len(stamps) > 3  # the head and a part for each of the generated seeds' years
    seed = sorted((project / "seeds").glob("*.txt"))[13]
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + " وشدد على مواصلة التعاون.\n", encoding="utf-8")
    result = build(project)
    article = next(a for a in result.built if a.file.endswith(seed.name))
    year = f"index-{article.date.year}.json" if article.date else "index-undated.json"
    rewritten = {p.name for p in search.glob("index*.json") if (p.stat().st_ino, p.stat().st_mtime_ns) != stamps[p.name]}
    assert rewritten == {year}
    assert len(made) == 1  # the other parts were not even made: their articles' marks are unchanged


def test_a_seed_cache_entry_is_not_served_once_the_file_changed(project):
    build(project)
    seed = sorted((project / "seeds").glob("*.txt"))[3]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("\n\n", "\n\nوقال مصدر مطلع إن اللقاء جرى في أجواء ودية.\n\n", 1), encoding="utf-8")
    result = build(project)
    assert result.cache_misses == 1
    page = next(a for a in result.articles if a.file.endswith(seed.name))
    assert any("أجواء ودية" in p for p in page.body)


def test_no_op_build_does_nothing(project):
    build(project)
    result = build(project)
    assert result.skipped and result.files == {}


def _cold(project: Path) -> dict[str, bytes]:
    """content/ as a cold build of the same seeds writes it (no cache, no state, no manifest)."""
    cold = project.parent / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    shutil.copytree(project, cold, ignore=shutil.ignore_patterns("content"))
    (cold / "content").mkdir()
    build(cold, force=True)
    return _tree(cold / "content")


def _story(result, seed: Path) -> str:
    return next(a.story for a in result.articles if a.file.endswith(seed.name))


def test_incremental_builds_write_what_a_cold_build_writes(tmp_path):
    """Edit, add and remove seeds, move an article into a story, from one story to another and
    to another month: after each change the incremental build (which starts from the last
    build's stories, related reading and page keys) writes exactly what a cold build writes."""
    generate(tmp_path / "seeds", 40)
    project = copy_project(tmp_path / "project", seeds=tmp_path / "seeds")
    seeds = sorted((project / "seeds").glob("*.txt"))
    build(project)

    def check() -> object:
        result = build(project)
        assert result.cache_hits > 0 and not result.skipped
        assert _tree(project / "content") == _cold(project)
        return result

    def facts_and_text(seed: Path) -> tuple[str, str]:
        text = seed.read_text(encoding="utf-8")
        head, _, body = text.partition("---\n")[2].partition("---\n") if text.startswith("---\n") else ("", "", text)
        return head, body

    seeds[5].write_text(seeds[5].read_text(encoding="utf-8") + "\nوأضاف المصدر أن الاجتماع المقبل سيعقد الشهر القادم.\n",
                        encoding="utf-8")
    check()

    # A second outlet's report of seeds[8]'s event: its headline and lede, then words of its own.
    x_facts, x_body = facts_and_text(seeds[8])
    report = project / "seeds" / "zz_report.txt"
    report.write_text(f"---\n{x_facts}outlet: هسبريس\n---\n" + x_body.strip() + "\n\nوقال مراسلنا إن الحدث لقي متابعة واسعة.\n",
                      encoding="utf-8")
    joined = check()
    assert _story(joined, report) == _story(joined, seeds[8])

    # The story's older report names its outlet: the story's page and feed list it differently,
    # while its newest report is unchanged.
    head, body = facts_and_text(seeds[8])
    head = "".join(line + "\n" for line in head.splitlines() if not line.startswith("outlet:"))
    seeds[8].write_text(f"---\n{head}outlet: اليوم 24\n---\n{body}", encoding="utf-8")
    named = check()
    assert _story(named, report) == _story(named, seeds[8])

    # The report now tells seeds[20]'s event instead: it leaves one story for another.
    z_facts, z_body = facts_and_text(seeds[20])
    report.write_text(f"---\n{z_facts}outlet: هسبريس\n---\n" + z_body.strip() + "\n\nوقال مراسلنا إن الحدث لقي متابعة واسعة.\n",
                      encoding="utf-8")
    moved = check()
    assert _story(moved, report) == _story(moved, seeds[20]) != _story(moved, seeds[8])

    # Another month (its archive page and place in every listing), then no date at all.
    report.write_text("---\npublished: 2019-01-02\noutlet: هسبريس\n---\n" + z_body.strip() + "\n\nوقال مراسلنا إن الحدث لقي متابعة واسعة.\n",
                      encoding="utf-8")
    check()
    report.write_text(z_body.strip() + "\n\nوقال مراسلنا إن الحدث لقي متابعة واسعة.\n", encoding="utf-8")
    check()

    seeds[20].unlink()  # the story's first report goes: the story is renamed after the next one
    check()
    # Another setting: month names are read differently in every page, feed and search document.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("month_names: ar_MA", "month_names: ar_EG"),
                      encoding="utf-8")
    check()
    report.unlink()
    seeds[3].unlink()
    check()


def test_cached_articles_come_without_their_bodies_and_pages_that_show_them_read_them_again(tmp_path):
    """A cached article's body stays in the cache until a page, a full-text feed or a story's
    date needs it: an undated report dated from its story's weekday (which reads its body), and
    every page and feed made again after a setting changed, are what a cold build writes."""
    generate(tmp_path / "seeds", 12)
    project = copy_project(tmp_path / "project", seeds=tmp_path / "seeds")
    seeds = sorted((project / "seeds").glob("*.txt"))
    text = seeds[2].read_text(encoding="utf-8")  # published 2020-02-08
    body = text.partition("---\n")[2].partition("---\n")[2]
    report = project / "seeds" / "zz_report.txt"
    report.write_text("---\noutlet: هسبريس\n---\n" + body.strip() + "\n\nوقال مراسلنا أمس الإثنين إن الحدث لقي متابعة واسعة.\n",
                      encoding="utf-8")
    first = build(project)
    dated = next(a for a in first.articles if a.file.endswith(report.name))
    assert (dated.date_basis, str(dated.date), dated.story) == ("text", "PartialDate(year=2020, month=2, day=11)",
                                                               _story(first, seeds[2]))

    seeds[5].write_text(seeds[5].read_text(encoding="utf-8") + "\nوأضاف المصدر أن الاجتماع المقبل سيعقد الشهر القادم.\n",
                        encoding="utf-8")
    again = build(project)
    left_out = [a for a in again.built if a.body is None]  # all but the edited seed's and the report's
    assert len(left_out) == len(again.built) - 2 and report.name not in {a.file for a in left_out}
    cached = next(a for a in again.built if a.file.endswith(report.name))
    assert (cached.date, cached.date_basis) == (dated.date, "text")
    def bodies(result) -> dict:
        return {a.id: a.body for a in result.articles if not a.file.endswith(seeds[5].name)}

    assert bodies(again) == bodies(first)
    assert _tree(project / "content") == _cold(project)

    config = project / "mkdocs.yml"  # every page and feed is made again, from cached articles
    config.write_text(config.read_text(encoding="utf-8").replace("month_names: ar_MA", "month_names: ar_EG"),
                      encoding="utf-8")
    assert build(project).cache_misses == 0
    assert _tree(project / "content") == _cold(project)


def test_related_reading_from_last_builds_state_is_what_it_computes_from_scratch(project):
    """Random edits (dates, countries, stories, articles added and removed) in a row: the related
    lists recomputed only where `_unsettled` says, from key lists patched where they changed, equal
    the lists computed for every article. An edited article has new bytes (a new digest), as a
    re-extracted one does: its mark names what it was made from."""
    import pickle
    import random
    from dataclasses import replace

    from builder.model import PartialDate
    from builder.site import fingerprints, related_articles
    from builder.site_config import SiteConfig

    # Ten copies of each article over a few days: key lists longer than a candidate slice.
    articles = [replace(a, id=f"{a.id}-{k}", slug=f"{a.slug}-{k}", story=f"{a.story}-{k % 3}",
                        date=PartialDate(2025, 1, 1 + (n + k) % 6))
                for n, a in enumerate(build(project, force=True).articles) for k in range(10)]
    config = SiteConfig.from_mkdocs_yml(project / "mkdocs.yml")
    rng = random.Random(7)
    _, state = related_articles(articles, config, None, fingerprints(articles))
    for trial in range(20):
        new = list(articles)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(new))
            a, op = new[i], rng.random()
            if op < 0.2:
                new.pop(i)
            elif op < 0.4:
                new[i] = replace(a, date=PartialDate(2025, 1, rng.randint(1, 7)))
            elif op < 0.6:
                new[i] = replace(a, story=rng.choice(new).story)
            elif op < 0.8:
                new[i] = replace(a, countries=tuple(rng.sample(["MA", "DZ", "FR", "ES", "EG"], 2)), digest=f"c{trial}")
            else:
                new.append(replace(a, id=f"{a.id}-{trial}", slug=f"{a.slug}-{trial}", topics=("politics",)))
        marks = fingerprints(new)
        full, full_state = related_articles(new, config, None, marks)
        again, state = related_articles(new, config, pickle.loads(pickle.dumps(state)), marks)
        assert {k: [a.id for a in v] for k, v in again.items()} == {k: [a.id for a in v] for k, v in full.items()}
        assert state == full_state
        articles = new


def test_stories_from_last_builds_state_are_what_clustering_from_scratch_finds(project):
    """Random edits in a row (another article's words, another date, one article out and one in,
    new bytes with the same words): clustering that reweighs only what changed finds the same
    stories and dates as clustering everything."""
    import pickle
    import random
    from dataclasses import replace

    from builder.knowledge import load_knowledge
    from builder.model import PartialDate
    from builder.stories import article_event_words, assign_stories, pack, unpack

    kb = load_knowledge()
    articles = [replace(a, story="") for a in build(project, force=True).articles]
    bags = article_event_words(articles, kb)
    rng = random.Random(11)
    state: dict = {}
    assign_stories(articles, kb, bags, state)
    for trial in range(20):
        articles, bags = list(articles), list(bags)
        for _ in range(rng.randint(1, 3)):
            i, op = rng.randrange(len(articles)), rng.random()
            a = articles[i]
            if op < 0.3:
                j = rng.randrange(len(articles))
                bags[i] = pack(dict(unpack(bags[j]), **{"زياده": 1}))
                articles[i] = replace(a, digest=f"w{trial}", date=articles[j].date)
            elif op < 0.5:
                articles[i] = replace(a, digest=f"d{trial}", date=PartialDate(2025, rng.randint(1, 12), rng.randint(1, 28)))
            elif op < 0.7:
                j = rng.randrange(len(articles))
                b, bag = articles[j], bags[j]
                del articles[i], bags[i]
                articles.append(replace(b, id=f"{b.id}-{trial}", slug=f"{b.slug}-{trial}", file=f"{b.file}-{trial}",
                                        digest=f"n{trial}"))
                bags.append(bag)
            else:
                articles[i] = replace(a, digest=f"e{trial}")
        full_state: dict = {}
        full = assign_stories(articles, kb, bags, full_state)
        state = pickle.loads(pickle.dumps(state))
        assert assign_stories(articles, kb, bags, state) == full
        assert state == full_state



def test_the_collector_is_paused_only_while_building(project, monkeypatch):
    """The builder pauses Python's garbage collector while it gathers and writes the site; callers
    (MkDocs) get it back as they had it, also when a strict build fails."""
    import gc

    import builder.write
    from builder.errors import BuilderError

    seen = []
    original = builder.write.write_tree
    monkeypatch.setattr(builder.write, "write_tree", lambda *args: seen.append(gc.isenabled()) or original(*args))
    bad = project / "seeds" / "zz_bad.txt"
    try:
        result = build(project, force=True)
        assert seen == [False] and gc.isenabled() and not gc.get_freeze_count()
        # What the build keeps was filed under the oldest generation, not left for young passes to walk.
        assert len(gc.get_objects(0)) + len(gc.get_objects(1)) < len(gc.get_objects(2)) // 20
        del result
        gc.disable()
        build(project, force=True)
        assert not gc.isenabled()
        gc.enable()
        bad.write_text("---\npublished: 2025-13-01\n---\nنص قصير.\n", encoding="utf-8")
        with pytest.raises(BuilderError):
            build(project, strict=True, force=True)
        assert gc.isenabled()
    finally:
        bad.unlink(missing_ok=True)
        gc.enable()


def test_frequencies_patched_from_last_build_and_the_articles_they_move_are_found():
    """`_reweigh` against counting from scratch, over random edits of packed bags: the patched
    document frequencies equal the counted ones, and the articles to weigh again are exactly the
    new or changed ones and those holding a word whose frequency moved (words that begin alike,
    first and last in a bag, included)."""
    import random
    from collections import Counter

    from builder.stories import _reweigh, pack, unpack

    rng = random.Random(5)
    vocab = ["سفير", "سفيرة", "سفيرات", "رباط", "الرباط", "وزير", "وزيرة", "2025", "20", "قمة", "قمم", "مغرب"]

    def bag() -> str:
        words = rng.sample(vocab, rng.randint(0, 5)) + [f"نادر{rng.randrange(100)}"] * rng.randint(0, 1)  # some rare
        return pack({w: rng.randint(1, 3) for w in words})

    idents = [(f"seeds/{n}.txt", "d0", f"a{n}") for n in range(30)]
    bags = [bag() for _ in idents]
    for trial in range(200):
        df = Counter(w for b in bags for w in unpack(b))
        last = {"df": dict(df), "articles": {own[2]: (own, (), b) for own, b in zip(idents, bags)}}
        new_idents, new_bags = list(idents), list(bags)
        for _ in range(rng.randint(1, 3)):
            i, op = rng.randrange(len(new_idents)), rng.random()
            if op < 0.5:  # new bytes, new words
                new_idents[i] = (new_idents[i][0], f"e{trial}", new_idents[i][2])
                new_bags[i] = bag()
            elif op < 0.7 and len(new_idents) > 2:
                del new_idents[i], new_bags[i]
            else:
                new_idents.append((f"seeds/n{trial}.txt", "d0", f"n{trial}-{rng.random()}"))
                new_bags.append(bag())
        position = {own[2]: i for i, own in enumerate(new_idents)}
        got_df, todo = _reweigh(last, new_bags, new_idents, position)
        counted = Counter(w for b in new_bags for w in unpack(b))
        assert dict(got_df) == dict(counted)
        moved = {w for w in counted.keys() | df.keys() if counted[w] != df[w]}
        fresh = {i for i, own in enumerate(new_idents) if last["articles"].get(own[2], (None,))[0] != own}
        assert todo == fresh | {i for i, b in enumerate(new_bags) if moved & unpack(b).keys()}
        idents, bags = new_idents, new_bags
