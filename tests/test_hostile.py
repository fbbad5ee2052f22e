"""Hostile and broken seeds: each kind gets a clear outcome (built, or skipped) and a message naming the file.

The text kinds are hand-written files in tests/hostile/; binary kinds (encodings, images, NUL bytes,
huge files, links, odd file names) are generated here by `write_generated`, never committed.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import random
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from builder import facts
from builder import write as write_module
from builder.errors import BuilderError
from builder.ingest import MAX_BYTES, MAX_LINE_CHARS, read_seed
from builder.knowledge import load_knowledge
from builder.pipeline import Report, build, load_seeds

HOSTILE = Path(__file__).parent / "hostile"
ARTICLE = (
    "وزير الداخلية يبحث مع نظيره الإسباني تعزيز التعاون الأمني\n\n"
    "بحث وزير الداخلية عبد الوافي لفتيت، اليوم الأربعاء بالرباط، مع نظيره الإسباني فرناندو غراندي مارلاسكا "
    "سبل تعزيز التعاون الأمني بين البلدين في مجالات مكافحة الإرهاب والهجرة غير النظامية والجريمة المنظمة.\n\n"
    "وأكد الجانبان على أهمية مواصلة التنسيق وتبادل المعلومات بين الأجهزة الأمنية في البلدين.\n"
)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
HUGE_BYTES = 50 * 1024 * 1024


def _whatwg_cp1252(data: bytes) -> str:
    """How a browser shows bytes as windows-1252: the five undefined bytes become C1 controls."""
    return "".join(data[i:i + 1].decode("cp1252", errors="ignore") or chr(data[i]) for i in range(len(data)))


def _variant(n: int) -> str:
    """ARTICLE with a distinct first line, so generated seeds are not duplicates of each other."""
    return f"خبر رقم {n}: " + ARTICLE


def write_generated(seeds: Path, outside: Path) -> None:
    """The binary and odd-named hostile seeds, written into `seeds` (links lead to `outside`)."""
    files = {
        "crlf.txt": _variant(1).replace("\n", "\r\n").encode("utf-8"),
        "cr_only.txt": _variant(2).replace("\n", "\r").encode("utf-8"),
        "utf8_bom.txt": codecs.BOM_UTF8 + _variant(3).encode("utf-8"),
        "utf16le_bom.txt": codecs.BOM_UTF16_LE + _variant(4).encode("utf-16-le"),
        "utf16be_bom.txt": codecs.BOM_UTF16_BE + _variant(5).encode("utf-16-be"),
        "utf16le_no_bom.txt": _variant(6).encode("utf-16-le"),
        "cp1256.txt": _variant(7).encode("cp1256"),
        "iso8859_6.txt": _variant(8).replace("،", ",").encode("iso8859_6"),
        "mojibake_cp1252.txt": _whatwg_cp1252(_variant(9).encode("utf-8")).encode("utf-8"),
        "mojibake_cp1256.txt": _variant(10).encode("utf-8").decode("cp1256").encode("utf-8"),
        "mojibake_lossy.txt": _variant(11).encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"),
        "image.txt": PNG,
        "nul_bytes.txt": _variant(12).encode("utf-8").replace(b" ", b"\x00", 3),
        "random_binary.txt": bytes(b for b in random.Random(7).randbytes(9000) if b)[:4000],
        "bidi_zero_width.txt": ("\u202eوزير\u200b الداخلية \u2066عبد\u200dالوافي\u2069 لفتيت\U000e0041\ufeff يستقبل سفير إسبانيا\n\n"
                                + ARTICLE.split("\n", 2)[2].replace("لفتيت", "لف\u200cتيت").replace("الرباط", "الربا\ufffeط")
                                ).encode("utf-8"),
        "long_line.txt": ("خبر طويل جدا " * 80_000)[:1_000_000].encode("utf-8"),
        "nfd.txt": _variant(13).replace("أ", "\u0627\u0654").encode("utf-8"),
        "\u202egnp.txt": _variant(14).encode("utf-8"),
    }
    for name, data in files.items():
        (seeds / name).write_bytes(data)
    with open(seeds / "huge.txt", "wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(HUGE_BYTES)
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(_variant(15), encoding="utf-8")
    (seeds / "outside_link.txt").symlink_to(outside / "secret.txt")
    (seeds / "outside_dir").symlink_to(outside, target_is_directory=True)
    (seeds / "inside_link.txt").symlink_to("crlf.txt")


def hostile_seeds(folder: Path) -> Path:
    """tests/hostile/ plus the generated kinds, in `folder`/seeds; returns that seeds folder."""
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    for path in HOSTILE.iterdir():
        (seeds / path.name).write_bytes(path.read_bytes())
    write_generated(seeds, folder / "outside")
    return seeds


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, kb):
    """(seeds by file name, messages by file name) for the whole hostile corpus."""
    folder = tmp_path_factory.mktemp("hostile")
    seeds_dir = hostile_seeds(folder)
    report = Report()
    started = time.perf_counter()
    seeds = load_seeds([seeds_dir], kb, report, base=folder)
    elapsed = time.perf_counter() - started
    messages: dict[str, list[str]] = {}
    for problem in report.problems:
        name = problem.path.removeprefix("seeds/")
        messages.setdefault(name, []).append(str(problem))
    return {Path(s.path).name: s for s in seeds}, messages, elapsed


# name → (outcome, fragment of the message, or None when the seed must build without one)
EXPECTED = {
    "html_script.txt": ("built", None),
    "markdown_links.txt": ("built", None),
    "raw_html_block.txt": ("built", None),
    "body_front_matter.txt": ("built", None),
    "dashed_rule_first.txt": ("built", None),
    "jinja_macros.txt": ("built", None),
    "تقرير أمني من الرباط.txt": ("built", None),
    "a..b.txt": ("built", None),
    "one_line.txt": ("built", None),
    "duplicate_a.txt": ("built", None),
    "crlf.txt": ("built", None),
    "cr_only.txt": ("built", None),
    "utf8_bom.txt": ("built", None),
    "nfd.txt": ("built", None),
    "bidi_zero_width.txt": ("built", None),
    "utf16le_bom.txt": ("built", "it was read as utf-16"),
    "utf16be_bom.txt": ("built", "it was read as utf-16"),
    "utf16le_no_bom.txt": ("built", "it was read as utf-16-le"),
    "cp1256.txt": ("built", "it was read as cp1256"),
    "iso8859_6.txt": ("built", "it was read as iso8859_6"),
    "mojibake_cp1252.txt": ("built", "was mojibake (UTF-8 Arabic misread as cp1252); it was read back"),
    "mojibake_cp1256.txt": ("built", "was mojibake (UTF-8 Arabic misread as cp1256); it was read back"),
    "long_line.txt": ("built", f"line is 1,000,000 characters long; only the first"),
    "yaml_python_tag.txt": ("built", "curator facts are not valid (YAML: could not determine a constructor for the tag"),
    "yaml_bad_values.txt": ("built", "curator field 'published' is '2025-13-01', not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "yaml_alias_bomb.txt": ("built", "YAML anchors and aliases (&name, *name) are not allowed"),
    "empty.txt": ("skipped", "has no article text (it is empty or only whitespace); paste the article into it, or remove it"),
    "whitespace_only.txt": ("skipped", "has no article text"),
    "duplicate_b.txt": ("skipped", "has the same text as seeds/duplicate_a.txt; left out (delete one of them)"),
    "inside_link.txt": ("skipped", "has the same text as seeds/crlf.txt"),
    "mojibake_lossy.txt": ("skipped", "looks like mojibake"),
    "image.txt": ("skipped", "contains NUL bytes: it is a binary file"),
    "nul_bytes.txt": ("skipped", "contains NUL bytes: it is a binary file"),
    "random_binary.txt": ("skipped", "is neither UTF-8 nor text in a legacy Arabic encoding"),
    "huge.txt": ("skipped", f"is {HUGE_BYTES:,} bytes; a clipping is at most {MAX_BYTES:,} bytes"),
    "outside_link.txt": ("skipped", "is a link to a file outside the seeds folder; it is not read"),
    "outside_dir": ("skipped", "is a link to a file outside the seeds folder; it is not read"),
    "\\u202egnp.txt": ("skipped", "has control or invisible characters in its name"),
}


def test_every_hostile_kind_is_listed():
    generated = hostile_seeds_names()
    assert generated == set(EXPECTED), generated ^ set(EXPECTED)


def hostile_seeds_names() -> set[str]:
    names = {p.name for p in HOSTILE.iterdir()}
    return names | {"crlf.txt", "cr_only.txt", "utf8_bom.txt", "utf16le_bom.txt", "utf16be_bom.txt", "utf16le_no_bom.txt",
                    "cp1256.txt", "iso8859_6.txt", "mojibake_cp1252.txt", "mojibake_cp1256.txt", "mojibake_lossy.txt",
                    "image.txt", "nul_bytes.txt", "random_binary.txt", "bidi_zero_width.txt", "long_line.txt", "nfd.txt",
                    "\\u202egnp.txt", "huge.txt", "outside_link.txt", "outside_dir", "inside_link.txt"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outcome_and_message(ingested, name):
    seeds, messages, _ = ingested
    outcome, fragment = EXPECTED[name]
    said = messages.get(name, [])
    assert (name in seeds) == (outcome == "built"), (name, said)
    if fragment is None:
        assert not said, said
    else:
        assert any(fragment in m for m in said), said
        # The message starts with the file, as the user knows it.
        assert all(m.startswith(f"seeds/{name}") for m in said), said
    if outcome == "skipped":
        assert any(fragment in m for m in said)


def test_the_whole_corpus_is_read_quickly(ingested):
    assert ingested[2] < 10, f"{ingested[2]:.1f} s"


def test_decoded_text_is_the_article(ingested):
    seeds, _, _ = ingested
    for name in ("crlf.txt", "cr_only.txt", "utf8_bom.txt", "utf16le_bom.txt", "utf16be_bom.txt", "utf16le_no_bom.txt",
                 "cp1256.txt", "mojibake_cp1252.txt", "mojibake_cp1256.txt"):
        text = seeds[name].text
        assert "وزير الداخلية يبحث مع نظيره الإسباني" in text, (name, text[:80])
        assert "\r" not in text and "\ufeff" not in text
    assert "\r" not in seeds["crlf.txt"].text
    assert seeds["cr_only.txt"].text.count("\n") == seeds["crlf.txt"].text.count("\n") == 5


def test_nfc_and_no_invisible_characters(ingested):
    seeds, _, _ = ingested
    assert "\u0627\u0654" not in seeds["nfd.txt"].text and "أ" in seeds["nfd.txt"].text
    text = seeds["bidi_zero_width.txt"].text
    assert text.split("\n")[0] == "وزير الداخلية عبدالوافي لفتيت يستقبل سفير إسبانيا"
    for char in "\u202e\u200b\u200c\u200d\u2066\u2069\U000e0041\ufeff\ufffe":
        assert char not in text, hex(ord(char))


def test_body_dashes_and_yaml_stay_text(ingested):
    seeds, _, _ = ingested
    seed = seeds["body_front_matter.txt"]
    assert seed.facts.published.iso() == "2025-03-14" and not seed.facts.exclude and not seed.facts.title
    assert "title: <script>window.__pwned=1</script>" in seed.text and "exclude: true" in seed.text
    first = seeds["dashed_rule_first.txt"]
    assert first.first_line == 1 and first.text.startswith("---\nخبر عاجل بين خطين متقطعين\n---\n")


def test_bad_curator_values_each_named_with_line(ingested):
    _, messages, _ = ingested
    said = "\n".join(messages["yaml_bad_values.txt"])
    assert "seeds/yaml_bad_values.txt:2: curator field 'published' is '2025-13-01', not a date" in said
    assert "seeds/yaml_bad_values.txt:3: curator field 'url' is 'javascript:window.__pwned=1', not an http(s) address" in said
    assert "seeds/yaml_bad_values.txt:4: curator field 'exclude' is 'maybe'; use true or false" in said
    assert "seeds/yaml_bad_values.txt:5: curator field 'topics_add' has unknown value 'no_such_topic'" in said
    assert "seeds/yaml_bad_values.txt:6: curator field 'countries_add' has unknown value 'XX'" in said
    assert "seeds/yaml_bad_values.txt:7: unknown curator field 'colour'" in said
    assert not Path("/tmp/digest-pwned").exists()


def test_long_line_is_cut_at_a_word(ingested):
    seeds, messages, _ = ingested
    text = seeds["long_line.txt"].text
    assert len(text) <= MAX_LINE_CHARS and text.endswith((" خبر", " طويل", " جدا"))  # a whole word
    assert messages["long_line.txt"][0].startswith("seeds/long_line.txt:1: line is 1,000,000 characters long")


def test_huge_file_is_refused_without_being_read(tmp_path, kb):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(HUGE_BYTES)
    tracemalloc.start()
    seed, problems = read_seed(huge, "seeds/huge.txt", set(), set())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seed is None and peak < 1_000_000, peak
    assert str(problems[0]) == (f"seeds/huge.txt: is {HUGE_BYTES:,} bytes; a clipping is at most {MAX_BYTES:,} bytes "
                                "(a few KB is usual): split it into one file per article, or remove it")


def test_long_line_keeps_every_stage_fast(tmp_path, kb):
    """A 1 MB line without a newline (digits: the worst case seen for the countries stage)."""
    from builder.extract import extract_seed

    (tmp_path / "seeds").mkdir()
    line = " ".join(str(random.Random(3).randint(1, 3000)) for _ in range(250_000))[:1_000_000]
    (tmp_path / "seeds" / "digits.txt").write_text("أرقام\n\n" + line, encoding="utf-8")
    report = Report()
    started = time.perf_counter()
    seeds = load_seeds([tmp_path / "seeds"], kb, report, base=tmp_path)
    articles = extract_seed(seeds[0], kb)
    assert time.perf_counter() - started < 5
    assert articles and [p.severity for p in report.problems] == ["warning"]


def test_ten_thousand_tiny_files(tmp_path, kb):
    seeds_dir = tmp_path / "seeds"
    seeds_dir.mkdir()
    for i in range(10_000):
        (seeds_dir / f"{i:05d}.txt").write_text(f"خبر قصير رقم {i} عن الأمن" if i % 1000 else "", encoding="utf-8")
    report = Report()
    started = time.perf_counter()
    seeds = load_seeds([seeds_dir], kb, report, base=tmp_path)
    assert time.perf_counter() - started < 20
    assert len(seeds) == 9_990 and report.seeds_skipped == 10
    assert [str(p).split(":")[0] for p in report.problems] == [f"seeds/{i:05d}.txt" for i in range(0, 10_000, 1000)]


def test_hidden_files_are_not_seeds(tmp_path, kb):
    """Editors and macOS leave dot-files (".#x.txt", "._x.txt") beside real ones: never read, never reported."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "._mac.txt").write_bytes(b"\x00\x05\x16\x07binary resource fork")
    (tmp_path / "seeds" / "..txt").write_text(ARTICLE, encoding="utf-8")
    report = Report()
    assert load_seeds([tmp_path / "seeds"], kb, report, base=tmp_path) == [] and report.problems == []


