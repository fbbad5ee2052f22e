"""The plain, immutable records that flow through the pipeline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PRECISIONS = ("year", "month", "day")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @classmethod
    def parse(cls, text: str) -> "PartialDate | None":
        """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` → PartialDate; None when not a real date."""
        import datetime

        m = _ISO.match(str(text).strip())
        if not m:
            return None
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError:
            return None
        return cls(year, month, day)


@dataclass(frozen=True)
class CuratorFacts:
    """What a curator states about a seed in its front-matter block (already validated)."""

    url: str = ""
    outlet: str = ""
    published: PartialDate | None = None
    title: str = ""
    exclude: bool = False
    topics_add: tuple[str, ...] = ()
    topics_remove: tuple[str, ...] = ()
    countries_add: tuple[str, ...] = ()
    countries_remove: tuple[str, ...] = ()
    # Per-part overrides for a file that holds several articles: {part number: CuratorFacts}.
    parts: tuple[tuple[int, "CuratorFacts"], ...] = ()

    def for_part(self, part: int) -> "CuratorFacts":
        """The facts that apply to one part: the file's facts, overridden by the part's own."""
        own = dict(self.parts).get(part)
        if own is None:
            return self
        merged = {
            name: getattr(own, name) or getattr(self, name)
            for name in self.__dataclass_fields__
            if name != "parts"
        }
        return CuratorFacts(**merged)


@dataclass(frozen=True)
class Seed:
    """One input file after ingest: decoded, normalised text and the curator's facts."""

    path: str  # as shown to the user, e.g. "seeds/000_x.txt"
    name: str  # file name without extension: the seed's stable identity
    text: str  # NFC, LF line endings, front matter removed
    first_line: int  # line number in the file where `text` starts (after front matter)
    facts: CuratorFacts
    digest: str  # sha256 of the raw bytes


@dataclass(frozen=True)
class Line:
    """A line of seed text with its line number in the file."""

    number: int
    text: str


@dataclass(frozen=True)
class Part:
    """One article's raw material after cleaning and splitting a seed."""

    seed: Seed
    number: int  # 1-based
    count: int  # how many parts the seed holds
    title: str | None
    title_line: int | None
    paragraphs: tuple[Line, ...]
    noise: tuple[Line, ...]  # lines cleaning removed: outlet hints only, never facts


@dataclass(frozen=True)
class Official:
    """An office-holder named in an article."""

    name: str
    role: str
    country: str  # ISO 3166-1 alpha-2 or ""
    key: str = ""  # stable id (from the officials data file, or derived from the name)
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class DateFacts:
    """What the dates stage found: the article date and every date the body mentions."""

    date: PartialDate | None
    basis: str  # curator, dateline, text, none
    mentions: tuple[str, ...]  # YYYY-MM-DD, YYYY-MM, --MM-DD or --MM


@dataclass(frozen=True)
class Article:
    """One extracted article: everything the site, the feeds and `extract --json` need."""

    id: str  # "<seed name>" or "<seed name>.<part>"
    slug: str  # short ASCII URL segment, stable across title corrections
    file: str
    part: int
    title: str
    title_generated: bool
    date: PartialDate | None
    date_basis: str
    dates: tuple[str, ...]
    outlet: str
    url: str
    countries: tuple[str, ...]
    countries_primary: tuple[str, ...]
    officials: tuple[Official, ...]
    topics: tuple[str, ...]
    summary: str
    body: tuple[str, ...] | None  # None: left in the cache until a page shows it (cache.ExtractCache.whole)
    story: str = ""
    source_line: int = 1
    digest: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def date_precision(self) -> str:
        return self.date.precision if self.date else "none"
