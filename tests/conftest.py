"""Shared fixtures: a real site built from the real seeds in a temporary copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROJECT_FILES = ("mkdocs.yml", "seeds", "theme_overrides")


def copy_project(dest: Path, seeds: Path | None = None) -> Path:
    """A throwaway copy of the project (config, theme, seeds) to build in."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = REPO / name
        if name == "seeds" and seeds is not None:
            src = seeds
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True)
        else:
            shutil.copy2(src, dest / name)
    (dest / "content").mkdir(exist_ok=True)  # MkDocs checks docs_dir exists before the hook fills it
    # mkdocs.yml names the hook by a path relative to itself.
    (dest / "builder").mkdir(exist_ok=True)
    shutil.copy2(REPO / "builder" / "hooks.py", dest / "builder" / "hooks.py")
    shutil.copytree(REPO / "builder" / "data", dest / "builder" / "data")
    return dest


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([str(BIN / "mkdocs"), "build", "--strict", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real seeds built into a real site with `mkdocs build --strict`; returns the project folder."""
    project = copy_project(tmp_path_factory.mktemp("site") / "project")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project
