"""Site: every page and feed of the digest, rendered in memory as {path under content/: text}."""

from __future__ import annotations

import bisect
import datetime
import functools
import hashlib
import pickle
from collections import Counter, defaultdict
from typing import Callable

from .cache import code_version
from .countries import country_name
from .display import count_label, format_date, time_html
from .feeds import render_feeds
from .groups import Groups, group, newest_first, official_key, official_name
from .knowledge import Knowledge
from .markup import link, md_text
from .model import Article
from .paths import ALL_FEED, country_path, feed_base, month_path, official_path, outlet_path, story_path, topic_path
from .render import a_html, article_page, article_path, front_matter, index_item, list_item, listing, rel
from .search import INDEX_PATH, article_terms, index_fields, index_head, index_part, index_text, terms_value
from .site_config import SiteConfig
from .topics import topic_ids, topic_label
from .write import Lazy

HOME_PER_TOPIC = 5  # stories per topic section on the home page
RELATED_COUNT = 5
RELATED_CANDIDATES = 200  # nearest-in-time candidates per shared key: keeps related reading linear


SEARCH_PAGE = "search.md"


def article_url(article: Article) -> str:
    """Site path of an article page (use_directory_urls): articles/x.md → articles/x/."""
    return article_path(article)[:-3] + "/"


def search_form(page: str) -> str:
    """A plain GET form to the search page: works before (and without) any script."""
    return (f'<form class="digest-search-form" role="search" action="{rel(page, "search/")}" method="get">'
            '<label class="digest-hidden" for="digest-q">ابحث في الموجز</label>'
            '<input id="digest-q" name="q" type="search" placeholder="ابحث: اسم، بلد، موضوع…" autocomplete="off">'
            '<button type="submit">بحث</button></form>\n\n')


def search_page() -> str:
    """The search page: an input and a results list that search.js fills from search/index.json and its parts."""
    return (front_matter({"title": "البحث", "digest_page": "search"}) + "# البحث\n\n" + search_form(SEARCH_PAGE)
            .replace('action="search/"', 'action=""') +
            '<p id="digest-search-status" class="digest-search-status" aria-live="polite">'
            '<noscript>البحث يحتاج إلى JavaScript؛ تصفح المواضيع والبلدان والأرشيف بدلا منه.</noscript></p>\n\n'
            f'<ol id="digest-results" class="digest-results" data-index="{INDEX_PATH.split("/")[-1]}" data-root="../"></ol>\n')


