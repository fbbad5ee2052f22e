"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the digest and every group page, with OPML lists.

1. One feed per page that carries `feed:` (the whole digest, each topic, country, official and
   outlet), one per followed story and one of all followed stories; each holds its newest
   entries, newest first: `feed_items` in the digest feed, at most `group_feed_items` in a group's.
   Only the digest feed carries whole articles; group feeds carry summaries linking to them, so
   the feeds' size is bounded by the number of groups, not by how long articles are.
2. An item's id is a tag: URI built from the article's identity (seed name + part), never from
   its title, slug or URL, so a corrected headline is not a new item. A story is one item whose
   id is the story's; when another outlet joins, the same item comes back with a later `updated`.
3. A date is the outlet's local noon (Africa/Casablanca by default) on the first day its precision
   allows: `2025-11` becomes 1 Nov 2025 12:00. Noon keeps the calendar day right in every reader's
   zone; the honest value travels beside it (`dc:date` in W3C-DTF, which allows `2025-11`, and
   `_digest.date` with `_digest.date_precision` in JSON Feed). A story's first report is its
   published date (RSS pubDate), its latest report its updated date (and dc:date). An undated
   article has no pubDate (RSS) and no date_published (JSON Feed); Atom requires `updated`, so it
   gets its feed's.
4. Nothing reads the clock: a feed's updated/lastBuildDate is its newest item's date.
5. Text stays text: titles are plain text escaped by the XML writer; summaries and bodies are
   escaped HTML inside `<div dir="rtl" lang="ar">`; every URL is absolute under site_url (an
   outlet's own article link is the only outside URL: Atom rel="via", JSON Feed external_url).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from typing import Any, Callable
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from lxml import etree

from .cache import code_version
from .countries import country_name
from .display import time_html
from .groups import Groups, group, newest_first, official_name
from .knowledge import Knowledge
from .markup import link, md_text
from . import paths as page_paths
from .model import Article, PartialDate
from .render import article_path, front_matter
from .site_config import SiteConfig
from .topics import topic_ids, topic_label
from .write import Lazy

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
TAG_YEAR = 2025  # the tag: authority date; a constant, or every id would change with the clock
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)  # a feed with no dated item
FEEDS_PAGE = "feeds/index.md"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Group feeds carry each article's whole text by default, as subscribers expect of a feed; an
# article sits in a dozen group feeds, so a large digest may set `extra.digest.group_feeds_full_text:
# false` to send a summary and a link instead (feeds were 64 MB of 88 MB at 1,000 articles with 50
# whole articles per group feed; the 20-item cap below keeps them near a third of that).
# A group feed keeps at most `extra.digest.group_feed_items` of its newest items (20 by default;
# fewer when `feed_items` is lower): a reader polls it, and 20 covers weeks of one country.

# Group kinds in the order the feeds page and all.opml list them: kind → section label.
KINDS = {
    "topics": "المواضيع",
    "countries": "البلدان",
    "officials": "المسؤولون",
    "outlets": "المصادر",
    "stories": "القصص المتابعة",
}


@dataclass(frozen=True)
class Item:
    """One feed entry, format-neutral: an article, or a story told by several outlets."""

    id: str
    title: str
    url: str  # our page
    external_url: str  # the outlet's own page, "" when unknown
    summary: str
    content_html: str
    published: PartialDate | None  # first report
    updated: PartialDate | None  # latest report (== published for an article)
    authors: tuple[tuple[str, str], ...]  # (outlet, its page on the digest)
    source: tuple[str, str] | None  # (outlet, feed base of its outlet feed) for RSS <source>
    categories: tuple[tuple[str, str, str], ...]  # (term, Arabic label, scheme URL)
    extension: dict[str, Any] = field(default_factory=dict, compare=False)  # JSON Feed `_digest`


@dataclass(frozen=True)
class Feed:
    """One feed: what it follows, and its newest items."""

    base: str  # feeds/topics/x, without extension
    kind: str  # all, or a key of KINDS
    label: str  # Arabic name of what it follows
    page: str  # the content page it follows, e.g. topics/x.md
    items: tuple[Item, ...]


# --- URLs, ids and dates -------------------------------------------------------------------------


