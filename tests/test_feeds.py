"""Feeds a subscriber can trust: RSS 2.0, Atom (RFC 4287) and JSON Feed 1.1, checked against the specs.

Most checks read the feeds of the real site (`built_site`, shared with test_site.py); the story,
bounding and determinism checks render feeds in memory; title corrections and hostile text get
their own small builds.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import frontmatter
import jsonschema
import pytest

from builder.feeds import render_feeds
from builder.knowledge import load_knowledge
from builder.model import PartialDate
from builder.pipeline import Report, build, extract_articles, load_seeds
from builder.site_config import SiteConfig
from conftest import REPO, copy_project

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SCHEMA = json.loads((REPO / "tests/data/jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
CONFIG = SiteConfig.from_mkdocs_yml(REPO / "mkdocs.yml")
SITE_URL = CONFIG.site_url
MONTH_ARTICLE = "001_a743287ba8a00cce"  # curator date `published: 2025-11`


def feed_files(project: Path, suffix: str) -> list[Path]:
    # feeds/**/sitemap.xml are the empty sitemaps Material fetches beside alternate links: not feeds.
    files = sorted(p for p in (project / "site/feeds").rglob(f"*{suffix}") if p.name != "sitemap.xml")
    assert files, f"no {suffix} feeds"
    return files


@pytest.fixture(scope="module")
def articles():
    kb = load_knowledge()
    return kb, extract_articles(load_seeds([REPO / "seeds"], kb, Report(), base=REPO), kb)


class _Html(HTMLParser):
    """Tags and hrefs of an HTML fragment, as a browser-like parser sees them."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k in ("href", "src")]

    def handle_data(self, data):
        self.text += data


# --- every feed, every format ----------------------------------------------------------------------


def test_a_build_makes_all_three_formats_for_every_page_with_a_feed(built_site):
    bases = {"feeds/all"} | {frontmatter.load(p).get("feed") for p in (built_site / "content").rglob("*.md")} - {None}
    assert {"feeds/all", "feeds/topics/counter-terrorism", "feeds/countries/ma",
            "feeds/officials/abdelouafi-laftit"} <= bases
    assert any(b.startswith("feeds/outlets/w-") for b in bases)  # Arabic outlet names get hashed slugs
    for base in bases:
        for ext in (".rss.xml", ".atom.xml", ".json"):
            assert (built_site / "site" / (base + ext)).is_file(), base + ext
    assert "feeds/stories/st-003_473e30b3f91dada2-1" in bases
    page = (built_site / "site/topics/counter-terrorism/index.html").read_text(encoding="utf-8")
    for ext, kind in ((".rss.xml", "rss+xml"), (".atom.xml", "atom+xml"), (".json", "feed+json")):
        assert re.search(rf'<link rel="alternate" type="application/{re.escape(kind)}"[^>]*'
                         rf'href="[./]*feeds/topics/counter-terrorism{re.escape(ext)}"', page), ext


def test_rss_and_atom_parse_with_feedparser_without_bozo(built_site):
    for path in feed_files(built_site, ".xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.bozo_exception}"
        assert parsed.version in ("rss20", "atom10"), path
        assert parsed.entries, path


def test_rss_carries_what_rss_2_requires(built_site):
    for path in feed_files(built_site, ".rss.xml"):
        root = ET.parse(path).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        for name in ("title", "link", "description"):
            assert (channel.findtext(name) or "").strip(), f"{path}: channel/{name}"
        assert channel.findtext("language") == "ar"
        self_link = channel.find(f"{ATOM}link[@rel='self']")
        assert self_link.get("href") == SITE_URL + str(path.relative_to(built_site / "site"))
        dates = []
        for item in channel.findall("item"):
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "false" and guid.text.startswith("tag:"), path
            assert item.findtext("title") and item.findtext("link") and item.findtext("description")
            when = email.utils.parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822 or it raises
            assert when.tzinfo is not None
            dates.append(when)
        # No clock: the channel's lastBuildDate is its newest item's date.
        assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")) == max(dates), path


def test_atom_carries_what_rfc_4287_requires(built_site):
    for path in feed_files(built_site, ".atom.xml"):
        feed = ET.parse(path).getroot()
        assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "ar"
        assert feed.findtext(f"{ATOM}id").startswith("tag:") and feed.findtext(f"{ATOM}title")
        assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
        self_link = feed.find(f"{ATOM}link[@rel='self']")
        assert self_link.get("href") == SITE_URL + str(path.relative_to(built_site / "site"))
        feed_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
        entries = feed.findall(f"{ATOM}entry")
        for entry in entries:
            assert entry.findtext(f"{ATOM}id").startswith("tag:") and entry.findtext(f"{ATOM}title")
            assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
            assert entry.find(f"{ATOM}link").get("href").startswith(SITE_URL)
            assert feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None, path
            content = entry.find(f"{ATOM}content")
            assert content.get("type") == "html" and content.get(XML_LANG) == "ar"
            assert content.text.startswith('<div dir="rtl" lang="ar">')
        assert feed.findtext(f"{ATOM}updated") == max(e.findtext(f"{ATOM}updated") for e in entries)


def test_json_feeds_validate_against_the_json_feed_1_1_schema(built_site):
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    for path in feed_files(built_site, ".json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
        assert not errors, f"{path}: {errors[:3]}"
        assert doc["feed_url"] == SITE_URL + str(path.relative_to(built_site / "site"))
        for item in doc["items"]:
            assert item["content_html"].startswith('<div dir="rtl" lang="ar">')


def test_the_schema_rejects_what_the_spec_forbids():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [{"id": "1", "content_text": "x"}]}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "items": [{"id": "1"}]})  # no content
    assert not validator.is_valid({**good, "items": [{"id": "1", "content_text": "x", "date_published": "2025-11"}]})
    assert not validator.is_valid({**good, "digest": {}})  # an extension must start with "_"
    assert validator.is_valid({**good, "_digest": {"about": "https://example.org/"}})