# --- what exists is never harmed -------------------------------------------------------------------

def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def built_project(tmp_path) -> Path:
    """A project built once from the real seeds by the builder alone (no MkDocs)."""
    project = copy_project(tmp_path / "project")
    build(project)
    return project


def test_strict_failure_after_rendering_leaves_content_as_it_was(built_project):
    before = _digests(built_project / "content")
    (built_project / "seeds" / "empty.txt").write_bytes(b"")
    (built_project / "seeds" / "cp1256.txt").write_bytes(_variant(1).encode("cp1256"))
    with pytest.raises(BuilderError) as caught:
        build(built_project, strict=True)
    message = str(caught.value)
    assert "2 problem(s) under --strict; nothing was written" in message
    assert "seeds/empty.txt: has no article text" in message and "seeds/cp1256.txt: is not UTF-8" in message
    assert _digests(built_project / "content") == before


def test_write_error_leaves_content_as_it_was(built_project, monkeypatch):
    before = _digests(built_project / "content")
    (built_project / "seeds" / "new.txt").write_text(_variant(2), encoding="utf-8")
    calls = []
    real = write_module.tempfile.mkstemp

    def fail_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(write_module.tempfile, "mkstemp", fail_on_third)
    with pytest.raises(BuilderError) as caught:
        build(built_project, force=True)
    assert "cannot be written (No space left on device); nothing in" in str(caught.value)
    assert _digests(built_project / "content") == before
    assert not [p for p in (built_project / "content").rglob(".tmp-*")]


