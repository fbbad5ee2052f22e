"""The command line tells the truth: exit codes, messages that name the file and line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project


def digest(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=300)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def test_help_explains_every_command(tmp_path):
    out = digest("--help", cwd=tmp_path).stdout.decode()
    for command in ("build", "check", "add", "extract", "evaluate"):
        assert command in out
    assert "Exit codes" in out


def test_extract_json_is_the_data_interface(tmp_path):
    result = digest("extract", str(REPO / "seeds"), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(records) == 6
    keys = {"file", "part", "title", "title_generated", "date", "date_precision", "date_basis", "dates", "outlet",
            "countries", "countries_primary", "officials", "topics", "story", "summary", "body"}
    assert all(keys <= r.keys() for r in records)
    split = [r for r in records if r["file"].endswith("003_473e30b3f91dada2.txt")]
    assert [r["part"] for r in split] == [1, 2]
    officials = [o for r in records for o in r["officials"]]
    assert all(o.keys() == {"name", "key", "role", "country"} for o in officials)
    # Every spelling of one person carries the key of their page.
    laftit = {o["name"] for o in officials if o["key"] == "abdelouafi-laftit"}
    assert {"عبد الوافي لفتيت", "عبدالوافي لفتيت"} <= laftit


def test_add_stores_a_clipping_with_a_facts_template_and_refuses_duplicates(project):
    clipping = project / "clip.txt"
    clipping.write_text("عنوان تجريبي للقصاصة\n\nنص المقال كما نسخ من الموقع.\n", encoding="utf-8")
    first = digest("add", str(clipping), cwd=project)
    assert first.returncode == 0, first.stderr.decode()
    added = [p for p in (project / "seeds").glob("*.txt") if p.name.startswith("005_")]
    assert len(added) == 1
    text = added[0].read_text(encoding="utf-8")
    assert text.startswith("---\n") and "published:" in text and text.endswith("نص المقال كما نسخ من الموقع.\n")
    again = digest("add", "-", cwd=project, stdin=clipping.read_bytes())
    assert again.returncode == 1
    assert "same text as" in again.stderr.decode() and "nothing was added" in again.stderr.decode()


def test_add_refuses_binary_input(project):
    result = digest("add", "-", cwd=project, stdin=b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert result.returncode == 1
    assert "binary" in result.stderr.decode()


def test_bad_curator_fact_is_named_and_skipped_but_strict_fails(project):
    seed = project / "seeds" / "000_be4a9685a3f207c1.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("published: 2025-02-18", "published: 2025-13-01\ntopic: x"),
                    encoding="utf-8")
    relaxed = digest("build", "--content-only", cwd=project)
    err = relaxed.stderr.decode()
    assert relaxed.returncode == 0, err
    assert "seeds/000_be4a9685a3f207c1.txt:2: curator field 'published' is '2025-13-01', not a date" in err
    assert "seeds/000_be4a9685a3f207c1.txt:3: unknown curator field 'topic'" in err
    before = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    strict = digest("build", "--content-only", "--strict", cwd=project)
    assert strict.returncode != 0
    assert "nothing was written" in strict.stderr.decode()
    assert {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()} == before


def test_noop_build_says_so(project):
    assert digest("build", "--content-only", cwd=project).returncode == 0
    again = digest("build", "--content-only", cwd=project)
    assert again.returncode == 0
    assert "up to date" in again.stderr.decode()


def test_check_lists_doubts_with_file_and_line(project):
    shutil.copy2(REPO / "tests/data/dev/dev_02.txt", project / "seeds" / "dev_02.txt")
    result = digest("check", cwd=project)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "seeds/dev_02.txt:1: undated" in out
    assert "headline generated from the text" in out


def test_wrong_usage_exits_2(tmp_path):
    assert digest("frobnicate", cwd=tmp_path).returncode == 2


def test_build_outside_a_project_says_what_to_do(tmp_path):
    result = digest("build", cwd=tmp_path)
    assert result.returncode == 3
    assert "no mkdocs.yml here" in result.stderr.decode()


def test_progress_only_on_a_terminal_outside_ci(monkeypatch, capsys):
    import io

    from builder.progress import progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Tty())
    assert list(progress(range(300), 300, "extracting")) == list(range(300))
    assert "extracting 300/300" in sys.stderr.getvalue()
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(sys, "stderr", Tty())
    assert list(progress(range(300), 300, "extracting")) == list(range(300))
    assert sys.stderr.getvalue() == ""
