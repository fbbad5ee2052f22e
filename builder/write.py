"""Write: the only module that touches the disk for output.

A file is written only when its bytes change (so `mkdocs serve` does not rebuild in a loop), each
through a temporary file and an atomic rename. Files this builder wrote before and no longer
produces are removed; anything else in the folder (a curator's own page) is never touched.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".digest-manifest"


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int


def write_tree(root: Path, files: dict[str, str]) -> WriteResult:
    """Make `root` hold exactly `files` (of ours); returns what changed."""
    root.mkdir(parents=True, exist_ok=True)
    manifest = root / MANIFEST
    previous = set(manifest.read_text(encoding="utf-8").split("\n")) - {""} if manifest.exists() else set()
    written = unchanged = removed = 0
    for rel, text in sorted(files.items()):
        data = text.encode("utf-8")
        target = _inside(root, rel)
        if target.exists() and target.read_bytes() == data:
            unchanged += 1
            continue
        _atomic_write(target, data)
        written += 1
    for rel in sorted(previous - set(files)):
        target = _inside(root, rel)
        if target.is_file():
            target.unlink()
            removed += 1
            _prune_empty(target.parent, root)
    listing = "".join(f"{rel}\n" for rel in sorted(files))
    if not manifest.exists() or manifest.read_text(encoding="utf-8") != listing:
        _atomic_write(manifest, listing.encode("utf-8"))
    return WriteResult(written, unchanged, removed)


def _inside(root: Path, rel: str) -> Path:
    """`root/rel`, refusing any path that would land outside `root`."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"refusing to write outside {root}: {rel}")
    return target


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
