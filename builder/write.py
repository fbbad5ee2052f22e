"""Write: the only module that touches the disk for output.

A file is written only when its bytes change (so `mkdocs serve` does not rebuild in a loop). All
changed files are written to temporary files first and renamed into place only when every one of
them was written, so a failed write leaves the folder as it was. Files this builder wrote before and no longer
produces are removed; anything else in the folder (a curator's own page) is never touched.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import BuilderError, Problem
from .processes import cores, ending, may_fork, wait

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


def write_tree(root: Path, files: dict[str, "str | bytes | Lazy"]) -> WriteResult:
    """Make `root` hold exactly `files` (of ours: text, UTF-8 bytes or `Lazy`); returns what changed.

    Two phases, so that a failure (disk full, a folder that cannot be written) leaves `root` as
    it was: every changed file is first written beside its target under a temporary dot-name
    (MkDocs ignores those); only when all are written are they renamed into place.

    The manifest keeps each file's hash and the stat it had when written, so an unchanged file
    costs one stat, not a read: a one-article change to a 10,000-article site rereads nothing.
    A file whose stat differs (edited by hand, or a manifest from an older build) is compared
    byte for byte as before. A `Lazy` file whose key and stat match the manifest is not even made.
    Many files to make (a cold build) are made and staged by two processes.
    """
    root.mkdir(parents=True, exist_ok=True)
    real_root = root.resolve()
    folder = str(real_root)  # joined as strings: a Path per unchanged file cost 0.3 s at 10,000 pages
    manifest = real_root / MANIFEST
    previous = _read_manifest(manifest) or _read_manifest(real_root / FILE_LIST)
    lines: dict[str, str] = {}  # rel → its manifest line (written files get theirs once renamed)
    todo: list[_File] = []
    for rel, text in sorted(files.items()):
        known = previous.get(rel)
        if (isinstance(text, Lazy) and known and known[2] == text.key
                and _stat_key(os.path.join(folder, rel)) == known[1]):
            lines[rel] = _line(rel, known[0], known[1], text.key)
        else:
            todo.append((rel, text, known))

    made = _make_folders_for(todo, real_root)
    try:
        staged: list[_Staged] = []
        for part_lines, part_staged in _in_parts(todo, real_root):
            lines.update(part_lines)
            staged += part_staged
    except BaseException:
        _remove_folders(made)
        raise
    unchanged = len(lines)
    for tmp, rel, digest, key in staged:
        target = os.path.join(folder, rel)
        os.replace(tmp, target)
        lines[rel] = _line(rel, digest, _stat_key(target), key)
    removed = 0
    for rel in sorted(set(previous) - set(files)):
        try:
            target = _inside(real_root, rel)
        except BuilderError:
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
            try:
                os.replace(_stage_file(path, data, _new_file_mode()), path)
            except OSError as err:
                raise BuilderError(Problem(str(path), None, f"cannot be written ({err.strerror or err}): the pages are "
                                                            "written; free disk space or fix the folder's permissions, "
                                                            "then build again")) from None
    return WriteResult(len(staged), unchanged, removed)


_Staged = tuple[str, str, str, str]  # temporary file, rel, hash, render key
_File = tuple[str, "str | bytes | Lazy", "tuple[str, str, str] | None"]  # rel, text, what the manifest knows

_TMP = ".tmp-"  # a staged file's prefix, followed by the pid of the process that staged it
PARALLEL_MIN = 400  # files to make: below this, forking a second process costs more than it saves
CHUNK = 16  # files a process takes at a time


class _FromBothEnds:
    """Hands out the indexes of `count` files in chunks, to this process from the front and to the
    forked one from the back, until they meet: each makes as much as it can in the same time, and
    neighbouring files (a group's feeds, which share their entries' text) mostly stay together."""

    def __init__(self, count: int):
        import multiprocessing  # here: a build that makes few files never forks (15 ms of imports)

        self.ends = multiprocessing.RawArray("q", [0, count])  # shared memory: both processes see it
        self.lock = multiprocessing.Lock()

    def take(self, from_back: bool) -> Iterator[int]:
        while True:
            with self.lock:
                front, back = self.ends
                if front >= back:
                    return
                if from_back:
                    chunk = range(max(front, back - CHUNK), back)
                    self.ends[1] = chunk.start
                else:
                    chunk = range(front, min(back, front + CHUNK))
                    self.ends[0] = chunk.stop
            yield from chunk

    def stop(self) -> None:
        """Hand out nothing more: the other process failed, so its partner's work would be undone."""
        with self.lock:
            self.ends[0] = self.ends[1]


