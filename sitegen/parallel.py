"""Run a pure function over many inputs on every core, when there is enough work to be worth it.

A cold build of a long work spends most of its time analysing files, one at a
time and each on its own: that part goes to worker processes. Small jobs, and
machines with one core, stay in this process. Workers are forked when this
process runs no other thread (`sitegen build`), otherwise started fresh
(the dev server has threads, which forking does not carry safely). This
process does a share of run_shared's jobs itself, so n cores take n - 1
forked copies of the work.

A forked worker's resident memory counts every page it inherits, so a worker
forked late in a long build (10M words: this process holds 450-600 MiB by
the chapter pages) doubles the tree's summed RSS. `helpers_forked` forks
n - 1 helpers early, while this process is small, and `run_sent` sends them
compact jobs (a chapter's view, not the whole work) for the later stages;
what a job cannot carry (the templates, the texts) it takes from what the
helpers inherited (`inherited`).
"""
from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence, TypeVar

if TYPE_CHECKING:      # (imported where workers start: a build small enough for one process never does)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.connection import Connection

R = TypeVar("R")
S = TypeVar("S")

MIN_ITEMS = 2                 # fewer inputs than this: nothing to share (MIN_WORK says when it is worth it)
MIN_WORK = 400_000            # nor less than this much work (the caller's measure: characters of text)
CHUNKS_PER_WORKER = 16        # jobs go out in this many batches a worker: few enough round trips, a short tail


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
            on_done: Callable[[int, int], None] | None = None, sizes: Sequence[int] | None = None) -> list[R]:
    """[fn(*job) for job in jobs], in worker processes when there are several cores and enough work.

    `fn` must be a module-level function and jobs picklable. An exception raised
    by fn (a SitegenError about the text, say) is raised here, as if run here.
    `on_done(done, total)` is called as results come in (for a progress line).
    `sizes` (each job's share of `work`) sends the largest jobs out first, so that
    no worker is left with a long one while the others have finished.
    """
    if _pool_size(len(jobs), work) < 2:
        return _here([partial(fn, *job) for job in jobs], on_done)
    order = largest_first(sizes) if sizes is not None else range(len(jobs))
    done = _pooled(_call, [(fn, jobs[i]) for i in order], _start_method(), on_done, share=False)
    results: list = [None] * len(jobs)
    for i, result in zip(order, done):
        results[i] = result
    return results


def largest_first(sizes: Sequence[int]) -> list[int]:
    """The jobs' indexes, largest first (equal sizes in their order)."""
    return sorted(range(len(sizes)), key=lambda i: -sizes[i])


def run_shared(fn: Callable[[S, int], R], shared: S, count: int, work: int,
               on_done: Callable[[int, int], None] | None = None) -> list[R]:
    """[fn(shared, i) for i in range(count)], in forked workers when there are several cores and enough work.

    The workers inherit `shared` when they are forked, so it is never pickled (only
    each result comes back): for a later stage that reads the whole work. Where
    workers would have to be started fresh (a process with threads: the dev server),
    everything runs in this process.
    """
    global _shared
    if not forks(count, work):
        return _here([partial(fn, shared, i) for i in range(count)], on_done)
    _shared = (fn, shared)
    # The workers' collector leaves what they inherit alone: its pages stay shared. Unfrozen after,
    # unless something was frozen before (`sitegen build`'s loaded cache: store.py): gc.unfreeze
    # cannot tell the two apart, and that freeze is meant to last.
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        return _pooled(_call_shared, range(count), "fork", on_done)
    finally:
        if not frozen_before:
            gc.unfreeze()
        _shared = None


def forks(count: int, work: int) -> bool:
    """Whether run_shared(count jobs, work) shares them with forked workers (and this process)."""
    return _pool_size(count, work) >= 2 and _start_method() == "fork"


def _pool_size(count: int, work: int) -> int:
    """How many workers `count` jobs of `work` in all are worth (below 2: none; none in a worker, whose
    job, a file's analysis say, may share its own parts when run in the build's process)."""
    return 0 if count < MIN_ITEMS or work < MIN_WORK or _in_worker else min(cores(), count)


def _start_method() -> str:
    import multiprocessing
    return "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() \
        else "spawn"


def _here(calls: Sequence[Callable[[], R]], on_done: Callable[[int, int], None] | None) -> list[R]:
    results = []
    for call in calls:
        results.append(call())
        if on_done:
            on_done(len(results), len(calls))
    return results


