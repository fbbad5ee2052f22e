"""Check: what the builder was unsure of, as `file:line: doubt` lines a curator can act on."""

from __future__ import annotations

from .model import Article


def doubts(articles: list[Article]) -> list[str]:
    """One line per doubt, in file order."""
    out = []
    for a in articles:
        where = f"{a.file}:{a.source_line}"
        label = f" (part {a.part})" if a.id.endswith(f".{a.part}") else ""
        if a.date is None:
            out.append(f"{where}: undated{label}: add `published: YYYY-MM-DD` to the curator facts")
        if not a.outlet:
            out.append(f"{where}: unknown outlet{label}: add `outlet:` to the curator facts "
                       "(or the outlet's chrome to builder/data/outlets.yaml)")
        if a.title_generated:
            out.append(f"{where}: headline generated from the text{label}: \"{a.title}\"; set `title:` to fix it")
        if a.topics == ("other",):
            out.append(f"{where}: no topic matched{label}: add `topics_add:` or extend builder/data/topics.yaml")
        for o in a.officials:
            if not o.country:
                out.append(f"{where}: official \"{o.name}\" has no country{label}: add them to builder/data/officials.yaml")
    return out
