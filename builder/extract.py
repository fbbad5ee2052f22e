"""Extract: one seed in, its articles out (clean → split → dates, outlet, countries, officials, topics).

Pure: the same seed and knowledge always give the same articles, so results can be cached by
the seed's digest and the knowledge version.
"""

from __future__ import annotations

import hashlib
import re

from .clean import clean
from .countries import extract_countries
from .dates import extract_dates
from .knowledge import Knowledge
from .model import Article, Part, Seed
from .officials import extract_officials
from .outlets import extract_outlet
from .split import split
from .summary import generate_title, summarize
from .topics import extract_topics

_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def seed_slug(name: str) -> str:
    """Short ASCII URL segment for a seed, from its file name (never from its title)."""
    lowered = name.lower()
    if _SAFE_NAME.match(lowered):
        return lowered
    return "s-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def extract_seed(seed: Seed, kb: Knowledge) -> list[Article]:
    """Every article in a seed, curator facts applied; [] when the curator excluded it."""
    if seed.facts.exclude:
        return []
    kept, noise = clean(seed, kb)
    parts = split(seed, kept, noise, kb)
    return [_article(part, kb) for part in parts if not seed.facts.for_part(part.number).exclude]


def _article(part: Part, kb: Knowledge) -> Article:
    facts = part.seed.facts.for_part(part.number)
    paragraphs = [line.text for line in part.paragraphs]
    dates = extract_dates(part, facts.published, kb)
    mentioned, primary = extract_countries(part, kb)
    countries = (set(mentioned) | set(facts.countries_add)) - set(facts.countries_remove)
    primary_set = (set(primary) | set(facts.countries_add)) - set(facts.countries_remove)
    # Main topic first: the curator's additions lead, then the extractor's order by evidence.
    ranked = list(dict.fromkeys([*facts.topics_add, *extract_topics(part, kb)]))
    topics = [t for t in ranked if t not in facts.topics_remove]
    if len(topics) > 1 and "other" in topics:
        topics.remove("other")
    title = facts.title or part.title or generate_title(paragraphs)
    single = part.count == 1
    name = part.seed.name
    return Article(
        id=name if single else f"{name}.{part.number}",
        slug=seed_slug(name) if single else f"{seed_slug(name)}-{part.number}",
        file=part.seed.path,
        part=part.number,
        title=title,
        title_generated=not (facts.title or part.title),
        date=dates.date,
        date_basis=dates.basis,
        dates=dates.mentions,
        outlet=facts.outlet or extract_outlet(part, kb),
        url=facts.url,
        countries=tuple(sorted(countries)),
        countries_primary=tuple(sorted(primary_set)),
        officials=extract_officials(part, kb),
        topics=tuple(topics or ["other"]),
        summary=summarize(paragraphs),
        body=tuple(paragraphs),
        source_line=part.title_line or (part.paragraphs[0].number if part.paragraphs else part.seed.first_line),
        digest=part.seed.digest,
    )