def render_site(articles: list[Article], kb: Knowledge, config: SiteConfig,
                terms: dict[str, bytes] | None = None, lazy: bool = False,
                state: dict | None = None, whole: "Callable[[Article], Article] | None" = None) -> dict[str, "str | bytes | Lazy"]:
    """Every generated file, keyed by its path under content/ (`terms`: search terms by article id
    as `search.terms_value`, when extraction already computed them). With `lazy`, article pages and listings are `Lazy`:
    made only when the writer finds their key changed, so a one-seed build renders the few pages
    it touched (official and story pages too). `state`: what the last build kept (related reading), updated in place for the next.
    `whole`: an article with its body, for the pages that show it (cached articles come without)."""
    whole = whole or _as_is
    groups = group(articles)
    articles = groups.newest
    outlet_pages = {o: outlet_path(o) for o in groups.outlets}
    official_pages = {k: official_path(k) for k in groups.officials}
    multi_stories = {s: members for s, members in groups.stories.items() if len(members) > 1}
    marks = fingerprints(articles) if lazy or state is not None else {}
    related, related_state = related_articles(articles, config, (state or {}).get("related"), marks, kb.version)
    if state is not None:
        state["related"] = related_state

    files: dict[str, str | bytes | Lazy] = {}
    context = f"{code_version()}\0{kb.version}\0{config!r}".encode()
    for a in articles:
        story_members = multi_stories.get(a.story, [])
        links = {
            "outlet_pages": outlet_pages,
            "story": story_path(a.story) if story_members else None,
            "coverage": [m for m in story_members if m is not a],
            "related": related[a.id],
        }
        if lazy:
            key = page_key(a, links, marks, context)
            files[article_path(a)] = Lazy(key, functools.partial(_article_page, a, kb, config, links, official_pages, whole))
        else:
            files[article_path(a)] = _article_page(a, kb, config, links, official_pages, whole)

    def listing(path: str, title: str, intro: str, items: list[Article], meta: dict | None = None) -> None:
        paginate(files, path, title, intro, items, config, outlet_pages, meta or {},
                 (marks, context) if lazy else None)

    for t in topic_ids(kb):
        if t in groups.topics:
            listing(topic_path(t), topic_label(kb, t), "", groups.topics[t],
                    {"digest_page": "topic", "topic": t, "feed": feed_base(topic_path(t))})
    files["topics/index.md"] = index_page("المواضيع", "topics/index.md", [
        (topic_label(kb, t), topic_path(t), len(groups.topics[t])) for t in topic_ids(kb) if t in groups.topics])

    for code, items in groups.countries.items():
        officials_here = [k for k, recs in groups.official_records.items() if recs[0].country == code]
        intro = ""
        if officials_here:
            intro = "<p><strong>مسؤولون من هذا البلد:</strong> " + "، ".join(
                a_html(groups.official_records[k][0].name, country_path(code), official_path(k))
                for k in officials_here) + "</p>\n\n"
        listing(country_path(code), country_name(code), intro, items,
                {"digest_page": "country", "country": code, "feed": feed_base(country_path(code))})
    files["countries/index.md"] = index_page("البلدان", "countries/index.md", sorted(
        ((country_name(c), country_path(c), len(v)) for c, v in groups.countries.items()), key=lambda r: (-r[2], r[0])))

    def keyed(path: str, make: functools.partial, *shown: list[Article]) -> None:
        # A page that follows from whole articles only: keyed by their marks, made when that key changed.
        if not lazy:
            files[path] = make()
            return
        parts = [context, path.encode()] + [b"\1".join(marks[a.id] for a in articles) for articles in shown]
        files[path] = Lazy(hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest(), make)

    for key, items in groups.officials.items():
        # Its names and roles are those its articles give; its stories' titles, their members'.
        listed = [m for s in dict.fromkeys(a.story for a in items) for m in multi_stories.get(s, ())]
        keyed(official_path(key), functools.partial(official_page, key, groups, items, config, outlet_pages, multi_stories),
              items, listed)
    files["officials/index.md"] = index_page("المسؤولون", "officials/index.md", sorted(
        ((groups.official_records[k][0].name, official_path(k), len(v)) for k, v in groups.officials.items()),
        key=lambda r: (-r[2], r[0])))

    for outlet, items in groups.outlets.items():
        listing(outlet_path(outlet), outlet, "", items,
                {"digest_page": "outlet", "outlet": outlet, "feed": feed_base(outlet_path(outlet))})
    files["outlets/index.md"] = index_page("المصادر", "outlets/index.md", sorted(
        ((o, outlet_path(o), len(v)) for o, v in groups.outlets.items()), key=lambda r: (-r[2], r[0])))

    for story, members in multi_stories.items():
        keyed(story_path(story), functools.partial(story_page, story, members, config, outlet_pages, official_pages), members)
    files["stories/index.md"] = index_page("القصص المتابعة", "stories/index.md", [  # members are newest first
        (m[-1].title, story_path(s), len(m)) for s, m in sorted(
            multi_stories.items(), key=lambda kv: kv[1][0].date.sort_key() if kv[1][0].date else (0, 0, 0), reverse=True)],
        unit="تغطية")

    month_rows = []
    for month, items in sorted(groups.months.items(), reverse=True):
        label = "بدون تاريخ" if month == "undated" else month_label(month, config)
        listing(month_path(month), label, "", items, {"digest_page": "archive"})
        month_rows.append((label, month_path(month), len(items)))
    files["archive/index.md"] = index_page("الأرشيف", "archive/index.md", month_rows)

    files["index.md"] = home_page(articles, groups, kb, config, outlet_pages)
    files[SEARCH_PAGE] = search_page()
    index, search_state = search_index_files(articles, kb, config, terms or {}, marks, context,
                                             (state or {}).get("search"), whole, lazy)
    files.update(index)
    if state is not None:
        state["search"] = search_state
    files.update(render_feeds(articles, kb, config, groups, marks if lazy else None, whole))
    files.update(feed_folder_sitemaps(files))
    return files


