"""Search: a compact index of folded Arabic stems, and the matcher the browser runs on it.

Stock lunr search misses most Arabic spellings (المغرب ≠ بالمغرب, الامن ≠ الأمن, خليه ≠ خلية),
so the builder writes its own index and `theme_overrides/assets/javascripts/search.js` ports
the few rules below. Each word becomes one *stem*:

1. `normalize.fold`: diacritics, tatweel, hamza/alef forms, ى/ي, ة/ه, Eastern digits.
2. Compound names split: عبدالوافي → عبد + الوافي (COMPOUND_HEADS).
3. Leading clitics (و ف ب ك ل ال) removed: the shortest form `normalize.strip_clitics` offers.
4. A few suffixes removed (ية ي ين ون ات ها ...), at most twice, keeping three letters: so the
   demonym الفرنسية and the name فرنسا meet at فرنس.

A query word stands for every stem of every form strip_clitics can read in it, repeatedly (a
leading ف or ب may be a letter or a clitic; the index chose one reading, the query tries all).
The index carries its own rule tables, so the JS reads them instead of copying them.

The documents are split by year of publication (`index_part`), newest first: a day's new
articles change only the current year's part, so a returning reader's browser fetches that one
again and keeps the others, and a build after one edit rewrites one part, not 20 MB.
"""

from __future__ import annotations

import functools
import json
import re
from itertools import chain
from typing import Any, Callable

from .countries import country_name
from .knowledge import Knowledge
from .model import Article
from .normalize import DIACRITICS, FOLD_MAP, INVISIBLE, fold, strip_clitics
from .topics import topic_label

INDEX_PATH = "search/index.json"  # the rule tables and the names of the parts that hold the documents
INDEX_VERSION = 2
COMPOUND_HEADS = ("عبد", "ابو")  # folded; "عبدالله" is written both joined and apart
SUFFIXES = ("يين", "يون", "ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي", "ا")  # folded, longest first
MIN_STEM = 3
MAX_SUFFIX_STRIPS = 2
SUMMARY_CHARS = 160  # the snippet a result shows; the full text stays on the article page
# Words too common to narrow a search: left out of the index, ignored in a query (folded stems).
STOP_WORDS = ("في", "من", "على", "إلى", "عن", "مع", "أن", "إن", "التي", "الذي", "هذا", "هذه", "ذلك",
              "كما", "بين", "حيث", "قد", "لم", "لا", "ما", "هو", "هي", "كل", "أو", "ثم", "عند")


def _split_compound(word: str) -> list[str]:
    for head in COMPOUND_HEADS:
        rest = word[len(head):]
        if word.startswith(head) and len(rest) >= MIN_STEM and rest.startswith("ال"):
            return [head, rest]
    return [word]


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def _suffix_strip(word: str) -> str:
    for _ in range(MAX_SUFFIX_STRIPS):
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


@functools.lru_cache(maxsize=262_144)  # news vocabulary repeats: called for every indexed word
def stem(word: str) -> str:
    """The index stem of one folded word: fewest letters after clitics and suffixes."""
    if not _is_arabic(word):
        return word
    shortest = min(strip_clitics(word), key=lambda f: (len(f), f))
    return _suffix_strip(shortest)


_WORD = re.compile(r"[^\W_]+")  # letters and digits: the Arabic comma ، and ؛ ؟ are punctuation


def _tokens(text: str) -> list[str]:
    return [part for w in _WORD.findall(fold(text)) for part in _split_compound(w)]


def index_terms(text: str) -> list[str]:
    """Stems of a text as the index stores them (stop words and one-letter words left out)."""
    return [s for word in _WORD.findall(fold(text)) for s in _word_terms(word)]


@functools.lru_cache(maxsize=262_144)  # news vocabulary repeats: one look-up per word of the site
def _word_terms(word: str) -> tuple[str, ...]:
    """index_terms of one folded word (a compound gives two)."""
    out = []
    for token in _split_compound(word):
        s = stem(token)
        if len(s) > 1 and token not in _STOP and s not in _STOP:
            out.append(s)
    return tuple(out)


