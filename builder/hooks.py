"""MkDocs hooks: run the builder before every build (also under `mkdocs serve`), escape page meta,
render on two cores (render_split.py).

Loaded by path from mkdocs.yml, so it imports the installed `builder` package and keeps no
logic of its own.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path

from builder import html_blocks, render_split
from builder.chrome import ChromeCache, compiled_templates
from builder.errors import BuilderError
from builder.pipeline import build

log = logging.getLogger("mkdocs.plugins.digest")


def on_config(config, **kwargs):
    """Reproducible output: MkDocs stamps pages and sitemap.xml.gz with the build date unless
    SOURCE_DATE_EPOCH is set. Pin it (a publisher may still set their own)."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    return config


def on_pre_build(config, **kwargs) -> None:
    """seeds/ → content/ before MkDocs reads content/; problems become MkDocs warnings (strict fails)."""
    from mkdocs.exceptions import PluginError

    project = Path(config.config_file_path).parent
    try:
        # Under `mkdocs build --strict` a seed warning stops the build before content/ is touched.
        result = build(project, strict=bool(config.strict))
    except BuilderError as err:
        raise PluginError(str(err)) from None
    for problem in result.report.problems:
        log.warning(str(problem))
    if result.skipped:
        log.info("digest: no seed, knowledge table or setting changed since the last build; content/ is as it was")
        return
    log.info(f"digest: {len(result.built)} articles from {result.report.seeds_read} seeds; "
             f"{result.written} files written, {result.removed} removed, {result.unchanged} unchanged")


_nav_urls: frozenset[str] = frozenset()


def on_nav(nav, config, files, **kwargs):
    """The last step before MkDocs reads the pages: where rendering splits over two cores."""
    global _nav_urls
    _nav_urls = frozenset(page.url for page in nav.pages)
    render_split.start(config, nav, files)
    return nav


def on_env(env, config, **kwargs):
    """`digest_chrome`: the navigation blocks rendered once per place in the site; the compiled
    templates kept between builds (chrome.py)."""
    env.globals["digest_chrome"] = ChromeCache(_nav_urls)
    env.bytecode_cache = compiled_templates(Path(config.config_file_path).parent)
    return env


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    """Front-matter strings reach templates that do not escape them: escape them once, here.
    A page the builder wrote has its raw HTML lifted out of Markdown's way (html_blocks.py)."""
    page.meta = _escape(page.meta)
    if page.meta.get("digest_page"):
        markdown, page.digest_lifted = html_blocks.lift(markdown)
    return markdown


def on_page_content(html: str, page, **kwargs) -> str:
    return html_blocks.restore(html, getattr(page, "digest_lifted", []))


def _escape(value):
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def on_post_build(config, **kwargs) -> None:
    render_split.finish(config)


def on_build_error(error, **kwargs) -> None:
    render_split.abandon(error)


def on_post_page(output: str, page, config, **kwargs) -> str:
    """Material sets the direction on <body> only; feed readers, crawlers and CSS need it on <html>."""
    direction = config.theme.get("direction") or "rtl"
    return output.replace('<html lang="ar" class="no-js">', f'<html lang="ar" dir="{direction}" class="no-js">', 1)