def search_index_files(articles: list[Article], kb: Knowledge, config: SiteConfig, terms: dict[str, bytes],
                       marks: dict[str, bytes], context: bytes, last: dict | None,
                       whole: "Callable[[Article], Article]", lazy: bool) -> tuple[dict[str, "bytes | Lazy"], dict]:
    """The search index's files (`search.index_files`: the head and a part per year), and what the
    next build starts from: each document's fields by the article's mark (`fingerprints`), so a
    one-seed build encodes the fields of one article, not of 10,000 (the stems are cached with
    extraction as `terms`). With `lazy`, each part is made only when its articles' marks changed."""
    previous = last["articles"] if last and last.get("rules") == context else {}
    kept: dict[str, tuple[bytes | None, bytes]] = {}
    parts: dict[str, list[tuple[bytes, bytes]]] = {}
    shown: dict[str, list[bytes]] = {}
    for a in articles:
        mark = marks.get(a.id)
        before = previous.get(a.id)
        if before is not None and mark is not None and before[0] == mark:
            fields = before[1]
        else:
            date = format_date(a.date, config.month_names) if a.date else ""
            fields = index_fields(a, article_url(a), date).encode("utf-8")
        kept[a.id] = (mark, fields)
        part = index_part(a)
        parts.setdefault(part, []).append(
            (fields, terms[a.id] if a.id in terms else terms_value(" ".join(article_terms(whole(a), kb)))))
        shown.setdefault(part, []).append(mark or b"")
    folder = INDEX_PATH.rpartition("/")[0]
    files: dict[str, bytes | Lazy] = {INDEX_PATH: index_head(list(parts))}
    for part, docs in parts.items():
        if lazy:
            key = hashlib.blake2b(b"\0".join([context, part.encode(), *shown[part]]), digest_size=16).hexdigest()
            files[f"{folder}/{part}"] = Lazy(key, functools.partial(index_text, docs))
        else:
            files[f"{folder}/{part}"] = index_text(docs)
    return files, {"rules": context, "articles": kept}


def _article_page(a: Article, kb: Knowledge, config: SiteConfig, links: dict, official_pages: dict[str, str],
                  whole: "Callable[[Article], Article]") -> str:
    """An article page, with its body and the links to its officials' pages (made here: most pages are not made)."""
    links["official_pages"] = ({o.key: official_pages[official_key(o)] for o in a.officials} |
                               {official_key(o): official_pages[official_key(o)] for o in a.officials})
    return article_page(whole(a), kb, config, links)


def _as_is(article: Article) -> Article:
    return article


def fingerprints(articles: list[Article]) -> dict[str, bytes]:
    """Article id → what its page and list items follow from.

    An extracted article is a function of its seed file's path and bytes (`file`, `digest`; the
    code and knowledge versions are in every key): those, its id and what clustering decided
    (story, a date taken from the coverage) name it without hashing it. An article made by hand
    (no digest) is hashed whole.
    """
    def mark(a: Article) -> bytes:
        if not a.digest:
            return hashlib.blake2b(pickle.dumps(a, protocol=5), digest_size=16).digest()
        date = a.date
        return (f"{a.file}\0{a.digest}\0{a.id}\0{a.story}\0{a.date_basis}\0"
                f"{date.year if date else ''}-{date.month if date else ''}-{date.day if date else ''}").encode()

    return {a.id: mark(a) for a in articles}


def page_key(article: Article, links: dict, marks: dict[str, bytes], context: bytes) -> str:
    """What an article page depends on: the code, knowledge and settings, the article, its story
    page and the articles it lists (outlet and official page paths follow from the articles)."""
    parts = [context, marks[article.id], (links["story"] or "").encode()]
    parts += [b"c" + marks[m.id] for m in links["coverage"]]
    parts += [b"r" + marks[m.id] for m in links["related"]]
    return hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()


