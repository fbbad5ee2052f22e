"""The hook's fast path (builder/html_blocks.py) must render every page exactly as Markdown does."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import markdown
import pytest

from builder import html_blocks

CONTENT = Path(__file__).resolve().parent.parent / "content"
PAGES = sorted(CONTENT.rglob("*.md"))


def convert(text: str) -> str:
    return markdown.Markdown(extensions=["md_in_html", "attr_list", "toc"]).convert(text)


def blank_lines_squeezed(html: str) -> str:
    return re.sub(r"\n\s*\n", "\n", html)


def test_there_are_pages_to_check():
    assert len(PAGES) > 50


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_a_built_page_renders_the_same_with_its_html_lifted(page):
    body = frontmatter.loads(page.read_text(encoding="utf-8")).content
    lifted, runs = html_blocks.lift(body)
    fast = html_blocks.restore(convert(lifted), runs)
    assert blank_lines_squeezed(fast) == blank_lines_squeezed(convert(body))


def test_an_article_page_leaves_only_its_headings_to_markdown():
    article = next(p for p in PAGES if p.parent.name == "articles")
    lifted, runs = html_blocks.lift(frontmatter.loads(article.read_text(encoding="utf-8")).content)
    assert runs and "<p>" not in lifted and "<ul" not in lifted
    assert lifted.startswith("# ")


@pytest.mark.parametrize("text", [
    "# t\n\n<div>\n\n*emphasis* inside a block that spans a blank line\n\n</div>",
    '# t\n\n<div markdown="1">\n*emphasis*\n</div>',
    "# t\n\n```html\n\n<p>shown as code</p>\n\n```",
    "# t\n\n<p>a</p>\n\nthe word digestrawhtml0 in the text",
    "# t\n\n<p>opens one tag</p> and text <div>after</div>",
    "# t\n\n<p>closes early</p> *markdown again* <p>b</p>",
    "# t\n\n<div><div>nested, never closed</div>",
])
def test_what_is_not_a_self_contained_block_goes_through_markdown(text):
    lifted, runs = html_blocks.lift(text)
    assert blank_lines_squeezed(html_blocks.restore(convert(lifted), runs)) == blank_lines_squeezed(convert(text))


def test_runs_come_back_in_order_between_markdown_headings():
    text = "# a\n\n<p>1</p>\n\n<ul>\n<li>2</li>\n</ul>\n\n## b\n\n<p>3</p>"
    lifted, runs = html_blocks.lift(text)
    assert lifted == "# a\n\ndigestrawhtml0\n\n## b\n\ndigestrawhtml1"
    assert runs == ["<p>1</p>\n\n<ul>\n<li>2</li>\n</ul>", "<p>3</p>"]
    assert html_blocks.restore(convert(lifted), runs) == (
        '<h1 id="a">a</h1>\n<p>1</p>\n\n<ul>\n<li>2</li>\n</ul>\n<h2 id="b">b</h2>\n<p>3</p>')
