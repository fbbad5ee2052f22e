"""The writer (builder/write.py): what it leaves on disk besides the bytes."""

from __future__ import annotations

import os
import signal
import stat
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from test_golden import published
from builder import write as write_module
from builder.errors import BuilderError
from builder.pipeline import build
from builder.write import Lazy, write_tree


def test_written_files_are_as_readable_as_any_file_the_user_saves(tmp_path):
    old = os.umask(0o022)
    try:
        write_tree(tmp_path / "content", {"index.md": "# t\n", "articles/a.md": "# a\n"})
    finally:
        os.umask(old)
    for rel in ("index.md", "articles/a.md"):
        assert stat.S_IMODE((tmp_path / "content" / rel).stat().st_mode) == 0o644
    assert not list((tmp_path / "content").rglob(".tmp-*"))


# A cold build makes its files on two cores (a forked second process); these tests lower the
# threshold so that a few files take that path, and check it leaves exactly what one process does.

def _lazy_tree(count: int, log: Path, fail: str = "", error: BaseException | None = None) -> dict[str, "str | Lazy"]:
    """`count` pages in a few folders; each Lazy notes which process made it in `log`."""
    def make(rel: str):
        def text() -> str:
            with open(log, "a", encoding="utf-8") as fh:  # O_APPEND: both processes' lines survive
                fh.write(f"{os.getpid()}\n")
            if rel == fail:
                _wait_for_the_other_process(log)
                raise error
            return f"# {rel}\n" + "نص " * 50
        return text
    files: dict[str, str | Lazy] = {}
    for i in range(count):
        rel = f"{('articles', 'topics/a', 'feeds')[i % 3]}/p{i:03}.md"
        files[rel] = Lazy(f"k{i}", make(rel)) if i % 4 else f"# plain {i}\n"
    return files


def _wait_for_the_other_process(log: Path) -> None:
    """Fail only once the other process has made a file too, so that both have something to undo."""
    deadline = time.monotonic() + 30
    while len(set(log.read_text().split())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != write_module.MANIFEST}


@pytest.fixture
def two_processes(monkeypatch):
    monkeypatch.setattr(write_module, "PARALLEL_MIN", 10)
    monkeypatch.setattr(write_module, "CHUNK", 3)


def test_two_processes_write_what_one_writes(tmp_path, two_processes, monkeypatch):
    made_by = tmp_path / "pids"
    result = write_tree(tmp_path / "two", _lazy_tree(120, made_by))
    assert len(set(made_by.read_text().split())) == 2, "the forked process made none of the files"
    assert result == write_module.WriteResult(120, 0, 0)

    monkeypatch.setattr(write_module, "PARALLEL_MIN", 10**9)
    write_tree(tmp_path / "one", _lazy_tree(120, tmp_path / "pids-one"))
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")
    assert len(set((tmp_path / "pids-one").read_text().split())) == 1

    # The manifest knows every file the second process wrote: a second build makes nothing.
    made_by.unlink()
    again = write_tree(tmp_path / "two", _lazy_tree(120, made_by))
    assert again == write_module.WriteResult(0, 120, 0) and not made_by.exists()


@pytest.mark.parametrize("where", ["first", "last"])  # this process starts at the front, the forked one at the back
def test_a_failure_in_either_process_leaves_the_folder_as_it_was(tmp_path, two_processes, where):
    root = tmp_path / "content"
    write_tree(root, {"index.md": "# old\n"})
    before = _tree(root)
    files = _lazy_tree(120, tmp_path / "pids")
    failing = sorted(rel for rel, text in files.items() if isinstance(text, Lazy))[0 if where == "first" else -1]
    files = _lazy_tree(120, tmp_path / "pids", fail=failing, error=OSError(28, "No space left on device"))
    with pytest.raises(BuilderError) as caught:
        write_tree(root, files)
    assert failing in str(caught.value) and "No space left on device" in str(caught.value)
    assert _tree(root) == before, "a file was written, or a temporary one left behind"
    assert sorted(p.name for p in root.iterdir()) == sorted([".digest-files", ".digest-manifest", "index.md"])
    assert len(set((tmp_path / "pids").read_text().split())) == 2