EMPTY_SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'


def feed_folder_sitemaps(files: dict[str, str]) -> dict[str, str]:
    """An empty sitemap.xml beside every feed.

    Material reads each <link rel="alternate"> as another language of the site and fetches
    sitemap.xml next to it; beside a feed that would be a 404 on every page view.
    """
    folders = {path.rsplit("/", 1)[0] for path in files if path.startswith("feeds/") and not path.endswith(".md")}
    return {f"{folder}/sitemap.xml": EMPTY_SITEMAP for folder in sorted(folders)}


def month_label(month: str, config: SiteConfig) -> str:
    from .model import PartialDate

    return format_date(PartialDate.parse(month), config.month_names)


def paginate(files: dict[str, "str | Lazy"], path: str, title: str, intro: str, items: list[Article],
             config: SiteConfig, outlet_pages: dict[str, str], meta: dict,
             keys: "tuple[dict[str, bytes], bytes] | None" = None) -> None:
    """A listing page, split into pages of `page_size` so no page grows with the whole site.

    With `keys` (`fingerprints` and the build's context), each page is `Lazy`, keyed by what it
    shows: a one-article change makes only the pages that list it (or that it moved) again.
    """
    size = config.page_size
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    base = path[:-3]
    paths = [path] + [f"{base}/page-{n}.md" for n in range(2, len(chunks) + 1)]

    def page_text(n: int, page: str, chunk: list[Article]) -> str:
        heading = title if n == 1 else f"{title} (صفحة {n})"
        body = [front_matter({"title": heading, **meta}), f"# {md_text(heading)}\n\n"]
        if meta.get("feed"):
            body.append(subscribe_line(page, meta["feed"]))
        if n == 1 and intro:
            body.append(intro)
        body.append(f"<p class=\"digest-count\">{count_label(len(items), 'مقال')}</p>\n\n")
        body.append(listing([list_item(a, config, page, outlet_pages) for a in chunk]))
        if len(chunks) > 1:
            nav = []
            if n > 1:
                nav.append(a_html("→ الصفحة السابقة", page, paths[n - 2]))
            if n < len(chunks):
                nav.append(a_html("الصفحة التالية ←", page, paths[n]))
            body.append("<p>" + " · ".join(nav) + "</p>\n")
        return "".join(body)

    for n, (page, chunk) in enumerate(zip(paths, chunks), start=1):
        if keys is None:
            files[page] = page_text(n, page, chunk)
            continue
        marks, context = keys
        parts = [context, repr((page, title, meta, intro if n == 1 else "", len(items), len(chunks))).encode()]
        parts += [marks[a.id] for a in chunk]
        key = hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()
        files[page] = Lazy(key, functools.partial(page_text, n, page, chunk))


def subscribe_line(page: str, base: str) -> str:
    """The visible subscribe links of a page that has feeds.

    Markdown links, not raw <a>: MkDocs rewrites them for directory URLs (countries/ma.md is
    served at countries/ma/), raw HTML it leaves alone.
    """
    target = rel(page, base)
    return (f'اشترك: [RSS]({target}.rss.xml){{type="application/rss+xml"}}'
            f' · [Atom]({target}.atom.xml){{type="application/atom+xml"}}'
            f' · [JSON Feed]({target}.json){{type="application/feed+json"}}\n{{: .digest-subscribe }}\n\n')


def index_page(title: str, path: str, rows: list[tuple[str, str, int]], unit: str = "مقال") -> str:
    """An index of groups: each linked, with how many articles it holds."""
    body = [front_matter({"title": title, "digest_page": "index"}), f"# {md_text(title)}\n\n"]
    if not rows:
        body.append("لا شيء بعد.\n")
    else:
        body.append(listing([index_item(label, path, target, f"<small>({count_label(count, unit)})</small>")
                             for label, target, count in rows], "digest-index"))
    return "".join(body)


