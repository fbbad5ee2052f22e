"""The benchmark harness on a tiny corpus: the generator is deterministic and the measuring code
yields the table and JSON the full run prints (shapes only, never a time)."""

from __future__ import annotations

import json

from bench.__main__ import BUILDER_STAGES, measure, table, write_results
from bench.generate import generate


def test_the_generator_is_deterministic_and_writes_curator_facts(tmp_path):
    first = [p.read_bytes() for p in generate(tmp_path / "a", 30)]
    again = [p.read_bytes() for p in generate(tmp_path / "b", 30)]
    assert first == again and len(first) == 30
    texts = [b.decode("utf-8") for b in first]
    assert sum(t.startswith("---\npublished: ") for t in texts) >= 15  # most seeds carry a curator date
    assert len(set(texts)) == 30  # every clipping is unique, as real ones are


def test_measuring_a_tiny_corpus_gives_the_table_and_json_shape(tmp_path):
    result = measure(50, 1, out=tmp_path, stages=BUILDER_STAGES)
    assert result["seeds"] == 50 and result["articles"] >= 50  # every 25th seed holds two articles
    for stage in BUILDER_STAGES:
        assert set(result[stage]) == {"wall", "cpu", "rss_mib"}
        assert all(v > 0 for v in result[stage].values())
    text = table({50: result})
    header, rule, *rows = text.split("\n\n")[0].split("\n")
    assert header == "| stage | N=50 wall s | CPU s | peak MiB |"
    assert [r.split(" | ")[0] for r in rows] == ["| builder cold", "| builder noop", "| builder one seed"]
    assert "articles/s cold" in text
    saved = json.loads(write_results(tmp_path, {50: result}).read_text(encoding="utf-8"))
    assert saved["machine"]["cpus"] >= 1 and saved["results"]["50"]["builder_noop"]["wall"] > 0
