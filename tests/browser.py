"""Headless Chromium for tests: Debian's /usr/bin/chromium (or $CHROMIUM) driven by playwright (no download)."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (run `make test`, which installs it)")
    return path


@contextlib.contextmanager
def launch_chromium():
    """A headless Chromium browser for one test."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
