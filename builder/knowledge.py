"""Knowledge the builder reads as data: countries, officials, topics, outlets, boilerplate.

Every table is a YAML file in `builder/data/` that a curator can extend. Tables are loaded once
per build; `version` hashes their bytes so cached extraction is redone when knowledge changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import BuilderError, Problem

DATA_DIR = Path(__file__).parent / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10× faster when present


@dataclass(frozen=True, eq=False)
class Knowledge:
    """All data tables, by file stem (`countries`, `topics`, …), plus a version hash."""

    root: Path
    version: str
    tables: dict[str, Any] = field(repr=False)

    def __hash__(self) -> int:
        return hash(self.version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Knowledge) and other.version == self.version

    def table(self, name: str) -> Any:
        try:
            return self.tables[name]
        except KeyError:
            raise BuilderError(f"{self.root}/{name}.yaml: knowledge table is missing") from None

    def source(self, name: str) -> str:
        """Path of a table, for error messages."""
        return f"{self.root.name}/{name}.yaml"


def load_knowledge(root: Path = DATA_DIR) -> Knowledge:
    """Read every `*.yaml` table under `root`; a table that is not valid YAML stops the build."""
    digest = hashlib.sha256()
    tables: dict[str, Any] = {}
    for path in sorted(root.glob("*.yaml")):
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        try:
            tables[path.stem] = yaml.load(raw.decode("utf-8"), Loader=_Loader) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            line = getattr(getattr(err, "problem_mark", None), "line", None)
            raise BuilderError(
                Problem(str(path), line + 1 if line is not None else None,
                        f"knowledge table is not valid UTF-8 YAML ({err.__class__.__name__}); fix the file")
            ) from None
    return Knowledge(root=root, version=digest.hexdigest()[:16], tables=tables)