def _in_parts(todo: list[_File], root: Path) -> list[tuple[dict[str, str], list[_Staged]]]:
    """Make, compare and stage `todo`: here, or on two cores when there is much of it.

    The second process is a fork: it shares every article and page plan without copying them.
    A fork is safe only when no other thread runs (`mkdocs serve` has several, but rebuilds few
    files), so with threads everything is made here. On any failure no temporary file is left."""
    mode = _new_file_mode()
    if len(todo) < PARALLEL_MIN or cores() < 2 or not may_fork():
        return [_stage_part(todo, root, mode)]
    try:
        shares = _FromBothEnds(len(todo))
    except OSError:  # no shared memory for the lock (some containers): one process does it all
        return [_stage_part(todo, root, mode)]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the second process: stage its share, send back what it did, never return
        try:
            os.close(read_end)
            try:
                outcome: tuple = ("done", _stage_part((todo[i] for i in shares.take(from_back=True)), root, mode))
            except BaseException as err:
                shares.stop()
                outcome = ("failed", err if _picklable(err) else RuntimeError(repr(err)))
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        ours = _stage_part((todo[i] for i in shares.take(from_back=False)), root, mode)
    except BaseException:
        shares.stop()
        status, result = _collect(read_end, pid)
        if status == "done":  # its files are staged but will never be renamed into place
            for tmp, *_ in result[1]:
                os.unlink(tmp)
        elif status == "killed":
            _remove_staged_by(pid, todo, root)
        raise
    status, result = _collect(read_end, pid)
    if status != "done":
        for tmp, *_ in ours[1]:
            os.unlink(tmp)
        if status == "killed":
            _remove_staged_by(pid, todo, root)
            raise BuilderError(Problem(str(root), None, f"the second writing process was stopped ({result}) before it "
                                                        "finished; nothing here was changed: build again"))
        raise result
    return [ours, result]


def _collect(read_end: int, pid: int) -> tuple[str, object]:
    """The second process's outcome once it has ended: ("done", its staged part), ("failed", the
    error), or ("killed", how) when it ended (out of memory, say) before it could say what it did."""
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    code = wait(pid)
    if not data:
        return "killed", ending(code)
    return pickle.loads(data)


def _remove_staged_by(pid: int, todo: list[_File], root: Path) -> None:
    """The temporary files a killed process had staged: it could not say which, but they carry its pid."""
    prefix = f"{_TMP}{pid}-"
    for folder in sorted({os.path.join(root, rel.rpartition("/")[0]) for rel, *_ in todo}):
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(prefix):
                    os.unlink(entry.path)


def _picklable(err: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:
        return False
    return True


def _stage_part(part: Iterable[_File], root: Path, mode: int) -> tuple[dict[str, str], list[_Staged]]:
    """Make each file of `part`, and write the ones whose bytes changed to a temporary file beside
    their target. Returns (rel → manifest line of each unchanged file, the staged files).

    On any failure every temporary file made here is removed again, and the error is raised as a
    BuilderError naming the file."""
    folder = str(root)
    inside = _Targets(root)
    unchanged: dict[str, str] = {}
    staged: list[_Staged] = []
    rel = ""
    try:
        for rel, text, known in part:
            key = ""
            if isinstance(text, Lazy):
                key = text.key
                text = text.make()
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            as_written = known is not None and _stat_key(os.path.join(folder, rel)) == known[1]
            if as_written and known[0] == digest:
                unchanged[rel] = _line(rel, digest, known[1], key)
                continue
            target = inside(rel)
            # Untouched since written with another hash, it differs: not read (the search index is 20 MB).
            if not as_written and target.is_file() and target.read_bytes() == data:
                unchanged[rel] = _line(rel, digest, _stat_key(target), key)
                continue
            staged.append((_stage_file(target, data, mode), rel, digest, key))
    except BaseException as err:
        for tmp, *_ in staged:
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise BuilderError(Problem(os.path.join(folder, rel), None,
                                       f"cannot be written ({err.strerror or err}); nothing in {root} was changed: "
                                       "free disk space or fix the folder's permissions, then build again")) from None
        raise
    return unchanged, staged


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
        raise BuilderError(Problem(str(root / rel), None, f"leads outside {root} (to {target}, through a link); the "
                                                          "builder writes only inside it: remove the link, then build again"))
    return target


class _Targets:
    """`_inside` for many files: each folder resolved once (Python resolves a path one component at
    a time: 75 µs a file), and the file itself checked for being a link with one lstat."""

    def __init__(self, root: Path):
        self.root = root
        self.folders: dict[str, Path] = {"": root}

    def __call__(self, rel: str) -> Path:
        folder, _, name = rel.rpartition("/")
        real = self.folders.get(folder)
        if real is None:
            real = self.folders[folder] = _inside(self.root, folder)
        target = real / name
        if name in ("", ".", "..") or os.path.islink(target):
            return _inside(self.root, rel)
        return target


def _stage_file(target: Path, data: bytes, mode: int) -> str:
    """Write `data` to a new temporary file beside `target`; returns its path."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{_TMP}{os.getpid()}-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fd, mode)  # mkstemp makes it private; the page is as readable as any file the user saves
            fh.write(data)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _new_file_mode() -> int:
    umask = os.umask(0o22)
    os.umask(umask)
    return 0o666 & ~umask


def _make_folders_for(todo: list[_File], root: Path) -> list[Path]:
    """Create the missing folders the files of `todo` go in; return the ones created, outermost first.
    Made before the files, so that two processes staging them never race to make the same folder."""
    made: list[Path] = []
    try:
        for folder in sorted({rel.rpartition("/")[0] for rel, *_ in todo} - {""}):
            made += _make_folders(_inside(root, folder), root)
    except BaseException as err:
        _remove_folders(made)
        if isinstance(err, OSError):
            raise BuilderError(Problem(str(root / folder), None, f"cannot be made ({err.strerror or err}); nothing in "
                                                                 f"{root} was changed: fix the folder's permissions, "
                                                                 "then build again")) from None
        raise
    return made


def _remove_folders(made: list[Path]) -> None:
    """Undo `_make_folders_for` (a folder is removed only if it is empty again)."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass


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
