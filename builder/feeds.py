"""Feeds: RSS 2.0 for the whole digest (feedgen), deterministic and escaped."""

from __future__ import annotations

import datetime
import html
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from .knowledge import Knowledge
from .model import Article, PartialDate
from .site_config import SiteConfig
from .topics import topic_label
from .countries import country_name

FEED_PATH = "feeds/all.rss.xml"


def article_url(article: Article, config: SiteConfig) -> str:
    return config.absolute(f"articles/{article.slug}/")


def item_id(article: Article, config: SiteConfig) -> str:
    """A tag: URI from the article's identity (seed name + part), never from its title or URL."""
    host = urlsplit(config.site_url).hostname or "localhost"
    return f"tag:{host},2025:{article.id}"


def item_datetime(date: PartialDate | None, zone: str) -> datetime.datetime:
    """Noon, local time, on the date's first day: a month-precision date is not given a fake hour."""
    if date is None:
        date = PartialDate(1970, 1, 1)
    return datetime.datetime(date.year, date.month or 1, date.day or 1, 12, 0, tzinfo=ZoneInfo(zone))


def body_html(article: Article) -> str:
    """The full article as escaped HTML marked right-to-left Arabic."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.body)
    return f'<div dir="rtl" lang="ar">{paragraphs}</div>'


def render_feeds(articles: list[Article], kb: Knowledge, config: SiteConfig) -> dict[str, str]:
    """{path: xml} for every feed (articles arrive newest first)."""
    items = articles[: config.feed_items]
    fg = FeedGenerator()
    fg.title(config.site_name)
    fg.link(href=config.site_url, rel="alternate")
    fg.link(href=config.absolute(FEED_PATH), rel="self")
    fg.description(config.description or config.site_name)
    fg.language("ar")
    fg.generator("akhbar-digest")
    newest = max((item_datetime(a.date, config.timezone) for a in items), default=item_datetime(None, config.timezone))
    fg.lastBuildDate(newest)
    for a in reversed(items):  # feedgen prepends: add oldest first so the feed reads newest first
        fe = fg.add_entry()
        fe.id(item_id(a, config))
        fe.guid(item_id(a, config), permalink=False)
        fe.title(a.title)
        fe.link(href=article_url(a, config))
        fe.description(a.summary or a.title)
        fe.content(body_html(a), type="CDATA")
        fe.pubDate(item_datetime(a.date, config.timezone))
        if a.outlet:
            fe.source(title=a.outlet, url=a.url or config.site_url)
        for t in a.topics:
            fe.category(term=topic_label(kb, t))
        for c in a.countries:
            fe.category(term=country_name(c))
    return {FEED_PATH: fg.rss_str(pretty=True).decode("utf-8")}
