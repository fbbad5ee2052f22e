"""End to end: the real seeds become a real Arabic RTL site with a feed (built once per session)."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import frontmatter
import yaml

from conftest import REPO, copy_project, mkdocs_build

LABELS = yaml.safe_load((REPO / "tests/data/seeds_labels.yaml").read_text(encoding="utf-8"))


def labelled_articles() -> list[dict]:
    out = []
    for entry in LABELS["articles"]:
        out.extend(entry.get("parts") or [entry])
    return out


def article_pages(project: Path) -> list[frontmatter.Post]:
    return [frontmatter.load(p) for p in sorted((project / "content/articles").glob("*.md"))]


def test_one_page_per_article_with_front_matter_that_round_trips(built_site):
    posts = article_pages(built_site)
    assert len(posts) == len(labelled_articles()) == 6
    for post in posts:
        for key in ("title", "date", "date_precision", "outlet", "countries", "officials", "topics", "summary"):
            assert key in post.metadata, key
        again = frontmatter.loads(frontmatter.dumps(post))
        assert again.metadata == post.metadata


def test_dates_keep_the_curators_precision(built_site):
    by_id = {p["id"]: p for p in article_pages(built_site)}
    assert by_id["000_be4a9685a3f207c1"]["date"] == "2025-02-18"
    assert by_id["001_a743287ba8a00cce"]["date"] == "2025-11"
    assert by_id["001_a743287ba8a00cce"]["date_precision"] == "month"
    html = (built_site / "site/articles/001_a743287ba8a00cce/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-11">نونبر 2025</time>' in html  # a month, never an invented day


def test_untitled_seed_gets_a_generated_title(built_site):
    post = {p["id"]: p for p in article_pages(built_site)}["001_a743287ba8a00cce"]
    assert post["title_generated"] is True
    assert len(post["title"].split()) >= 3


class _Root(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.alternate: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("type") == "application/rss+xml":
            self.alternate.append(attrs["href"])


def test_every_page_is_arabic_rtl_and_links_the_feed(built_site):
    pages = sorted((built_site / "site").rglob("index.html"))
    assert len(pages) > 15
    for page in pages:
        if page.parent.name in ("404",):
            continue
        parser = _Root()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.html_attrs.get("lang") == "ar", page
        assert parser.html_attrs.get("dir") == "rtl", page
        assert parser.alternate, f"{page} has no RSS alternate link"
    for post in article_pages(built_site):
        assert (built_site / "site/articles" / post["slug"] / "index.html").exists()


def test_rss_feed_parses_with_absolute_links_and_stable_guids(built_site):
    feed = feedparser.parse((built_site / "site/feeds/all.rss.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == "ar"
    assert len(feed.entries) == 6
    for entry in feed.entries:
        assert entry.link.startswith("https://")
        assert entry.id.startswith("tag:")
        assert entry.guidislink is False
        assert entry.published_parsed
        assert entry.tags


def test_no_request_to_a_font_server(built_site):
    for page in (built_site / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page


def _tree_digest(root: Path) -> dict[str, str]:
    """Every published file's hash. Dot-files in content/ (the builder's cache folder and build stamp,
    which hold machine paths and times) are never published, so they are left out."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".digest-") for part in p.relative_to(root).parts)}


def test_two_builds_are_byte_identical(built_site, tmp_path):
    again = copy_project(tmp_path / "again")
    result = mkdocs_build(again)
    assert result.returncode == 0, result.stderr[-2000:]
    for folder in ("content", "site"):
        first, second = _tree_digest(built_site / folder), _tree_digest(again / folder)
        assert first.keys() == second.keys()
        differing = [k for k in first if first[k] != second[k]]
        assert not differing, f"{folder}: {differing[:5]}"


def _page(project: Path, path: str) -> str:
    return (project / "site" / path / "index.html").read_text(encoding="utf-8")


def test_article_pages_carry_sharing_meta_and_safe_json_ld(built_site):
    import json
    import re

    html = _page(built_site, "articles/004_79cd4dd5d62162ae")
    assert '<meta property="og:locale" content="ar_AR">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<link rel="canonical" href="https://akhbar-digest.github.io/digest/articles/004_79cd4dd5d62162ae/">' in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1 and scripts[0].isascii() and "<" not in scripts[0]
    data = json.loads(scripts[0])
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "ar"
    assert data["headline"].startswith("المغرب وفرنسا")
    assert data["datePublished"] == "2025-04-14"


def test_json_ld_cannot_close_its_script():
    import json

    from builder.model import Article
    from builder.render import json_ld
    from builder.site_config import SiteConfig

    hostile = Article(id="x", slug="x", file="x", part=1, title="</script><script>alert(1)</script>",
                      title_generated=False, date=None, date_basis="none", dates=(), outlet="a&b", url="",
                      countries=(), countries_primary=(), officials=(), topics=(), summary="<!--", body=())
    out = json_ld(hostile, SiteConfig("https://x.example/", "s", ""))
    inner = out.removeprefix('<script type="application/ld+json">').removesuffix("</script>\n")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["headline"] == hostile.title


def test_sitemap_has_no_build_date(built_site):
    text = (built_site / "site/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://akhbar-digest.github.io/digest/articles/000_be4a9685a3f207c1/</loc>" in text
    assert "<lastmod>2025-02-18</lastmod>" in text
    assert text.count("<lastmod>") == sum(1 for p in article_pages(built_site) if p["date_precision"] == "day")


def test_search_page_and_index_are_built(built_site):
    html = _page(built_site, "search")
    assert 'id="digest-q"' in html and 'id="digest-results"' in html
    assert "assets/javascripts/search.js" in html
    assert (built_site / "site/assets/javascripts/search.js").exists()
    assert not (built_site / "site/search/search_index.json").exists()  # the lunr plugin is off
    assert 'action="search/"' in _page(built_site, "")  # the home page's search form


def test_headings_get_arabic_anchors(built_site):
    html = _page(built_site, "stories/st-003_473e30b3f91dada2-1")
    assert 'id="التغطيات"' in html


def test_month_precision_archive_and_counted_nouns():
    from builder.display import count_label

    assert [count_label(n, "مقال") for n in (1, 2, 3, 10, 11, 103)] == [
        "مقال واحد", "مقالان", "3 مقالات", "10 مقالات", "11 مقالا", "103 مقالات"]
