"""Turning seed text into Markdown that can only ever be text.

Seed text reaches pages through `md_text` and `md_attr`: HTML-significant characters become
entities and every character Markdown could read as syntax is backslash-escaped, so no seed can
create an element, an attribute, a link, an image or a template expansion.
"""

from __future__ import annotations

import html
import re

# Characters Python-Markdown (and the extensions we enable) honour a backslash escape for.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=:>])")


def md_text(text: str) -> str:
    """Seed text as inert inline Markdown (one line: newlines become spaces)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # "{{" / "{%" are already broken by the escaped braces; "@" and "//" cannot autolink without
    # a "<", which is escaped.
    return text


def html_text(text: str) -> str:
    """Seed text for a raw HTML fragment we write ourselves."""
    return html.escape(" ".join(text.split()), quote=True)


def link(label: str, target: str) -> str:
    """A Markdown link whose label is seed text and whose target is a path we built."""
    return f"[{md_text(label)}]({target})"
