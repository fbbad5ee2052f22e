"""Every relative link on every built page leads to a file of the built site.

Listings are raw HTML blocks with final directory URLs, which MkDocs does not validate (it only
checks Markdown links), so this walks the HTML MkDocs wrote.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def relative_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [h for h in parser.hrefs if not urlsplit(h).scheme and not h.startswith(("/", "#"))]


def target_of(page: Path, link: str, site: Path) -> Path | None:
    """The file a relative link from `page` opens, or None when there is none (or it leaves the site)."""
    path = unquote(urlsplit(link).path)
    target = (page.parent / path).resolve() if path else page
    if not target.is_relative_to(site.resolve()):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def broken_links(site: Path) -> list[tuple[str, str]]:
    broken = []
    for page in sorted(site.rglob("*.html")):
        for link in relative_links(page):
            if target_of(page, link, site) is None:
                broken.append((str(page.relative_to(site)), link))
    return broken


def test_every_relative_link_of_every_page_resolves(built_site):
    site = built_site / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    assert sum(len(relative_links(p)) for p in pages) > 500
    assert broken_links(site) == []


def test_listings_are_html_lists_of_directory_urls(built_site):
    listing = (built_site / "content/countries/ma.md").read_text(encoding="utf-8")
    assert '<ul class="digest-list">' in listing and '<a href="../../articles/' in listing
    assert "](../articles/" not in listing  # no Markdown list links left to convert


def test_a_missing_target_is_found(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<a href="../b/">b</a> <a href="../a/">a</a> <a href="#x">x</a>'
                                           '<a href="https://example.org/">out</a>', encoding="utf-8")
    assert broken_links(tmp_path) == [("a/index.html", "../b/")]
