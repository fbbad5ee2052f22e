"""The data interface: an Article as the JSON object `extract --json` prints."""

from __future__ import annotations

from typing import Any

from .groups import official_key
from .model import Article


def article_record(article: Article) -> dict[str, Any]:
    """One article as a plain, JSON-ready dict (field order is part of the interface)."""
    return {
        "file": article.file,
        "part": article.part,
        "id": article.id,
        "title": article.title,
        "title_generated": article.title_generated,
        "date": article.date.iso() if article.date else None,
        "date_precision": article.date.precision if article.date else None,
        "date_basis": article.date_basis,
        "dates": list(article.dates),
        "outlet": article.outlet,
        "url": article.url,
        "countries": list(article.countries),
        "countries_primary": list(article.countries_primary),
        # `key` is the same for every spelling of one person: it names their page, officials/<key>/.
        "officials": [{"name": o.name, "key": official_key(o), "role": o.role, "country": o.country}
                      for o in article.officials],
        "topics": list(article.topics),
        "story": article.story,
        "summary": article.summary,
        "body": "\n\n".join(article.body),
    }
