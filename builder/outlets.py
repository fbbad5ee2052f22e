"""Outlets: which news outlet published the article, from the text and its chrome.

Cascade (knowledge in `data/outlets.yaml`):

1. Noise lines, in file order: an outlet-specific chrome pattern (the BBC app notice), an
   outlet name in a short noise line (a byline "الأخبار55 - مراسلة", a source line "المصدر:" /
   "هسبريس", site chrome "AHDATH.INFO", a follow prompt "تابع آخبار تليكسبريس على …"), or a
   site address the scraper cut short ("AHDATH.INF" for ahdath.info: at least
   `domain_prefix_min` characters of a known domain, dot included).
2. The body, where the outlet speaks of itself: "في حديث مع جريدة هسبريس", "في تصريح لموقع
   يابلادي", "مراسل بي بي سي". An outlet merely quoted ("حسب وكالة المغرب العربي للأنباء",
   "قال لوكالة رويترز") is a source, not the outlet; wire agencies never count from the body.
3. Otherwise the outlet is unknown: "".

Names are matched on folded text without quote marks and with an optional article: the way a
radio names itself, "لمراسل الجوهرة "اف ام"", matches "جوهرة اف ام".
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
    domains: tuple[tuple[str, Outlet], ...]  # folded Latin names with a dot ("ahdath.info")
    domain_prefix_min: int


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
    domains: list[tuple[str, Outlet]] = []
    for index, entry in enumerate(table.get("outlets", [])):
        if not isinstance(entry, dict) or not entry.get("name_ar") or not entry.get("names"):
            raise BuilderError(Problem(source, None, f"outlets[{index}]: needs 'name_ar' and a list of 'names'; got {entry!r}"))
        kind = entry.get("kind", "news")
        if kind not in ("news", "agency"):
            raise BuilderError(Problem(source, None, f"outlets[{index}] ({entry['name_ar']}): kind is {kind!r}, not 'news' or 'agency'"))
        outlet = Outlet(entry["name_ar"], entry.get("name_en") or "", entry.get("domain") or "", kind)
        for name in [*entry["names"], *([entry["domain"]] if entry.get("domain") else [])]:
            key = _normal(str(name))
            by_name.setdefault(key, outlet)
            if kind == "news":
                news_names.append(key)
            if "." in key and _LATIN_TOKEN.fullmatch(key):
                domains.append((key, outlet))
        for pattern in entry.get("chrome", []):
            chrome.append((_compile(source, f"outlets[{index}].chrome", pattern), outlet))
    # A leading clitic and the article may come before the name: "لمراسل الجوهرة اف ام".
    bounded = r"(?<!\w)[وفبلك]?(?:ال)?{}(?!\w)"
    names = re.compile(bounded.format(_name_regex(list(by_name))))
    news = _name_regex(news_names)
    self_ref = tuple(
        _compile(source, "self_reference", pattern.replace("{name}", "(?:ال)?" + news) + r"(?!\w)")
        for pattern in table.get("self_reference", [])
    )
    return _Matchers(names, by_name, tuple(chrome), self_ref, int(table.get("noise_max_words", 8)),
                     tuple(sorted(domains, key=lambda d: -len(d[0]))), int(table.get("domain_prefix_min", 6)))


_QUOTES = re.compile(r"[\"'“”«»„‘’`]")
_LATIN_TOKEN = re.compile(r"[a-z0-9][a-z0-9.\-/]*[a-z0-9]")


def _normal(text: str) -> str:
    """Folded, without quote marks, one space between words: what names are matched on."""
    return " ".join(_QUOTES.sub(" ", fold(text)).split())


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
            text = _normal(line.text)
            hit = m.names.search(text)
            if hit:
                return m.by_name[_key(hit.group("name"))]
            cut = _cut_domain(text, m)
            if cut:
                return cut
    for line in part.paragraphs:
        text = _normal(line.text)
        for pattern in m.self_reference:
            hit = pattern.search(text)
            if hit:
                return m.by_name[_key(hit.group("name"))]
    return None


def _key(matched: str) -> str:
    return " ".join(matched.split())


def _cut_domain(text: str, m: _Matchers) -> Outlet | None:
    """A site address cut short by the scraper ("ahdath.inf"): a long enough prefix of a known one."""
    for token in _LATIN_TOKEN.findall(text):
        if "." not in token or len(token) < m.domain_prefix_min:
            continue
        token = token.removeprefix("www.")
        for domain, outlet in m.domains:
            if domain.startswith(token) and token.index(".") == domain.index("."):
                return outlet
    return None
