"""Where each page lives under content/ (and so its URL): one place, read by the site and the feeds."""

from __future__ import annotations

from .groups import ascii_slug


def topic_path(topic: str) -> str:
    return f"topics/{topic.replace('_', '-')}.md"


def country_path(code: str) -> str:
    return f"countries/{code.lower()}.md"


def official_path(key: str) -> str:
    return f"officials/{key}.md"


def outlet_path(outlet: str) -> str:
    return f"outlets/{ascii_slug(outlet, 'w-')}.md"


def story_path(story: str) -> str:
    return f"stories/{story}.md"


def month_path(month: str) -> str:
    return f"archive/{month}.md"


def feed_base(page: str) -> str:
    """Where a group page's feeds live, without extension: topics/x.md → feeds/topics/x.

    The feeds stage writes `<base>.rss.xml`, `<base>.atom.xml` and `<base>.json`; the theme
    links them from the page whose front matter carries `feed: <base>`.
    """
    return "feeds/" + page[:-3]


ALL_FEED = "feeds/all"
