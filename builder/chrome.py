"""Material's chrome, rendered cheaply: its templates compiled once per machine, not once per
build, and its navigation rendered once per place in the site, not once per page.

Material renders the tabs and the sidebars (navigation and table of contents) for every page,
and at a thousand articles that is a quarter of its template time. For a page outside the
navigation (every article and group page) they depend only on:

- the page's folder (links are relative, so `articles/a/` and `articles/b/` get the same ones),
- the page's table of contents below its title,
- the page's `hide` setting.

`ChromeCache` keeps each rendered block under that key for one build. Pages in the navigation
(the home and the section indexes) mark their own tab and entry as current, so they are always
rendered afresh.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import jinja2

TEMPLATE_CACHE = ".cache/templates"  # beside mkdocs.yml; .cache/ is never committed


def compiled_templates(project: Path) -> jinja2.FileSystemBytecodeCache | None:
    """Where Jinja keeps the templates it compiled: compiling Material's thirty templates takes
    0.15 s of every build (and of every process that renders pages). An entry is used only
    while its template's source is unchanged, and is replaced atomically. None (compile every
    time) where the project folder cannot be written."""
    folder = project / TEMPLATE_CACHE
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):  # Jinja would fail the build when it saves one
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _toc_key(items) -> tuple:
    return tuple((item.title, item.url, item.level, _toc_key(item.children)) for item in items)


def _shown_toc(toc) -> list:
    """The entries Material's partials/toc.html shows: under a page title (h1), its children."""
    items = list(toc)
    return items[0].children if items and items[0].level == 1 else items


def chrome_key(block: str, page, nav_urls: frozenset[str]) -> tuple | None:
    """What a navigation block of `page` depends on; None when the page is in the navigation."""
    if page is None or page.url in nav_urls:
        return None
    folder = page.url.rstrip("/").rpartition("/")[0]
    hide = tuple(page.meta.get("hide") or ()) if page.meta else ()
    toc = _toc_key(_shown_toc(page.toc)) if block == "site_nav" else ()
    return block, folder, hide, toc


class ChromeCache:
    """`cache(block, page, render)`: the block as rendered for an earlier page in the same place."""

    def __init__(self, nav_urls: frozenset[str]):
        self.nav_urls = nav_urls
        self.rendered: dict[tuple, str] = {}

    def __call__(self, block: str, page, render: Callable[[], str]) -> str:
        key = chrome_key(block, page, self.nav_urls)
        if key is None:
            return render()
        if key not in self.rendered:
            self.rendered[key] = render()
        return self.rendered[key]
