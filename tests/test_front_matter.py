"""The front matter writer: every value read back by YAML (and python-frontmatter) exactly as given."""

from __future__ import annotations

import frontmatter
import pytest
import yaml

from builder.render import front_matter

HOSTILE = ["a: b", "# not a comment", "x #y", "'quoted'", '"double"', "line\nbreak", "---", "...", "- item",
           "? key", "{a: 1}", "[x]", "&anchor", "*alias", "!tag", "%YAML 1.1", "@at", "`tick`", "|", ">",
           "\ttab", "  lead", "trail  ", "", "null", "true", "no", "~", "0x10", "1e5", "2025-02-18", "12:30",
           "\u202eمعكوس\u202c", "\u200fRLM", "\u2066عزل\u2069", "عبد الوافي لفتيت: وزير الداخلية",
           "\x85nel", "\u2028ls", "\u2029ps", "\x7fdel\x9f", "\ufeffbom", "\\back\\slash", "\x00nul\x01",
           "😀", "a\r\nb", "<script>alert(1)</script>", "{{ jinja }}", "{% x %}", "\ud800lone"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_round_trip(text):
    data = {"title": text, "list": [text, "x"], "officials": [{"name": text, "role": None, "country": "MA"}]}
    written = front_matter(data)
    assert written.startswith("---\n") and written.endswith("\n---\n")
    assert yaml.safe_load(written[4:-4]) == data
    if "\ud800" not in text:  # a lone surrogate cannot be UTF-8 on disk; the escape keeps it out
        assert frontmatter.loads(written + "# body\n").metadata == data


def test_a_flat_article_dict_is_block_yaml_with_arabic_kept():
    data = {"title": "المغرب", "part": 1, "title_generated": False, "date": "2025-11", "url": None,
            "countries": ["MA", "FR"], "dates": [], "officials": []}
    assert front_matter(data) == ('---\ntitle: "المغرب"\npart: 1\ntitle_generated: false\ndate: "2025-11"\n'
                                  'url: null\ncountries:\n- "MA"\n- "FR"\ndates: []\nofficials: []\n---\n')


def test_what_it_cannot_write_is_refused():
    with pytest.raises(TypeError):
        front_matter({"ratio": 1.5})
    with pytest.raises(ValueError):
        front_matter({"bad key": "x"})
