"""Progress on long runs: a one-line counter on a terminal, silence everywhere else (CI, logs)."""

from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")
MIN_ITEMS = 200  # shorter runs finish before a counter would help


def progress(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """Yield `items`, redrawing `label n/total` on stderr when it is a terminal and not CI."""
    show = total >= MIN_ITEMS and sys.stderr.isatty() and not os.environ.get("CI")
    step = max(1, total // 100)
    for done, item in enumerate(items, start=1):
        if show and (done % step == 0 or done == total):
            sys.stderr.write(f"\r{label} {done}/{total}")
            sys.stderr.flush()
        yield item
    if show:
        sys.stderr.write("\n")
