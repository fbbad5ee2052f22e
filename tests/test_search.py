"""Arabic search: the stemmer, the index the builder writes, and the same search run in Chromium.

The query table (tests/data/search_queries.yaml) is run twice: against the index in pure Python
(builder.search.search, the reference) and by typing each query into the built search page.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from builder.groups import newest_first
from builder.search import index_terms, load_index, query_words, search
from conftest import REPO

QUERIES = yaml.safe_load((REPO / "tests/data/search_queries.yaml").read_text(encoding="utf-8"))["queries"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]

# Words whose stems Python and the browser must agree on: clitics, hamza, ى/ي, ة/ه, digits, marks.
AGREEMENT_WORDS = [
    "وبالمغرب", "للعراقيين", "فالعراق", "كالأمن", "الأمن", "الامن", "إسرائيل", "آليات", "مؤتمر", "يؤدي",
    "الفوضى", "خلية", "خليه", "الداخلية", "الأَمْنُ", "الهجـــرة", "٢٠٢٥", "۱۴۰۳", "عبدالوافي لفتيت",
    "أبوالقاسم", "الفرنسية", "فرنسا", "اللبنانيين", "العراقيون", "34PX8EU", "Interpol", "في", "وفي",
    "\u200fالمغرب\u200e", "ک", "لبنان", "بلاد", "مغاربة", "الأخبار55", "،الرباط؛",
]


def index_of(project: Path) -> dict:
    return load_index(lambda name: (project / "site/search" / name).read_bytes())


def outcome(row: dict, got: list[str]) -> bool:
    """A row passes when every expected id is found (and nothing else, for `exact` rows)."""
    return set(row["expect"]) <= set(got) and (not row.get("exact") or set(got) == set(row["expect"]))


# --- pure Python -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "stems"), [
    ("بالمغرب والمغرب المغربية", ["مغرب", "مغرب", "مغرب"]),
    ("للأمن الامن الأمني", ["امن", "امن", "امن"]),
    ("خلية خليه", ["خلي", "خلي"]),
    ("الفرنسية", ["فرنس"]),
    ("عبدالوافي", ["عبد", "واف"]),
    ("في من على", []),  # stop words
    ("٢٠٢٤", ["2024"]),
])
def test_index_stems(text, stems):
    assert index_terms(text) == stems


def test_article_terms_are_the_stems_of_its_texts_joined():
    """article_terms stems each text on its own; the joined text must give the same stems (folding
    and NFC do not reach across the space between two texts)."""
    from builder.knowledge import load_knowledge
    from builder.model import Article, Official
    from builder.search import article_terms, country_words
    from builder.topics import topic_label

    kb = load_knowledge()
    article = Article(
        id="x", slug="x", file="seeds/x.txt", part=1, title="وزير الداخلية\u0301 يلتقي ٢٠٢٤", title_generated=False,
        date=None, date_basis="none", dates=(), outlet="هسبريس", url="", countries=("MA", "FR"),
        countries_primary=("MA",), officials=(Official("عبدالوافي لفتيت", "وزير الداخلية", "MA", variants=("لفتيت",)),),
        topics=("counter_terrorism",), summary="ملخص الخبر", body=("\u0651بالمغرب والمغرب\u200f", "ΣΑΣ Σ الأمن ۱۴۰۳ ", "ـالهجرة"),
    )
    texts = [article.title, article.summary, *article.body, article.outlet, country_words(kb)["MA"],
             country_words(kb)["FR"], "عبدالوافي لفتيت", "لفتيت", topic_label(kb, "counter_terrorism")]
    assert article_terms(article, kb) == sorted(set(index_terms(" ".join(texts))))


def test_a_query_word_tries_every_clitic_reading():
    # فرنسا: ف may be a conjunction; the index reads it as a clitic, the query tries both.
    assert query_words("فرنسا") == [["فرنس", "رنس"]]
    assert query_words("الفرنسي") == [["الفرنس", "فرنس", "رنس"]]


def test_index_files_are_the_index_dumped_in_parts():
    """index_files splices each document's stems into its JSON as they are: read back, the same
    index as search_index makes, also for titles, outlets and stems that JSON must escape; each
    part is its documents dumped, one part a year, newest first, undated last."""
    from dataclasses import replace

    from builder.knowledge import load_knowledge
    from builder.model import PartialDate
    from builder.pipeline import extract_paths
    from builder.search import dump_index, index_files, search_index

    kb = load_knowledge()
    articles, _ = extract_paths([REPO / "seeds"], kb=kb)
    odd = [replace(articles[0], id="odd-1", title='قال "الوزير" \\ \u2028 \x07', outlet="Le \"Monde\""),
           replace(articles[1], id="odd-2", date=None, summary=""), replace(articles[1], id="odd-3", date=PartialDate(2019))]
    articles = newest_first(articles + odd)
    urls = {a.id: f"articles/{a.slug}/" for a in articles}
    dates = {a.id: a.date.iso() for a in articles if a.date}
    for terms in ({"odd-1": "مغرب رباط\\", "odd-2": "مغرب \x1f", "odd-3": 'مغرب "رباط"', articles[2].id: "plain words"}, None):
        files = index_files(articles, kb, urls, dates, terms)
        index = search_index(articles, kb, urls, dates, terms)
        assert load_index(lambda name: files["search/" + name]) == json.loads(dump_index(index))
        head = json.loads(files["search/index.json"])
        years = sorted({a.date.year for a in articles if a.date}, reverse=True)
        assert head["parts"] == [f"index-{y}.json" for y in years] + ["index-undated.json"]
        for part in head["parts"]:
            docs = [d for d in index["docs"] if f"index-{d['dt'][:4] or 'undated'}.json" == part]
            assert files["search/" + part] == dump_index({"docs": docs}).encode("utf-8")


def test_index_is_compact_and_has_no_bodies(built_site):
    index = index_of(built_site)
    docs = index["docs"]
    assert len(docs) == 6
    size = sum(p.stat().st_size for p in (built_site / "site/search").glob("index*.json"))
    assert size < 4000 * len(docs) + 3000, size  # rules + a few KB per article
    for doc in docs:
        assert set(doc) == {"id", "t", "u", "d", "dt", "o", "s", "w"}
        assert len(doc["s"]) <= 165
        terms = doc["w"].split(" ")
        assert terms == sorted(set(terms))
        assert (built_site / "site" / doc["u"] / "index.html").exists()


def test_index_carries_country_names_and_demonyms(built_site):
    by_id = {d["id"]: d["w"].split(" ") for d in index_of(built_site)["docs"]}
    # 003.2 never writes إيراني, but it names إيران: the countries table adds the demonym.
    assert "اير" in by_id["003_473e30b3f91dada2.2"]


@pytest.mark.parametrize("row", QUERIES, ids=[r["q"] for r in QUERIES])
def test_query_table_in_python(built_site, row):
    got = search(index_of(built_site), row["q"])
    assert outcome(row, got), f"{row['q']} ({row['why']}): expected {row['expect']}, got {got}"


def test_query_table_is_big_enough():
    assert len(QUERIES) >= 25


# --- in the browser --------------------------------------------------------------------------

def chromium_path() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs Debian's chromium")
        pytest.skip("chromium is not installed (`make test` installs it)")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """The built site over HTTP on 127.0.0.1, on a free port, in a thread."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def run_table(page, site_url: str) -> dict[str, list[str]]:
    """Type every query into the search page; the ids of the results each one shows."""
    page.goto(site_url + "search/")
    page.wait_for_selector("#digest-results[data-ready=true]", state="attached")
    by_url = {d["u"]: d["id"] for d in page.evaluate("window.digestSearch.docs")}
    out = {}
    for row in QUERIES:
        page.fill("#digest-q", "")
        page.fill("#digest-q", row["q"])
        page.wait_for_function("q => new URL(location.href).searchParams.get('q') === q", arg=row["q"])
        hrefs = page.eval_on_selector_all("#digest-results a", "els => els.map(a => a.getAttribute('href'))")
        out[row["q"]] = [by_url[h.removeprefix("../")] for h in hrefs]
    return out


@pytest.mark.browser
def test_browser_and_python_stem_alike(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "search/")
    page.wait_for_selector("#digest-results[data-ready=true]", state="attached")
    js = page.evaluate("ws => ws.map(w => [window.digestSearch.stemmer.indexTerms(w), "
                       "window.digestSearch.stemmer.queryWords(w)])", AGREEMENT_WORDS)
    for word, (terms, forms) in zip(AGREEMENT_WORDS, js):
        assert terms == index_terms(word), word
        assert forms == query_words(word), word
    page.close()


@pytest.mark.browser
def test_query_table_in_the_browser(browser, site_url, built_site):
    page = browser.new_page()
    got = run_table(page, site_url)
    index = index_of(built_site)
    failures = [(r["q"], r["expect"], got[r["q"]]) for r in QUERIES if not outcome(r, got[r["q"]])]
    assert not failures
    for row in QUERIES:  # same results, same order as the Python reference
        assert got[row["q"]] == search(index, row["q"]), row["q"]
    page.close()