def page_url(config: SiteConfig, page: str) -> str:
    """Absolute URL of a content page under directory URLs: topics/x.md → …/topics/x/."""
    path = page[:-3]
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return config.absolute(path)


def tag_uri(config: SiteConfig, name: str) -> str:
    """A tag: URI (RFC 4151) under the site's host and path, so two digests on one host differ."""
    parts = urlsplit(config.site_url)
    return f"tag:{parts.hostname or 'localhost'},{TAG_YEAR}:{parts.path or '/'}{quote(name, safe='/._-')}"


def item_datetime(date: PartialDate, zone: str) -> datetime.datetime:
    """Local noon on the first day the date's precision allows (module docstring, rule 3)."""
    return datetime.datetime(date.year, date.month or 1, date.day or 1, 12, 0, tzinfo=ZoneInfo(zone))


def _newest(dates: list[PartialDate | None]) -> PartialDate | None:
    known = [d for d in dates if d]
    return max(known, key=PartialDate.sort_key) if known else None


def _oldest(dates: list[PartialDate | None]) -> PartialDate | None:
    known = [d for d in dates if d]
    return min(known, key=PartialDate.sort_key) if known else None


def feed_updated(items: tuple[Item, ...], zone: str) -> datetime.datetime:
    newest = _newest([i.updated for i in items])
    return item_datetime(newest, zone) if newest else EPOCH


# --- items ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Paths:
    """Where group pages live (site.py's helpers, passed in to keep the import one-way)."""

    topic: Any
    country: Any
    official: Any
    outlet: Any
    story: Any
    feed_base: Any
    all_feed: str


def _site_paths() -> _Paths:
    return _Paths(page_paths.topic_path, page_paths.country_path, page_paths.official_path, page_paths.outlet_path,
                  page_paths.story_path, page_paths.feed_base, page_paths.ALL_FEED)


def _categories(article_topics: list[str], countries: list[str], kb: Knowledge,
                config: SiteConfig) -> tuple[tuple[str, str, str], ...]:
    known = set(topic_ids(kb))
    return (tuple((t, topic_label(kb, t), config.absolute("topics/")) for t in article_topics if t in known) +
            tuple((c, country_name(c), config.absolute("countries/")) for c in countries))


def _byline(outlet: str, outlet_url: str, date: PartialDate | None, config: SiteConfig) -> str:
    parts = []
    if outlet:
        parts.append(f'<a href="{html.escape(outlet_url)}">{html.escape(outlet)}</a>')
    parts.append(time_html(date, config.month_names))
    return f'<p>{" · ".join(parts)}</p>'


def article_item(a: Article, kb: Knowledge, config: SiteConfig, paths: _Paths, full: bool = True) -> Item:
    """An article as a feed entry: its whole text, or (`full=False`) its summary and a link to it."""
    outlet_page = page_url(config, paths.outlet(a.outlet)) if a.outlet else ""
    url = page_url(config, article_path(a))
    if full:
        text = "".join(f"<p>{html.escape(p)}</p>" for p in a.body)
    else:
        text = (f"<p>{html.escape(a.summary or a.title)}</p>"
                f'<p><a href="{html.escape(url)}">{html.escape("المقال كاملا في الموجز")}</a></p>')
    original = (f'<p><a href="{html.escape(a.url)}">{html.escape("المصدر الأصلي")}</a></p>'
                if a.url.startswith(("http://", "https://")) else "")
    content = f'<div dir="rtl" lang="ar">{_byline(a.outlet, outlet_page, a.date, config)}{text}{original}</div>'
    return Item(
        id=tag_uri(config, f"article/{a.id}"),
        title=a.title,
        url=url,
        external_url=a.url if a.url.startswith(("http://", "https://")) else "",
        summary=a.summary or a.title,
        content_html=content,
        published=a.date,
        updated=a.date,
        authors=((a.outlet, outlet_page),) if a.outlet else (),
        source=(a.outlet, paths.feed_base(paths.outlet(a.outlet))) if a.outlet else None,
        categories=_categories(list(a.topics), list(a.countries), kb, config),
        extension={"about": config.absolute("feeds/"), "id": a.id,
                   "date": a.date.iso() if a.date else None, "date_precision": a.date_precision,
                   "topics": list(a.topics), "countries": list(a.countries), "story": a.story},
    )


