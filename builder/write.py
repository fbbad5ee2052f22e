"""Write: the only module that touches the disk for output.

A file is written only when its bytes change (so `mkdocs serve` does not rebuild in a loop). All
changed files are written to temporary files first and renamed into place only when every one of
them was written, so a failed write leaves the folder as it was. Files this builder wrote before and no longer
produces are removed; anything else in the folder (a curator's own page) is never touched.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import BuilderError, Problem

MANIFEST = ".digest-manifest"  # path, hash, stat, render key: this machine's, never committed
# The same paths alone, sorted: deterministic, so it is committed with content/ and a fresh clone
# (which has no manifest) still knows which files are the builder's to replace or remove.
FILE_LIST = ".digest-files"


@dataclass(frozen=True)
class Lazy:
    """A file whose text is made only if it must be written: `key` is a hash of everything the
    text depends on. When the last build wrote this path under the same key and the file is
    untouched since (its stat), the text is not made at all."""

    key: str
    make: Callable[[], str]


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int


def write_tree(root: Path, files: dict[str, "str | Lazy"]) -> WriteResult:
    """Make `root` hold exactly `files` (of ours); returns what changed.

    Two phases, so that a failure (disk full, a folder that cannot be written) leaves `root` as
    it was: every changed file is first written beside its target under a temporary dot-name
    (MkDocs ignores those); only when all are written are they renamed into place.

    The manifest keeps each file's hash and the stat it had when written, so an unchanged file
    costs one stat, not a read: a one-article change to a 10,000-article site rereads nothing.
    A file whose stat differs (edited by hand, or a manifest from an older build) is compared
    byte for byte as before. A `Lazy` file whose key and stat match the manifest is not even made.
    """
    root.mkdir(parents=True, exist_ok=True)
    real_root = root.resolve()
    folder = str(real_root)  # joined as strings: a Path per unchanged file cost 0.3 s at 10,000 pages
    manifest = real_root / MANIFEST
    previous = _read_manifest(manifest) or _read_manifest(real_root / FILE_LIST)
    lines: dict[str, str] = {}  # rel → its manifest line (written files get theirs once renamed)
    digests: dict[str, tuple[str, str]] = {}  # written: rel → (hash, key)
    unchanged = 0

    def changes() -> Iterator[tuple[Path, bytes]]:
        # A generator: each changed file is staged as soon as it is found, so the encoded bytes
        # of a whole cold site (hundreds of MB at 10,000 articles) are never held at once.
        nonlocal unchanged
        for rel, text in sorted(files.items()):
            known = previous.get(rel)
            key = ""
            if isinstance(text, Lazy):
                key = text.key
                if known and known[2] == key and _stat_key(os.path.join(folder, rel)) == known[1]:
                    unchanged += 1
                    lines[rel] = _line(rel, known[0], known[1], key)
                    continue
                text = text.make()
            data = text.encode("utf-8")
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if known and known[0] == digest and _stat_key(os.path.join(folder, rel)) == known[1]:
                unchanged += 1
                lines[rel] = _line(rel, digest, known[1], key)
                continue
            target = _inside(real_root, rel)
            if target.is_file() and target.read_bytes() == data:
                unchanged += 1
                lines[rel] = _line(rel, digest, _stat_key(target), key)
                continue
            digests[rel] = (digest, key)
            yield target, data

    staged = _stage(changes(), real_root)
    for tmp, target in staged:
        os.replace(tmp, target)
    for rel, (digest, key) in digests.items():
        lines[rel] = _line(rel, digest, _stat_key(os.path.join(folder, rel)), key)
    removed = 0
    for rel in sorted(set(previous) - set(files)):
        try:
            target = _inside(real_root, rel)
        except ValueError:
            continue  # a manifest line that leads outside `root` was not written by us
        if target.is_file():
            target.unlink()
            removed += 1
            _prune_empty(target.parent, real_root)
    # The manifest goes last: if anything above failed, the next build still knows what to remove.
    listing = "".join(lines[rel] for rel in sorted(lines)).encode("utf-8")
    paths = "".join(f"{rel}\n" for rel in sorted(lines)).encode("utf-8")
    for path, data in ((real_root / FILE_LIST, paths), (manifest, listing)):
        if not path.is_file() or path.read_bytes() != data:
            for tmp, target in _stage([(path, data)], real_root):
                os.replace(tmp, target)
    return WriteResult(len(staged), unchanged, removed)


def manifest_paths(root: Path) -> list[str]:
    """The files the last build wrote under `root`, as paths relative to it."""
    return sorted(_read_manifest(root / MANIFEST))


def _read_manifest(manifest: Path) -> dict[str, tuple[str, str, str] | None]:
    """rel → (hash, stat key, render key or "") as written; a bare path (older manifests) has no hash."""
    if not manifest.is_file():
        return {}
    found: dict[str, tuple[str, str, str] | None] = {}
    for line in manifest.read_text(encoding="utf-8").split("\n"):
        rel, _, rest = line.partition("\t")
        if rel:
            digest, _, rest = rest.partition("\t")
            stat, _, key = rest.partition("\t")
            found[rel] = (digest, stat, key) if digest and stat else None
    return found


def _line(rel: str, digest: str, stat: str, key: str = "") -> str:
    return f"{rel}\t{digest}\t{stat}\t{key}\n" if key else f"{rel}\t{digest}\t{stat}\n"


def _stat_key(path: "Path | str") -> str:
    """Size, modification time and inode: what changes when anyone else rewrites the file."""
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _inside(root: Path, rel: str) -> Path:
    """`root/rel`, refusing any path that would land outside `root` (by `..` or by a symlink)."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        raise ValueError(f"refusing to write outside {root}: {rel}")
    return target


def _stage(changes: Iterable[tuple[Path, bytes]], root: Path) -> list[tuple[Path, Path]]:
    """Write each file's bytes to a temporary file beside it: [(temporary, target)].

    On any failure every temporary file and every folder made here is removed again, and the
    error is raised as a BuilderError naming the file.
    """
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    target = root
    mode = _new_file_mode()
    try:
        for target, data in changes:
            made += _make_folders(target.parent, root)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
            staged.append((Path(tmp), target))
            os.fchmod(fd, mode)  # mkstemp makes it private; the page is as readable as any file the user saves
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
    except BaseException as err:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        if isinstance(err, OSError):
            raise BuilderError(Problem(str(target), None, f"cannot be written ({err.strerror or err}); nothing in "
                                                          f"{root} was changed: free disk space or fix the folder's "
                                                          "permissions, then build again")) from None
        raise
    return staged


def _new_file_mode() -> int:
    umask = os.umask(0o22)
    os.umask(umask)
    return 0o666 & ~umask


def _make_folders(folder: Path, root: Path) -> list[Path]:
    """Create `folder` and its missing parents under `root`; return the ones created, outermost first."""
    missing = []
    while folder != root and not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