_STOP = frozenset(fold(w) for w in STOP_WORDS)


def query_forms(token: str) -> list[str]:
    """Every stem a query word may stand for, most literal first."""
    if not _is_arabic(token):
        return [token]
    seen: list[str] = []
    todo = [token]
    while todo:
        form = todo.pop(0)
        if form in seen:
            continue
        seen.append(form)
        todo.extend(f for f in strip_clitics(form) if f not in seen)
    stems = []
    for form in seen:
        s = _suffix_strip(form)
        if s not in stems:
            stems.append(s)
    return stems


def query_words(query: str) -> list[list[str]]:
    """The query as a list of words, each a list of stems; stop words dropped."""
    return [query_forms(t) for t in _tokens(query) if len(t) > 1 and t not in _STOP]


@functools.lru_cache(maxsize=4)
def country_words(kb: Knowledge) -> dict[str, str]:
    """Code → every name and demonym of the country (display, CLDR, aliases, demonyms), as one text."""
    table = kb.table("countries").get("countries") or {}
    out = {}
    for code, entry in table.items():
        texts = [country_name(code)]
        for field in ("cldr", "name", "aliases", "demonym", "demonyms"):
            value = (entry or {}).get(field) or []
            texts.extend([value] if isinstance(value, str) else value)
        out[code] = " ".join(texts)
    return out


def article_terms(article: Article, kb: Knowledge) -> list[str]:
    """Sorted unique stems of everything a reader might search an article by."""
    countries = country_words(kb)
    texts = [article.title, article.summary, *article.body, article.outlet]
    texts += [countries.get(c, country_name(c)) for c in article.countries]
    for o in article.officials:
        texts += [o.name, *o.variants]
    texts += [topic_label(kb, t) for t in article.topics]
    # Text by text: no word spans two texts, and extraction has just folded (and cached) each paragraph.
    words = set(chain.from_iterable(_WORD.findall(fold(text)) for text in texts))
    return sorted(set(chain.from_iterable(map(_word_terms, words))))


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def rules() -> dict[str, Any]:
    """The rule tables the browser needs to stem a query exactly as this module does."""
    return {
        "fold": {chr(k): v for k, v in sorted(FOLD_MAP.items())},
        "diacritics": DIACRITICS.pattern,
        "invisible": sorted(INVISIBLE),
        "compound_heads": list(COMPOUND_HEADS),
        "suffixes": list(SUFFIXES),
        "min_stem": MIN_STEM,
        "max_suffix_strips": MAX_SUFFIX_STRIPS,
        "stop": sorted(_STOP),
    }


def search_index(articles: list[Article], kb: Knowledge, urls: dict[str, str], dates: dict[str, str],
                 terms: dict[str, str] | None = None) -> dict[str, Any]:
    """The index: rule tables, then per article its id, title, url, date, outlet, snippet and stems.

    `urls` maps article id → site path (`articles/x/`); `dates` maps id → the reader's date text;
    `terms` maps id → its stems joined by spaces where already known (cached with extraction).
    """
    terms = terms or {}
    docs = []
    for a in articles:
        docs.append({
            "id": a.id, "t": a.title, "u": urls[a.id], "d": dates.get(a.id, ""),
            "dt": a.date.iso() if a.date else "", "o": a.outlet, "s": _snippet(a.summary),
            "w": terms[a.id] if a.id in terms else " ".join(article_terms(a, kb)),
        })
    return {"version": INDEX_VERSION, "rules": rules(), "docs": docs}


def dump_index(index: dict[str, Any]) -> str:
    """Compact, deterministic JSON (the index is fetched, never placed in a page)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n"


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def index_part(article: Article) -> str:
    """The file of the index that holds an article's document, beside INDEX_PATH."""
    return f"index-{article.date.year}.json" if article.date else "index-undated.json"