def story_item(story: str, members: list[Article], kb: Knowledge, config: SiteConfig, paths: _Paths) -> Item:
    """A story as ONE entry: same id whatever joins it; `updated` is its newest report."""
    oldest_first = list(reversed(newest_first(members)))
    lead = oldest_first[0]
    outlets = list(dict.fromkeys(a.outlet for a in oldest_first if a.outlet))
    rows = "".join(
        f'<li><a href="{html.escape(page_url(config, article_path(a)))}">{html.escape(a.title)}</a>'
        f'{" — " + html.escape(a.outlet) if a.outlet else ""} · {time_html(a.date, config.month_names)}</li>'
        for a in oldest_first)
    content = (f'<div dir="rtl" lang="ar"><p>{html.escape(lead.summary or lead.title)}</p>'
               f'<p>{html.escape(f"{len(members)} تغطيات")}</p><ul>{rows}</ul></div>')
    topics = list(dict.fromkeys(t for a in oldest_first for t in a.topics))
    countries = sorted({c for a in oldest_first for c in a.countries})
    dates = [a.date for a in members]
    return Item(
        id=tag_uri(config, f"story/{story}"),
        title=lead.title,
        url=page_url(config, paths.story(story)),
        external_url="",
        summary=lead.summary or lead.title,
        content_html=content,
        published=_oldest(dates),
        updated=_newest(dates),
        authors=tuple((o, page_url(config, paths.outlet(o))) for o in outlets),
        source=None,
        categories=_categories(topics, countries, kb, config),
        extension={"about": config.absolute("feeds/"), "story": story,
                   "date": (_newest(dates).iso() if _newest(dates) else None),
                   "date_precision": _newest(dates).precision if _newest(dates) else "none",
                   "articles": [a.id for a in oldest_first]},
    )


@dataclass(frozen=True)
class _Plan:
    """A feed before its items are made: the feed without items, the articles its items are made
    from (what it follows from, with the settings) and how to make them."""

    feed: Feed
    shown: tuple[Article, ...]
    items: Callable[[], tuple[Item, ...]]


def gather_feeds(articles: list[Article], kb: Knowledge, config: SiteConfig, groups: Groups | None = None) -> list[Feed]:
    """Every feed the site offers, in the order the feeds page lists them (`groups`: the site's
    own grouping of the same articles, when it has one, so it is not computed twice)."""
    return [replace(plan.feed, items=plan.items()) for plan in _plans(articles, kb, config, groups)]


def _plans(articles: list[Article], kb: Knowledge, config: SiteConfig, groups: Groups | None,
           whole: Callable[[Article], Article] | None = None) -> list[_Plan]:
    """gather_feeds, with each feed's items still to make (a one-seed build makes few feeds);
    `whole` gives an item that carries an article's text its body."""
    paths = _site_paths()
    whole = whole or (lambda a: a)
    groups = groups or group(articles)
    articles = groups.newest
    n = config.feed_items
    per_group = min(n, config.group_feed_items)
    briefs: dict[str, Item] = {}  # built only for articles some group feed carries
    told: dict[str, Item] = {}  # story → its item

    def items(members: list[Article]) -> tuple[Item, ...]:
        for a in members[:per_group]:
            if a.id not in briefs:
                briefs[a.id] = article_item(whole(a) if config.group_feeds_full_text else a, kb, config, paths,
                                            full=config.group_feeds_full_text)
        return tuple(briefs[a.id] for a in members[:per_group])

    def story(s: str) -> Item:
        if s not in told:
            told[s] = story_item(s, groups.stories[s], kb, config, paths)
        return told[s]

    plans = []

    def plan(base: str, kind: str, label: str, page: str, shown: list[Article],
             make: Callable[[], tuple[Item, ...]]) -> None:
        plans.append(_Plan(Feed(base, kind, label, page, ()), tuple(shown), make))

    newest = articles[:n]
    plan(paths.all_feed, "all", config.site_name, "index.md", newest,
         lambda: tuple(article_item(whole(a), kb, config, paths) for a in newest))
    for t in topic_ids(kb):
        if t in groups.topics:
            members = groups.topics[t]
            plan(paths.feed_base(paths.topic(t)), "topics", topic_label(kb, t), paths.topic(t), members[:per_group],
                 functools.partial(items, members))
    for code, members in groups.countries.items():
        plan(paths.feed_base(paths.country(code)), "countries", country_name(code), paths.country(code),
             members[:per_group], functools.partial(items, members))
    for key, members in groups.officials.items():
        plan(paths.feed_base(paths.official(key)), "officials", official_name(groups.official_records[key]),
             paths.official(key), members[:per_group], functools.partial(items, members))
    for outlet, members in groups.outlets.items():
        plan(paths.feed_base(paths.outlet(outlet)), "outlets", outlet, paths.outlet(outlet), members[:per_group],
             functools.partial(items, members))
    followed = {s: m for s, m in groups.stories.items() if len(m) > 1}

    def updated(s: str) -> tuple:
        # What story_item's `updated` and `id` sort by, without making the item.
        newest_date = _newest([a.date for a in followed[s]])
        return (newest_date is not None, newest_date.sort_key() if newest_date else (0, 0, 0),
                tag_uri(config, f"story/{s}"))

    if followed:
        latest = sorted(followed, key=updated, reverse=True)[:n]
        plan(paths.feed_base("stories/index.md"), "stories", KINDS["stories"], "stories/index.md",
             [a for s in latest for a in followed[s]], lambda: tuple(story(s) for s in latest))
    for s, members in followed.items():
        plan(paths.feed_base(paths.story(s)), "stories", newest_first(members)[-1].title, paths.story(s), members,
             functools.partial(lambda s: (story(s),), s))
    return plans


