"""Topics: multi-label classification from curated lexicons matched on folded text."""

from __future__ import annotations

from .knowledge import Knowledge
from .model import Part


def extract_topics(part: Part, kb: Knowledge) -> tuple[str, ...]:
    """Baseline: other."""
    return ("other",)


def topic_ids(kb: Knowledge) -> list[str]:
    return [t["id"] for t in kb.table("topics")["topics"]]


def topic_label(kb: Knowledge, topic: str) -> str:
    for t in kb.table("topics")["topics"]:
        if t["id"] == topic:
            return t["label"]
    return topic