def _pooled(fn: Callable, items: Sequence, method: str, on_done: Callable[[int, int], None] | None,
            share: bool = True) -> list:
    """[fn(item) for item in items] in batches, on cores() workers, or with `share` on this process and
    cores() - 1 workers.

    With `share` (run_shared) this process takes a batch whenever it is free, rather
    than wait for the workers: one process fewer for the same cores, so one copy
    fewer of the whole work a forked worker inherits (10M words: the summed resident
    memory of the tree), and this process's share is never pickled. run_all's
    workers are forked from a small process (the texts read, nothing made yet): there
    this process stays out of the analysis, whose scraps would stay in it to the end."""
    workers = min(cores(), len(items)) - (1 if share else 0)
    batch = max(1, len(items) // ((workers + share) * CHUNKS_PER_WORKER))
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]
    if workers < 1:
        return _here([partial(fn, item) for item in items], on_done)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    made: list = [None] * len(batches)
    count = [0]

    def got(n: int, results: list) -> None:
        made[n] = results
        count[0] += len(results)
        if on_done:
            on_done(count[0], len(items))
    try:
        _share(pool, fn, batches, workers, got, share)
    except BaseException:           # a job's error, Ctrl-C, `kill`: stop now, not after every queued job
        _stop(pool)
        raise
    pool.shutdown()
    return [result for results in made for result in results]


def _share(pool: ProcessPoolExecutor, fn: Callable, batches: list, workers: int,
           got: Callable[[int, list], None], share: bool) -> None:
    """Run every batch: the pool's workers are kept two batches ahead; with `share` this process runs the
    next one meanwhile."""
    from concurrent.futures import FIRST_COMPLETED, wait
    pending: dict = {}
    taken = 0
    while taken < len(batches) or pending:
        while taken < len(batches) and len(pending) < 2 * workers:
            pending[pool.submit(_batch, fn, batches[taken])] = taken
            taken += 1
        if taken < len(batches) and share:
            got(taken, _batch(fn, batches[taken]))
            taken += 1
            finished = [f for f in pending if f.done()]
        else:
            finished = wait(pending, return_when=FIRST_COMPLETED).done
        for future in finished:
            got(pending.pop(future), future.result())


def _batch(fn: Callable, items: Sequence) -> list:
    return [fn(item) for item in items]


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers at once, its queued jobs dropped."""
    processes = list((pool._processes or {}).values())      # the executor has no public way to end them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()          # not SIGTERM: a forked worker inherits the build's handler and goes on
    for process in processes:
        process.join(5)


def die_with_parent(parent: int) -> None:
    """In a worker: end when the build that started it ends, even if it was killed (Linux prctl)."""
    global _in_worker
    _in_worker = True
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)          # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:                          # the parent died before the line above
        os._exit(1)


def _call(item: tuple) -> object:
    fn, job = item
    return fn(*job)


_in_worker = False                  # set in a worker or helper: it runs its jobs itself
_shared: tuple | None = None        # (fn, shared) of run_shared, inherited by its forked workers


def _call_shared(i: int) -> object:
    fn, shared = _shared
    return fn(shared, i)


# ---------------------------------------------------------------- helpers forked early

class _Helper:
    """A helper process and this process's end of its pipe."""
    def __init__(self, process, conn: Connection):
        self.process, self.conn = process, conn


_helpers: list[_Helper] = []
_inherit: dict[str, Any] = {}         # what run_sent's jobs may take from this process (`inherited`)
_helpers_have: dict[str, Any] = {}    # what the helpers inherited when they were forked


@contextlib.contextmanager
def helpers_forked(inherit: Mapping[str, Any], work: int, warm: Callable[[], Any] | None = None) -> Iterator[None]:
    """Fork cores() - 1 helper processes now, while this process is small, for run_sent's jobs until the
    block ends; each inherits `inherit` (name -> object: the templates, the texts) for `inherited`.
    None are forked with one core, with threads running (the dev server) or for less than MIN_WORK.
    Each helper first calls `warm()` (while this process waits for the analysis: work done ahead that
    later stages find done, such as the templates compiled into the kept cache); its errors are ignored."""
    global _helpers, _helpers_have
    count = cores() - 1
    if count < 1 or work < MIN_WORK or _start_method() != "fork" or _helpers:
        yield
        return
    import multiprocessing
    context = multiprocessing.get_context("fork")
    _helpers_have = dict(inherit)
    started: list[_Helper] = []
    try:
        _inherit.update(inherit)
        for _ in range(count):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, os.getpid(), warm), daemon=True)
            process.start()
            theirs.close()
            started.append(_Helper(process, mine))
        _helpers = started
        yield
    finally:
        _helpers, _helpers_have = [], {}
        for name in inherit:
            _inherit.pop(name, None)
        _end(started)