# --- RSS 2.0 and Atom (feedgen) --------------------------------------------------------------------


def _title(feed: Feed, config: SiteConfig) -> str:
    return feed.label if feed.kind == "all" else f"{feed.label} — {config.site_name}"


def _description(feed: Feed, config: SiteConfig) -> str:
    if feed.kind == "all":
        return config.description or config.site_name
    return f"{config.site_name}: آخر ما نشر عن «{feed.label}»"


def _channel(feed: Feed, config: SiteConfig) -> FeedGenerator:
    """A feedgen feed without its items, with every date pinned (no clock)."""
    updated = feed_updated(feed.items, config.timezone)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=True, rss=True)
    fg.id(tag_uri(config, feed.base))
    fg.title(_title(feed, config))
    fg.description(_description(feed, config))
    fg.author(name=config.site_name, uri=config.site_url)
    fg.language("ar")
    fg.generator("akhbar-digest", uri=config.absolute("feeds/"))
    fg.updated(updated)  # also lastBuildDate, which feedgen would otherwise set to now
    if feed.items:
        fg.pubDate(updated)
    return fg


class _Entries:
    """Each item's RSS <item> and Atom <entry> as text, made once however many feeds carry it.

    An article sits in the digest feed and in a feed per topic, country, official and outlet it
    names. An entry reads the same in every feed of a format (same depth, same namespaces), so its
    text is cut once from a feed holding it alone, and each feed is its channel's text with the
    entries' texts spliced in before the closing tag.
    """

    def __init__(self, config: SiteConfig):
        self.config = config
        self.scratch = FeedGenerator()
        self.scratch.load_extension("dc", atom=True, rss=True)
        self.stub: dict[str, tuple[bytes, str]] = {}  # format → the channel an entry is cut from, and its text
        # Keyed by id and content: the digest feed's full text and a group feed's summary share an id.
        self.rss_items: dict[tuple[str, str], str] = {}
        self.atom_items: dict[tuple[str, str, datetime.datetime | None], str] = {}
        self.json_items: dict[int, tuple[Item, str]] = {}  # by identity: the item is kept alive with it

    def _entry(self, item: Item, fallback: datetime.datetime):
        zone = self.config.timezone
        fe = self.scratch.add_entry(order="append")
        self.scratch.remove_entry(fe)  # the scratch feed only lends its extensions
        fe.id(item.id)
        fe.guid(item.id, permalink=False)
        fe.title(item.title)
        fe.link(href=item.url, rel="alternate")
        if item.external_url:
            fe.link(href=item.external_url, rel="via")
        fe.summary(html.escape(item.summary), type="html")  # also the RSS description (HTML by spec)
        fe.content(item.content_html, type="html")
        # feedgen's pubDate *is* Atom's published: the first report. The latest report is Atom's
        # updated and dc:date, which keeps the date's own precision (`2025-11`).
        fe.updated(item_datetime(item.updated, zone) if item.updated else fallback)
        if item.published:
            fe.published(item_datetime(item.published, zone))
        if item.updated:
            fe.dc.dc_date(item.updated.iso())
        for name, url in item.authors:
            fe.author(name=name, uri=url)
        if item.source:
            fe.source(url=self.config.absolute(item.source[1] + ".rss.xml"), title=item.source[0])
        for term, label, scheme in item.categories:
            fe.category(term=term, label=label, scheme=scheme)
        return fe

    def json(self, item: Item) -> str:
        """The item's JSON Feed object, indented as an element of the feed's `items`."""
        found = self.json_items.get(id(item))
        if found is None:
            # JSON escapes a line break inside a string, so every newline here is indentation.
            text = json.dumps(_json_entry(item, self.config.timezone), ensure_ascii=False, indent=2)
            found = self.json_items[id(item)] = (item, text.replace("\n", "\n    "))
        return found[1]

    def _stub(self, form: str) -> tuple[bytes, str]:
        if form not in self.stub:
            stub = Feed("feeds/stub", "all", "stub", "index.md", ())
            if form == "rss":
                channel = _rss_channel(stub, self.config)
                self.stub[form] = channel, _rss_document(channel, [])
            else:
                channel = _atom_channel(stub, self.config)
                self.stub[form] = channel, _atom_document(channel, [], [], self.config)
        return self.stub[form]

    def rss(self, item: Item) -> str:
        key = (item.id, item.content_html)
        found = self.rss_items.get(key)
        if found is None:
            channel, empty = self._stub("rss")
            alone = _rss_document(channel, [self._entry(item, EPOCH).rss_entry()])
            found = self.rss_items[key] = _cut(alone, empty, RSS_CLOSE)
        return found

    def atom(self, item: Item, fallback: datetime.datetime) -> str:
        key = (item.id, item.content_html, None if item.updated else fallback)  # undated: its feed's date
        found = self.atom_items.get(key)
        if found is None:
            channel, empty = self._stub("atom")
            alone = _atom_document(channel, [self._entry(item, fallback).atom_entry()], [item], self.config)
            found = self.atom_items[key] = _cut(alone, empty, ATOM_CLOSE)
        return found


