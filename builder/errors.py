"""One exception family for everything a user (curator, reader of the CLI) can get wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input, located as precisely as we know it."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" skips the input, "warning" keeps going

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class BuilderError(Exception):
    """A user-facing failure: printed as-is, never as a traceback."""

    def __init__(self, problem: Problem | str):
        self.problem = problem if isinstance(problem, Problem) else Problem("", None, problem)
        super().__init__(str(self.problem))
