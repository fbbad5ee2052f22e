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
