"""The built site as a reader meets it: headless Chromium on a phone and a desktop.

Opens the home page, a story, an official, a country, an article and search results; each must be Arabic RTL,
log no console error, request nothing from another origin, fit a 375 px phone, and link only to
pages (and heading anchors) that exist. Screenshots go to tests/screenshots/ (gitignored); with
DIGEST_UPDATE_SCREENSHOTS=1 the home page shots are also copied to .github/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import urllib.parse
import urllib.request

import pytest

from conftest import REPO
from test_search import QUERIES, browser, outcome, run_table, site_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
SHOTS = REPO / "tests/screenshots"
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


def first_link(page, url: str, selector: str) -> str:
    page.goto(url)
    href = page.eval_on_selector(selector, "a => a.href")
    assert href, f"no link {selector} on {url}"
    return href


@pytest.fixture(scope="module")
def pages(browser, site_url):
    """The kinds of page a reader lands on, by name → absolute URL."""
    page = browser.new_page()
    story = first_link(page, site_url + "stories/", "article ul a")
    found = {
        "home": site_url,
        "story": story,
        "official": first_link(page, site_url + "officials/", "article ul a"),
        "country": site_url + "countries/ma/",
        "article": first_link(page, story, "article li a[href*='articles/']"),  # one with other coverage
        "search": site_url + "search/?q=" + urllib.parse.quote("الفرنسي"),
    }
    page.close()
    return found


@pytest.fixture(scope="module")
def visits(browser, site_url, pages):
    """Each page opened at both sizes: its requests, console errors, links and layout width."""
    SHOTS.mkdir(exist_ok=True)
    out = {}
    for viewport, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size, device_scale_factor=1)
        for name, url in pages.items():
            page = context.new_page()
            requests, errors = [], []
            page.on("request", lambda r, requests=requests: requests.append(r.url))
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            response = page.goto(url, wait_until="networkidle")
            if name == "search":
                page.wait_for_selector("#digest-results li")
            assert response and response.ok, url
            page.evaluate("document.fonts.ready")
            shot = SHOTS / f"{name}-{viewport}.png"
            page.screenshot(path=str(shot), full_page=True)
            if name == "home":
                page.screenshot(path=str(SHOTS / f"home-{viewport}-top.png"))
            out[(name, viewport)] = {
                "url": url,
                "requests": requests,
                "errors": errors,
                "html": page.evaluate("[document.documentElement.lang, document.documentElement.dir]"),
                "links": page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"),
                "overflow": page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
                "font": page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily"),
                "faux_italic": page.evaluate(
                    "Array.from(document.querySelectorAll('.md-typeset em, .md-typeset i'))"
                    ".filter(e => getComputedStyle(e).fontStyle !== 'normal').length"),
            }
            page.close()
        context.close()
    if os.environ.get("DIGEST_UPDATE_SCREENSHOTS"):
        target = REPO / ".github/screenshots"
        target.mkdir(parents=True, exist_ok=True)
        for viewport in VIEWPORTS:
            shutil.copyfile(SHOTS / f"home-{viewport}-top.png", target / f"home-{viewport}.png")
    return out


def test_every_page_is_arabic_and_right_to_left(visits):
    for key, visit in visits.items():
        assert visit["html"] == ["ar", "rtl"], key
        assert "Noto Naskh Arabic" in visit["font"], key
        assert visit["faux_italic"] == 0, key


def test_no_console_error(visits):
    for key, visit in visits.items():
        assert not visit["errors"], (key, visit["errors"])


def test_no_request_leaves_the_site(visits, site_url):
    for key, visit in visits.items():
        outside = [u for u in visit["requests"] if not (u.startswith(site_url) or u.startswith("data:"))]
        assert not outside, (key, outside)


def test_fits_a_phone(visits):
    for (name, viewport), visit in visits.items():
        if viewport == "phone":
            assert visit["overflow"] <= 0, f"{name} scrolls sideways by {visit['overflow']} px on a 375 px phone"


def _fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        body = response.read()
        kind = response.headers.get("Content-Type", "")
        return response.status, body.decode("utf-8") if "html" in kind else ""


def test_every_internal_link_and_anchor_resolves(visits, site_url):
    links = sorted({link for visit in visits.values() for link in visit["links"] if link.startswith(site_url)})
    assert len(links) > 20
    pages: dict[str, str] = {}
    broken = []
    for link in links:
        target, _, fragment = link.partition("#")
        if target not in pages:
            try:
                status, pages[target] = _fetch(target)
            except OSError as err:
                broken.append((link, str(err)))
                pages[target] = ""
                continue
        anchor = urllib.parse.unquote(fragment)
        if anchor and not re.search(rf'id="{re.escape(anchor)}"', pages[target]):
            broken.append((link, "no such anchor"))
    assert not broken, broken[:10]


@pytest.mark.parametrize("name", ["article", "story"])
def test_headings_have_arabic_anchors(browser, pages, name):
    page = browser.new_page()
    page.goto(pages[name])
    ids = page.eval_on_selector_all(".md-typeset h2[id]", "els => els.map(e => e.id)")
    anchors = page.eval_on_selector_all(".md-typeset h2 a.headerlink", "els => els.map(a => a.getAttribute('href'))")
    page.close()
    assert ids, f"the {name} page has no section headings"
    assert all(re.search(r"[\u0600-\u06ff]", i) for i in ids), ids
    assert [urllib.parse.unquote(a) for a in anchors] == ["#" + i for i in ids]


def test_search_table_in_the_browser(browser, site_url):
    page = browser.new_page()
    got = run_table(page, site_url)
    page.close()
    passed = sum(outcome(row, got[row["q"]]) for row in QUERIES)
    assert passed == len(QUERIES), f"{passed}/{len(QUERIES)}"


def test_search_results_are_text_never_markup(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "search/?q=" + urllib.parse.quote("المغرب"))
    page.wait_for_selector("#digest-results li")
    assert page.eval_on_selector_all("#digest-results li *", "els => els.every(e => ['A','SMALL','TIME','P'].includes(e.tagName))")
    page.close()
