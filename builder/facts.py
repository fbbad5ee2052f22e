"""Curator facts: the YAML front-matter block a curator may put at the top of a seed.

Validated here, at the boundary: a wrong field, a bad date or an unknown topic or country is
reported with file, line and what is allowed, and that one fact is dropped.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import Problem
from .model import CuratorFacts, PartialDate

FIELDS = {
    "url": "the article's address (http or https)",
    "outlet": "the outlet's name, e.g. هسبريس",
    "published": "publication date: YYYY, YYYY-MM or YYYY-MM-DD",
    "title": "the headline, when the clipping has none or a wrong one",
    "exclude": "true to leave the seed out of the site",
    "topics_add": "topic ids to add",
    "topics_remove": "topic ids to remove",
    "countries_add": "ISO 3166-1 alpha-2 codes to add",
    "countries_remove": "ISO 3166-1 alpha-2 codes to remove",
    "parts": "per-article overrides for a file holding several articles: {2: {title: …}}",
}
TEMPLATE = """---
# Curator facts (all optional). Delete a line to let the builder decide.
url:
outlet:
published:        # YYYY, YYYY-MM or YYYY-MM-DD
title:
exclude: false
topics_add: []
topics_remove: []
countries_add: []
countries_remove: []
---
"""
_FENCE = re.compile(r"^---[ \t]*$")
# Curator facts start with an ASCII field name and a colon; article text never does. A clipping
# that merely opens with a dashed rule keeps that text as its body.
_FACT_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*[ \t]*:(?:[ \t]|$)")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front-matter YAML or None, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, text, 1
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i]):
            block = lines[1:i]
            significant = [line for line in block if line.strip() and not line.lstrip().startswith("#")]
            if significant and not _FACT_LINE.match(significant[0]):
                return None, text, 1  # text between two dashed rules, not curator facts
            return "\n".join(block), "\n".join(lines[i + 1:]), i + 2
    return None, text, 1  # an opening fence with no closing one is body text, not facts


class _FactsLoader(yaml.SafeLoader):
    """SafeLoader (no python tags) that leaves dates as text: PartialDate validates them.

    PyYAML's own timestamp constructor turns `2025-13-01` into an uncaught ValueError.
    """


# The same rules over libyaml's parser: ~10× faster, and front matter was most of reading a seed.
# libyaml and PyYAML's own parser disagree on a few inputs (a tab or a BOM inside a line, `?`
# inside a flow mapping, `|2#`), so libyaml reads only blocks free of those characters, and only
# a block it reads without complaint is taken from it; anything else is read by the pure-Python
# loader, whose messages and line numbers are the ones a curator is shown.
_FastFactsLoader = type("_FastFactsLoader", (yaml.CSafeLoader,), {}) if hasattr(yaml, "CSafeLoader") else None
_NOT_FAST = re.compile(r"[\t\ufeff?|>{}&*!%@`\\]")

for _loader in filter(None, (_FactsLoader, _FastFactsLoader)):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _Refused(Exception):
    """A front-matter block that is not curator YAML: the line and the reason."""

    def __init__(self, line: int, reason: str):
        super().__init__(line, reason)
        self.line, self.reason = line, reason


def _invalid(path: str, line: int, reason: str) -> tuple[CuratorFacts, list[Problem]]:
    return CuratorFacts(), [Problem(path, line, f"curator facts are not valid ({reason}); the block is ignored: "
                                                "fix it or delete it", "warning")]


_OPENS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
          yaml.FlowSequenceStartToken)
_CLOSES = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
# libyaml's composer recurses in C: nesting deep enough to exhaust the stack would crash the
# build instead of raising RecursionError, so deeper blocks go to the Python loader.
_FAST_MAX_DEPTH = 100


def _read(raw_yaml: str, loader_class: type, max_depth: int | None = None) -> tuple[yaml.Node | None, Any]:
    """The block's root node and its value; `_Refused` when it is not YAML a curator may write."""
    try:
        depth = 0
        for token in yaml.scan(raw_yaml, Loader=loader_class):
            if max_depth is not None:
                depth += isinstance(token, _OPENS) - isinstance(token, _CLOSES)
                if depth > max_depth:
                    raise _Refused(token.start_mark.line + 2, "nested too deeply")
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                # Aliases let a few lines expand into gigabytes ("billion laughs"); facts never need them.
                raise _Refused(token.start_mark.line + 2, "YAML anchors and aliases (&name, *name) are not "
                                                          "allowed: write each value out")
        loader = loader_class(raw_yaml)
        try:
            node = loader.get_single_node()
            return node, loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        reason = getattr(err, "problem", None) or err.__class__.__name__
        raise _Refused(mark.line + 2 if mark is not None else 1, f"YAML: {reason}") from None
    except RecursionError:
        raise _Refused(2, "nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as err:  # a constructor (!!int, !!float) refused its value
        raise _Refused(2, f"YAML: {err}") from None


def _read_fast(raw_yaml: str) -> tuple[yaml.Node | None, Any]:
    if _FastFactsLoader is not None and not _NOT_FAST.search(raw_yaml):
        try:
            return _read(raw_yaml, _FastFactsLoader, _FAST_MAX_DEPTH)
        except Exception:  # noqa: BLE001 - refused, or text libyaml cannot take: the Python loader explains
            pass
    return _read(raw_yaml, _FactsLoader)


def parse_facts(
    raw_yaml: str, path: str, topics: set[str], countries: set[str]
) -> tuple[CuratorFacts, list[Problem]]:
    """Validate a front-matter block into CuratorFacts; each bad field becomes a Problem."""
    problems: list[Problem] = []
    try:
        node, data = _read_fast(raw_yaml)
    except _Refused as refused:
        return _invalid(path, refused.line, refused.reason)
    if data is None:
        return CuratorFacts(), []
    if not isinstance(data, dict):
        return CuratorFacts(), [Problem(path, 2, "curator facts must be a mapping of field: value; "
                                                 f"allowed fields: {', '.join(FIELDS)}", "warning")]
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 2
                if key_node.value in key_lines:
                    problems.append(Problem(path, line, f"curator field {key_node.value!r} is given twice (also on "
                                                        f"line {key_lines[key_node.value]}); the last one is used: "
                                                        "delete the other", "warning"))
                key_lines[key_node.value] = line
    return _validate(data, path, key_lines, topics, countries, problems, allow_parts=True), problems


def _validate(data: dict, path: str, key_lines: dict, topics: set[str], countries: set[str],
              problems: list[Problem], allow_parts: bool) -> CuratorFacts:
    values: dict[str, Any] = {}

    def warn(key: str, message: str) -> None:
        problems.append(Problem(path, key_lines.get(str(key), 1), message, "warning"))

    for key, value in data.items():
        if key not in FIELDS or (key == "parts" and not allow_parts):
            warn(key, f"unknown curator field {key!r}; allowed: {', '.join(FIELDS)}")
            continue
        if value is None or value == "" or value == []:
            continue
        if key in ("url", "outlet", "title"):
            if not isinstance(value, (str, int, float)):
                warn(key, f"curator field {key!r} must be text, not {type(value).__name__}")
                continue
            text = " ".join(str(value).split())
            if key == "url" and not re.match(r"^https?://[^\s<>\"']+$", text):
                warn(key, f"curator field 'url' is {text!r}, not an http(s) address")
                continue
            values[key] = text
        elif key == "published":
            date = PartialDate.parse(str(value))
            if date is None:
                warn(key, f"curator field 'published' is {str(value)!r}, not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
                continue
            values[key] = date
        elif key == "exclude":
            if not isinstance(value, bool):
                warn(key, f"curator field 'exclude' is {value!r}; use true or false")
                continue
            values[key] = value
        elif key in ("topics_add", "topics_remove", "countries_add", "countries_remove"):
            allowed = topics if key.startswith("topics") else countries
            items = value if isinstance(value, list) else [value]
            good = []
            for item in items:
                item = str(item).strip()
                if key.startswith("countries"):
                    item = item.upper()
                if item in allowed:
                    good.append(item)
                else:
                    hint = ", ".join(sorted(allowed)) if key.startswith("topics") else "ISO 3166-1 alpha-2 codes such as MA, FR, IQ"
                    warn(key, f"curator field {key!r} has unknown value {item!r}; allowed: {hint}")
            values[key] = tuple(sorted(set(good)))
        elif key == "parts":
            if not isinstance(value, dict):
                warn(key, "curator field 'parts' must map a part number to its facts, e.g. {2: {title: …}}")
                continue
            parts = []
            for number, sub in value.items():
                if not isinstance(number, int) or number < 1 or not isinstance(sub, dict):
                    warn(key, f"curator field 'parts' has entry {number!r}; expected a part number ≥ 1 with a mapping")
                    continue
                parts.append((number, _validate(sub, path, key_lines, topics, countries, problems, False)))
            values[key] = tuple(sorted(parts, key=lambda p: p[0]))
    return CuratorFacts(**values)
