"""Dates: every calendar date the body mentions, and the article's own date with its basis."""

from __future__ import annotations

from .knowledge import Knowledge
from .model import DateFacts, Part, PartialDate


def extract_dates(part: Part, published: PartialDate | None, kb: Knowledge) -> DateFacts:
    """Baseline: the curator's date only."""
    if published:
        return DateFacts(published, "curator", ())
    return DateFacts(None, "none", ())
