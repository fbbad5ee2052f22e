"""Site settings: read from mkdocs.yml (`site_url`, `site_name`, and `extra.digest`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import BuilderError, Problem

DEFAULTS = {
    "month_names": "ar_MA",  # CLDR locale whose month names readers see (ar_MA: غشت، شتنبر)
    "hijri": False,  # add a Hijri date line under Gregorian dates
    "timezone": "Africa/Casablanca",  # the outlets' zone, for feed timestamps
    "feed_items": 50,  # newest N items per feed
    "group_feed_items": 20,  # at most N items per topic, country, official, outlet and story feed
    "group_feeds_full_text": True,  # group feed items carry the whole article (false: summary + link)
    "page_size": 50,  # articles per group page before paginating
    "related_window_days": 60,  # related reading looks this far around an article's date
}


@dataclass(frozen=True)
class SiteConfig:
    """What the renderer needs to know about the site it is building."""

    site_url: str  # absolute, with trailing slash
    site_name: str
    description: str
    month_names: str = DEFAULTS["month_names"]
    hijri: bool = DEFAULTS["hijri"]
    timezone: str = DEFAULTS["timezone"]
    feed_items: int = DEFAULTS["feed_items"]
    group_feed_items: int = DEFAULTS["group_feed_items"]
    group_feeds_full_text: bool = DEFAULTS["group_feeds_full_text"]
    page_size: int = DEFAULTS["page_size"]
    related_window_days: int = DEFAULTS["related_window_days"]

    def absolute(self, path: str) -> str:
        """Absolute URL of a site path such as `articles/x/` or `feed.xml`."""
        return self.site_url + path.lstrip("/")

    @classmethod
    def from_values(cls, site_url: str | None, site_name: str, description: str | None,
                    extra: dict[str, Any] | None, source: str = "mkdocs.yml") -> "SiteConfig":
        if not site_url:
            raise BuilderError(Problem(source, None, "site_url is not set; feeds and canonical links need the "
                                                     "site's absolute address, e.g. site_url: https://example.org/digest/"))
        digest = dict(DEFAULTS)
        given = (extra or {}).get("digest") or {}
        for key, value in given.items():
            if key not in DEFAULTS:
                raise BuilderError(Problem(source, None, f"extra.digest.{key} is not a setting; allowed: {', '.join(DEFAULTS)}"))
            if type(value) is not type(DEFAULTS[key]):
                raise BuilderError(Problem(source, None, f"extra.digest.{key} is {value!r}; expected a "
                                                         f"{type(DEFAULTS[key]).__name__} like {DEFAULTS[key]!r}"))
            digest[key] = value
        return cls(site_url=site_url.rstrip("/") + "/", site_name=site_name, description=description or "", **digest)

    @classmethod
    def from_mkdocs_yml(cls, path: Path) -> "SiteConfig":
        """Read the few settings we need without running MkDocs (tags such as !!python/name are ignored)."""

        class Loader(yaml.SafeLoader):
            pass

        Loader.add_multi_constructor("", lambda loader, suffix, node: None)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}
        except (OSError, yaml.YAMLError) as err:
            raise BuilderError(Problem(str(path), None, f"cannot be read as YAML ({err.__class__.__name__})")) from None
        return cls.from_values(data.get("site_url"), data.get("site_name", ""), data.get("site_description"),
                               data.get("extra"), str(path))
