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


def test_every_field_has_a_floor(measured) -> None:
    """A new field in the evaluation must be pinned too (at 0.0 if it has nothing to score yet)."""
    for corpus, spec in FLOORS.items():
        pinned = {m.partition(".")[0] for m in spec["floors"]}
        assert pinned == set(measured[corpus]), corpus


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


# ---- the evaluation's own definitions ------------------------------------------------------------

from builder.evaluate import Label, contradicts, date_keys, role_right, same_person  # noqa: E402
from builder.model import PartialDate  # noqa: E402


@pytest.mark.parametrize("a, b, same", [
    ("عبدالوافي لفتيت", "عبد الوافي لفتيت", True),      # spacing of عبد
    ("فلاح الكيناني", "الفريق فلاح الكيناني", True),      # containment, whole words
    ("حسين", "فؤاد حسين", True),                          # later short form
    ("إيمانويل ماكرون", "ايمانويل ماكرون", True),         # hamza folded
    ("محمد", "محمد السادس", True),
    ("حسن", "فؤاد حسين", False),                          # not a whole word
    ("برونو روتايو", "عبد الوافي لفتيت", False),
])
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


@pytest.mark.parametrize("gold, pred, ok", [
    ("وزير الداخلية المغربي", "وزير الداخلية", True),
    ("وزيرة الصناعة والتجارة والسياحة الإسبانية", "الوزيرة", True),   # feminine, article
    ("الرئيس الفلبيني", "وزير الخارجية", False),
    ("نظيره الإسباني", "وزير الداخلية الإسباني", True),                # counterpart: any office
    ("نظيره الإسباني", "", False),
    ("صاحب الجلالة الملك", "الملك", True),
])
def test_role_right(gold: str, pred: str, ok: bool) -> None:
    assert role_right(gold, pred) is ok


def test_date_keys_accept_fair_resolutions_only() -> None:
    label = Label("x", "x.txt", 1, {"text_dates": ["2017-02-20"], "text_dates_yearless": ["03-04", 9, "09-06"]})
    # labelled with a year → kept; resolved to the reference year or the year before → yearless;
    # resolved two years back, or a month the label does not list → kept (and scored as false)
    got = date_keys(["2017-02-20", "2017-03-04", "--09", "2016-09-06", "2015-03-04", "2017-05"], label, 2017)
    assert got == {"2017-02-20", "--03-04", "--09", "--09-06", "2015-03-04", "2017-05"}
    assert date_keys(["2017-03-04"], label, None) == {"2017-03-04"}  # no reference year: no resolving


@pytest.mark.parametrize("date, published, bad", [
    (PartialDate(2018, 6, 6), PartialDate(2018, 6, 6), False),
    (PartialDate(2018, 6, 7), PartialDate(2018, 6, 6), True),        # after publication
    (PartialDate(2018, 5, 5), PartialDate(2018, 6, 6), True),        # 32 days before
    (PartialDate(2018, 5, 6), PartialDate(2018, 6, 6), False),       # 31 days before
    (PartialDate(2018, 6), PartialDate(2018, 6, 6), False),          # the month holds it
    (PartialDate(2017), PartialDate(2018, 6, 6), True),
])
def test_contradicts(date: PartialDate, published: PartialDate, bad: bool) -> None:
    assert contradicts(date, published) is bad
