"""Render: article pages and the list items group pages are made of (Markdown text, in memory)."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import yaml

from .countries import country_name
from .export import article_record
from .display import time_html
from .knowledge import Knowledge
from .markup import html_text, link, md_text
from .model import Article
from .site_config import SiteConfig
from .topics import topic_label


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: same output, ~10× faster


# A run of Latin words inside escaped text ("&amp;", "&#x27;" are never runs: &, # and letters block).
_LATIN_RUN = re.compile(r"(?<![&#\w])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+)*")


def isolate_latin(md: str) -> str:
    """Latin names and codes in <bdi>, so they cannot reorder the Arabic line around them."""
    return _LATIN_RUN.sub(r"<bdi>\g<0></bdi>", md)


def article_path(article: Article) -> str:
    return f"articles/{article.slug}.md"


def rel(from_page: str, to_page: str) -> str:
    """Relative link between two content paths (both relative to content/)."""
    depth = from_page.count("/")
    return "../" * depth + to_page


def front_matter(data: dict[str, Any]) -> str:
    """YAML front matter that python-frontmatter round-trips (Arabic kept, key order kept)."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return f"---\n{body}---\n"


def article_meta(article: Article, kb: Knowledge) -> dict[str, Any]:
    """The front matter of an article page: the data-interface record (without the body, which
    is the page itself), headline first, plus the labels readers see and the page's slug."""
    record = article_record(article)
    del record["body"]
    meta: dict[str, Any] = {"title": record.pop("title"), **record, "slug": article.slug}
    meta["country_names"] = [country_name(c) for c in article.countries]
    meta["topic_labels"] = [topic_label(kb, t) for t in article.topics]
    meta["description"] = article.summary
    meta["digest_page"] = "article"
    return meta


def byline(article: Article, config: SiteConfig, page: str, outlet_pages: dict[str, str]) -> str:
    """'date · outlet' line, the outlet linked to its page."""
    parts = [time_html(article.date, config.month_names, config.hijri)]
    if article.outlet:
        target = outlet_pages.get(article.outlet)
        parts.append(link(article.outlet, rel(page, target)) if target else md_text(article.outlet))
    return " · ".join(parts)


def list_item(article: Article, config: SiteConfig, page: str, outlet_pages: dict[str, str]) -> str:
    """One article in a group listing: linked title, byline, summary."""
    return _list_item(article, config, page.count("/"), outlet_pages.get(article.outlet) if article.outlet else None)


@functools.lru_cache(maxsize=65_536)
def _list_item(article: Article, config: SiteConfig, depth: int, outlet_page: str | None) -> str:
    # An article is listed on a dozen pages at two or three folder depths: render it once per depth
    # (172,000 calls for 10,000 articles). `rel` reads only the depth of the page it links from.
    page = "/" * depth
    outlet_pages = {article.outlet: outlet_page} if outlet_page else {}
    return (
        f"- **{link(article.title, rel(page, article_path(article)))}**  \n"
        f"  <small>{byline(article, config, page, outlet_pages)}</small>  \n"
        f"  {isolate_latin(md_text(article.summary))}\n"
    )


def json_ld(article: Article, config: SiteConfig) -> str:
    """NewsArticle structured data as a <script> no seed text can leave: ASCII JSON, <>& as \\u escapes."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "ar",
        "mainEntityOfPage": config.absolute(article_path(article)[:-3] + "/"),
    }
    if article.date:
        data["datePublished"] = article.date.iso()
    if article.outlet:
        data["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.url:
        data["isBasedOn"] = article.url
    mentions = [{"@type": "Person", "name": o.name} for o in article.officials]
    mentions += [{"@type": "Country", "name": country_name(c)} for c in article.countries]
    if mentions:
        data["mentions"] = mentions
    text = json.dumps(data, ensure_ascii=True, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>\n'


def article_page(article: Article, kb: Knowledge, config: SiteConfig, links: dict[str, Any]) -> str:
    """The full Markdown of an article page.

    `links` carries the cross-page context the site computed: outlet_pages, official_pages,
    story (path or None), coverage (other articles of the story), related (articles).
    """
    page = article_path(article)
    out = [front_matter(article_meta(article, kb)), f"# {md_text(article.title)}\n"]
    # An inline <span>, not a <p> block: Markdown leaves raw HTML blocks unparsed, and the
    # byline carries a Markdown link to the outlet's page.
    out.append(f'<span class="digest-byline">{byline(article, config, page, links["outlet_pages"])}</span>\n\n')
    # Escaped HTML paragraphs: inert by construction, and Markdown passes them through without
    # inline parsing (the costliest part of rendering a long Arabic page).
    out.append("".join(f"<p>{isolate_latin(html_text(p))}</p>\n\n" for p in article.body))
    if article.url:
        out.append(f'<p class="digest-source"><a href="{html_text(article.url)}" rel="nofollow noopener">'
                   f"المصدر الأصلي</a></p>\n\n")
    facts = []
    if article.topics:
        facts.append("**المواضيع:** " + "، ".join(
            link(topic_label(kb, t), rel(page, f"topics/{t.replace('_', '-')}.md")) for t in article.topics))
    if article.countries:
        facts.append("**البلدان:** " + "، ".join(
            link(country_name(c), rel(page, f"countries/{c.lower()}.md")) for c in article.countries))
    if article.officials:
        facts.append("**المسؤولون:** " + "، ".join(
            link(o.name, rel(page, links["official_pages"][o.key])) + f" ({md_text(o.role)})" if o.role else
            link(o.name, rel(page, links["official_pages"][o.key])) for o in article.officials))
    if facts:
        out.append('<div class="digest-facts" markdown>\n\n' + "\n\n".join(facts) + "\n\n</div>\n\n")
    if links.get("coverage"):
        out.append("## تغطيات أخرى للحدث\n\n")
        out.append("".join(list_item(a, config, page, links["outlet_pages"]) for a in links["coverage"]))
        out.append(f"\n{link('صفحة القصة', rel(page, links['story']))}\n\n")
    if links.get("related"):
        out.append("## اقرأ أيضا في الموجز\n\n")
        out.append("".join(list_item(a, config, page, links["outlet_pages"]) for a in links["related"]))
    out.append("\n" + json_ld(article, config))
    return "".join(out)
