"""Material's navigation rendered once per place (builder/chrome.py) must equal rendering it per page."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from builder import chrome
from builder.chrome import ChromeCache


def site_pages(project: Path, site: Path) -> dict[str, bytes]:
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_every_page_is_the_same_with_and_without_the_navigation_cache(built_site, tmp_path, monkeypatch):
    rendered = []
    real_key = chrome.chrome_key
    monkeypatch.setattr(chrome, "chrome_key", lambda *a: rendered.append(real_key(*a)) or real_key(*a))
    cached = site_pages(built_site, tmp_path / "cached")
    monkeypatch.setattr(ChromeCache, "__call__", lambda self, block, page, render: render())
    fresh = site_pages(built_site, tmp_path / "fresh")

    assert len(cached) > 50 and cached.keys() == fresh.keys()
    assert [name for name in cached if cached[name] != fresh[name]] == []
    # The cache did serve most pages: articles share a folder and their sections.
    keys = [k for k in rendered if k is not None]
    assert len(set(keys)) < len(keys) / 2


def test_a_page_in_the_navigation_is_always_rendered_afresh():
    class Page:
        url, meta, toc = "topics/", {}, []

    calls = []
    cache = ChromeCache(frozenset({"topics/"}))
    for _ in range(2):
        cache("tabs", Page(), lambda: calls.append(1) or "tabs")
    assert len(calls) == 2


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_again(tmp_path):
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    first = site_pages(project, tmp_path / "first")
    kept = sorted((project / chrome.TEMPLATE_CACHE).iterdir())
    assert len(kept) > 10  # main.html, base.html and Material's partials
    mtimes = [p.stat().st_mtime_ns for p in kept]
    assert site_pages(project, tmp_path / "again") == first  # served from the kept ones, byte for byte
    assert [p.stat().st_mtime_ns for p in kept] == mtimes

    main = project / "theme_overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block extrahead %}", '{% block extrahead %}<meta name="digest-test" content="edited">', 1), encoding="utf-8")
    edited = site_pages(project, tmp_path / "edited")
    assert all(b'<meta name="digest-test" content="edited">' in html for html in edited.values())


def test_templates_are_compiled_each_time_where_their_folder_cannot_be_made(tmp_path):
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    (project / ".cache").write_text("not a folder")  # even root cannot make a folder under a file
    assert chrome.compiled_templates(project) is None
    assert len(site_pages(project, tmp_path / "site")) > 50  # and the site builds all the same
