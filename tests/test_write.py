"""The writer (builder/write.py): what it leaves on disk besides the bytes."""

from __future__ import annotations

import os
import stat

from builder.write import write_tree


def test_written_files_are_as_readable_as_any_file_the_user_saves(tmp_path):
    old = os.umask(0o022)
    try:
        write_tree(tmp_path / "content", {"index.md": "# t\n", "articles/a.md": "# a\n"})
    finally:
        os.umask(old)
    for rel in ("index.md", "articles/a.md"):
        assert stat.S_IMODE((tmp_path / "content" / rel).stat().st_mode) == 0o644
    assert not list((tmp_path / "content").rglob(".tmp-*"))
