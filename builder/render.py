"""Render: article pages and the list items group pages are made of (Markdown text, in memory)."""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring  # what json.dumps(str, ensure_ascii=False) runs, in C
from typing import Any

from .countries import country_name
from .export import article_record
from .display import time_html
from .knowledge import Knowledge
from .markup import html_text, md_text
from .model import Article
from .site_config import SiteConfig
from .topics import topic_label


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


def url_depth(page: str) -> int:
    """How many folders deep a content page is served (use_directory_urls): topics/x.md is
    served at topics/x/ (2), topics/index.md at topics/ (1), index.md at the root (0)."""
    return page.count("/") + (0 if page == "index.md" or page.endswith("/index.md") else 1)


def href(from_page: str, to_page: str) -> str:
    """Relative URL between two content paths as the browser sees them, for raw HTML (which
    MkDocs does not rewrite); a file that is not a page (a feed) keeps its name."""
    return _href(url_depth(from_page), to_page)


def _href(depth: int, to_page: str) -> str:
    if to_page == "index.md" or to_page.endswith("/index.md"):
        target = to_page[: -len("index.md")]
    elif to_page.endswith(".md"):
        target = to_page[:-3] + "/"
    else:
        target = to_page
    return ("../" * depth + target) or "./"


def a_html(label: str, from_page: str, to_page: str) -> str:
    """A raw HTML link whose label is seed text (escaped) and whose target is a page we built."""
    return f'<a href="{href(from_page, to_page)}">{html_text(label)}</a>'


# YAML is a superset of JSON, so a JSON string is a YAML double-quoted scalar, with three
# exceptions PyYAML would not read back: C1 controls and lone surrogates (not printable, refused)
# and NEL / LINE / PARAGRAPH SEPARATOR (line breaks, folded to a space). Those become \u escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _u_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


_PLAIN_KEY = re.compile(r"[a-z_][a-z0-9_]*")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        quoted = encode_basestring(value)
        return _YAML_UNSAFE.sub(_u_escape, quoted) if _YAML_UNSAFE.search(quoted) else quoted
    raise TypeError(f"front matter cannot hold {type(value).__name__}: {value!r}")


def _yaml_lines(data: dict[str, Any], indent: str) -> list[str]:
    out = []
    for key, value in data.items():
        if not _PLAIN_KEY.fullmatch(key):
            raise ValueError(f"front matter key {key!r} is not a plain name")
        if isinstance(value, dict) and value:
            out.append(f"{indent}{key}:\n")
            out += _yaml_lines(value, indent + "  ")
        elif isinstance(value, (list, tuple)) and value:
            out.append(f"{indent}{key}:\n")
            for item in value:
                if isinstance(item, dict) and item:
                    first, *rest = _yaml_lines(item, indent + "  ")
                    out.append(f"{indent}- {first[len(indent) + 2:]}")
                    out += rest
                elif isinstance(item, (list, tuple)) or item == {}:
                    raise TypeError(f"front matter cannot hold nested lists or empty mappings: {key}")
                else:
                    out.append(f"{indent}- {_scalar(item)}\n")
        elif isinstance(value, (dict, list, tuple)):
            out.append(f"{indent}{key}: {'{}' if isinstance(value, dict) else '[]'}\n")
        else:
            out.append(f"{indent}{key}: {_scalar(value)}\n")
    return out


def front_matter(data: dict[str, Any]) -> str:
    """YAML front matter that python-frontmatter and MkDocs read back as `data` (Arabic kept,
    key order kept): block style, every string a JSON-quoted scalar. A few string concatenations
    per key instead of PyYAML's representer (4 s of a 10,000-article render)."""
    return "---\n" + "".join(_yaml_lines(data, "")) + "---\n"


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
    """'date · outlet' line as HTML, the outlet linked to its page."""
    parts = [time_html(article.date, config.month_names, config.hijri)]
    if article.outlet:
        target = outlet_pages.get(article.outlet)
        parts.append(a_html(article.outlet, page, target) if target else html_text(article.outlet))
    return " · ".join(parts)


