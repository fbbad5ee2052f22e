"""MkDocs rendering on two cores (builder/render_split.py): the site is the one a single process
renders, and the second process's failures and warnings fail the build as the first's would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import BIN, copy_project, mkdocs_build
from builder import render_split
from builder.errors import BuilderError
from builder.processes import cores


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_render_byte_for_byte_the_site_one_renders(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    split = mkdocs_build(project)
    assert split.returncode == 0, split.stderr[-3000:]
    assert "pages rendered by two processes" in split.stderr  # the seed site is above MIN_PAGES
    two = _tree(project / "site")

    monkeypatch.setenv("DIGEST_PROCESSES", "1")
    single = mkdocs_build(project)
    assert single.returncode == 0, single.stderr[-3000:]
    assert "two processes" not in single.stderr
    one = _tree(project / "site")
    assert len(one) > 100 and sorted(two) == sorted(one)
    assert [rel for rel in one if one[rel] != two[rel]] == []
    assert b"<lastmod>" in one["sitemap.xml"]  # the dates come from pages the parent did not render


# The second process's share forced, so that a chosen page is rendered by the chosen process.
_FORCED = """
import sys
from builder import render_split
from mkdocs.__main__ import cli

bad, process = sys.argv[1], sys.argv[2]
def share(pages, in_nav, head_start):
    if process == "second":
        return frozenset({bad})
    return frozenset(f.src_uri for f in pages if f.src_uri != bad and f.src_uri not in in_nav)
render_split._second_share = share
if process == "killed":  # the second process dies on the page, as the kernel's OOM killer would do it
    import os, signal
    from mkdocs.commands import build as mkdocs_build
    first, build_page = os.getpid(), mkdocs_build._build_page
    def build_or_die(page, *args, **kwargs):
        if os.getpid() != first and page.file.src_uri == bad:
            os.kill(os.getpid(), signal.SIGKILL)
        build_page(page, *args, **kwargs)
    mkdocs_build._build_page = build_or_die
    process = "second"
cli(["build", "--strict"])
"""


def _build_with_page(project: Path, text: str, process: str) -> subprocess.CompletedProcess:
    """Build with a curator's page, content/curator-note.md holding `text`, rendered by `process`."""
    page = project / "content" / "curator-note.md"
    page.write_text(text, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("DIGEST_PROCESSES", None)
    try:
        return subprocess.run([str(BIN / "python"), "-c", _FORCED, page.name, process], cwd=project, env=env,
                              capture_output=True, text=True, timeout=300)
    finally:
        page.unlink()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("split") / "project")
    assert mkdocs_build(project).returncode == 0  # content/ is built once; each test adds a page
    return project


def test_a_warning_on_a_page_of_the_second_process_fails_a_strict_build(project):
    result = _build_with_page(project, "# ملاحظة\n\n[رابط](no-such-page.md)\n", "second")
    assert result.returncode != 0
    assert "curator-note.md" in result.stderr and "no-such-page.md" in result.stderr
    assert "pages rendered by the second process gave the warnings above" in result.stderr
    assert "Aborted with 1 warnings in strict mode" in result.stdout  # MkDocs echoes it there


@pytest.mark.parametrize("process", ["second", "first"])
def test_a_page_that_cannot_be_rendered_fails_the_build_in_either_process(project, process):
    result = _build_with_page(project, "---\ntemplate: no-such-template.html\n---\n# ملاحظة\n", process)
    assert result.returncode != 0
    assert "Error building page 'curator-note.md'" in result.stderr and "no-such-template.html" in result.stderr
    if process == "second":  # reported, and the error is a message (in the first, MkDocs shows its own traceback)
        assert "the second rendering process failed: its error is above" in result.stderr
        assert "Traceback" not in result.stderr
    else:  # the second process was stopped, not left rendering into site/
        assert "second rendering process" not in result.stderr


def test_a_warning_on_a_page_in_the_navigation_is_reported_once(tmp_path):
    # Both processes render the pages in the navigation; only the one that writes a page reports it.
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - البحث: search.md\n", "  - البحث: search.md\n  - ملاحظة: curator-note.md\n"), encoding="utf-8")
    (project / "content" / "curator-note.md").write_text("# ملاحظة\n\n[رابط](no-such-page.md)\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0 and "pages rendered by two processes" in result.stderr
    assert result.stderr.count("contains a link 'no-such-page.md'") == 1
    assert "Aborted with 1 warnings in strict mode" in result.stdout


def test_a_second_process_killed_midway_fails_the_build_with_a_message(project):
    result = _build_with_page(project, "# ملاحظة\n", "killed")
    assert result.returncode != 0
    assert "the second rendering process was stopped (signal 9); build again" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_shares_balance_and_the_navigation_stays_here(tmp_path):
    files = []
    for i, size in enumerate([50_000, 40_000, 30_000, 20_000, 10_000] * 20):
        path = tmp_path / f"p{i}.md"
        path.write_bytes(b"x" * size)
        files.append(SimpleNamespace(abs_src_path=str(path), src_uri=path.name))
    in_nav = {"p0.md", "p1.md"}
    theirs = render_split._second_share(files, in_nav, head_start=0)
    assert not theirs & in_nav
    cost = {f.src_uri: render_split.PAGE_COST + os.path.getsize(f.abs_src_path) for f in files}
    here = sum(c if src not in theirs else render_split.READ_COST for src, c in cost.items())
    there = sum(cost[src] for src in theirs)
    assert abs(here - there) <= max(cost.values())
    assert render_split._second_share(files, set(), head_start=10**9) == frozenset(f.src_uri for f in files)


@pytest.mark.parametrize("value", ["0", "two", "-1", "١"])
def test_a_bad_process_count_is_a_message(monkeypatch, value):
    monkeypatch.setenv("DIGEST_PROCESSES", value)
    with pytest.raises(BuilderError, match="DIGEST_PROCESSES: must be a whole number"):
        cores()


def test_the_process_count_can_be_chosen(monkeypatch):
    monkeypatch.setenv("DIGEST_PROCESSES", "1")
    assert cores() == 1
    monkeypatch.setenv("DIGEST_PROCESSES", "3")
    assert cores() == 3
    monkeypatch.delenv("DIGEST_PROCESSES")
    assert cores() == len(os.sched_getaffinity(0))


def test_a_bad_process_count_stops_mkdocs_with_a_message_naming_it(tmp_path):
    project = copy_project(tmp_path / "project")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DIGEST_PROCESSES="many")
    result = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DIGEST_PROCESSES: must be a whole number" in result.stderr and "Traceback" not in result.stderr
