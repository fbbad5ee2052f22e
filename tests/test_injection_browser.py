"""End to end: the hostile corpus mixed with the real seeds becomes a site where seed text is only text.

Built with `mkdocs build --no-strict` (hostile seeds produce warnings by design), opened in headless
Chromium: no injected script runs, no injected element or attribute exists, feeds carry no markup.
Under `--strict` the same seeds fail the build with messages naming the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import BIN, REPO, copy_project
from test_hostile import hostile_seeds
from test_search import browser, serve  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

INJECTED_IDS = ("pwned-img", "pwned-div", "pwned-frame", "pwned-svg", "pwned-a", "pwned-block", "pwned-attr")


def run_mkdocs(project: Path, *flags: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([str(BIN / "mkdocs"), "build", *flags], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-site")
    seeds = hostile_seeds(folder / "corpus")
    for real in (REPO / "seeds").glob("*.txt"):
        shutil.copy2(real, seeds / real.name)
    project = copy_project(folder / "project", seeds=seeds)
    before = _digests(project / "seeds")
    result = run_mkdocs(project, "--no-strict")
    assert result.returncode == 0, result.stderr[-3000:]
    assert _digests(project / "seeds") == before
    project.joinpath("build.log").write_text(result.stderr, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    with serve(hostile_site / "site") as url:
        yield url


def hostile_pages(project: Path) -> list[str]:
    """Site paths of every page whose Markdown carries text from a hostile seed, plus the group pages."""
    pages = ["", "topics/", "countries/", "officials/", "outlets/", "archive/", "stories/"]
    for md in sorted((project / "content").rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        if "pwned" in text or "{{" in text or "evil.example" in text:
            rel = md.relative_to(project / "content").with_suffix("")
            pages.append("" if rel.name == "index" and rel.parent == Path(".") else
                         f"{rel.parent}/" if rel.name == "index" else f"{rel}/")
    return sorted(set(pages))


def test_the_hostile_articles_were_built(hostile_site):
    log = (hostile_site / "build.log").read_text(encoding="utf-8")
    assert "seeds/image.txt: contains NUL bytes" in log and "seeds/huge.txt: is 52,428,800 bytes" in log
    articles = {p.stem for p in (hostile_site / "content/articles").glob("*.md")}
    assert {"html_script", "markdown_links", "raw_html_block", "jinja_macros"} <= articles
    assert len(hostile_pages(hostile_site)) > 10


def test_no_injected_script_runs_and_no_injected_element_exists(browser, hostile_site, hostile_url):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(hostile_url) else None)
    for path in hostile_pages(hostile_site):
        page.goto(hostile_url + path)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)  # an injected onmouseover would fire now
        state = page.evaluate("""ids => ({
            pwned: typeof window.__pwned,
            injected: ids.filter(id => document.getElementById(id)).concat(
                [...document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover],iframe,object,embed,svg[onload]')]
                  .map(e => e.outerHTML.slice(0, 80))),
            // Executable scripts only: JSON-LD may quote a hostile title, as data (with < escaped).
            scripts: [...document.scripts].filter(s => !s.type || /javascript|module/i.test(s.type))
                .map(s => s.src || s.textContent).filter(s => s.includes('pwned')),
            badLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                .filter(h => /^\\s*(javascript|data|vbscript):/i.test(h) || h.includes('evil.example')),
            images: [...document.images].map(i => i.getAttribute('src')).filter(s => s.includes('evil') || s === 'x'),
            title: document.title,
        })""", list(INJECTED_IDS))
        assert state["pwned"] == "undefined", path
        assert state["injected"] == [] and state["scripts"] == [], (path, state)
        assert state["badLinks"] == [] and state["images"] == [], (path, state)
        assert "<script" not in state["title"] or "&lt;" not in state["title"], (path, state["title"])
    assert dialogs == [] and outside == []
    page.close()


def test_hostile_text_is_shown_as_text(browser, hostile_site, hostile_url):
    page = browser.new_page()
    page.goto(hostile_url + "articles/html_script/")
    body = page.inner_text("article")
    assert "<script>window.__pwned=1</script>" in body
    assert '<img src=x onerror="window.__pwned=1" id="pwned-img">' in body
    page.goto(hostile_url + "articles/markdown_links/")
    body = page.inner_text("article")
    assert "[اضغط هنا](javascript:window.__pwned=1)" in body and "![صورة](https://evil.example/pixel.png)" in body
    page.goto(hostile_url + "articles/jinja_macros/")
    assert "{{ 7*7 }}" in page.inner_text("article") and "49" not in page.inner_text("article")
    page.close()


def test_search_shows_hostile_text_as_text(browser, hostile_url):
    page = browser.new_page()
    page.goto(hostile_url + "search/?q=" + "التونسي")
    page.wait_for_selector("#digest-results li")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.eval_on_selector_all("#digest-results li *", "els => els.every(e => ['A','SMALL','TIME','P','MARK','SPAN'].includes(e.tagName))")
    page.close()


BANNED_TAGS = {"script", "img", "iframe", "svg", "object", "embed", "style", "meta", "form"}  # Atom has its own <link>


class _Markup(HTMLParser):
    """Tags and attributes that would do something in a reader that renders the payload as HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BANNED_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")