def _urls(built_site: Path) -> list[tuple[str, str]]:
    """(feed, url) for every URL a feed carries, in an element, an attribute or its HTML."""
    out = []
    for path in feed_files(built_site, ".xml"):
        for el in ET.parse(path).getroot().iter():
            tag = el.tag.split("}")[-1]
            if tag in ("link", "uri", "id") and el.text and el.text.strip() and not el.text.startswith("tag:"):
                out.append((path.name, el.text.strip()))
            for attr in ("href", "url", "domain", "scheme"):
                if el.get(attr):
                    out.append((path.name, el.get(attr)))
            if tag in ("encoded", "content", "description", "summary") and el.text:
                out += [(path.name, h) for h in _Html(el.text).hrefs]
    for path in feed_files(built_site, ".json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out += [(path.name, doc[k]) for k in ("home_page_url", "feed_url")]
        for item in doc["items"]:
            out.append((path.name, item["url"]))
            out += [(path.name, a["url"]) for a in item.get("authors", [])]
            out += [(path.name, h) for h in _Html(item["content_html"]).hrefs]
    for path in feed_files(built_site, ".opml"):
        for el in ET.parse(path).getroot().iter("outline"):
            out += [(path.name, el.get(k)) for k in ("xmlUrl", "htmlUrl") if el.get(k)]
    return out


def test_every_url_is_absolute_under_site_url(built_site):
    urls = _urls(built_site)
    assert len(urls) > 100
    outside = [(f, u) for f, u in urls if not u.startswith(SITE_URL)]
    assert not outside, outside[:5]


def test_every_url_we_link_exists_in_the_built_site(built_site):
    for feed, url in _urls(built_site):
        path = url[len(SITE_URL):]
        if path.endswith("/") or not path:
            path += "index.html"
        assert (built_site / "site" / path).exists(), (feed, url)


# --- items ----------------------------------------------------------------------------------------


def test_a_month_precision_date_keeps_its_precision_beside_a_full_timestamp(built_site):
    rss = ET.parse(built_site / "site/feeds/all.rss.xml").getroot()
    item = next(i for i in rss.iter("item") if i.findtext("guid").endswith(MONTH_ARTICLE))
    # Local noon on the first day the precision allows, in the outlets' zone (Casablanca: +01:00).
    assert item.findtext("pubDate") == "Sat, 01 Nov 2025 12:00:00 +0100"
    assert item.findtext(DC_DATE) == "2025-11"
    assert '<time datetime="2025-11">' in item.findtext(CONTENT)
    doc = json.loads((built_site / "site/feeds/all.json").read_text(encoding="utf-8"))
    entry = next(i for i in doc["items"] if i["id"].endswith(MONTH_ARTICLE))
    assert entry["date_published"] == "2025-11-01T12:00:00+01:00"
    assert entry["_digest"]["date"] == "2025-11" and entry["_digest"]["date_precision"] == "month"
    day = next(i for i in doc["items"] if i["id"].endswith("000_be4a9685a3f207c1"))
    assert day["_digest"]["date_precision"] == "day" and day["date_published"].startswith("2025-02-18T")


def test_items_name_their_outlet_and_their_topics_and_countries_in_arabic(built_site):
    rss = ET.parse(built_site / "site/feeds/all.rss.xml").getroot()
    item = next(i for i in rss.iter("item") if i.findtext("guid").endswith(MONTH_ARTICLE))
    source = item.find("source")
    assert source.text == "هسبريس"
    assert source.get("url").startswith(SITE_URL + "feeds/outlets/") and source.get("url").endswith(".rss.xml")
    categories = {(c.get("domain"), c.text) for c in item.findall("category")}
    assert (SITE_URL + "countries/", "العراق") in categories
    assert any(domain == SITE_URL + "topics/" for domain, _ in categories)
    atom = ET.parse(built_site / "site/feeds/all.atom.xml").getroot()
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith(MONTH_ARTICLE))
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "هسبريس"
    assert entry.findtext(f"{ATOM}source/{ATOM}title") == "هسبريس"
    iraq = entry.find(f"{ATOM}category[@term='IQ']")
    assert iraq.get("label") == "العراق" and iraq.get("scheme") == SITE_URL + "countries/"


