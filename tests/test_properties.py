"""Properties over arbitrary text: cleaning and date parsing never crash, cleaning is idempotent, folding
equals its plain definition, and seed text rendered through `md_text` and the site's Markdown is only
ever text."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from builder.clean import clean
from builder.dates import extract_dates
from builder.knowledge import load_knowledge
from builder.markup import md_text
from builder.model import CuratorFacts, Line, Part, PartialDate, Seed
from builder.normalize import DIACRITICS, FOLD_MAP, INVISIBLE, clean_text, fold

KB = load_knowledge()

# Pieces real clippings and hostile ones are made of: Arabic words and dates, site chrome,
# Markdown and HTML syntax, template syntax, invisible and odd characters.
PIECES = [
    "وزير الداخلية", "الرباط", "المغرب", "عبد الوافي لفتيت", "اليوم الإثنين", "أمس", "غشت", "يناير", "كانون الثاني",
    "2025", "12", "٢٠٢٤", "15 مارس 2024", "1446 هـ", "/ومع/", "AHDATH.INFO-", "اقرأ أيضا:", "المصدر:", "سياسة",
    "أخبار ذات صلة", "تابعونا", "#", "*", "_", "`", "[", "]", "(", ")", "!", "<", ">", "&", "&amp;", "&#60;",
    "<script>", "</script>", "<div markdown>", "<!--", "-->", "[x](javascript:alert(1))", "![](x.png)", "<http://x.y>",
    "{{", "}}", "{%", "%}", "[TOC]", "---", "***", "1.", "-", "+", ">", "|", ":", "~~", "==", "\\", "\t", " ", "  ",
    "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u200b", "\u200f", "\u202e", "\u2066", "\ufeff", "\u2028", "\x85",
    "\u0627\u0654", "\u064b", "\u0640", "؟", "،", "«", "»", "\x02", "\x03", "\x00", "\ufffe", "\U0001f600", "\ue000",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def seed_of(text: str) -> Seed:
    return Seed(path="seeds/prop.txt", name="prop", text=clean_text(text), first_line=1, facts=CuratorFacts(), digest="0")


@FAST
@given(texts)
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\r" not in once and "\u202e" not in once and "\x00" not in once


@FAST
@example("إِذَا\u200bأَنَّ \U0001f600 ۱۲ ٱلقُرْآن")
@given(texts)
def test_fold_is_the_documented_character_map(text):
    """fold's fast path (one regex, letter-by-letter replaces) equals the plain definition the
    browser's search.js ports: NFC, invisibles and diacritics out, the fold map, lower case."""
    plain = DIACRITICS.sub("", unicodedata.normalize("NFC", text).translate(INVISIBLE)).translate(FOLD_MAP).lower()
    assert fold(text) == plain

@FAST
@example("AHDATH.INFO-AHDATH.INFO- الرباط")
@given(texts)
def test_cleaning_is_idempotent(text):
    kept, _ = clean(seed_of(text), KB)
    again, _ = clean(seed_of("\n".join(line.text for line in kept)), KB)
    assert [line.text for line in again] == [line.text for line in kept]


@FAST
@given(texts)
def test_cleaning_never_crashes(text):
    kept, noise = clean(seed_of(text), KB)
    assert all(line.text for line in kept)


@FAST
@given(texts, st.sampled_from([None, PartialDate(2025), PartialDate(2024, 2), PartialDate(2023, 12, 31)]))
def test_date_parsing_never_crashes(text, published):
    seed = seed_of(text)
    lines = [Line(n, t) for n, t in enumerate(seed.text.split("\n"), start=1) if t]
    part = Part(seed, 1, 1, lines[0].text if lines else None, 1 if lines else None, tuple(lines[1:]), ())
    facts = extract_dates(part, published, KB)
    if facts.date is not None:
        assert isinstance(facts.date, PartialDate) and 1 <= facts.date.year <= 9999
    for mention in facts.mentions:
        assert isinstance(mention, str)


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions and settings mkdocs.yml gives the site."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    names, settings_by_name = [], {}
    for entry in config.get("markdown_extensions", []):
        name, options = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
        names.append(name)
        if options:
            settings_by_name[name] = options
    return markdown.Markdown(extensions=names, extension_configs=settings_by_name)


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name or !ENV tags: read them as plain values."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append("comment")

    def handle_decl(self, decl):
        self.other.append("decl")

    def handle_pi(self, data):
        self.other.append("pi")

    def unknown_decl(self, data):
        self.other.append("cdata")


MD = site_markdown()


def render(text: str) -> _Parts:
    MD.reset()
    parts = _Parts()
    parts.feed(MD.convert(md_text(text)))
    parts.close()
    return parts


# What `md_text` receives: text that went through ingest (no controls, no invisible characters).
clean_texts = texts.map(clean_text)


@settings(max_examples=400, deadline=None)
@given(clean_texts)
def test_md_text_renders_as_text_only(text):
    parts = render(text)
    assert set(parts.tags) <= {"p"}, parts.tags
    assert parts.attrs == [] and parts.other == []
    assert "".join(parts.text) == " ".join(text.split())


@pytest.mark.parametrize("text", [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[x](javascript:window.__pwned=1)",
    "![](https://evil.example/x.png)",
    "[ref]: javascript:alert(1)",
    "{{ config.site_name }} {% include 'x' %}",
    "وقال الوزير: «نعم» | 50% ~ ^ = :",
    "1. # > - * + ` \\ [TOC]",
    "&amp; &#60; &lt;",
])
def test_md_text_examples(text):
    parts = render(text)
    assert set(parts.tags) <= {"p"} and parts.attrs == []
    assert "".join(parts.text) == " ".join(text.split())


def test_md_text_drops_markdown_placeholders():
    """STX/ETX mark Python-Markdown's stash: seed text must never be able to call stashed HTML back."""
    parts = render("قبل\x02wzxhzdk:0\x03بعد")
    assert "".join(parts.text) == "قبلwzxhzdk:0بعد"