def test_an_error_that_cannot_cross_processes_still_names_itself(tmp_path, two_processes):
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no")

    files = _lazy_tree(120, tmp_path / "pids")
    last = sorted(rel for rel, text in files.items() if isinstance(text, Lazy))[-1]
    with pytest.raises(RuntimeError, match="Unpicklable"):
        write_tree(tmp_path / "content", _lazy_tree(120, tmp_path / "pids", fail=last, error=Unpicklable("bad page")))
    assert not [p for p in (tmp_path / "content").rglob("*") if p.is_file()]


def test_a_second_process_killed_midway_leaves_no_temporary_file(tmp_path, two_processes):
    # Killed by the kernel (out of memory, say), it cannot report the files it staged.
    root = tmp_path / "content"
    write_tree(root, {"index.md": "# old\n"})
    before = _tree(root)
    parent = os.getpid()
    made_in_child = tmp_path / "child-made"

    def make(rel: str):
        def text() -> str:
            if os.getpid() != parent:
                with open(made_in_child, "a", encoding="utf-8") as fh:
                    fh.write(rel + "\n")
                if len(made_in_child.read_text().split()) > 4:
                    os.kill(os.getpid(), signal.SIGKILL)
            return f"# {rel}\n"
        return text

    files = {f"{('articles', 'feeds')[i % 2]}/p{i:03}.md": Lazy(f"k{i}", make(f"p{i}")) for i in range(120)}
    with pytest.raises(BuilderError, match="second writing process was stopped \\(signal 9\\)") as caught:
        write_tree(root, files)
    assert str(root) in str(caught.value)
    assert len(made_in_child.read_text().split()) == 5  # it had staged four files when it died
    assert _tree(root) == before
    assert sorted(p.name for p in root.rglob("*")) == sorted([".digest-files", ".digest-manifest", "index.md"])


def test_with_other_threads_running_one_process_writes(tmp_path, two_processes):
    # `mkdocs serve` runs threads, and forking a threaded process can deadlock.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        write_tree(tmp_path / "content", _lazy_tree(120, tmp_path / "pids"))
    finally:
        stop.set()
        other.join()
    assert len(set((tmp_path / "pids").read_text().split())) == 1


def test_the_seeds_built_on_two_cores_are_the_committed_content(tmp_path, two_processes):
    project = copy_project(tmp_path / "project")
    build(project, force=True)
    assert published(project / "content") == published(REPO / "content")


def test_a_manifest_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    real = write_module.tempfile.mkstemp

    def full_for_the_manifest(*args, **kwargs):
        if kwargs.get("suffix") == "":  # the manifest and the file list have no suffix
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(write_module.tempfile, "mkstemp", full_for_the_manifest)
    with pytest.raises(BuilderError, match=r"\.digest-files: cannot be written \(No space left on device\)"):
        write_tree(tmp_path / "content", {"index.md": "# t\n"})
    assert not list((tmp_path / "content").rglob(".tmp-*"))


def test_a_link_in_content_that_leads_outside_is_refused_with_a_message(tmp_path):
    root, elsewhere = tmp_path / "content", tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_tree(root, {"index.md": "# old\n"})
    (root / "articles").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BuilderError, match="leads outside .* through a link.*remove the link") as caught:
        write_tree(root, {"index.md": "# new\n", "articles/a.md": "# a\n"})
    assert str(root / "articles") in str(caught.value)
    assert list(elsewhere.iterdir()) == [] and (root / "index.md").read_text() == "# old\n"

    (root / "articles").unlink()
    (root / "articles").mkdir()
    (elsewhere / "a.md").write_text("# theirs\n")
    (root / "articles" / "a.md").symlink_to(elsewhere / "a.md")
    with pytest.raises(BuilderError, match="leads outside"):
        write_tree(root, {"index.md": "# new\n", "articles/a.md": "# a\n"})
    assert (elsewhere / "a.md").read_text() == "# theirs\n"


def test_a_link_into_content_is_followed(tmp_path):
    root = tmp_path / "content"
    (root / "real").mkdir(parents=True)
    (root / "articles").symlink_to(root / "real", target_is_directory=True)
    write_tree(root, {"articles/a.md": "# a\n", "articles/b.md": "# b\n"})
    assert sorted(p.name for p in (root / "real").iterdir()) == ["a.md", "b.md"]