def test_a_story_is_one_item_updated_in_place_when_another_outlet_joins(articles):
    kb, arts = articles
    story = "st-003_473e30b3f91dada2-1"
    members = [a for a in arts if a.story == story]
    assert len(members) == 2
    joiner = dataclasses.replace(members[-1], id="999_joiner", slug="999_joiner", outlet="وكالة جديدة",
                                 date=PartialDate(2025, 4, 16))

    def story_entries(items):
        root = ET.fromstring(render_feeds(items, kb, CONFIG)[f"feeds/stories/{story}.atom.xml"])
        return root.findall(f"{ATOM}entry")

    (before,), (after,) = story_entries(arts), story_entries(arts + [joiner])
    assert before.findtext(f"{ATOM}id") == after.findtext(f"{ATOM}id")
    assert before.findtext(f"{ATOM}updated") == "2025-04-14T12:00:00+01:00"
    assert after.findtext(f"{ATOM}updated") == "2025-04-16T12:00:00+01:00"
    assert before.findtext(f"{ATOM}published") == after.findtext(f"{ATOM}published")
    assert "وكالة جديدة" in [a.findtext(f"{ATOM}name") for a in after.findall(f"{ATOM}author")]
    index = ET.fromstring(render_feeds(arts + [joiner], kb, CONFIG)["feeds/stories/index.atom.xml"])
    ids = [e.findtext(f"{ATOM}id") for e in index.iter(f"{ATOM}entry")]
    assert ids.count(after.findtext(f"{ATOM}id")) == 1


def test_an_undated_article_claims_no_date_it_does_not_have(articles):
    kb, arts = articles
    undated = [dataclasses.replace(a, date=None) if a.id == MONTH_ARTICLE else a for a in arts]
    files = render_feeds(undated, kb, CONFIG)
    item = next(i for i in ET.fromstring(files["feeds/all.rss.xml"]).iter("item") if i.findtext("guid").endswith(MONTH_ARTICLE))
    assert item.find("pubDate") is None and item.find(DC_DATE) is None
    atom = ET.fromstring(files["feeds/all.atom.xml"])
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith(MONTH_ARTICLE))
    assert entry.find(f"{ATOM}published") is None
    assert entry.findtext(f"{ATOM}updated") == atom.findtext(f"{ATOM}updated")  # RFC 4287 needs one: the feed's
    doc = json.loads(files["feeds/all.json"])
    assert jsonschema.Draft202012Validator(SCHEMA).is_valid(doc)
    entry = next(i for i in doc["items"] if i["id"].endswith(MONTH_ARTICLE))
    assert "date_published" not in entry and entry["_digest"]["date_precision"] == "none"
    assert not feedparser.parse(files["feeds/all.rss.xml"].encode()).bozo


def test_feeds_keep_only_the_newest_n_items(articles):
    kb, arts = articles
    config = dataclasses.replace(CONFIG, feed_items=2)
    files = render_feeds(arts, kb, config)
    rss = ET.fromstring(files["feeds/all.rss.xml"])
    guids = [i.findtext("guid") for i in rss.iter("item")]
    assert len(guids) == 2
    assert guids[0].endswith(MONTH_ARTICLE)  # 2025-11: the newest
    for path, text in files.items():
        if path.endswith(".json"):
            assert len(json.loads(text)["items"]) <= 2, path
        elif path.endswith(".atom.xml"):
            assert len(ET.fromstring(text.encode()).findall(f"{ATOM}entry")) <= 2, path