def official_page(key: str, groups: Groups, items: list[Article], config: SiteConfig,
                  outlet_pages: dict[str, str], stories: dict[str, list[Article]]) -> str:
    """One official: name, roles, country, spellings seen, and every article naming them."""
    path = official_path(key)
    records = groups.official_records[key]
    names = Counter(r.name for r in records)
    name = official_name(records)
    roles = sorted({r.role for r in records if r.role})
    countries = sorted({r.country for r in records if r.country})
    body = [front_matter({"title": name, "digest_page": "official", "official": key, "feed": feed_base(path)}),
            f"# {md_text(name)}\n\n", subscribe_line(path, feed_base(path))]
    if roles:
        body.append("**الصفة:** " + "؛ ".join(md_text(r) for r in roles) + "\n\n")
    if countries:
        body.append("**البلد:** " + "، ".join(link(country_name(c), rel(path, country_path(c))) for c in countries) + "\n\n")
    variants = sorted(set(names) | {v for r in records for v in r.variants})
    if len(variants) > 1:
        body.append("**صيغ الاسم:** " + "، ".join(md_text(v) for v in variants) + "\n\n")
    story_ids = [s for s in dict.fromkeys(a.story for a in items) if s in stories]
    if story_ids:
        body.append("## القصص\n\n" + listing(
            [index_item(newest_first(stories[s])[-1].title, path, story_path(s)) for s in story_ids], "digest-index"))
    body.append("## المقالات\n\n")
    body.append(listing([list_item(a, config, path, outlet_pages) for a in items[: config.page_size]]))
    return "".join(body)


def story_page(story: str, members: list[Article], config: SiteConfig, outlet_pages: dict[str, str],
               official_pages: dict[str, str]) -> str:
    """One event told once: headline, date, every outlet's article (first publisher first)."""
    path = story_path(story)
    oldest_first = list(reversed(newest_first(members)))
    lead = oldest_first[0]
    body = [front_matter({"title": lead.title, "digest_page": "story", "story": story, "description": lead.summary,
                          "feed": feed_base(path)}),
            f"# {md_text(lead.title)}\n\n", subscribe_line(path, feed_base(path)),
            f"<p class=\"digest-byline\">{time_html(lead.date, config.month_names, config.hijri)} · "
            f"{len(members)} تغطيات</p>\n\n",
            f"{md_text(lead.summary)}\n\n", "## التغطيات\n\n"]
    first = "<strong>أول من نشر:</strong>" if len({m.date for m in members}) > 1 else ""
    body.append(listing([list_item(a, config, path, outlet_pages, prefix=first if n == 0 else "")
                         for n, a in enumerate(oldest_first)]))
    shared_countries = sorted(set.intersection(*(set(a.countries) for a in members)))
    if shared_countries:
        body.append("**البلدان:** " + "، ".join(link(country_name(c), rel(path, country_path(c))) for c in shared_countries) + "\n\n")
    officials = {official_key(o): o for a in members for o in a.officials}
    if officials:
        body.append("**المسؤولون:** " + "، ".join(
            link(o.name, rel(path, official_pages[k])) for k, o in sorted(officials.items())) + "\n")
    return "".join(body)