def list_item(article: Article, config: SiteConfig, page: str, outlet_pages: dict[str, str],
              prefix: str = "", extra: str = "") -> str:
    """One article in a listing, as raw HTML: linked title, byline, summary (every seed text
    escaped). `prefix` and `extra` are HTML we built: a label before the title, a line after."""
    outlet_page = outlet_pages.get(article.outlet) if article.outlet else None
    key = (id(article), id(config), url_depth(page), outlet_page)
    found = _ITEMS.get(key)
    if found is None or found[0] is not article or found[1] is not config:
        if len(_ITEMS) > 200_000:
            _ITEMS.clear()
        found = _ITEMS[key] = (article, config, _list_item(article, config, key[2], outlet_page))
    item = found[2]
    if prefix:
        item = "<li>" + prefix + " " + item[4:]
    if extra:
        item = item[: -len("</li>\n")] + "<br>\n" + extra + "</li>\n"
    return item


def listing(items: list[str], css: str = "digest-list") -> str:
    """List items (`list_item`, `index_item`) as one raw HTML block: Markdown passes it through
    without inline parsing, the costliest part of converting a listing page."""
    return f'<ul class="{css}">\n' + "".join(items) + "</ul>\n\n"


def index_item(label: str, page: str, target: str, note: str = "") -> str:
    """One linked entry of an index list; `note` is HTML we built (a count)."""
    return f"<li>{a_html(label, page, target)}{' ' + note if note else ''}</li>\n"


# An article is listed on a dozen pages at two or three folder depths: render it once per depth
# (170,000 calls for 10,000 articles); its links depend only on the depth of the page. Keyed by
# identity, not by value: hashing a whole Article cost more than rendering it. The entry holds
# the article and config themselves, so their ids cannot be reused while it lives.
_ITEMS: dict[tuple[int, int, int, str | None], tuple[Article, SiteConfig, str]] = {}


def _list_item(article: Article, config: SiteConfig, depth: int, outlet_page: str | None) -> str:
    byline = time_html(article.date, config.month_names, config.hijri)
    if article.outlet:
        name = html_text(article.outlet)
        byline += f' · <a href="{_href(depth, outlet_page)}">{name}</a>' if outlet_page else f" · {name}"
    return (f'<li><strong><a href="{_href(depth, article_path(article))}">{html_text(article.title)}</a></strong><br>\n'
            f"<small>{byline}</small><br>\n{isolate_latin(html_text(article.summary))}</li>\n")


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
    out = [front_matter(article_meta(article, kb)), f"# {md_text(article.title)}\n\n"]
    # Below the heading everything is raw HTML we escape ourselves: inert by construction, and
    # Markdown passes it through without inline parsing (the costliest part of a long Arabic page).
    out.append(f'<p><span class="digest-byline">{byline(article, config, page, links["outlet_pages"])}</span></p>\n\n')
    out.append("".join(f"<p>{isolate_latin(html_text(p))}</p>\n\n" for p in article.body))
    if article.url:
        out.append(f'<p class="digest-source"><a href="{html_text(article.url)}" rel="nofollow noopener">'
                   f"المصدر الأصلي</a></p>\n\n")
    facts = []
    if article.topics:
        facts.append("<strong>المواضيع:</strong> " + "، ".join(
            a_html(topic_label(kb, t), page, f"topics/{t.replace('_', '-')}.md") for t in article.topics))
    if article.countries:
        facts.append("<strong>البلدان:</strong> " + "، ".join(
            a_html(country_name(c), page, f"countries/{c.lower()}.md") for c in article.countries))
    if article.officials:
        facts.append("<strong>المسؤولون:</strong> " + "، ".join(
            a_html(o.name, page, links["official_pages"][o.key]) + (f" ({html_text(o.role)})" if o.role else "")
            for o in article.officials))
    if facts:
        out.append('<div class="digest-facts">\n' + "".join(f"<p>{f}</p>\n" for f in facts) + "</div>\n\n")
    if links.get("coverage"):
        out.append("## تغطيات أخرى للحدث\n\n")
        out.append(listing([list_item(a, config, page, links["outlet_pages"]) for a in links["coverage"]]))
        out.append(f"<p>{a_html('صفحة القصة', page, links['story'])}</p>\n\n")
    if links.get("related"):
        out.append("## اقرأ أيضا في الموجز\n\n")
        out.append(listing([list_item(a, config, page, links["outlet_pages"]) for a in links["related"]]))
    out.append(json_ld(article, config))
    return "".join(out)
