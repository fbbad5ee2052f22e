"""How many processes a build may use, and whether it may fork them.

Extraction, the writer and MkDocs' page rendering each spread over the cores when there is
enough work; all three ask here. `DIGEST_PROCESSES=1` keeps everything in one process (for
profiling, or a machine shared with other jobs).
"""

from __future__ import annotations

import os
import threading

from .errors import BuilderError, Problem

ENV = "DIGEST_PROCESSES"


def cores() -> int:
    """The CPUs this process may run on (its affinity, which containers narrow), or DIGEST_PROCESSES."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        if not chosen.isascii() or not chosen.isdigit() or int(chosen) < 1:
            raise BuilderError(Problem(ENV, None, f"must be a whole number of processes, 1 or more, not {chosen!r}; "
                                                  "unset it to use every core"))
        return int(chosen)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def may_fork() -> bool:
    """A fork copies only the thread that calls it: with another thread running (the MkDocs dev
    server has several) a lock it holds would stay locked in the child forever."""
    return hasattr(os, "fork") and threading.active_count() == 1


def wait(pid: int) -> int:
    """A child's exit status, once it has ended: the signal's number, negative, if one stopped it."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def ending(code: int) -> str:
    """How a child ended, for a message: "signal 9" or "exit status 1"."""
    return f"signal {-code}" if code < 0 else f"exit status {code}"
