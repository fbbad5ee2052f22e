"""Stories: articles from different outlets about the same event share a story id."""

from __future__ import annotations

from dataclasses import replace

from .knowledge import Knowledge
from .model import Article


def assign_stories(articles: list[Article], kb: Knowledge) -> list[Article]:
    """Baseline: every article is its own story."""
    return [replace(a, story=a.slug) for a in articles]