def home_page(articles: list[Article], groups: Groups, kb: Knowledge, config: SiteConfig,
              outlet_pages: dict[str, str]) -> str:
    """The latest digest: newest stories first, grouped by topic, each story shown once (`articles`
    newest first, as `Groups.newest`)."""
    page = "index.md"
    body = [front_matter({"title": config.site_name, "digest_page": "home", "feed": ALL_FEED}),
            f"# {md_text(config.site_name)}\n\n"]
    if config.description:
        body.append(f"{md_text(config.description)}\n\n")
    body.append(subscribe_line(page, ALL_FEED))
    body.append(search_form(page))
    story_heads = []  # newest article of each story, newest story first
    seen = set()
    for a in articles:
        if a.story not in seen:
            seen.add(a.story)
            story_heads.append(a)
    by_topic: dict[str, list[Article]] = defaultdict(list)
    for a in story_heads:
        by_topic[a.topics[0] if a.topics else "other"].append(a)
    # Each topic's list is newest first already (it follows `articles`): its first item is its newest.
    order = sorted(by_topic, key=lambda t: by_topic[t][0].date.sort_key() if by_topic[t][0].date else (0, 0, 0), reverse=True)
    for t in order:
        body.append(f"## {link(topic_label(kb, t), rel(page, topic_path(t)))}\n\n")
        items = []
        for a in by_topic[t][:HOME_PER_TOPIC]:
            others = len(groups.stories.get(a.story, [])) - 1
            more = ""
            if others > 0:
                more = "و" + count_label(others, "تغطية").replace(" واحدة", "") + (" أخرى" if others == 1 or others > 2 else " أخريان")
                more = f"<small>{a_html(more, page, story_path(a.story))}</small>"
            items.append(list_item(a, config, page, outlet_pages, extra=more))
        body.append(listing(items))
    return "".join(body)


# Related reading is read from, and kept for, the next build: per article id, its mark (what it
# was made from, `fingerprints`), what its list was computed from (day, keys, story) and the list.
RelatedState = dict[str, tuple[bytes | None, int, tuple[tuple[str, str, int], ...], str, tuple[str, ...]]]
KeyIndex = dict[tuple[str, str], list[tuple[int, str]]]  # (kind, key) → (day, id) of the articles sharing it, sorted


def related_articles(articles: list[Article], config: SiteConfig, last: "dict | None" = None,
                     marks: dict[str, bytes] | None = None, version: str = "") -> tuple[dict[str, list[Article]], dict]:
    """Other articles sharing officials, countries or topics within a time window, best first;
    and the state the next build starts from.

    Candidates come from per-key lists sorted by date, cut to the window and to the nearest
    RELATED_CANDIDATES, so the work per article does not grow with the size of the site. With
    `last` (what the previous build returned) and `marks` (`fingerprints`: an article whose mark
    is unchanged has the same day, keys and story), only the changed articles are read again, the
    key lists are patched where they changed, and only the articles whose candidates or story could
    have changed are scored again (`_unsettled`); the others keep their list. `version`: of the
    knowledge tables (keys follow from them).
    """
    def day(a: Article) -> int:
        if not a.date:
            return 0
        return datetime.date(a.date.year, a.date.month or 1, a.date.day or 1).toordinal()

    # One tuple per (kind, key, weight), shared by every article with it: the state then pickles
    # each once per file, not once per article (its related part loaded in half the time).
    shared: dict[tuple[str, str, int], tuple[str, str, int]] = {}

    def keys(a: Article) -> tuple[tuple[str, str, int], ...]:
        own = ([("o", official_key(o), 3) for o in a.officials] + [("c", c, 1) for c in a.countries] +
               [("t", t, 1) for t in a.topics if t != "other"])
        return tuple(shared.setdefault(k, k) for k in own)

    window = config.related_window_days
    rules = (window, RELATED_COUNT, RELATED_CANDIDATES, version, code_version())
    previous: RelatedState = last["articles"] if last and last.get("rules") == rules else {}
    marks = marks or {}
    inputs: dict[str, tuple[int, tuple[tuple[str, str, int], ...], str]] = {}
    changed: set[str] = set()
    for a in articles:
        before = previous.get(a.id)
        mark = marks.get(a.id)
        if before is not None and mark is not None and before[0] == mark:
            inputs[a.id] = before[1:4]
            continue
        inputs[a.id] = entry = (day(a), keys(a), a.story)
        if before is None or before[1:4] != entry:
            changed.add(a.id)
    changed |= previous.keys() - inputs.keys()

    index: KeyIndex
    if previous:
        index = last["index"]
        moves = _patch_index(index, inputs, previous, changed)
    else:
        index = defaultdict(list)
        for own, (d, own_keys, _) in inputs.items():
            for kind, key, _ in own_keys:
                index[(kind, key)].append((d, own))
        index = {k: sorted(lst) for k, lst in index.items()}
    ids: dict[tuple[str, str], list[str]] = {}  # a key list's ids in the same order, for slicing (made when first read)
    story_members: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        story_members[a.story].append(a.id)
    half = RELATED_CANDIDATES // 2
    by_id = {a.id: a for a in articles}

    def related_ids(own: str) -> tuple[str, ...]:
        # Counter.update counts a slice in C (3.6 M candidates at 10,000 articles); the article
        # itself and its story's other reports are dropped once, after counting.
        scores: Counter[str] = Counter()
        d, own_keys, story = inputs[own]
        for kind, key, weight in own_keys:
            lst = index[(kind, key)]
            in_order = ids.get((kind, key))
            if in_order is None:
                in_order = ids[(kind, key)] = [i for _, i in lst]
            lo = bisect.bisect_left(lst, (d - window, "")) if d else 0
            hi = bisect.bisect_right(lst, (d + window, "\uffff")) if d else len(lst)
            mid = bisect.bisect_left(lst, (d, own), lo, hi)
            candidates = in_order[max(lo, mid - half): min(hi, mid + half)]
            for _ in range(weight):
                scores.update(candidates)
        for same in story_members[story]:
            scores.pop(same, None)
        if not scores:
            return ()
        # Best first (score, then id), only scores of 2 or more: every one of the top few scores
        # at least the few-th highest score, so only those are sorted by (score, id).
        values = sorted(scores.values(), reverse=True)
        cut = max(2, values[min(RELATED_COUNT, len(values)) - 1])
        best = sorted((-score, i) for i, score in scores.items() if score >= cut)
        return tuple(i for _, i in best[:RELATED_COUNT])

    todo = _unsettled(inputs, previous, changed, moves, story_members, half) if previous else inputs
    state: RelatedState = {}
    for own, (d, own_keys, story) in inputs.items():
        found = related_ids(own) if own in todo else previous[own][4]
        state[own] = (marks.get(own), d, own_keys, story, found)
    return ({own: [by_id[i] for i in entry[4]] for own, entry in state.items()},
            {"rules": rules, "articles": state, "index": index})


