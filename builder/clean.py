"""Clean: separate the article's own lines from site chrome and boilerplate (patterns are data)."""

from __future__ import annotations

import functools
import re

from .errors import BuilderError, Problem
from .knowledge import Knowledge
from .model import Line, Seed


@functools.lru_cache(maxsize=4)
def _patterns(kb: Knowledge) -> tuple[list[re.Pattern], list[re.Pattern], set[str]]:
    table = kb.table("boilerplate")

    def compile_all(key: str) -> list[re.Pattern]:
        out = []
        for pattern in table.get(key, []):
            try:
                out.append(re.compile(pattern, re.IGNORECASE))
            except re.error as err:
                raise BuilderError(Problem(kb.source("boilerplate"), None,
                                           f"{key}: pattern {pattern!r} is not a regular expression ({err})")) from None
        return out

    return compile_all("lines"), compile_all("tail_blocks"), set(table.get("section_labels", []))


def clean(seed: Seed, kb: Knowledge) -> tuple[list[Line], list[Line]]:
    """(kept lines, noise lines) of a seed, each with its line number in the file; blanks dropped."""
    line_patterns, tail_patterns, labels = _patterns(kb)
    kept: list[Line] = []
    noise: list[Line] = []
    lines = [Line(seed.first_line + i, text.strip()) for i, text in enumerate(seed.text.split("\n"))]
    lines = [line for line in lines if line.text]
    for index, line in enumerate(lines):
        if any(p.search(line.text) for p in tail_patterns):
            noise.extend(lines[index:])
            break
        if any(p.search(line.text) for p in line_patterns) or (not kept and line.text in labels):
            noise.append(line)
        else:
            kept.append(line)
    return kept, noise