RSS_CLOSE, ATOM_CLOSE = "  </channel>\n</rss>\n", "</feed>\n"  # where a feed's entries end


def _cut(alone: str, empty: str, close: str) -> str:
    """The text of the one entry in `alone`: what it adds to the same feed without entries."""
    head = empty[: -len(close)]
    assert alone.startswith(head) and alone.endswith(close), "an entry changed its feed's own elements"
    return alone[len(head): -len(close)]


def _splice(empty: str, close: str, entries: list[str]) -> str:
    assert empty.endswith(close), "a feed's own elements after its entries"
    return empty[: -len(close)] + "".join(entries) + close


def _serialize(root: etree._Element) -> str:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _rss_channel(feed: Feed, config: SiteConfig) -> bytes:
    fg = _channel(feed, config)
    # feedgen takes the channel <link> from the last link given: the page, after the self link.
    fg.link([{"href": config.absolute(feed.base + ".rss.xml"), "rel": "self", "type": "application/rss+xml"},
             {"href": page_url(config, feed.page), "rel": "alternate"}], replace=True)
    return fg.rss_str()


def _rss_document(channel_xml: bytes, entries: list[etree._Element]) -> str:
    root = etree.fromstring(channel_xml)
    channel = root[0]
    for entry in entries:
        channel.append(entry)
    return _serialize(etree.fromstring(etree.tostring(root)))


def rss(feed: Feed, config: SiteConfig, entries: _Entries | None = None) -> str:
    entries = entries or _Entries(config)
    return _splice(_rss_document(_rss_channel(feed, config), []), RSS_CLOSE, [entries.rss(item) for item in feed.items])


def _atom_channel(feed: Feed, config: SiteConfig) -> bytes:
    fg = _channel(feed, config)
    fg.link([{"href": config.absolute(feed.base + ".atom.xml"), "rel": "self", "type": "application/atom+xml"},
             {"href": page_url(config, feed.page), "rel": "alternate", "type": "text/html"}], replace=True)
    return fg.atom_str()


