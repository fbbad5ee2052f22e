"""Seeds extracted on worker processes while the rest are read give what one process gives."""

from __future__ import annotations

import subprocess
import sys

from bench.generate import generate
from builder import pipeline
from builder.knowledge import load_knowledge
from builder.pipeline import Report, extract_articles, read_seeds


def extracted(folder, kb):
    report = Report()
    articles = extract_articles(read_seeds([folder], kb, report, base=folder.parent), kb)
    return articles, report


def test_parallel_extraction_equals_extraction_in_one_process(tmp_path, monkeypatch):
    generate(tmp_path / "seeds", 60)
    (tmp_path / "seeds" / "empty.txt").write_text("", encoding="utf-8")  # a problem mid-stream
    kb = load_knowledge()
    serial, serial_report = extracted(tmp_path / "seeds", kb)

    pools = []
    real_pool = pipeline.ProcessPoolExecutor
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", lambda *a, **k: pools.append(1) or real_pool(*a, **k))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 20)
    monkeypatch.setattr(pipeline, "BATCH", 7)  # the last batch is a short one
    parallel, parallel_report = extracted(tmp_path / "seeds", kb)

    assert pools == [1]
    assert len(serial) == 60 and parallel == serial
    assert [str(p) for p in parallel_report.problems] == [str(p) for p in serial_report.problems]
    assert "empty.txt" in str(serial_report.problems)


def test_a_build_run_from_a_script_on_stdin_extracts_in_one_process(tmp_path):
    # Worker processes re-import the main script, which `python -` does not have as a file.
    generate(tmp_path / "seeds", 30)
    script = ("import sys; from pathlib import Path; from builder import pipeline\n"
              "pipeline.PARALLEL_MIN = 5\n"
              "print(len(pipeline.extract_paths([Path(sys.argv[1])])[0]))\n")
    done = subprocess.run([sys.executable, "-", str(tmp_path / "seeds")], input=script, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == str(len(extracted(tmp_path / "seeds", load_knowledge())[0]))
