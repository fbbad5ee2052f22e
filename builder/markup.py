"""Turning seed text into Markdown that can only ever be text.

Seed text reaches Markdown through `md_text`: HTML-significant characters become entities and
every character Markdown could read as syntax is backslash-escaped, so no seed can create an
element, an attribute, a link, an image or a template expansion. Raw HTML blocks (which Markdown
passes through unparsed) take `html_text`: entities, quotes included, and no control characters.
"""

from __future__ import annotations

import html
import re

# Python-Markdown's own escapable characters (`Markdown.ESCAPED_CHARS`; md_in_html and toc add
# none). A backslash before any other character is printed, so "|", ":" or "~" stay bare. "<" and
# "&" become entities instead: a backslash does not stop an HTML tag or an entity.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")
# Python-Markdown marks its placeholders with STX/ETX; text carrying them could pull stashed HTML
# back in. No control character belongs in a page anyway.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def md_text(text: str) -> str:
    """Seed text as inert inline Markdown (one line: newlines become spaces)."""
    text = " ".join(_CONTROL.sub("", text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    # "{{" / "{%" are broken by the escaped braces, "[x](y)" and "![](y)" by the escaped brackets;
    # "@" and "//" cannot autolink without a "<", which is an entity.
    return _MD_SPECIAL.sub(r"\\\1", text)


def html_text(text: str) -> str:
    """Seed text for a raw HTML fragment we write ourselves (one line; no control characters,
    so no Markdown placeholder either)."""
    return html.escape(" ".join(_CONTROL.sub("", text).split()), quote=True)


def link(label: str, target: str) -> str:
    """A Markdown link whose label is seed text and whose target is a path we built."""
    return f"[{md_text(label)}]({target})"
