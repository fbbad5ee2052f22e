"""Outlets: which news outlet published the article, from the text and its chrome."""

from __future__ import annotations

from .knowledge import Knowledge
from .model import Part


def extract_outlet(part: Part, kb: Knowledge) -> str:
    """Baseline: unknown."""
    return ""