def test_a_build_writes_only_inside_content(tmp_path):
    """Seeds, curator facts, knowledge tables, config and files the links lead to: byte for byte the same."""
    project = copy_project(tmp_path / "project", seeds=hostile_seeds(tmp_path / "corpus"))

    def everything_but_content() -> dict[str, str]:
        found = _digests(tmp_path)
        return {k: v for k, v in found.items() if not k.startswith("project/content/")}

    before = everything_but_content()
    assert any(k.startswith("project/seeds/") for k in before) and any(k.startswith("corpus/outside/") for k in before)
    build(project)
    build(project, force=True)
    assert everything_but_content() == before


def test_a_manifest_line_outside_content_is_never_removed(built_project):
    victim = built_project / "seeds" / "000_be4a9685a3f207c1.txt"
    manifest = built_project / "content" / ".digest-manifest"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "../seeds/000_be4a9685a3f207c1.txt\n", encoding="utf-8")
    build(built_project, force=True)
    assert victim.is_file()


FACT_BLOCKS = [
    "published: 2025-03-14\ntitle: عنوان\ntitle: آخر",  # a field given twice: the line of each
    "url: https://example.org/a\ntopics_add: [politics, nope]\ncountries_add: [ma, XX]",
    "parts:\n  2: {title: ب, outlet: هسبريس}\n  x: 1",
    "published: 2025-13-01\nexclude: maybe\ncolour: red",
    "title: 'a \"quoted\" title'\npublished: \"2025\"",
    "- a\n- b",
    "title: [[1], [2]]\n# a comment\noutlet: - x",
    "published: 2025-\n  03",
    "title: x\n bad: indent",
    "pu#\tblished: 2025-",  # libyaml reads tabs PyYAML refuses
    "published:\n\ufeff 2023-05-25",
    "hed: |2#020-04-05",
    "parts:\n  2: {ti?tle: a}",
    "title: !!python/name:os.system x",
    "a: &x [1]\nb: *x",
]


@pytest.mark.parametrize("block", FACT_BLOCKS)
def test_libyaml_reads_facts_exactly_as_the_python_loader(block, monkeypatch):
    """libyaml only speeds facts up: every value, warning and line is the pure-Python loader's."""
    fast = facts.parse_facts(block, "seeds/x.txt", {"politics"}, {"MA"})
    monkeypatch.setattr(facts, "_FastFactsLoader", None)
    assert fast == facts.parse_facts(block, "seeds/x.txt", {"politics"}, {"MA"})


def test_deeply_nested_facts_are_refused_not_a_crash():
    found, problems = facts.parse_facts("title: " + "[" * 2_000 + "]" * 2_000, "seeds/x.txt", set(), set())
    assert found == facts.CuratorFacts() and "nested too deeply" in problems[0].message
    # libyaml's composer recurses in C: 100,000 brackets would overflow the stack there, not raise.
    with pytest.raises(facts._Refused):
        facts._read("title: " + "[" * 100_000 + "]" * 100_000, facts._FastFactsLoader, facts._FAST_MAX_DEPTH)
