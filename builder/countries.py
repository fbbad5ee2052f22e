"""Countries: ISO codes of every country the body names, and the ones it is about."""

from __future__ import annotations

from .knowledge import Knowledge
from .model import Part


def extract_countries(part: Part, kb: Knowledge) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(mentioned, primary). Baseline: none."""
    return (), ()


def country_name(code: str) -> str:
    """Arabic name of a country for readers."""
    from babel import Locale

    return Locale("ar").territories.get(code, code)


def known_country_codes(kb: Knowledge) -> set[str]:
    """Every ISO 3166-1 alpha-2 code the digest knows."""
    from babel import Locale

    return {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
