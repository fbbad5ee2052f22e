"""Extraction quality never falls below the floor pinned in tests/data/quality_floor.yaml.

Runs `digest evaluate` on the dev corpus and on the seeds, one test per pinned score. When
extraction improves, raise the floors: `python tests/test_extraction_quality.py` prints the
measured scores in the floor file's format (rounded down a little).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
import yaml

from builder.evaluate import evaluate, flat
from builder.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
FLOOR_FILE = ROOT / "tests" / "data" / "quality_floor.yaml"
FLOORS = yaml.safe_load(FLOOR_FILE.read_text(encoding="utf-8"))
MARGIN = 0.02  # floors sit this far below the measured score, so a neutral change is no failure


def measure(corpus: str) -> dict[str, dict[str, float | int]]:
    spec = FLOORS[corpus]
    return flat(evaluate(ROOT / spec["folder"], ROOT / spec["labels"], load_knowledge()))


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, dict[str, float | int]]]:
    return {corpus: measure(corpus) for corpus in FLOORS}


CASES = [(corpus, metric, floor) for corpus, spec in FLOORS.items() for metric, floor in spec["floors"].items()]


@pytest.mark.parametrize("corpus, metric, floor", CASES, ids=[f"{c}:{m}" for c, m, _ in CASES])
def test_score_at_or_above_floor(measured, corpus: str, metric: str, floor: float) -> None:
    field, _, name = metric.partition(".")
    assert field in measured[corpus] and name in measured[corpus][field], f"{FLOOR_FILE.name}: no score {metric!r}"
    got = measured[corpus][field][name]
    assert got >= floor, (f"{corpus} {metric} fell to {got} (floor {floor}); "
                          f"run `python -m builder evaluate {FLOORS[corpus]['folder']} -v` to see the misses")


def test_every_field_has_a_floor() -> None:
    """A new field in the evaluation must be pinned too (at 0.0 if it has nothing to score yet)."""
    for corpus, spec in FLOORS.items():
        pinned = {m.partition(".")[0] for m in spec["floors"]}
        assert pinned == set(measure(corpus)), corpus


def suggested(scores: dict[str, dict[str, float | int]]) -> dict[str, float]:
    """Floors for measured scores: 2-decimal, MARGIN below; 0.0 where nothing was scored yet."""
    out = {}
    for field, values in scores.items():
        if "accuracy" in values:
            keys = {"accuracy": values["total"]}
        else:
            keys = {"precision": values["tp"] + values["fp"], "recall": values["tp"] + values["fn"],
                    "f1": values["tp"] + values["fp"] + values["fn"]}
        for key, support in keys.items():
            value = values[key] if support else 0.0
            out[f"{field}.{key}"] = max(0.0, math.floor(value * 100) / 100 - MARGIN) if value < 1 else 1.0 - MARGIN
    return {k: round(v, 2) for k, v in out.items()}


if __name__ == "__main__":
    for corpus in FLOORS:
        print(f"{corpus}:")
        for metric, value in suggested(measure(corpus)).items():
            old = FLOORS[corpus]["floors"].get(metric, 0.0)
            print(f"    {metric}: {max(value, old)}" + ("   # raised" if value > old else ""), file=sys.stdout)