def _atom_document(channel_xml: bytes, entries: list[etree._Element], items: list[Item], config: SiteConfig) -> str:
    root = etree.fromstring(channel_xml)
    for entry in entries:
        root.append(entry)
    # Serialised and read back, as feedgen's own output would be, so the entries take the
    # document's Atom namespace before they are looked up in it.
    root = etree.fromstring(etree.tostring(root))
    by_id = {i.id: i for i in items}
    for entry in root.iter(f"{{{ATOM_NS}}}entry"):
        item = by_id[entry.findtext(f"{{{ATOM_NS}}}id")]
        entry.find(f"{{{ATOM_NS}}}content").set(XML_LANG, "ar")
        old = entry.find(f"{{{ATOM_NS}}}source")
        if old is not None:
            entry.replace(old, _atom_source(item, config))
    return _serialize(root)


def atom(feed: Feed, config: SiteConfig, entries: _Entries | None = None) -> str:
    entries = entries or _Entries(config)
    fallback = feed_updated(feed.items, config.timezone)
    return _splice(_atom_document(_atom_channel(feed, config), [], [], config), ATOM_CLOSE,
                   [entries.atom(item, fallback) for item in feed.items])


def _atom_source(item: Item, config: SiteConfig) -> etree._Element:
    """RFC 4287 §4.2.11: the feed the entry also appears in — the outlet's feed on this digest."""
    outlet, base = item.source
    source = etree.Element(f"{{{ATOM_NS}}}source")
    etree.SubElement(source, f"{{{ATOM_NS}}}id").text = tag_uri(config, base)
    etree.SubElement(source, f"{{{ATOM_NS}}}title").text = outlet
    etree.SubElement(source, f"{{{ATOM_NS}}}link", rel="self", type="application/atom+xml",
                     href=config.absolute(base + ".atom.xml"))
    etree.SubElement(source, f"{{{ATOM_NS}}}link", rel="alternate", type="text/html",
                     href=item.authors[0][1])
    return source


# --- JSON Feed 1.1 ---------------------------------------------------------------------------------


def _json_entry(item: Item, zone: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "url": item.url}
    if item.external_url:
        out["external_url"] = item.external_url
    out |= {"title": item.title, "content_html": item.content_html, "summary": item.summary}
    if item.published:
        out["date_published"] = item_datetime(item.published, zone).isoformat()
    if item.updated:
        out["date_modified"] = item_datetime(item.updated, zone).isoformat()
    if item.authors:
        out["authors"] = [{"name": name, "url": url} for name, url in item.authors]
    if item.categories:
        out["tags"] = [label for _, label, _ in item.categories]
    out["language"] = "ar"
    out["_digest"] = item.extension
    return out


def json_feed(feed: Feed, config: SiteConfig, entries: _Entries | None = None) -> str:
    """The feed as `json.dumps(doc, indent=2)` would write it, each item's text made once
    (`_Entries.json`) and placed at the depth `items` gives it."""
    entries = entries or _Entries(config)
    doc = {
        "version": JSON_FEED_VERSION,
        "title": _title(feed, config),
        "home_page_url": page_url(config, feed.page),
        "feed_url": config.absolute(feed.base + ".json"),
        "description": _description(feed, config),
        "language": "ar",
        "authors": [{"name": config.site_name, "url": config.site_url}],
    }
    head = json.dumps(doc, ensure_ascii=False, indent=2)[: -len("\n}")]
    items = ",\n    ".join(entries.json(item) for item in feed.items)
    text = head + (f',\n  "items": [\n    {items}\n  ]\n}}' if items else ',\n  "items": []\n}')
    # The same JSON value with '<' '>' '&' as \u escapes: a reader that wrongly renders a plain-text
    # title as HTML still sees text. Outside strings JSON has none of these characters.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


# --- OPML and the feeds page ----------------------------------------------------------------------


def _outline(parent: ET.Element, feed: Feed, config: SiteConfig) -> None:
    ET.SubElement(parent, "outline", type="rss", version="RSS2", text=feed.label, title=_title(feed, config),
                  xmlUrl=config.absolute(feed.base + ".rss.xml"), htmlUrl=page_url(config, feed.page),
                  language="ar")


