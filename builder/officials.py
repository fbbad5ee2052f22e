"""Officials: office-holders named in the body, with role and country."""

from __future__ import annotations

from .knowledge import Knowledge
from .model import Official, Part


def extract_officials(part: Part, kb: Knowledge) -> tuple[Official, ...]:
    """Baseline: none."""
    return ()
