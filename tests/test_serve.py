"""The curator's preview: `mkdocs serve` follows seeds/ by itself, and the browser reloads."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import BIN, REPO, copy_project

pytestmark = pytest.mark.serve
SEED = "002_8f02804348af47c4.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(predicate, timeout: float = 30.0, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


@pytest.fixture
def served(tmp_path):
    """A temporary project served by `mkdocs serve` on 127.0.0.1; yields (project, base URL)."""
    project = copy_project(tmp_path / "project")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/digest/"  # site_url's path is the served prefix
    try:
        if not wait_for(lambda: fetch(base)[0] == 200, timeout=60):
            proc.kill()
            pytest.fail("mkdocs serve did not come up:\n" + (proc.stdout.read() if proc.stdout else ""))
        yield project, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def edit_title(seed: Path, title: str) -> None:
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("---\n", f"---\ntitle: {title}\n", 1), encoding="utf-8")


def test_editing_a_seed_updates_the_served_page(served):
    project, base = served
    url = base + "articles/002_8f02804348af47c4/"
    assert fetch(url)[0] == 200
    start = time.monotonic()
    edit_title(project / "seeds" / SEED, "عنوان صححه المحرر")
    assert wait_for(lambda: "عنوان صححه المحرر" in fetch(url)[1], timeout=20), "page did not change"
    assert time.monotonic() - start < 20
    # the change reaches group pages and feeds too
    assert wait_for(lambda: "عنوان صححه المحرر" in fetch(base + "feeds/all.rss.xml")[1], timeout=10)


def test_adding_and_removing_a_seed(served):
    project, base = served
    new = project / "seeds" / "900_new.txt"
    shutil.copy2(REPO / "seeds" / SEED, new)
    edit_title(new, "مقال جديد أضافه المحرر")
    # identical text would be refused as a duplicate: make the body differ too
    new.write_text(new.read_text(encoding="utf-8") + "\nفقرة إضافية تميز هذا المقال عن أصله.\n", encoding="utf-8")
    url = base + "articles/900_new/"
    assert wait_for(lambda: fetch(url)[0] == 200 and "مقال جديد أضافه المحرر" in fetch(url)[1], timeout=20)
    new.unlink()
    assert wait_for(lambda: fetch(url)[0] == 404, timeout=20), "removed seed's page is still served"
    assert not (project / "content/articles/900_new.md").exists()


def test_no_rebuild_loop_after_an_edit(served):
    project, base = served
    edit_title(project / "seeds" / SEED, "تعديل واحد")
    url = base + "articles/002_8f02804348af47c4/"
    assert wait_for(lambda: "تعديل واحد" in fetch(url)[1], timeout=20)
    time.sleep(2)  # let any follow-up build triggered by content/ settle
    stamp = (project / "content/.digest-manifest").stat().st_mtime_ns
    pages = {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*.md")}
    time.sleep(3)
    assert (project / "content/.digest-manifest").stat().st_mtime_ns == stamp
    assert {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*.md")} == pages, "content/ keeps being rewritten"


@pytest.mark.browser
def test_browser_reloads_by_itself(served):
    from browser import launch_chromium

    project, base = served
    with launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base + "articles/002_8f02804348af47c4/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # let the livereload long-poll start (it keeps the network busy)
        page.evaluate("window.__before_reload = true")
        edit_title(project / "seeds" / SEED, "تحديث تلقائي للمتصفح")
        page.wait_for_function("() => document.body && document.body.innerText.includes('تحديث تلقائي للمتصفح')",
                               timeout=20000)
        assert page.evaluate("window.__before_reload === undefined"), "content changed without a reload?"