def _patch_index(index: KeyIndex, inputs: dict[str, tuple], previous: RelatedState,
                 changed: set[str]) -> dict[tuple[str, str], tuple[list, list, set]]:
    """Bring last build's key lists up to date for the `changed` articles, in place; for each list
    that changed: (before, now, the entries that moved)."""
    touched = {(kind, key) for own in changed for entry in (previous.get(own, (None,))[1:], inputs.get(own)) if entry
               for kind, key, _ in entry[1]}
    moves = {}
    for k in sorted(touched):
        before = index.get(k, [])
        now = sorted([e for e in before if e[1] not in changed] +
                     [(inputs[own][0], own) for own in changed
                      if own in inputs and any((kind, key) == k for kind, key, _ in inputs[own][1])])
        if now:
            index[k] = now
        else:
            index.pop(k, None)
        moves[k] = (before, now, set(now).symmetric_difference(before))
    return moves


def _unsettled(inputs: dict[str, tuple], previous: RelatedState, changed: set[str],
               moves: dict[tuple[str, str], tuple[list, list, set]], story_members: dict[str, list[str]],
               half: int) -> set[str]:
    """The articles whose related list may differ from last build's: those whose own day, keys or
    story changed (or that are new); every member of a story that gained or lost one; and, in each
    key list that gained or lost an entry, the articles near enough to it to have it in their
    candidate slice (a slice spans `half` positions either side, so entries farther away only
    shift it whole)."""
    todo = {own for own in changed if own in inputs}
    for own in changed:
        for entry in (previous.get(own, (None,))[1:], inputs.get(own)):
            if entry:
                todo.update(story_members.get(entry[2], ()))
    for before, now, moved in moves.values():
        reach = half + len(moved)
        for lst in (now, before):
            for entry in moved:
                n = bisect.bisect_left(lst, entry)
                if n < len(lst) and lst[n] == entry:
                    todo.update(i for _, i in lst[max(0, n - reach): n + reach + 1] if i in inputs)
    return todo