def index_files(articles: list[Article], kb: Knowledge, urls: dict[str, str], dates: dict[str, str],
                terms: dict[str, str] | None = None) -> dict[str, bytes]:
    """The index as files, {path: bytes}: INDEX_PATH and its parts (`load_index` reads them back
    as `search_index`). Documents are spliced as `index_text` does."""
    terms = terms or {}
    parts: dict[str, list[tuple[bytes, bytes]]] = {}
    for a in articles:
        parts.setdefault(index_part(a), []).append(
            (index_fields(a, urls[a.id], dates.get(a.id, "")).encode("utf-8"),
             terms_value(terms[a.id] if a.id in terms else " ".join(article_terms(a, kb)))))
    folder = INDEX_PATH.rpartition("/")[0]
    return {INDEX_PATH: index_head(list(parts))} | {f"{folder}/{name}": index_text(docs) for name, docs in parts.items()}


def index_head(parts: list[str]) -> bytes:
    """INDEX_PATH: the rule tables, and the parts in the order their documents come (newest first)."""
    return dump_index({"version": INDEX_VERSION, "rules": rules(), "parts": parts}).encode("utf-8")


def load_index(read: Callable[[str], bytes]) -> dict[str, Any]:
    """The index its files hold, as `search_index` makes it (`read`: a file name beside INDEX_PATH → its bytes)."""
    head = json.loads(read(INDEX_PATH.rpartition("/")[2]))
    docs = [doc for part in head.pop("parts") for doc in json.loads(read(part))["docs"]]
    return head | {"docs": docs}


def index_fields(article: Article, url: str, date: str) -> str:
    """A document of the index without its stems: `index_text` adds them (what is shown of an
    article; its stems are cached with its extraction)."""
    a = article
    return _encode({"id": a.id, "t": a.title, "u": url, "d": date, "dt": a.date.iso() if a.date else "",
                    "o": a.outlet, "s": _snippet(a.summary)})[:-1]


def terms_value(terms: str) -> bytes:
    """An article's stems joined by spaces, as the index writes them: a JSON string in UTF-8.
    Made once, with the article's extraction, and cached as bytes: a build splices 10,000 of them
    into the index without encoding 14 MB again. Stems are letters and digits, which JSON writes
    as they are, so the encoder is only needed for the odd one out."""
    plain = terms.isprintable() and '"' not in terms and "\\" not in terms
    return (f'"{terms}"' if plain else _encode(terms)).encode("utf-8")


def index_text(docs: list[tuple[bytes, bytes]]) -> bytes:
    """A part of the index around its documents, in UTF-8: `{"docs":[...]}` as `dump_index`
    writes it. A document is its `index_fields` (encoded) and its stems (`terms_value`): all are
    spliced by one join, with no document copied on its own first."""
    parts = [b'{"docs":[']
    for fields, terms in docs:
        parts += (fields, b',"w":', terms, b"},")
    if docs:
        parts[-1] = b"}"
    parts.append(b"]}\n")
    return b"".join(parts)


def search(index: dict[str, Any], query: str, limit: int = 50) -> list[str]:
    """Ids of the documents matching every query word, best first (the reference for search.js).

    A word scores 3 when a stem of it is a title stem, 2 when it is an index stem, 1 when a stem
    of four letters or more begins an index stem (a word still being typed).
    """
    wanted = query_words(query)
    if not wanted:
        return []
    scored = []
    for doc in index["docs"]:
        terms = doc["w"].split(" ")
        term_set, title = set(terms), set(index_terms(doc["t"]))
        total = 0
        for forms in wanted:
            best = 0
            for f in forms:
                if f in title:
                    best = max(best, 3)
                elif f in term_set:
                    best = max(best, 2)
                elif len(f) >= 4 and any(t.startswith(f) for t in terms):
                    best = max(best, 1)
            if not best:
                break
            total += best
        else:
            scored.append((-total, _neg(doc["dt"]), doc["id"]))
    return [doc_id for *_, doc_id in sorted(scored)[:limit]]


def _neg(iso: str) -> tuple[int, ...]:
    """Newer dates sort first."""
    return tuple(-int(p) for p in iso.split("-")) if iso else (1,)
