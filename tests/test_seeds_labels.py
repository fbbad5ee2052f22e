"""The five seeds come out exactly as labelled in tests/data/seeds_labels.yaml, field by field.

Data-driven: one test per (labelled article, field), so a failure names the seed and the field.
Definitions (title normalisation, person matching, yearless dates) are the evaluation's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.evaluate import (Label, _squash, _yearless, date_keys, load_labels, pair_up, produce,
                              reference_year, same_person)
from builder.knowledge import load_knowledge
from builder.model import Article
from builder.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LABELS, COUNTS = load_labels(ROOT / "tests" / "data" / "seeds_labels.yaml")
BY_ID = {lab.id: lab for lab in LABELS}


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """The seeds through the real pipeline (extracted once for the whole module)."""
    return produce(SEEDS, LABELS, load_knowledge())[0]


@pytest.fixture(scope="module")
def extracted(articles: list[Article]) -> dict[str, Article | None]:
    """Labelled part id → its article (None when splitting did not produce it)."""
    return {lab.id: a for lab, a in pair_up(LABELS, articles) if lab}


def _article(extracted: dict[str, Article | None], label_id: str) -> Article:
    article = extracted[label_id]
    assert article is not None, f"{label_id}: no article extracted for this labelled part"
    return article


def test_six_articles_from_five_seeds(articles: list[Article]) -> None:
    assert len(articles) == sum(COUNTS.values()) == 6


@pytest.mark.parametrize("file, count", sorted(COUNTS.items()))
def test_split(articles: list[Article], file: str, count: int) -> None:
    got = [a.id for a in articles if Path(a.file).name == file]
    assert len(got) == count, got


ids = pytest.mark.parametrize("label_id", list(BY_ID))


@ids
def test_title(extracted: dict[str, Article | None], label_id: str) -> None:
    lab, article = BY_ID[label_id], _article(extracted, label_id)
    if lab.get("title"):
        assert _squash(article.title) == _squash(lab.get("title"))
        assert not article.title_generated
    else:
        assert article.title_generated, f"no headline in the text, yet title {article.title!r} was not generated"


@ids
def test_outlet(extracted: dict[str, Article | None], label_id: str) -> None:
    lab, article = BY_ID[label_id], _article(extracted, label_id)
    want = (lab.get("outlet") or {}).get("name_ar", "") if lab.get("outlet_named_in_text") else ""
    assert fold(article.outlet).replace(" ", "") == fold(want).replace(" ", ""), (article.outlet, want)


@ids
def test_countries_mentioned(extracted: dict[str, Article | None], label_id: str) -> None:
    lab, article = BY_ID[label_id], _article(extracted, label_id)
    implicit = set(lab.get("countries_implicit", []))
    assert set(article.countries) - implicit == set(lab.get("countries_mentioned", [])) - implicit


@ids
def test_countries_primary(extracted: dict[str, Article | None], label_id: str) -> None:
    lab, article = BY_ID[label_id], _article(extracted, label_id)
    assert set(article.countries_primary) == set(lab.get("countries_primary", []))


@ids
def test_officials_by_person(extracted: dict[str, Article | None], label_id: str) -> None:
    lab, article = BY_ID[label_id], _article(extracted, label_id)
    border = [b["name"] for b in lab.get("officials_borderline", [])]
    predicted = [o for o in article.officials if not any(same_person(o.name, b) for b in border)]
    missed = []
    for official in lab.get("officials", []):
        match = next((o for o in predicted if same_person(o.name, official["name"])), None)
        if match is None:
            missed.append(official["name"])
        else:
            predicted.remove(match)
    assert (missed, [o.name for o in predicted]) == ([], []), "(missed, false)"


@ids
def test_topics(extracted: dict[str, Article | None], label_id: str) -> None:
    lab, article = BY_ID[label_id], _article(extracted, label_id)
    assert set(article.topics) == set(lab.get("topics", []))


@ids
def test_dates(extracted: dict[str, Article | None], label_id: str) -> None:
    lab, article = BY_ID[label_id], _article(extracted, label_id)
    want = {str(d) for d in lab.get("text_dates", [])} | {f"--{_yearless(d)}" for d in lab.get("text_dates_yearless", [])}
    assert date_keys(article.dates, lab, reference_year(lab, article)) == want, article.dates


def test_labels_cover_the_seeds_folder() -> None:
    assert sorted(COUNTS) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert all(isinstance(lab, Label) for lab in LABELS)
