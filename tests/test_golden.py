"""The committed content/ is the reviewed output of the committed seeds: a fresh build must
reproduce it byte for byte. When a change alters output on purpose, rebuild it
(`.venv/bin/digest build --content-only --force`) and review the diff in the same commit."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO

# The builder's own state (this machine's stat cache, the extraction cache folder, build stamp) is not output.
PRIVATE = {".digest-manifest", ".digest-cache", ".digest-stamp"}


def published(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not PRIVATE.intersection(p.relative_to(root).parts) and not p.name.startswith(".tmp-")}


def test_committed_content_is_what_the_seeds_build(built_site):
    fresh, committed = published(built_site / "content"), published(REPO / "content")
    missing, extra = sorted(fresh.keys() - committed.keys()), sorted(committed.keys() - fresh.keys())
    assert not missing and not extra, f"not committed: {missing[:5]}; no longer built: {extra[:5]}"
    differing = [k for k in fresh if fresh[k] != committed[k]]
    assert not differing, (f"content/ differs from a fresh build in {len(differing)} files, e.g. {differing[:5]}: "
                           "rebuild with `.venv/bin/digest build --content-only --force` and review the diff")