def test_feeds_are_deterministic_and_read_no_clock(articles):
    kb, arts = articles
    first, again = render_feeds(arts, kb, CONFIG), render_feeds(list(reversed(arts)), kb, CONFIG)
    assert first == again
    assert "<lastBuildDate>Sat, 01 Nov 2025 12:00:00 +0100</lastBuildDate>" in first["feeds/all.rss.xml"]


# --- a corrected title, hostile text ---------------------------------------------------------------


def _seed(folder: Path, name: str, front: str, body: str) -> None:
    (folder / name).write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def _ids_and_titles(project: Path) -> dict[str, str]:
    root = ET.parse(project / "content/feeds/all.atom.xml").getroot()
    return {e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")}


def test_ids_survive_a_title_correction(tmp_path):
    project = copy_project(tmp_path / "p")
    build(project)
    before = _ids_and_titles(project)
    seed = project / "seeds/002_8f02804348af47c4.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("---\n", "---\ntitle: عنوان مصحح من المحرر\n", 1),
                    encoding="utf-8")
    build(project)
    after = _ids_and_titles(project)
    assert before.keys() == after.keys()
    corrected = [i for i in after if after[i] != before[i]]
    assert len(corrected) == 1 and corrected[0].endswith("002_8f02804348af47c4")
    assert after[corrected[0]] == "عنوان مصحح من المحرر"


HOSTILE_TITLE = '<b>Tom & "Jerry"</b>'
HOSTILE_BODY = ("أعلنت السلطات المغربية اليوم عن تعزيز التعاون الأمني مع فرنسا في مجال مكافحة الإرهاب والهجرة.\n\n"
                "<script>alert('x')</script> & <img src=x onerror=alert(1)> وأكد الوزير أن التنسيق سيستمر بين البلدين.\n")


def test_markup_in_seed_text_stays_text_in_every_format(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    _seed(seeds, "100_hostile.txt", "published: 2025-05-02\noutlet: Tom & Jerry\n"
          f"title: '{HOSTILE_TITLE}'\n", HOSTILE_BODY)
    project = copy_project(tmp_path / "p", seeds=seeds)
    build(project)
    feeds = project / "content/feeds"

    def check_html(fragment: str) -> None:
        parsed = _Html(fragment)
        assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
        assert "<script>alert('x')</script>" in parsed.text

    rss_item = ET.parse(feeds / "all.rss.xml").getroot().find("channel/item")
    assert rss_item.findtext("title") == HOSTILE_TITLE
    assert _Html(rss_item.findtext("description")).tags == []
    check_html(rss_item.findtext(CONTENT))
    assert rss_item.findtext("source") == "Tom & Jerry"
    entry = ET.parse(feeds / "all.atom.xml").getroot().find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == HOSTILE_TITLE
    check_html(entry.findtext(f"{ATOM}content"))
    item = json.loads((feeds / "all.json").read_text(encoding="utf-8"))["items"][0]
    assert item["title"] == HOSTILE_TITLE
    check_html(item["content_html"])
    for path in (p for p in feeds.rglob("*.xml") if p.name != "sitemap.xml"):
        assert not feedparser.parse(path.read_bytes()).bozo, path
    opml = ET.parse(feeds / "outlets.opml").getroot()
    assert [o.get("text") for o in opml.iter("outline")] == ["Tom & Jerry"]


# --- the feeds page and OPML -----------------------------------------------------------------------


def test_the_feeds_page_lists_every_feed_and_opml_subscribes_to_a_group(built_site):
    page = frontmatter.load(built_site / "content/feeds/index.md")
    assert page["title"] == "الخلاصات"
    assert (built_site / "site/feeds/index.html").is_file()
    rss_files = {str(p.relative_to(built_site / "site/feeds")) for p in feed_files(built_site, ".rss.xml")}
    linked = set(re.findall(r"\]\(([^)]+\.rss\.xml)\)", page.content))
    assert linked == rss_files
    everything = ET.parse(built_site / "site/feeds/all.opml").getroot()
    xml_urls = {o.get("xmlUrl") for o in everything.iter("outline") if o.get("xmlUrl")}
    assert xml_urls == {SITE_URL + "feeds/" + f for f in rss_files}
    topics = ET.parse(built_site / "site/feeds/topics.opml").getroot()
    assert everything.get("version") == topics.get("version") == "2.0"
    assert all(o.get("xmlUrl").startswith(SITE_URL + "feeds/topics/") for o in topics.iter("outline"))
    assert {"all.opml", "topics.opml", "countries.opml", "officials.opml", "outlets.opml", "stories.opml"} <= {
        p.name for p in feed_files(built_site, ".opml")}
