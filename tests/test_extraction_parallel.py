"""Seeds extracted on worker processes while the rest are read give what one process gives."""

from __future__ import annotations

import concurrent.futures
import contextlib
import subprocess
import sys
import threading

import pytest

from bench.generate import generate
from builder import pipeline
from builder.knowledge import load_knowledge
from builder.pipeline import Report, extract_articles, read_seeds


def extracted(folder, kb):
    report = Report()
    articles = extract_articles(read_seeds([folder], kb, report, base=folder.parent), kb)
    return articles, report


@contextlib.contextmanager
def another_thread():
    """As under `mkdocs serve`, whose server and file watcher run threads."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("threads", [False, True], ids=["forked", "from a forkserver"])
def test_parallel_extraction_equals_extraction_in_one_process(tmp_path, monkeypatch, threads):
    generate(tmp_path / "seeds", 60)
    (tmp_path / "seeds" / "empty.txt").write_text("", encoding="utf-8")  # a problem mid-stream
    kb = load_knowledge()
    serial, serial_report = extracted(tmp_path / "seeds", kb)

    pools = []
    real_pool = concurrent.futures.ProcessPoolExecutor  # pipeline imports it when it starts workers
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor",
                        lambda *a, **k: pools.append(k["mp_context"]) or real_pool(*a, **k))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 20)
    monkeypatch.setattr(pipeline, "BATCH", 7)  # the last batch is a short one
    with another_thread() if threads else contextlib.nullcontext():
        parallel, parallel_report = extracted(tmp_path / "seeds", kb)

    assert [context.get_start_method() for context in pools] == ["forkserver" if threads else "fork"]
    assert len(serial) == 60 and parallel == serial
    assert [str(p) for p in parallel_report.problems] == [str(p) for p in serial_report.problems]
    assert "empty.txt" in str(serial_report.problems)


def test_a_build_run_from_a_script_on_stdin_extracts_in_one_process(tmp_path):
    # Worker processes re-import the main script, which `python -` does not have as a file.
    generate(tmp_path / "seeds", 30)
    # With another thread running, as under `mkdocs serve`, workers would come from a forkserver.
    script = ("import sys, threading; from pathlib import Path; from builder import pipeline\n"
              "pipeline.PARALLEL_MIN = 5\n"
              "stop = threading.Event(); threading.Thread(target=stop.wait).start()\n"
              "print(len(pipeline.extract_paths([Path(sys.argv[1])])[0])); stop.set()\n")
    done = subprocess.run([sys.executable, "-", str(tmp_path / "seeds")], input=script, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == str(len(extracted(tmp_path / "seeds", load_knowledge())[0]))
