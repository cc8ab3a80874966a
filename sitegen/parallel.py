"""Run a pure function over many inputs on every core, when there is enough work to be worth it.

A cold build of a long work spends most of its time analysing files, one at a
time and each on its own: that part goes to worker processes. Small jobs, and
machines with one core, stay in this process. Workers are forked when this
process runs no other thread (`sitegen build`), otherwise started fresh
(the dev server has threads, which forking does not carry safely).
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

R = TypeVar("R")

MIN_ITEMS = 8                 # fewer inputs than this: not worth starting processes
MIN_WORK = 400_000            # nor less than this much work (the caller's measure: characters of text)


def cores() -> int:
    """Cores this process may use (SITEGEN_JOBS overrides; 1 turns parallel work off)."""
    wanted = os.environ.get("SITEGEN_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_all(fn: Callable[..., R], jobs: Sequence[tuple], work: int,
            on_done: Callable[[int, int], None] | None = None) -> list[R]:
    """[fn(*job) for job in jobs], in worker processes when there are several cores and enough work.

    `fn` must be a module-level function and jobs picklable. An exception raised
    by fn (a SitegenError about the text, say) is raised here, as if run here.
    `on_done(done, total)` is called as results come in (for a progress line).
    """
    tick = on_done or (lambda done, total: None)
    workers = min(cores(), len(jobs))
    if workers < 2 or len(jobs) < MIN_ITEMS or work < MIN_WORK:
        results = []
        for job in jobs:
            results.append(fn(*job))
            tick(len(results), len(jobs))
        return results
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() \
        else "spawn"
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        results = []
        for result in pool.map(_call, [(fn, job) for job in jobs], chunksize=chunk):
            results.append(result)
            tick(len(results), len(jobs))
        return results


def die_with_parent(parent: int) -> None:
    """In a worker: end when the build that started it ends, even if it was killed (Linux prctl)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)          # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:                          # the parent died before the line above
        os._exit(1)


def _call(item: tuple) -> object:
    fn, job = item
    return fn(*job)