def _end(helpers: list[_Helper]) -> None:
    """Ask each helper to stop (a helper still busy, after an error, is killed)."""
    for helper in helpers:
        with contextlib.suppress(OSError):
            helper.conn.send(None)
    for helper in helpers:
        helper.process.join(2)
        if helper.process.is_alive():
            helper.process.kill()
            helper.process.join(5)
        helper.conn.close()


def _serve(conn: Connection, parent: int, warm: Callable[[], Any] | None = None) -> None:
    """A helper: `warm()`, then run each batch of jobs sent, send back the results (or the error), until told
    to stop."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)          # Ctrl-C: the build ends its helpers itself
    gc.freeze()                       # its collector leaves what it inherited alone: those pages stay shared
    if warm is not None:
        with contextlib.suppress(Exception):    # (a mistake it meets is the build's to report, where it is met)
            warm()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        fn, jobs = message
        try:
            answer = (True, [fn(*job) for job in jobs])
        except BaseException as e:      # raised in the build as if run there
            answer = (False, e)
        try:
            conn.send(answer)
        except Exception as e:          # an unpicklable result or error
            conn.send((False, RuntimeError(f"a helper's answer could not be sent back: {e!r}")))


def inherited(name: str) -> Any:
    """In a run_sent job: the object run_sent's `inherit` gave under `name`."""
    return _inherit[name]


def run_sent(fn: Callable[..., R], jobs: Sequence[tuple], work: int, inherit: Mapping[str, Any] | None = None,
             on_done: Callable[[int, int], None] | None = None) -> list[R]:
    """[fn(*job) for job in jobs], where fn may read `inherited(name)` for each of `inherit`'s objects.

    With helpers forked early that hold the same objects (helpers_forked), the jobs are sent to them
    in batches (pickled: keep them small) and this process takes a share; otherwise as run_shared,
    workers forked now inheriting the jobs (or all of it here)."""
    inherit = dict(inherit or {})
    sendable = _helpers and all(_helpers_have.get(k) is v for k, v in inherit.items())
    if not sendable or _pool_size(len(jobs), work) < 2:
        saved = dict(_inherit)
        _inherit.update(inherit)
        try:
            return run_shared(_job, (fn, jobs), len(jobs), work, on_done)
        finally:
            _inherit.clear()
            _inherit.update(saved)
    try:
        return _sent(fn, jobs, on_done)
    except BaseException:               # a job's error, Ctrl-C: the helpers' state is unknown, end them
        _end(_helpers)
        _helpers.clear()
        raise


def _job(shared: tuple, i: int) -> object:
    fn, jobs = shared
    return fn(*jobs[i])


def _sent(fn: Callable, jobs: Sequence[tuple], on_done: Callable[[int, int], None] | None) -> list:
    """Each helper is sent a batch at a time from the front of the jobs; this process takes the next job
    itself, and between two of its jobs collects the answers (so a helper never waits long to be read,
    and neither end of a pipe blocks: a helper is sent a batch only once it has answered the last)."""
    from multiprocessing.connection import wait as ready
    total = len(jobs)
    size = max(1, total // ((len(_helpers) + 1) * CHUNKS_PER_WORKER))
    results: list = [None] * total
    busy: dict[Connection, range] = {}
    taken = done = 0

    def finished(count: int) -> None:
        nonlocal done
        done += count
        if on_done:
            on_done(done, total)

    while taken < total or busy:
        for helper in _helpers:
            if helper.conn not in busy and taken < total:
                batch = range(taken, min(taken + size, total))
                helper.conn.send((fn, [jobs[i] for i in batch]))
                busy[helper.conn] = batch
                taken = batch.stop
        if taken < total:
            results[taken] = fn(*jobs[taken])
            taken += 1
            finished(1)
        for conn in ready(list(busy), 0 if taken < total else None) if busy else ():
            ok, answer = conn.recv()
            if not ok:
                raise answer
            batch = busy.pop(conn)
            results[batch.start:batch.stop] = answer
            finished(len(batch))
    return results