def opml(title: str, sections: list[tuple[str, list[Feed]]], config: SiteConfig) -> str:
    """OPML 2.0 subscription list; a section with a label becomes a folder of outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    for label, feeds in sections:
        parent = ET.SubElement(body, "outline", text=label, title=label) if label else body
        for feed in feeds:
            _outline(parent, feed, config)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _formats(feed: Feed) -> str:
    base = feed.base[len("feeds/"):]
    return (f'[RSS]({base}.rss.xml) · [Atom]({base}.atom.xml) · [JSON Feed]({base}.json)')


def feeds_page(feeds: list[Feed], config: SiteConfig) -> str:
    """content/feeds/index.md: every feed with its Arabic label, and the OPML files."""
    body = [front_matter({"title": "الخلاصات", "digest_page": "feeds"}), "# الخلاصات\n\n",
            "تابع الموجز كله أو موضوعا أو بلدا أو مسؤولا أو مصدرا أو قصة بعينها في قارئ الخلاصات، "
            "بصيغة RSS أو Atom أو JSON Feed. ملفات OPML تشترك في مجموعة كاملة دفعة واحدة.\n\n"]
    whole = next(f for f in feeds if f.kind == "all")
    body.append(f"- {link('الموجز كاملا', '../' + whole.page)}: {_formats(whole)}\n")
    body.append(f"- {link('كل الخلاصات (OPML)', 'all.opml')}\n\n")
    for kind, label in KINDS.items():
        members = [f for f in feeds if f.kind == kind]
        if not members:
            continue
        body.append(f"## {md_text(label)}\n\n{link(f'{label} (OPML)', f'{kind}.opml')}\n\n")
        for f in members:
            body.append(f"- {link(f.label, '../' + f.page)}: {_formats(f)}\n")
        body.append("\n")
    return "".join(body)


def render_feeds(articles: list[Article], kb: Knowledge, config: SiteConfig, groups: Groups | None = None,
                 marks: dict[str, bytes] | None = None,
                 whole: Callable[[Article], Article] | None = None) -> dict[str, "str | Lazy"]:
    """{path: text} for every feed in three formats, the OPML lists and the feeds page.

    With `marks` (site.fingerprints: what each article follows from), each feed file is a `Lazy`
    keyed by the feed, the settings and the marks of the articles its items are made from: a
    one-seed build makes the items and text of the few feeds that show the changed article.
    `whole`: an article with its body (cached articles come without), for items carrying it.
    """
    plans = _plans(articles, kb, config, groups, whole)
    entries = _Entries(config)
    made: dict[str, Feed] = {}

    def feed_of(plan: _Plan) -> Feed:
        if plan.feed.base not in made:
            made[plan.feed.base] = replace(plan.feed, items=plan.items())
        return made[plan.feed.base]

    def text(form: Callable[..., str], plan: _Plan) -> str:
        return form(feed_of(plan), config, entries)

    files: dict[str, str | Lazy] = {}
    context = f"{code_version()}\0{kb.version}\0{config!r}\0".encode("utf-8")
    for plan in plans:
        base = plan.feed.base
        if marks is not None:
            parts = [context, repr(plan.feed).encode("utf-8"), *(marks[a.id] for a in plan.shown)]
            key = hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()
            files[base + ".rss.xml"] = Lazy(key, functools.partial(text, rss, plan))
            files[base + ".atom.xml"] = Lazy(key, functools.partial(text, atom, plan))
            files[base + ".json"] = Lazy(key, functools.partial(text, json_feed, plan))
            continue
        files[base + ".rss.xml"] = text(rss, plan)
        files[base + ".atom.xml"] = text(atom, plan)
        files[base + ".json"] = text(json_feed, plan)
    feeds = [plan.feed for plan in plans]  # without items: what the lists and the page show
    sections = [(KINDS[k], [f for f in feeds if f.kind == k]) for k in KINDS]
    sections = [(label, members) for label, members in sections if members]
    files["feeds/all.opml"] = opml(config.site_name, [("", [feeds[0]]), *sections], config)
    for kind, label in KINDS.items():
        members = [f for f in feeds if f.kind == kind]
        if members:
            files[f"feeds/{kind}.opml"] = opml(f"{label} — {config.site_name}", [("", members)], config)
    files[FEEDS_PAGE] = feeds_page(feeds, config)
    return files
