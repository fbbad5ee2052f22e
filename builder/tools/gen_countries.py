"""Generate the countries table (builder/data/countries.yaml) from CLDR's Arabic territory names.

Run once, and again when babel's CLDR changes: `python -m builder.tools.gen_countries`.
It refreshes only each code's `cldr` field and adds codes that are missing; every hand-written
field (name, aliases, demonym, demonyms, capitals, weak, match, note) and everything above the
`countries:` line (rules, comments) is kept as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

TABLE = Path(__file__).resolve().parent.parent / "data" / "countries.yaml"

# Two-letter CLDR territories that are not ISO 3166-1 countries: unions, groupings, pseudo-locales,
# and codes ISO only reserves (Ascension, Clipperton, Diego Garcia, Ceuta-Melilla, Canaries, Tristan).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "DG", "EA", "IC", "TA"})

FIELDS = ("cldr", "name", "aliases", "demonym", "demonyms", "capitals", "weak", "match", "note")
HEADER = """\
# Countries: ISO 3166-1 alpha-2 code → how Arabic news names the country.
# Generated from CLDR by `python -m builder.tools.gen_countries`, then extended by hand.
countries:
"""


def cldr_countries() -> dict[str, str]:
    """CLDR's Arabic name of every ISO 3166-1 alpha-2 country, by code."""
    names = Locale("ar").territories
    return {code: names[code] for code in sorted(names)
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES}


def merge(existing: dict[str, dict[str, Any]], cldr: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Existing entries with `cldr` refreshed, plus an entry for every CLDR code not yet listed."""
    merged = {code: dict(entry or {}) for code, entry in existing.items()}
    for code, name in cldr.items():
        merged.setdefault(code, {})["cldr"] = name
    return {code: merged[code] for code in sorted(merged)}


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6).strip()


def _scalar(value: Any) -> str:
    text = _flow([value])  # a one-item flow list quotes a scalar exactly when YAML needs it
    return text[1:-1]


def render_entries(entries: dict[str, dict[str, Any]]) -> str:
    """The `countries:` block: one line for a bare entry, one line per field otherwise."""
    unknown = {key for entry in entries.values() for key in entry} - set(FIELDS)
    if unknown:
        raise SystemExit(f"{TABLE}: unknown country field(s) {sorted(unknown)}; allowed: {', '.join(FIELDS)}")
    lines = []
    for code, entry in entries.items():
        code = _scalar(code)  # quoted when YAML would read it otherwise: NO (Norway) is not false
        ordered = {key: entry[key] for key in FIELDS if key in entry}
        if set(ordered) <= {"cldr", "name"}:
            lines.append(f"  {code}: {_flow(ordered)}")
            continue
        lines.append(f"  {code}:")
        for key, value in ordered.items():
            lines.append(f"    {key}: {_flow(value) if isinstance(value, list) else _scalar(value)}")
    return "\n".join(lines) + "\n"


def regenerate(path: Path = TABLE) -> str:
    """New text of the table: the hand-written head kept verbatim, the `countries:` block merged."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    head, sep, _ = text.partition("\ncountries:\n")
    if not sep:
        if not text.startswith("countries:\n"):
            raise SystemExit(f"{path}: no top-level 'countries:' line to regenerate below")
        head = ""
    existing = (yaml.safe_load(text) or {}).get("countries") or {}
    block = render_entries(merge(existing, cldr_countries()))
    return (head + "\n" if head else "") + "countries:\n" + block


def main(argv: list[str] | None = None) -> int:
    path = Path(argv[0]) if argv else TABLE
    path.write_text(regenerate(path), encoding="utf-8")
    print(f"{path}: {len(cldr_countries())} CLDR countries merged")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
