"""A deterministic generator of N raw seeds that look like real clippings.

Paragraphs are recombined from the project's seeds and development corpus; each seed gets a
headline (or none), a date over several years in its curator facts (or none, or month
precision), some site chrome, and every 25th file holds two articles. The same N and random
seed always give byte-identical files.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "seeds", REPO / "tests" / "data" / "dev"]
CHROME_TOP = ["سياسة", "مجتمع", "AHDATH.INFO", "دولي"]
CHROME_BOTTOM = [
    "زر الذهاب إلى الأعلى\nerror: المحتوى محمي !!",
    "تابع آخبار تليكسبريس على akhbar",
    "المصدر:\nهسبريس",
    "إقرأ أيضا\n\nأضف تعليقك أو رأيك",
]
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def _corpus() -> tuple[list[str], list[str]]:
    """(headline-like lines, body paragraphs) from the real clippings."""
    titles, paragraphs = [], []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            lines = [l.strip() for l in _FRONT.sub("", path.read_text(encoding="utf-8")).split("\n") if l.strip()]
            for line in lines:
                words = len(line.split())
                if 5 <= words <= 16 and not line.endswith((".", ":", "؟")):
                    titles.append(line)
                elif words >= 25:
                    paragraphs.append(line)
    return sorted(set(titles)), sorted(set(paragraphs))


def _article(rng: random.Random, titles: list[str], paragraphs: list[str], n: int) -> str:
    parts = []
    if rng.random() < 0.85:
        parts.append(f"{rng.choice(titles)} ({n})")
    body = rng.sample(paragraphs, rng.randint(3, 7))
    body[0] = f"{body[0]} [{n}]"  # every article's text is unique, as real clippings are
    parts.extend(body)
    return "\n\n".join(parts)


def generate(folder: Path, count: int, seed: int = 2025) -> list[Path]:
    """Write `count` seed files into `folder` (emptied first); returns their paths."""
    rng = random.Random(seed)
    titles, paragraphs = _corpus()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    written = []
    for i in range(count):
        year = rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025])
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        roll = rng.random()
        if roll < 0.7:
            facts = f"---\npublished: {year}-{month:02d}-{day:02d}\n---\n"
        elif roll < 0.85:
            facts = f"---\npublished: {year}-{month:02d}\n---\n"
        else:
            facts = ""
        text = ""
        if rng.random() < 0.3:
            text += rng.choice(CHROME_TOP) + "\n\n"
        text += _article(rng, titles, paragraphs, i)
        if i % 25 == 0:
            text += "\n\n" + _article(rng, titles, paragraphs, i + count)
        if rng.random() < 0.4:
            text += "\n\n" + rng.choice(CHROME_BOTTOM)
        path = folder / f"{i:05d}_bench.txt"
        path.write_text(facts + text + "\n", encoding="utf-8")
        written.append(path)
    return written