def markup_in(payload: str) -> list[str]:
    parser = _Markup()
    parser.feed(payload)
    parser.close()
    return parser.found


HTML_ELEMENTS = ("description", "{http://purl.org/rss/1.0/modules/content/}encoded")  # RSS: HTML by spec


def html_payloads(feed: Path) -> list[str]:
    """The parts of a feed a reader renders as HTML (Atom type="html", RSS description, JSON content_html)."""
    if feed.suffix == ".json":
        return [item.get("content_html", "") for item in json.loads(feed.read_text(encoding="utf-8")).get("items", [])]
    root = ElementTree.parse(feed).getroot()
    return [el.text or "" for el in root.iter() if el.get("type") == "html" or el.tag in HTML_ELEMENTS]


def test_feeds_carry_no_markup_from_seeds(hostile_site):
    """Neither the feed file nor any HTML a reader renders from it holds markup that came from a seed."""
    feeds = [p for p in (hostile_site / "site").rglob("*") if p.suffix in (".xml", ".json") and "feeds" in p.parts
             and p.name != "sitemap.xml"]
    assert feeds
    seen_hostile = False
    for feed in feeds:
        raw = feed.read_text(encoding="utf-8")
        # JSON Feed titles and summaries are plain text by spec, so only its content_html is HTML.
        for payload in ([] if feed.suffix == ".json" else [raw]) + html_payloads(feed):
            assert markup_in(payload) == [], (feed, markup_in(payload))
        seen_hostile |= "window.__pwned" in raw
    assert seen_hostile  # the hostile text is in the feeds, as text


def test_json_feeds_hold_no_literal_tag(hostile_site):
    for feed in (hostile_site / "site").rglob("*.json"):
        if "feeds" in feed.parts:
            assert "<" not in feed.read_text(encoding="utf-8"), feed


def test_strict_build_fails_naming_the_files(tmp_path):
    seeds = hostile_seeds(tmp_path / "corpus")
    project = copy_project(tmp_path / "project", seeds=seeds)
    result = run_mkdocs(project, "--strict")
    assert result.returncode != 0
    assert "seeds/image.txt: contains NUL bytes" in result.stderr
    assert "seeds/yaml_bad_values.txt:2: curator field 'published' is '2025-13-01', not a date" in result.stderr
    assert "Traceback" not in result.stderr


def test_strict_build_leaves_content_untouched(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_mkdocs(project, "--strict").returncode == 0
    before = _digests(project / "content")
    (project / "seeds" / "empty.txt").write_bytes(b"")
    (project / "seeds" / "new.txt").write_text("خبر جديد\n\nنص الخبر الجديد عن التعاون الأمني بين المغرب وفرنسا.", encoding="utf-8")
    site_before = _digests(project / "site")
    assert run_mkdocs(project, "--strict").returncode != 0
    assert _digests(project / "content") == before
    assert _digests(project / "site") == site_before
