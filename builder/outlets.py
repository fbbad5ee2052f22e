"""Outlets: which news outlet published the article, from the text and its chrome.

Cascade (knowledge in `data/outlets.yaml`):

1. Noise lines, in file order: an outlet-specific chrome pattern (the BBC app notice), or an
   outlet name in a short noise line (a byline "الأخبار55 - مراسلة", a source line "المصدر:" /
   "هسبريس", site chrome "AHDATH.INFO", a follow prompt "تابع آخبار تليكسبريس على …").
2. The body, where the outlet speaks of itself: "في حديث مع جريدة هسبريس", "في تصريح لموقع
   يابلادي", "مراسل بي بي سي". An outlet merely quoted ("حسب وكالة المغرب العربي للأنباء",
   "قال لوكالة رويترز") is a source, not the outlet; wire agencies never count from the body.
3. Otherwise the outlet is unknown: "".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .errors import BuilderError, Problem
from .knowledge import Knowledge
from .model import Part
from .normalize import fold


@dataclass(frozen=True)
class Outlet:
    """One known outlet."""

    name_ar: str
    name_en: str
    domain: str
    kind: str  # news | agency


@dataclass(frozen=True)
class _Matchers:
    names: re.Pattern  # any outlet name, folded; group "name"
    by_name: dict[str, Outlet]  # folded name → outlet
    chrome: tuple[tuple[re.Pattern, Outlet], ...]
    self_reference: tuple[re.Pattern, ...]
    noise_max_words: int


def _name_regex(names: list[str]) -> str:
    # Longest first, so "بي بي سي عربي" wins over "بي بي سي"; spaces match any run of spaces.
    alts = [r"\s+".join(re.escape(part) for part in n.split()) for n in sorted(set(names), key=len, reverse=True)]
    return "(?P<name>" + "|".join(alts) + ")"


@functools.lru_cache(maxsize=4)
def _matchers(kb: Knowledge) -> _Matchers:
    table = kb.table("outlets")
    source = kb.source("outlets")
    by_name: dict[str, Outlet] = {}
    news_names: list[str] = []
    chrome: list[tuple[re.Pattern, Outlet]] = []
    for index, entry in enumerate(table.get("outlets", [])):
        if not isinstance(entry, dict) or not entry.get("name_ar") or not entry.get("names"):
            raise BuilderError(Problem(source, None, f"outlets[{index}]: needs 'name_ar' and a list of 'names'; got {entry!r}"))
        kind = entry.get("kind", "news")
        if kind not in ("news", "agency"):
            raise BuilderError(Problem(source, None, f"outlets[{index}] ({entry['name_ar']}): kind is {kind!r}, not 'news' or 'agency'"))
        outlet = Outlet(entry["name_ar"], entry.get("name_en") or "", entry.get("domain") or "", kind)
        for name in entry["names"]:
            key = " ".join(fold(str(name)).split())
            by_name.setdefault(key, outlet)
            if kind == "news":
                news_names.append(key)
        for pattern in entry.get("chrome", []):
            chrome.append((_compile(source, f"outlets[{index}].chrome", pattern), outlet))
    bounded = r"(?<!\w)[وفبلك]?{}(?!\w)"
    names = re.compile(bounded.format(_name_regex(list(by_name))))
    news = _name_regex(news_names)
    self_ref = tuple(
        _compile(source, "self_reference", pattern.replace("{name}", news) + r"(?!\w)")
        for pattern in table.get("self_reference", [])
    )
    return _Matchers(names, by_name, tuple(chrome), self_ref, int(table.get("noise_max_words", 8)))


def _compile(source: str, where: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as err:
        raise BuilderError(Problem(source, None, f"{where}: pattern {pattern!r} is not a regular expression ({err})")) from None


def extract_outlet(part: Part, kb: Knowledge) -> str:
    """Arabic name of the outlet that published the part, or "" when the text does not say."""
    outlet = find_outlet(part, kb)
    return outlet.name_ar if outlet else ""


def find_outlet(part: Part, kb: Knowledge) -> Outlet | None:
    """The outlet record behind `extract_outlet`."""
    m = _matchers(kb)
    for line in part.noise:
        for pattern, outlet in m.chrome:
            if pattern.search(line.text):
                return outlet
        if len(line.text.split()) <= m.noise_max_words:
            hit = m.names.search(" ".join(fold(line.text).split()))
            if hit:
                return m.by_name[_key(hit.group("name"))]
    for line in part.paragraphs:
        text = " ".join(fold(line.text).split())
        for pattern in m.self_reference:
            hit = pattern.search(text)
            if hit:
                return m.by_name[_key(hit.group("name"))]
    return None


def _key(matched: str) -> str:
    return " ".join(matched.split())
