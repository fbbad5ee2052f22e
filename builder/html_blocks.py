"""Hand MkDocs only the Markdown of a page: the builder's raw HTML blocks skip the Markdown parser.

The builder writes page bodies as Markdown headings plus raw HTML blocks it has escaped itself
(render.py, markup.py). Python-Markdown passes such blocks through unchanged, but only after
running them through `html.parser` twice (MkDocs' anchor scan and the html_block preprocessor):
at 1,000 articles that was 60% of `mkdocs build`. So the hook lifts each run of self-contained
blocks out before conversion, leaves a placeholder paragraph, and puts the run back afterwards.
Headings stay Markdown, so titles, anchors, permalinks and the table of contents are MkDocs' own.

Only a block whose first character opens a block-level tag that closes at its last character is
lifted; anything else (a block spanning blank lines, `markdown="1"`) goes through
Markdown as before, which is always correct, only slower.
"""

from __future__ import annotations

import re

# A tag name Python-Markdown treats as a block (markdown.core.BLOCK_LEVEL_ELEMENTS, the ones we emit).
_OPENS = re.compile(r"<(p|div|ul|ol|dl|table|nav|section|details|figure|blockquote)\b[^>]*>")
_PLACEHOLDER = "digestrawhtml"
_RESTORE = re.compile(rf"<p>{_PLACEHOLDER}(\d+)</p>")


def _self_contained(block: str) -> bool:
    """The block's first tag closes at its very end: Markdown would treat anything after an
    earlier close as Markdown again."""
    opened = _OPENS.match(block)
    if not opened or "markdown=" in block[:opened.end()]:
        return False
    depth = 0
    for tag in re.finditer(rf"<(/?){opened.group(1)}\b[^>]*>", block):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end() == len(block)
    return False


def lift(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with every run of self-contained HTML blocks replaced by a placeholder
    paragraph, and the runs in order. A page that already contains the placeholder word is
    left alone, so no text can be mistaken for one; so is a page with a code fence."""
    if _PLACEHOLDER in markdown or "```" in markdown or "~~~" in markdown:  # a fence may hold HTML as text
        return markdown, []
    out: list[str] = []
    runs: list[str] = []
    run: list[str] = []
    for block in markdown.split("\n\n"):
        if _self_contained(block):
            run.append(block)
            continue
        if run:
            out.append(_park(run, runs))
            run = []
        out.append(block)
    if run:
        out.append(_park(run, runs))
    return "\n\n".join(out), runs


def _park(run: list[str], runs: list[str]) -> str:
    runs.append("\n\n".join(run))
    return f"{_PLACEHOLDER}{len(runs) - 1}"


def restore(html: str, runs: list[str]) -> str:
    """The converted page with each placeholder paragraph replaced by its run of blocks."""
    if not runs:
        return html
    return _RESTORE.sub(lambda m: runs[int(m.group(1))], html)
