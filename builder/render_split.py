"""MkDocs on two cores: a forked second process renders a share of the pages.

MkDocs renders pages one after another, about 1.7 ms each (Markdown, then Material's templates),
and at a thousand articles that is most of `mkdocs build`. Once MkDocs has made the navigation
(every page known, none read yet) the hook forks. Both processes then run MkDocs' own loops,
each reading, rendering and writing only its share of the pages. This process also does
everything else: theme assets, sitemap.xml, 404.html. Both render the pages in the navigation,
whose titles every page's tabs show, and this one reads the front matter of every page (the
sitemap's dates), so the two halves are rendered exactly as one process would.

The second process ends when MkDocs reaches `on_post_build`, with a status saying whether its
pages failed or warned. This process waits for it there: a failure fails the build, and under
`--strict` a warning does too.

When it does not split:
- fewer than MIN_PAGES pages;
- one core, or DIGEST_PROCESSES=1;
- another thread running (`mkdocs serve`);
- any MkDocs plugin configured. A plugin may gather every page (a search index, say) and
  would then see only its own half.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import sys
from dataclasses import dataclass

from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.utils import CountHandler

from .processes import cores, ending, may_fork, wait

log = logging.getLogger("mkdocs.plugins.digest")

MIN_PAGES = 32  # below this, the fork costs more than the half it saves
# Costs in bytes of page source, as measured at 1,000 articles: rendering a page takes 1.5 ms plus
# 0.015 ms a KB; reading only its front matter 0.15 ms; and this process's own work, copying
# the other files (0.06 ms each) and listing every page in sitemap.xml (0.07 ms each).
PAGE_COST = 100_000
READ_COST = 10_000
COPY_COST = 4_000
SITEMAP_COST = 5_000

_FAILED, _WARNED = 1, 2  # the second process's exit statuses (0: its pages are done, cleanly)


@dataclass
class _Split:
    child_pid: int  # 0 in the second process itself
    originals: dict  # the MkDocs functions replaced while the split lasts
    pages: int  # how many pages the build renders
    theirs: int  # how many of them the second process renders
    warnings: CountHandler | None = None  # the second process's own count


_split: _Split | None = None


def start(config, nav, files) -> None:
    """Fork, if it pays, right after MkDocs made the navigation (`on_nav`)."""
    global _split
    if _split is not None:  # an earlier build in this process was interrupted before its end
        abandon(RuntimeError("interrupted"))
    pages = files.documentation_pages()
    if (len(pages) < MIN_PAGES or cores() < 2 or not may_fork() or _other_plugins(config)
            or not all(hasattr(mkdocs_build, name) for name in _REPLACED)):
        return
    in_nav = {page.file.src_uri for page in nav.pages}
    static = sum(1 for f in files if not f.is_documentation_page())
    theirs = _second_share(pages, in_nav, static * COPY_COST + len(pages) * SITEMAP_COST)
    # Objects made so far are left out of both processes' collections: the child never touches
    # (and so never copies) the pages it shares with the parent.
    gc.freeze()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    child = pid == 0
    ours = (lambda src: src in theirs) if child else (lambda src: src not in theirs)
    originals = {name: getattr(mkdocs_build, name) for name in _REPLACED}
    populate, build_page = originals["_populate_page"], originals["_build_page"]

    def populate_ours(page, config, *args, **kwargs):
        if ours(page.file.src_uri):
            populate(page, config, *args, **kwargs)
        elif page.file.src_uri in in_nav:
            # Rendered by both (its title appears on every page), reported by the one that writes it.
            with _quiet():
                populate(page, config, *args, **kwargs)
        elif not child:  # the other's page: its front matter only, for sitemap.xml's dates
            page.read_source(config)

    def build_ours(page, *args, **kwargs):
        if ours(page.file.src_uri):
            build_page(page, *args, **kwargs)

    mkdocs_build._populate_page = populate_ours
    mkdocs_build._build_page = build_ours
    _split = _Split(pid, originals, len(pages), len(theirs))
    if child:
        mkdocs_build._build_theme_template = _nothing
        mkdocs_build._build_extra_template = _nothing
        files.copy_static_files = _nothing
        _split.warnings = CountHandler()
        _split.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(_split.warnings)


def finish(config) -> None:
    """At `on_post_build`: the second process ends here; this one waits for it."""
    global _split
    split, _split = _split, None
    if split is None:
        return
    if split.child_pid == 0:
        _exit(_WARNED if split.warnings and split.warnings.get_counts() else 0)
    _restore(split)
    status = wait(split.child_pid)
    if status == _FAILED:
        raise PluginError("the second rendering process failed: its error is above")
    if status == _WARNED and config.strict:
        log.warning("pages rendered by the second process gave the warnings above")
    elif status not in (0, _WARNED):
        raise PluginError(f"the second rendering process was stopped ({ending(status)}); build again")
    log.info(f"digest: {split.pages} pages rendered by two processes, {split.theirs} of them by the second")


def abandon(error: Exception) -> None:
    """At `on_build_error`: the second process reports its error and ends; this one stops it."""
    global _split
    split, _split = _split, None
    if split is None:
        return
    if split.child_pid == 0:
        log.error(f"second rendering process: {type(error).__name__}: {error}")
        _exit(_FAILED)
    _restore(split)
    try:
        os.kill(split.child_pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    wait(split.child_pid)


_REPLACED = ("_populate_page", "_build_page", "_build_theme_template", "_build_extra_template")


def _second_share(pages, in_nav: set[str], head_start: int) -> frozenset[str]:
    """The pages the second process renders, chosen so that both end together: largest first,
    each goes where the busier process ends sooner. This process renders the pages in the
    navigation, reads the front matter of the other's, and has `head_start` of its own work."""
    here, there = head_start, 0
    theirs = []
    for size, src in sorted(((os.path.getsize(f.abs_src_path), f.src_uri) for f in pages), reverse=True):
        cost = PAGE_COST + size
        if src not in in_nav and max(here + READ_COST, there + cost) < max(here + cost, there):
            theirs.append(src)
            here += READ_COST
            there += cost
        else:
            here += cost
    return frozenset(theirs)


def _other_plugins(config) -> bool:
    """Any plugin but hooks (MkDocs lists the hooks among the plugins)."""
    return any(name not in config.hooks for name in config.plugins)


def _restore(split: _Split) -> None:
    for name, original in split.originals.items():
        setattr(mkdocs_build, name, original)
    gc.unfreeze()


def _exit(status: int) -> None:
    """End the second process without unwinding into MkDocs' command line (which would report a
    build of its own), once what it logged is out."""
    for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


@contextlib.contextmanager
def _quiet():
    """No warnings logged (nor counted) meanwhile: the other process reports them."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def _nothing(*args, **kwargs) -> None:
    return None
